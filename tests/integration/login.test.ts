import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo/seed';
import { ApiClient } from '../support/http';
import { loginStorm } from '../support/loginStorm';
import { startTestServer, type TestServer } from '../support/server';

// Behind one trusted proxy, so each test's X-Forwarded-For is its client's address.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer((c) => {
    c.trustProxy = 1;
    c.loginMaxAttempts = 10;
  });
});
afterAll(() => t.close());

function attempt(email: string, password: string, address: string) {
  return new ApiClient(t.url).request('POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': address } });
}

describe('login under attack', () => {
  it('answers an authenticated GET /api/sessions during a storm of 50 unknown-email logins; the storm gets 401 or an immediate 503 with Retry-After', async () => {
    const secretary = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
    const storm = loginStorm(t.url, { count: 50 });
    await new Promise((r) => setTimeout(r, 50));
    const start = performance.now();
    const sessions = await secretary.get('/api/sessions');
    const ms = performance.now() - start;
    expect(sessions.status).toBe(200);
    const answers = await storm;
    const byStatus = answers.reduce<Record<number, number>>((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {});
    console.log(`GET /api/sessions during the 50-login storm: ${ms.toFixed(0)} ms; storm answers by status ${JSON.stringify(byStatus)}`);
    for (const a of answers) {
      expect([401, 503]).toContain(a.status);
      if (a.status === 503) {
        expect(a.code).toBe('server_busy');
        expect(a.retryAfter).toBeGreaterThan(0);
      }
    }
    // Bounded: only as many as the threads and their short queue were hashed; the rest refused at once.
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(9 * t.server.config.passwordHashThreads);
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
  });

  // A demo account per case, each guessed at in one spelling or another.
  it.each([
    ['whitespace and letter case', (i: number) => [' architect@ain-draham.tn', 'architect@ain-draham.tn\t', 'ARCHITECT@ain-draham.tn', ' Architect@Ain-Draham.TN '][i % 4]!, () => '203.0.113.10'],
    ['NFKC (fullwidth letters, ideographic space)', (i: number) => ['ｅｎｇｉｎｅｅｒ@ain-draham.tn', '\u3000engineer@ain-draham.tn', 'engineer＠ain-draham.tn'][i % 3]!, () => '203.0.113.11'],
    ['X-Forwarded-For (a new address each time)', () => 'steg@ain-draham.tn', (i: number) => `203.0.114.${i + 1}`],
  ])('counts %s as one account: 429 on the 11th attempt', async (_what, email, address) => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await attempt(email(i), `wrong-${i}`, address(i))).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    // Spelled plainly, with the right password, from yet another address: the same account, the same wait.
    const again = await attempt(email(0).trim().toLowerCase().normalize('NFKC').trim(), DEMO_PASSWORD, '203.0.115.1');
    expect(again.status).toBe(429);
    expect(again.body.error.details.limit).toBe('account');
  });

  it('does not lock the chair out: in at once from their usual address, and within a minute from a new one', async () => {
    const usual = '192.0.2.10';
    expect((await attempt('chair@ain-draham.tn', DEMO_PASSWORD, usual)).status).toBe(200);
    for (let i = 0; i < 14; i++) await attempt('chair@ain-draham.tn', `guess-${i}`, `198.51.100.${i + 1}`);
    const elsewhere = await attempt('chair@ain-draham.tn', DEMO_PASSWORD, '192.0.2.99');
    expect(elsewhere.status).toBe(429);
    expect(Number(elsewhere.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await attempt('chair@ain-draham.tn', DEMO_PASSWORD, usual)).status).toBe(200);
    // Their login forgets the guesses: from the new address too, now.
    expect((await attempt('chair@ain-draham.tn', DEMO_PASSWORD, '192.0.2.99')).status).toBe(200);
  });
});
