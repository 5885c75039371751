import type { Ack } from '../../protocol/meeting';
import { MediaError, MediaLimitError, MediaNotFoundError, MediaParametersError } from '../../sfu/errors';
import { AppError, conflict, notFound } from '../errors';
import type { Logger } from '../log';
import type { MeetingSocket } from './feature';
import type { SocketRateLimiter } from './rateLimits';

/** Handles one validated-shape request: the payload is still unchecked (the handler parses it with its schema). */
export type RequestHandler = (payload: unknown) => Promise<unknown>;

const invalid = (message: string) => new AppError(400, 'invalid_payload', message);

/** The stable error a refusal of the SFU is answered with. */
function mediaRefusal(error: MediaError): AppError {
  if (error instanceof MediaNotFoundError) return notFound(error.what);
  if (error instanceof MediaParametersError) return invalid(error.message);
  if (error instanceof MediaLimitError) return new AppError(409, 'media_limit', error.message, { limit: error.limit, max: error.max });
  return conflict(error.message);
}

/** Any failure as the error of an acknowledgement: its stable code, never an internal message (that is logged). */
export function refusalOf(error: unknown, log: Logger, context: Record<string, unknown>): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof MediaError) {
    if (error.cause) log.debug({ ...context, err: error.cause }, 'media request refused');
    return mediaRefusal(error);
  }
  log.error({ ...context, err: error }, 'meeting request failed');
  return new AppError(500, 'internal', 'internal error');
}

/**
 * Answers every event the socket sends. A request is exactly `(payload, ack)`: without a
 * payload, with an extra argument, or for an event nobody handles, it is refused with
 * `invalid_payload` — through its acknowledgement, or, when none was sent, through a
 * `requestRefused` event (there is nothing else to answer it with). Whatever a handler
 * throws becomes a stable code. Each event has its token bucket per socket (rateLimits.ts):
 * past it, `429 rate_limited`.
 */
export function serveRequests(socket: MeetingSocket, log: Logger, route: (event: string) => RequestHandler | undefined, limiter: SocketRateLimiter): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (r: Ack<unknown>) => void) : undefined;
    const answer = (r: Ack<unknown>) => {
      if (ack) ack(r);
      else if (!r.ok) socket.emit('requestRefused', { event: String(event).slice(0, 64), error: r.error });
    };
    const refuse = (error: AppError) => answer({ ok: false, error: error.toBody().error });
    // Limited before anything else is done with it: malformed floods cost a token too.
    const limited = limiter.take(String(event));
    if (limited) return refuse(limited);
    const handler = route(event);
    if (!handler) return refuse(invalid('unknown event'));
    if (!ack) return refuse(invalid('a request needs an acknowledgement callback'));
    if (args.length !== 1) return refuse(invalid(args.length === 0 ? 'the request has no payload' : 'a request carries exactly one payload'));
    handler(args[0]).then(
      (data) => answer({ ok: true, data: data ?? null }),
      (error: unknown) => refuse(refusalOf(error, log, { event, userId: socket.data.principal.userId, sessionId: socket.data.meeting?.sessionId })),
    );
  });
}
