import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http';
import { testDialect } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

// Behind one proxy: X-Forwarded-For names the client, as HAProxy or nginx in front would set it.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer((c) => {
    c.trustProxy = 1;
  });
});
afterAll(() => t.close());

const remote = { 'x-forwarded-for': '203.0.113.9' };

describe('/api/health', () => {
  it('gives a caller on the machine the worker pids and the database dialect', async () => {
    const res = await new ApiClient(t.url).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      database: { ok: true, dialect: testDialect },
      mediasoup: { count: 1, alive: 1, workers: [{ pid: t.server.workers.entries[0]!.worker.pid, alive: true }] },
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('gives anyone else only the verdict: no pids, no dialect, no error text', async () => {
    for (const who of [new ApiClient(t.url), await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn'), await ApiClient.loggedIn(t.url, 'chair@ain-draham.tn')]) {
      const res = await who.get('/api/health', remote);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', database: { ok: true }, mediasoup: { count: 1, alive: 1 } });
    }
  });

  it('gives an admin the details from anywhere', async () => {
    const admin = await ApiClient.loggedIn(t.url, 'admin@ain-draham.tn');
    const res = await admin.get('/api/health', remote);
    expect(res.body.mediasoup.workers[0].pid).toBe(t.server.workers.entries[0]!.worker.pid);
  });
});

describe('content security policy', () => {
  it('lets scripts connect to the app\'s own origin only (its websocket included), not to any ws: or wss: host', async () => {
    const csp = (await new ApiClient(t.url).get('/api/health')).headers.get('content-security-policy')!;
    const connect = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('connect-src'));
    expect(connect).toBe("connect-src 'self'");
  });

  it('sends HSTS and upgrade-insecure-requests behind a TLS-terminating proxy', async () => {
    const res = await new ApiClient(t.url).get('/api/health');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });
});
