/** One answer of the storm: its status, and Retry-After when the server gave one. */
export interface StormAnswer {
  status: number;
  code: string | undefined;
  retryAfter: number | null;
}

/**
 * The login storm: `count` logins at once with unknown emails and wrong passwords,
 * each from an address of its own (X-Forwarded-For 198.18.x.y: the server uses it when it
 * trusts one proxy, TRUST_PROXY=1; otherwise they all come from this process's address).
 * Resolves every answer. For tests and the abuse benchmark.
 */
export async function loginStorm(baseUrl: string, { count = 50, spreadAddresses = true } = {}): Promise<StormAnswer[]> {
  const attempt = async (i: number): Promise<StormAnswer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', cookie: 'lajna_csrf=storm', 'x-csrf-token': 'storm' };
    if (spreadAddresses) headers['x-forwarded-for'] = `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST', headers, body: JSON.stringify({ email: `storm-${i}-${Date.now()}@example.invalid`, password: `guess-${i}` }),
    });
    const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
    const retryAfter = res.headers.get('retry-after');
    return { status: res.status, code: body?.error?.code, retryAfter: retryAfter === null ? null : Number(retryAfter) };
  };
  return Promise.all(Array.from({ length: count }, (_, i) => attempt(i)));
}
