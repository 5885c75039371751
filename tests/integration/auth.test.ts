import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo/seed';
import { LoginSession } from '../../db/models';
import { ApiClient } from '../support/http';
import { testDialect } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer((c) => {
    c.loginMaxAttempts = 3;
    c.trustProxy = 1;
  });
});
afterAll(() => t.close());

describe('health', () => {
  it('reports the database and the live mediasoup workers', async () => {
    const res = await new ApiClient(t.url).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.database).toEqual({ ok: true, dialect: testDialect });
    expect(res.body.mediasoup.count).toBeGreaterThanOrEqual(1);
    expect(res.body.mediasoup.workers[0].pid).toBe(t.server.workers.entries[0]!.worker.pid);
  });
});

describe('login and logout', () => {
  it('logs in with a demo account, knows who is asking, logs out', async () => {
    const client = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const session = client.cookies.get('lajna_session');
    expect(session).toBeTruthy();
    const me = await client.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.email).toBe('amina@example.tn');
    expect(me.body.nameAr).toBe('أمينة الحمامي');
    expect(me.body.memberships).toEqual([{ municipalityId: 1, role: 'applicant' }]);

    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    // The token is gone from the database, not just from the browser.
    const replay = new ApiClient(t.url);
    replay.cookies.set('lajna_session', session!);
    expect((await replay.get('/api/auth/me')).body.error.code).toBe('unauthenticated');
  });

  it('sets the session cookie httpOnly and SameSite, and stores only a hash of the token', async () => {
    const res = await new ApiClient(t.url).post('/api/auth/login', { email: 'chair@ain-draham.tn', password: DEMO_PASSWORD });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('lajna_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const token = cookie.split(';')[0]!.split('=')[1]!;
    expect(await LoginSession.findByPk(token)).toBeNull();
  });

  it('refuses a wrong password with 401 invalid_credentials and opens no session', async () => {
    const before = await LoginSession.count();
    const res = await new ApiClient(t.url).post('/api/auth/login', { email: 'amina@example.tn', password: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
    expect(res.headers.getSetCookie().some((c) => c.startsWith('lajna_session='))).toBe(false);
    expect(await LoginSession.count()).toBe(before);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const res = await new ApiClient(t.url).post('/api/auth/login', { email: 'nobody@example.tn', password: 'x' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
  });

  it('refuses a login body of the wrong shape with 400 invalid_payload', async () => {
    const res = await new ApiClient(t.url).post('/api/auth/login', { email: 42 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_payload');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('limits failed logins: 429 too_many_attempts after the configured number', async () => {
    // From an address of its own (behind the one trusted proxy), so the other tests' logins are not held.
    const client = new ApiClient(t.url);
    const from = { 'x-forwarded-for': '198.51.100.7' };
    const attempt = (email: string, password: string) => client.request('POST', '/api/auth/login', { body: { email, password }, headers: from });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await attempt('youssef@example.tn', `guess-${i}`)).status);
    expect(codes).toEqual([401, 401, 401, 429]);
    const limited = await attempt('youssef@example.tn', DEMO_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_attempts');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The address is held too (it guessed), but for seconds, not for the 15-minute window.
    const other = await attempt('amina@example.tn', DEMO_PASSWORD);
    expect(other.status).toBe(429);
    expect(Number(other.headers.get('retry-after'))).toBeLessThanOrEqual(5);
  });
});

describe('bad requests', () => {
  it('answers an unknown API route with 404 JSON', async () => {
    const res = await new ApiClient(t.url).get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers a malformed JSON body with 400 malformed_json', async () => {
    const client = new ApiClient(t.url);
    await client.get('/api/health');
    const res = await client.request('POST', '/api/auth/login', {
      raw: '{"email": "amina@example.tn", ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  it('refuses a state-changing request without the CSRF token with 403 csrf_failed', async () => {
    const client = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const res = await client.post('/api/auth/logout', undefined, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
    // Nothing changed: still logged in.
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });

  it('refuses a CSRF token that does not match the cookie', async () => {
    const client = new ApiClient(t.url);
    await client.get('/api/health');
    const res = await client.request('POST', '/api/auth/login', {
      body: { email: 'amina@example.tn', password: DEMO_PASSWORD },
      csrf: false,
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf_failed');
  });

  it('refuses the wrong role with 403 forbidden', async () => {
    const applicant = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const res = await applicant.get('/api/municipalities/1/committee');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it('refuses a member of another municipality', async () => {
    const other = await ApiClient.loggedIn(t.url, 'member@tabarka.tn');
    expect((await other.get('/api/municipalities/1/committee')).status).toBe(403);
    expect((await other.get('/api/municipalities/2/committee')).status).toBe(200);
  });

  it('asks an anonymous caller to log in (401) and answers an unknown id with 404', async () => {
    expect((await new ApiClient(t.url).get('/api/municipalities/1/committee')).body.error.code).toBe('unauthenticated');
    const secretary = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
    expect((await secretary.get('/api/municipalities/999/committee')).status).toBe(404);
    expect((await secretary.get('/api/municipalities/abc/committee')).body.error.code).toBe('invalid_payload');
  });
});

describe('demo data', () => {
  it('seeds Ain Draham with a chair, a secretary, 5 voting members and 1 consultative member', async () => {
    const secretary = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
    const towns = await secretary.get('/api/municipalities');
    const adr = towns.body.find((m: { code: string }) => m.code === 'ADR');
    expect(adr).toMatchObject({ nameAr: 'بلدية عين دراهم', nameFr: 'Commune de Aïn Draham', governorateFr: 'Jendouba' });
    const committee = (await secretary.get(`/api/municipalities/${adr.id}/committee`)).body;
    const kinds = committee.seats.map((s: { kind: string }) => s.kind).sort();
    expect(kinds).toEqual(['chair', 'consultative', 'secretary', 'voting', 'voting', 'voting', 'voting', 'voting']);
  });
});

describe('security headers', () => {
  it('sends a CSP without inline scripts that allows our own worker scripts', async () => {
    const res = await new ApiClient(t.url).get('/api/health');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/worker-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
