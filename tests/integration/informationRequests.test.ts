import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InformationRequest, OutboxMessage } from '../../db/models';
import { municipalDay } from '../../protocol/municipalTime';
import { addDays } from '../../server/domain/informationDelays';
import { verifyAuditLog } from '../../server/services/audit';
import { ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

// A real PDF nobody on the team wrote (Debian documentation).
const REAL_PDF = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf';
const DAY = 86_400_000;

let t: TestServer;
let amina: ApiClient, youssef: ApiClient, officer: ApiClient, secretary: ApiClient, secretaryTbk: ApiClient, admin: ApiClient;

const file = (client: ApiClient, id: number, bytes: Buffer, name = 'reponse.pdf') => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
  return client.request('POST', `/api/information-requests/${id}/documents`, { raw: form });
};
const ask = (client: ApiClient, extra: object = {}) => client.post('/api/information-requests', {
  municipalityId: 1, subject: 'Budget 2026 de la commune', description: 'Je demande le budget voté pour 2026 et ses annexes.', accessForm: 'electronic_copy', ...extra,
});
/** Moves a request's receipt into the past, as if filed `days` ago (the law's delays are weeks long). */
const backdate = (id: number, days: number) => InformationRequest.update({ receivedAt: new Date(Date.now() - days * DAY) }, { where: { id } });

beforeAll(async () => {
  t = await startTestServer();
  [amina, youssef, officer, secretary, secretaryTbk, admin] = await Promise.all(
    ['amina@example.tn', 'youssef@example.tn', 'information@ain-draham.tn', 'secretary@ain-draham.tn', 'secretary@tabarka.tn', 'admin@ain-draham.tn']
      .map((e) => ApiClient.loggedIn(t.url, e)),
  );
}, 120_000);
afterAll(() => t?.close());

describe('an access-to-information request, answered with a PDF within the delay', () => {
  let id: number;
  it('is received with its reference and its due date 20 calendar days on; the requester gets an acknowledgement', async () => {
    const res = await ask(amina);
    expect(res.status).toBe(201);
    id = res.body.id;
    expect(res.body.reference).toMatch(/^ADR-AI-\d{4}-0001$/);
    expect(res.body).toMatchObject({ status: 'received', viewer: 'requester', requester: { name: 'Amina Hammami', contact: 'amina@example.tn' } });
    expect(res.body.clock).toMatchObject({ delay: { unit: 'days', amount: 20 }, daysRemaining: 20, dueOn: addDays(municipalDay(new Date()), 20), impliedRefusal: false });
    expect(res.body.timeline.map((e: any) => e.action)).toEqual(['receive']);
    const mail = await OutboxMessage.findOne({ where: { toAddress: 'amina@example.tn', kind: 'information_request' } });
    expect(mail?.text).toContain('loi 2016-22');
  });

  it('is in the officer\'s queue; nobody else of the office, no other requester and no other municipality can see it (404)', async () => {
    const queue = (await officer.get('/api/information-requests')).body;
    expect(queue.map((r: any) => r.id)).toContain(id);
    expect((await amina.get('/api/information-requests')).body.map((r: any) => r.id)).toEqual([id]);
    expect((await youssef.get('/api/information-requests')).body).toEqual([]);
    for (const other of [youssef, secretary, secretaryTbk]) expect((await other.get(`/api/information-requests/${id}`)).status).toBe(404);
    expect((await youssef.post(`/api/information-requests/${id}/messages`, { body: 'hello' })).status).toBe(404);
  });

  it('cannot be answered without its documents; a file that is not a PDF is refused', async () => {
    expect((await officer.post(`/api/information-requests/${id}/answer`, {})).body.error.code).toBe('conflict');
    const bad = await file(officer, id, Buffer.from('not a pdf at all'));
    expect(bad.status).toBe(415);
    expect(bad.body.error.code).toBe('unsupported_media_type');
    expect((await file(amina, id, fs.readFileSync(REAL_PDF))).status).toBe(403);
  });

  it('is answered with a PDF the requester downloads, byte for byte; answered in time', async () => {
    const up = await file(officer, id, fs.readFileSync(REAL_PDF));
    expect(up.status).toBe(201);
    expect((await amina.post(`/api/information-requests/${id}/answer`, {})).status).toBe(403);
    const res = await officer.post(`/api/information-requests/${id}/answer`, { note: 'Le budget est joint.' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'answered', answerNote: 'Le budget est joint.', clock: { answeredInTime: true, impliedRefusal: false, appealFileBy: null } });
    const pdf = await amina.get(`/api/information-requests/${id}/documents/${up.body.id}`);
    expect(pdf.status).toBe(200);
    expect(crypto.createHash('sha256').update(pdf.body).digest('hex')).toBe(crypto.createHash('sha256').update(fs.readFileSync(REAL_PDF)).digest('hex'));
    expect((await youssef.get(`/api/information-requests/${id}/documents/${up.body.id}`)).status).toBe(404);
    // Once answered, no second answer, no appeal.
    expect((await officer.post(`/api/information-requests/${id}/answer`, {})).body.error.code).toBe('invalid_transition');
    expect((await amina.post(`/api/information-requests/${id}/appeal`, { grounds: 'x' })).body.error.code).toBe('invalid_transition');
  });

  it('keeps a thread of messages; the officer\'s reaches the requester by email', async () => {
    expect((await officer.post(`/api/information-requests/${id}/messages`, { body: 'Les annexes suivent par courrier.' })).status).toBe(201);
    const view = (await amina.get(`/api/information-requests/${id}`)).body;
    expect(view.messages.map((m: any) => m.body)).toEqual(['Les annexes suivent par courrier.']);
    // Written as every notice is: Arabic then French, an HTML part, the message set apart as the officer wrote it.
    const mail = (await OutboxMessage.findAll({ where: { toAddress: 'amina@example.tn', kind: 'information_request' }, order: [['id', 'ASC']] })).pop()!;
    expect(mail.subject).toMatch(/^\[ADR-AI-\d{4}-0001\] Message de la commune — رسالة من البلدية$/);
    expect(mail.text.indexOf('رسالة من البلدية')).toBeLessThan(mail.text.indexOf('Message de la commune'));
    expect(mail.text.split('Les annexes suivent par courrier.')).toHaveLength(3);
    expect(mail.html).toContain('<div lang="ar" dir="rtl"');
  });
});

