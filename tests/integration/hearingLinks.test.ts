import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgendaItem, CommitteeSession, HearingInvitation, OutboxMessage } from '../../db/models';
import { sessionWithDossiers, sessionWithOneDossier, type ExaminedDossier } from '../support/agenda';
import { guestClient, invite } from '../support/hearings';
import { ApiClient } from '../support/http';
import { httpRoutes } from '../support/httpRoutes';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let sessionId: number;
let dossiers: ExaminedDossier[];
let items: number[];
let secretary: ApiClient;
let chair: ApiClient;
const body = (over: Record<string, unknown> = {}) => ({ sessionId, agendaItemId: items[0]!, dossierId: dossiers[0]!.dossierId, name: 'Amina Ben Salah', email: 'amina@example.tn', ...over });

beforeAll(async () => {
  t = await startTestServer();
  ({ sessionId, dossiers, items } = await sessionWithDossiers(t.url, 2));
  [secretary, chair] = await Promise.all([ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn'), ApiClient.loggedIn(t.url, 'chair@ain-draham.tn')]);
}, 180_000);
afterAll(() => t?.close());

describe('inviting a guest to one agenda item', () => {
  it('the secretary invites: the email carries a one-time link, Arabic then French, in Tunis time', async () => {
    const res = await secretary.post('/api/hearings', body({ name: '  Bureau  Kacem\u202E ', email: ' Archi@Example.TN ' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sessionId, agendaItemId: items[0], position: 1, dossierId: dossiers[0]!.dossierId, reference: dossiers[0]!.reference, name: 'Bureau  Kacem', email: 'archi@example.tn', usedAt: null, revokedAt: null });
    const session = (await CommitteeSession.findByPk(sessionId))!;
    expect(Date.parse(res.body.expiresAt) - session.startsAt.getTime()).toBe(12 * 3_600_000);
    const mail = (await OutboxMessage.findOne({ where: { about: `hearing:${res.body.id}` } }))!;
    expect(mail.toAddress).toBe('archi@example.tn');
    expect(mail.subject).toContain(dossiers[0]!.reference);
    expect(mail.text.indexOf('الاستماع')).toBeGreaterThanOrEqual(0);
    expect(mail.text.indexOf('الاستماع')).toBeLessThan(mail.text.indexOf('vous invite'));
    expect(mail.text).toMatch(/heure de Tunis|توقيت تونس/);
    expect(mail.text).toMatch(/\/hearing#[A-Za-z0-9_-]{43}/);
    // Only its hash is kept.
    const token = /hearing#([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    const row = (await HearingInvitation.findByPk(res.body.id))!;
    expect(row.linkHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row.toJSON())).not.toContain(token);
  });

  it('the chair invites too; a voting member, the applicant and another municipality may not', async () => {
    expect((await chair.post('/api/hearings', body())).status).toBe(201);
    const before = await HearingInvitation.count();
    const member = await ApiClient.loggedIn(t.url, 'architect@ain-draham.tn');
    expect((await member.post('/api/hearings', body())).body.error.code).toBe('forbidden');
    const applicant = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    expect((await applicant.post('/api/hearings', body())).status).toBe(404);
    const tabarka = await ApiClient.loggedIn(t.url, 'secretary@tabarka.tn');
    expect((await tabarka.post('/api/hearings', body())).status).toBe(404);
    expect((await new ApiClient(t.url).post('/api/hearings', body())).status).toBe(401);
    expect(await HearingInvitation.count()).toBe(before);
  });

  it.each([
    ['an item of another session', async () => ({ agendaItemId: (await AgendaItem.findOne({ where: { position: 1 }, order: [['id', 'ASC']] }))!.id }), 422, 'item_not_in_session'],
    ['an unknown item', async () => ({ agendaItemId: 999_999 }), 422, 'item_not_in_session'],
    ["a dossier that is not the item's", async () => ({ dossierId: dossiers[1]!.dossierId }), 422, 'dossier_not_item'],
    ['no email', async () => ({ email: 'not an email' }), 400, 'invalid_payload'],
    ['an empty name', async () => ({ name: ' ' }), 400, 'invalid_payload'],
    ['an unknown field', async () => ({ role: 'chair' }), 400, 'invalid_payload'],
  ])('refuses %s (%i %s) and writes nothing', async (_case, over, status, code) => {
    const before = [await HearingInvitation.count(), await OutboxMessage.count()];
    const res = await secretary.post('/api/hearings', body(await over()));
    expect([res.status, res.body.error?.code]).toEqual([status, code]);
    expect([await HearingInvitation.count(), await OutboxMessage.count()]).toEqual(before);
  });
});

describe('the link', () => {
  it('is followed once: a guest login; a second use is refused, the guest login stays', async () => {
    const { token, invitation } = await invite(secretary, body());
    const guest = new ApiClient(t.url);
    const first = await guest.post('/api/hearings/redeem', { token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ invitationId: invitation.id, sessionId, agendaItemId: items[0], position: 1, reference: dossiers[0]!.reference });
    expect(guest.cookies.get('lajna_hearing')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const again = await new ApiClient(t.url).post('/api/hearings/redeem', { token });
    expect([again.status, again.body.error.code]).toEqual([409, 'hearing_link_used']);
    expect((await guest.get('/api/hearings/guest')).body.invitationId).toBe(invitation.id);
  });

  it.each([
    ['unknown', 'A'.repeat(43), 404, 'hearing_link_unknown'],
    ['malformed', 'short', 400, 'invalid_payload'],
  ])('an %s token is refused (%i %s)', async (_case, token, status, code) => {
    const res = await new ApiClient(t.url).post('/api/hearings/redeem', { token });
    expect([res.status, res.body.error.code]).toEqual([status, code]);
  });

  it('revoked: the link is refused and the guest login made with it stops working', async () => {
    const a = await invite(secretary, body());
    const guest = await guestClient(t.url, a.token);
    const b = await invite(secretary, body());
    expect((await secretary.post(`/api/hearings/${a.invitation.id}/revoke`)).body.revokedAt).toEqual(expect.any(String));
    expect((await secretary.post(`/api/hearings/${b.invitation.id}/revoke`)).status).toBe(200);
    expect((await guest.get('/api/hearings/guest')).status).toBe(401);
    const res = await new ApiClient(t.url).post('/api/hearings/redeem', { token: b.token });
    expect([res.status, res.body.error.code]).toEqual([410, 'hearing_link_revoked']);
    const member = await ApiClient.loggedIn(t.url, 'engineer@ain-draham.tn');
    expect((await member.post(`/api/hearings/${b.invitation.id}/revoke`)).body.error.code).toBe('forbidden');
  });

  it('past its expiry, or once its session is closed, the link is refused', async () => {
    const a = await invite(secretary, body());
    await HearingInvitation.update({ expiresAt: new Date(Date.now() - 1000) }, { where: { id: a.invitation.id } });
    const res = await new ApiClient(t.url).post('/api/hearings/redeem', { token: a.token });
    expect([res.status, res.body.error.code]).toEqual([410, 'hearing_link_expired']);

    const { sessionId: other, dossier: d, itemId } = await sessionWithOneDossier(t.url);
    const b = await invite(secretary, { ...body(), sessionId: other, agendaItemId: itemId, dossierId: d.dossierId });
    const guest = await guestClient(t.url, (await invite(secretary, { ...body(), sessionId: other, agendaItemId: itemId, dossierId: d.dossierId })).token);
    await CommitteeSession.update({ status: 'closed', closedAt: new Date() }, { where: { id: other } });
    const closed = await new ApiClient(t.url).post('/api/hearings/redeem', { token: b.token });
    expect([closed.status, closed.body.error.code]).toEqual([410, 'hearing_link_expired']);
    expect((await guest.get('/api/hearings/guest')).status).toBe(401);
    expect((await secretary.post('/api/hearings', { ...body(), sessionId: other, agendaItemId: itemId, dossierId: d.dossierId })).body.error.code).toBe('invalid_transition');
  }, 60_000);
});

describe("the guest's login", () => {
  it("reads its own dossier's documents and nothing else", async () => {
    const guest = await guestClient(t.url, (await invite(secretary, body())).token);
    const own = dossiers[0]!.documents[0]!;
    const pdf = await guest.request('GET', `/api/hearings/guest/documents/${own.versionId}/content`, { headers: { range: 'bytes=0-3' } });
    expect([pdf.status, String(pdf.body)]).toEqual([206, '%PDF']);
    const other = dossiers[1]!.documents[0]!;
    expect((await guest.get(`/api/hearings/guest/documents/${other.versionId}/content`)).status).toBe(404);
    expect((await guest.get('/api/hearings/guest/documents/999999/content')).status).toBe(404);
  });

  it('is refused by every other route of the API (401, 403 or 404)', async () => {
    const guest = await guestClient(t.url, (await invite(secretary, body())).token);
    const ids: Record<string, string> = {
      id: String(dossiers[0]!.dossierId), dossierId: String(dossiers[0]!.dossierId), versionId: String(dossiers[0]!.documents[0]!.versionId), sessionId: String(sessionId),
      itemCode: 'architect_plans', documentId: '1', photoId: '1', municipalityId: '1', userId: '1', code: 'ADR',
    };
    const open = new Set(['GET /api/health', 'GET /api/municipalities', 'GET /api/public/sessions', 'GET /api/public/opinions', 'GET /api/signing/ca/:code', 'POST /api/auth/logout', 'POST /api/minutes/verify', 'GET /api/minutes/verify', 'GET /api/verify', 'POST /api/verify', 'POST /api/auth/login', 'POST /api/register']);
    const ownRoutes = new Set(['GET /api/hearings/guest', 'GET /api/hearings/guest/documents/:versionId/content', 'POST /api/hearings/redeem']);
    // Registration is for anyone (it makes an account, not a guest's).
    const routes = httpRoutes(t.server.app).filter((r) => !r.path.startsWith('/api/register') && !open.has(`${r.method} ${r.path}`) && !ownRoutes.has(`${r.method} ${r.path}`));
    expect(routes.length).toBeGreaterThan(40);
    for (const r of routes) {
      const url = r.path.replace(/:(\w+)/g, (_m, name: string) => ids[name] ?? '1') + (r.path === '/api/hearings' && r.method === 'GET' ? `?sessionId=${sessionId}` : '');
      const res = await guest.request(r.method, url, r.method === 'GET' ? {} : { body: {} });
      expect([401, 403, 404], `${r.method} ${url} → ${res.status}`).toContain(res.status);
    }
  }, 60_000);

  it("the office lists the session's invitations; a member may not", async () => {
    const list = await secretary.get(`/api/hearings?sessionId=${sessionId}`);
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(3);
    expect(list.body[0]).toMatchObject({ sessionId, name: 'Bureau  Kacem' });
    const member = await ApiClient.loggedIn(t.url, 'engineer@ain-draham.tn');
    expect((await member.get(`/api/hearings?sessionId=${sessionId}`)).status).toBe(403);
  });
});
