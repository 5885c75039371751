import type { ErrorBody, ErrorCode } from '../../protocol/errors';

/** A failed API call, carrying the server's stable error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

function csrfToken(): string {
  return document.cookie.match(/(?:^|;\s*)lajna_csrf=([^;]+)/)?.[1] ?? '';
}

/**
 * fetch for the JSON API: sends the CSRF token, throws ApiError on failure. The body goes
 * as JSON, or as it is when it is a Blob (a file, with the Blob's type).
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (method !== 'GET' && !csrfToken()) await fetch('/api/health'); // any API response sets the CSRF cookie
  const raw = body instanceof Blob;
  const res = await fetch(`/api${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body === undefined ? {} : { 'content-type': raw ? body.type : 'application/json' }),
      ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken() }),
    },
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = (data as ErrorBody | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? 'internal', e?.message ?? res.statusText, e?.details);
  }
  return data as T;
}

export const csrfHeader = () => ({ 'x-csrf-token': csrfToken() });