describe('silence, refusal, extension and appeal', () => {
  it('left unanswered past its 20 days, a request shows as an implied refusal, with the appeal open; the head decides it', async () => {
    const { id } = (await ask(amina, { subject: 'Marchés publics 2025' })).body;
    await backdate(id, 25);
    const view = (await amina.get(`/api/information-requests/${id}`)).body;
    expect(view.clock).toMatchObject({ impliedRefusal: true, overdue: true, appealOpen: true, daysRemaining: null });
    expect(Date.parse(view.clock.inaiAppealBy)).toBeGreaterThan(Date.now());
    expect((await officer.post(`/api/information-requests/${id}/extend`, { reason: 'tiers' })).body.error.code).toBe('invalid_transition');
    const appealed = await amina.post(`/api/information-requests/${id}/appeal`, { grounds: 'Aucune réponse dans le délai légal.' });
    expect(appealed.body).toMatchObject({ status: 'appealed', appeal: { grounds: 'Aucune réponse dans le délai légal.', outcome: null } });
    expect(appealed.body.clock.inaiAppealBy).toBeNull();
    // The head of the body (an admin) decides, not the officer.
    expect((await officer.post(`/api/information-requests/${id}/appeal/decision`, { outcome: 'upheld', reasons: 'x' })).status).toBe(403);
    const decided = await admin.post(`/api/information-requests/${id}/appeal/decision`, { outcome: 'overturned', reasons: 'La commune doit répondre.' });
    expect(decided.body).toMatchObject({ status: 'appeal_decided', appeal: { outcome: 'overturned' } });
    // Overturned: the officer answers after all (on site: no documents needed to give access).
  });

  it('an appeal before the delay is over is refused: there is no refusal yet', async () => {
    const { id } = (await ask(amina)).body;
    expect((await amina.post(`/api/information-requests/${id}/appeal`, { grounds: 'trop long' })).body.error.code).toBe('invalid_transition');
  });

  it('a refusal names one of the legal exceptions; an unknown one is refused and changes nothing', async () => {
    const { id } = (await ask(youssef, { subject: 'Dossier médical du voisin', accessForm: 'paper_copy' })).body;
    const bad = await officer.post(`/api/information-requests/${id}/refuse`, { ground: 'not_a_ground', reasons: 'non' });
    expect(bad.status).toBe(400);
    expect((await InformationRequest.findByPk(id))!.status).toBe('received');
    const grounds = (await officer.get('/api/information-requests/refusal-grounds?municipalityId=1')).body.map((g: any) => g.code);
    expect(grounds).toContain('privacy');
    const res = await officer.post(`/api/information-requests/${id}/refuse`, { ground: 'privacy', reasons: 'Données de santé d\u2019un tiers (art. 24).' });
    expect(res.body).toMatchObject({ status: 'refused', refusal: { ground: { code: 'privacy' } }, clock: { appealOpen: true } });
  });

  it('is extended once by 10 days, before the delay runs out', async () => {
    const { id } = (await ask(youssef, { subject: 'Plans du marché', accessForm: 'extracts' })).body;
    const res = await officer.post(`/api/information-requests/${id}/extend`, { reason: 'Plusieurs documents à réunir.' });
    expect(res.body).toMatchObject({ status: 'extended', extensionReason: 'Plusieurs documents à réunir.', clock: { daysRemaining: 30 } });
    expect((await officer.post(`/api/information-requests/${id}/extend`, { reason: 'encore' })).body.error.code).toBe('invalid_transition');
  });

  it('48 hours when life or liberty is at stake, never extended', async () => {
    const res = await ask(youssef, { subject: 'Rapport sur le bâtiment menaçant ruine', lifeOrLiberty: true });
    expect(res.body.clock).toMatchObject({ delay: { unit: 'hours', amount: 48 }, hoursRemaining: 48 });
    expect((await officer.post(`/api/information-requests/${res.body.id}/extend`, { reason: 'x' })).body.error.code).toBe('invalid_transition');
  });

  it('the information not held: redirected to the body that holds it', async () => {
    const { id } = (await ask(youssef, { subject: 'Qualité de l\u2019eau potable' })).body;
    const res = await officer.post(`/api/information-requests/${id}/redirect`, { referredTo: 'SONEDE, district de Jendouba' });
    expect(res.body).toMatchObject({ status: 'redirected', referredTo: 'SONEDE, district de Jendouba' });
  });
});

