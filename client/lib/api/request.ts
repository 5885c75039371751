import { CodedError, type ErrorBody } from '../../../protocol/errors';

/** A failed API call, carrying the server's status and stable error code. */
export class ApiError extends CodedError {
  override name = 'ApiError';
}

/** The path of an API route under /api, with its query (undefined values left out). */
export function apiPath(path: string, query: Record<string, string | number | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) search.set(k, String(v));
  const qs = search.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

function csrfToken(): string {
  return document.cookie.match(/(?:^|;\s*)lajna_csrf=([^;]+)/)?.[1] ?? '';
}

/** Makes sure the CSRF cookie exists before a state-changing call: any API response sets it. */
async function csrfHeaders(method: string): Promise<Record<string, string>> {
  if (method === 'GET') return {};
  if (!csrfToken()) await fetch('/api/health');
  return { 'x-csrf-token': csrfToken() };
}

/** The ApiError for a failed response's status and parsed body (the `{error}` shape of protocol/errors). */
function apiError(status: number, statusText: string, body: unknown): ApiError {
  const e = (body as ErrorBody | undefined)?.error;
  return new ApiError(status, e?.code ?? 'internal', e?.message ?? statusText, e?.details);
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * fetch for the JSON API: sends the CSRF token, throws ApiError on failure. The body goes
 * as JSON, or as it is when it is a Blob (a file, with the Blob's type). The endpoint
 * modules beside this one give each route its protocol types; pages call those.
 */
export async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const raw = body instanceof Blob;
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body === undefined ? {} : { 'content-type': raw ? body.type : 'application/json' }),
      ...(await csrfHeaders(method)),
    },
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => undefined);
  if (!res.ok) throw apiError(res.status, res.statusText, data);
  return data as T;
}

/**
 * Sends a file as multipart (field `file`) with XMLHttpRequest, because fetch cannot report
 * upload progress; the same CSRF header and errors as `request`. `onProgress` gets 0..1.
 */
export async function uploadFile<T>(method: Method, path: string, file: File, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<T> {
  const headers = await csrfHeaders(method);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    // Cancelled by the person: the request stops and the promise fails with the signal's reason.
    signal?.addEventListener('abort', () => {
      xhr.abort();
      reject(signal.reason as Error);
    }, { once: true });
    xhr.open(method, path);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = (() => { try { return JSON.parse(xhr.responseText) as unknown; } catch { return undefined; } })();
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      reject(apiError(xhr.status, xhr.statusText, body));
    };
    xhr.onerror = () => reject(new ApiError(0, 'internal', 'network error'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
