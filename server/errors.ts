import { CodedError, type ErrorBody, type ErrorCode } from '../protocol/errors';

/** An expected failure with a stable code; HTTP routes and socket handlers turn it into ErrorBody. */
export class AppError extends CodedError {
  override name = 'AppError';

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    details?: unknown,
    /** Response headers that go with the refusal (Retry-After on a 503). */
    readonly headers?: Record<string, string>,
  ) {
    super(status, code, message, details);
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'not allowed for your role') => new AppError(403, 'forbidden', message);
export const conflict = (message: string, details?: unknown) => new AppError(409, 'conflict', message, details);