describe('who may file, and bad input', () => {
  it('the officer enters a request made at the desk; a requester cannot pose as the desk', async () => {
    const desk = await ask(officer, { desk: { name: 'Association Kroumirie Environnement', contact: '+216 78 000 000' } });
    expect(desk.status).toBe(201);
    expect(desk.body).toMatchObject({ viewer: 'officer', requester: { name: 'Association Kroumirie Environnement' } });
    expect((await ask(amina, { desk: { name: 'X', contact: 'Y' } })).status).toBe(403);
  });

  it('a request to another municipality than one\'s own is refused', async () => {
    expect((await ask(amina, { municipalityId: 2 })).status).toBe(403);
    expect((await ask(secretaryTbk, { desk: { name: 'X', contact: 'Y' } })).status).toBe(403);
  });

  it.each([
    ['no subject', { subject: '' }],
    ['an unknown form of access', { accessForm: 'telepathy' }],
    ['a subject too long', { subject: 'x'.repeat(301) }],
    ['an unknown field', { requesterId: 3 }],
  ])('%s → 400 invalid_payload, nothing written', async (_name, extra) => {
    const before = await InformationRequest.count();
    const res = await ask(amina, extra);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_payload');
    expect(await InformationRequest.count()).toBe(before);
  });
});

describe('the public register and the annual figures', () => {
  it('list what was asked and answered without the requesters\' names or contacts', async () => {
    const register = await new ApiClient(t.url).get('/api/register/information-requests?municipalityId=1');
    expect(register.status).toBe(200);
    expect(register.body.length).toBeGreaterThanOrEqual(7);
    const text = JSON.stringify(register.body);
    for (const personal of ['Amina', 'amina@', 'Youssef', 'youssef@', 'Kroumirie', '+216', 'requester']) expect(text).not.toContain(personal);
    expect(register.body.find((r: any) => r.subject === 'Marchés publics 2025')).toMatchObject({ status: 'appeal_decided' });
    const year = new Date().getFullYear();
    const stats = (await new ApiClient(t.url).get(`/api/register/information-requests/statistics?municipalityId=1&year=${year}`)).body;
    expect(stats).toMatchObject({ year, answeredInTime: 1, refusedByGround: { privacy: 1 }, redirected: 1, appealed: 1, impliedRefusals: 1 });
    expect(stats.received).toBeGreaterThanOrEqual(7);
    expect((await new ApiClient(t.url).get('/api/register/information-requests?municipalityId=0x1')).status).toBe(400);
  });

  it('every step is in the audit chain, which verifies', async () => {
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
  });
});
