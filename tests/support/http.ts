import { DEMO_PASSWORD } from '../../server/demo/seed';

/**
 * A browser-like API client: keeps cookies (session and CSRF) and echoes the
 * CSRF token on state-changing requests, as the web client does.
 */
export class ApiClient {
  readonly cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  static async loggedIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<ApiClient> {
    const client = new ApiClient(baseUrl);
    let res = await client.post('/api/auth/login', { email, password });
    // Many logins at once (a committee joining together): the server says when to come back, as a browser would retry.
    for (let i = 0; i < 20 && res.status === 503; i++) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
      res = await client.post('/api/auth/login', { email, password });
    }
    if (res.status !== 200) throw new Error(`login ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return client;
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, path: string, init: { body?: unknown; raw?: BodyInit; headers?: Record<string, string>; csrf?: boolean } = {}) {
    if (method !== 'GET' && init.csrf !== false && !this.cookies.has('lajna_csrf')) await this.request('GET', '/api/health');
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    if (method !== 'GET' && init.csrf !== false) headers['x-csrf-token'] = this.cookies.get('lajna_csrf') ?? '';
    let body: BodyInit | undefined = init.raw;
    if (init.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(init.body);
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual', duplex: 'half' } as RequestInit);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body: parsed as any };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }
  post(path: string, body?: unknown, opts: { csrf?: boolean } = {}) {
    return this.request('POST', path, { body, ...opts });
  }
  put(path: string, body?: unknown) {
    return this.request('PUT', path, { body });
  }
  patch(path: string, body?: unknown) {
    return this.request('PATCH', path, { body });
  }
  delete(path: string) {
    return this.request('DELETE', path);
  }
}
