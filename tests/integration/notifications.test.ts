import fs from 'node:fs';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgendaItem, CommitteeSeat, Dossier, OutboxMessage, User } from '../../db/models';
import { RightsFeed } from '../../server/services/RightsFeed';
import { SessionService } from '../../server/services/SessionService';
import { VoteService } from '../../server/services/votes';
import { ApiClient } from '../support/http';
import { Mailbox } from '../support/mailbox';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Every notification as it reaches a mail server: in Arabic and in French, each language in
 * its own direction in the HTML part, times in Tunis with the zone named, never UTC; a
 * session convened once, unless the secretary asks to send again.
 */
const REAL_PDF = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf';
const REQUIRED = ['signed_request', 'property_certificate', 'tax_receipts', 'topographic_survey', 'architect_plans'];
const ADDRESS = 'نهج الصنوبر 17، عين دراهم';
const ARABIC = /[\u0600-\u06FF]{3}/;
// 18:45 UTC on Monday 14 January 2030: 19:45 in Tunis.
const STARTS_AT = '2030-01-14T18:45:00.000Z';

let t: TestServer;
let smtp: Mailbox;
let amina: ApiClient, secretary: ApiClient;

beforeAll(async () => {
  smtp = await Mailbox.start();
  t = await startTestServer((c) => {
    c.smtp.host = '127.0.0.1';
    c.smtp.port = smtp.port;
    c.publicUrl = 'https://lajna.example.tn';
  });
  [amina, secretary] = await Promise.all(['amina@example.tn', 'secretary@ain-draham.tn'].map((e) => ApiClient.loggedIn(t.url, e)));
}, 60_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

function upload(dossierId: number, item: string) {
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(REAL_PDF)], { type: 'application/pdf' }), `${item}.pdf`);
  return amina.request('PUT', `/api/dossiers/${dossierId}/documents/${item}`, { raw: form });
}

async function submitted(): Promise<{ id: number; reference: string }> {
  const d = (await amina.post('/api/dossiers', {
    municipalityId: 1, typeCode: 'new_building', location: { address: ADDRESS, parcelRef: 'TF 12/جندوبة' }, coveredAreaM2: 150, levels: 1, nearProtectedSite: false,
  })).body;
  for (const item of REQUIRED) expect((await upload(d.id, item)).status).toBe(201);
  return (await amina.post(`/api/dossiers/${d.id}/submit`)).body;
}

/** Sends what waits (a pass of the worker's own may have started before it was queued), then the mails `to` received whose subject contains `about`. */
async function received(to: string, about: string): Promise<ParsedMail[]> {
  for (let i = 0; i < 10 && (await OutboxMessage.count({ where: { sentAt: null } })) > 0; i++) await t.server.outbox.runOnce();
  return (await smtp.parsed(to)).filter((m) => m.subject?.includes(about));
}

/** A mail as people read it: both languages, Arabic's part right to left, no UTC anywhere, and these words in the text and the HTML. */
function expectBilingual(mail: ParsedMail | undefined, says: string[]) {
  expect(mail).toBeDefined();
  const text = mail!.text!.replace(/[\u2068\u2069]/g, '');
  const html = String(mail!.html).replace(/<\/?bdi>/g, '');
  expect(ARABIC.test(mail!.subject!) && /[A-Za-z]{4}/.test(mail!.subject!)).toBe(true);
  expect(ARABIC.test(text) && /Votre|Vous |La |Arrêté|Message/.test(text)).toBe(true);
  expect(html).toContain('<div lang="ar" dir="rtl"');
  expect(html).toContain('<div lang="fr" dir="ltr"');
  for (const s of says) {
    expect(text).toContain(s);
    expect(html).toContain(s);
  }
  expect(`${mail!.subject}\n${text}\n${html}`).not.toMatch(/UTC|GMT|\d{4}-\d{2}-\d{2}T/);
}

describe('the applicant\'s notifications, at the mail server', () => {
  it('request for documents names each item in both languages; complete gives the day the clock runs to; a message from the office', async () => {
    const d = await submitted();
    const before = await OutboxMessage.count();
    const unknown = await secretary.post(`/api/dossiers/${d.id}/request-documents`, { message: 'Plans', items: ['no_such_item'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('invalid_payload');
    expect((await secretary.get(`/api/dossiers/${d.id}`)).body.status).toBe('submitted');
    expect(await OutboxMessage.count()).toBe(before);

    const asked = await secretary.post(`/api/dossiers/${d.id}/request-documents`, { message: 'Le levé est illisible (page 2).', items: ['topographic_survey'] });
    expect(asked.status).toBe(200);
    const [request] = await received('amina@example.tn', 'Pièces demandées');
    expectBilingual(request, [d.reference, 'Le levé est illisible (page 2).', 'Levé topographique', 'الأجل القانوني معلّق']);

    expect((await upload(d.id, 'topographic_survey')).status).toBe(201);
    expect((await amina.post(`/api/dossiers/${d.id}/submit`)).status).toBe(200);
    const complete = await secretary.post(`/api/dossiers/${d.id}/complete`);
    const due = complete.body.deadline.dueOn as string;
    const [done] = await received('amina@example.tn', 'Dossier complet');
    expectBilingual(done, [d.reference, `${due.slice(8, 10)}/${due.slice(5, 7)}/${due.slice(0, 4)}`, '45 jours', '45 يومًا']);

    expect((await secretary.post(`/api/dossiers/${d.id}/messages`, { body: 'Merci (plan reçu).' })).status).toBe(201);
    const [message] = await received('amina@example.tn', 'Message du secrétariat');
    expectBilingual(message, ['Merci (plan reçu).', 'رسالة من كتابة اللجنة']);
  });
});

describe('the convocation', () => {
  let sessionId: number;
  let dossierId: number;
  let seats: number;
  let committeeId: number;

  it('reaches every member in Arabic and French at the Tunis time with the zone named; the .ics keeps the UTC instant', async () => {
    const d = await submitted();
    dossierId = d.id;
    expect((await secretary.post(`/api/dossiers/${d.id}/complete`)).status).toBe(200);
    const session = await secretary.post('/api/sessions', { municipalityId: 1, startsAt: STARTS_AT, mode: 'remote', location: 'Salle du conseil' });
    sessionId = session.body.id;
    expect(session.body.convocation).toBeNull();
    expect((await secretary.put(`/api/sessions/${sessionId}/agenda`, { dossierIds: [d.id] })).status).toBe(200);
    committeeId = session.body.committee.id;
    seats = await CommitteeSeat.count({ where: { committeeId } });

    const convened = await secretary.post(`/api/sessions/${sessionId}/convene`);
    expect(convened.status).toBe(202);
    expect(convened.body).toMatchObject({ queued: seats, convocation: { recipients: seats, delivered: 0, rounds: 1 } });
    const [mail] = await received('architect@ain-draham.tn', 'Convocation');
    expectBilingual(mail, ['14/01/2030', '19:45 (heure de Tunis)', '19:45 (بتوقيت تونس)', 'lundi', 'الاثنين', d.reference, ADDRESS, 'à distance', 'عن بعد',
      `https://lajna.example.tn/meeting/${sessionId}`]);
    const ics = mail!.attachments.find((a) => a.contentType === 'text/calendar')!.content.toString('utf8');
    expect(ics).toContain('DTSTART:20300114T184500Z');
    expect(ics).toContain(`UID:session-${sessionId}@lajna`);
    const view = (await secretary.get(`/api/sessions/${sessionId}`)).body;
    expect(view.convocation).toMatchObject({ recipients: seats, delivered: seats, rounds: 1, lastAt: convened.body.convocation.lastAt });
  });

  it('convening again by accident sends nothing and says what was sent and when; "send again" sends once more', async () => {
    const before = await OutboxMessage.count({ where: { kind: 'convocation' } });
    const twice = await Promise.all([secretary.post(`/api/sessions/${sessionId}/convene`), secretary.post(`/api/sessions/${sessionId}/convene`, { again: false })]);
    for (const res of twice) {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'already_convened', details: { convocation: { recipients: seats, rounds: 1 } } });
    }
    for (const bad of [{ again: 'yes' }, { again: true, extra: 1 }, [true]]) {
      expect((await secretary.post(`/api/sessions/${sessionId}/convene`, bad)).body.error.code).toBe('invalid_payload');
    }
    expect(await OutboxMessage.count({ where: { kind: 'convocation' } })).toBe(before);

    const again = await secretary.post(`/api/sessions/${sessionId}/convene`, { again: true });
    expect(again.status).toBe(202);
    expect(again.body.convocation).toMatchObject({ recipients: seats, rounds: 2 });
    expect(await received('architect@ain-draham.tn', 'Convocation')).toHaveLength(2);
  });

  it('two clicks at once on a session never convened send one convocation each', async () => {
    const session = await secretary.post('/api/sessions', { municipalityId: 1, startsAt: '2030-01-21T08:00:00.000Z', mode: 'hybrid' });
    const other = await submitted();
    expect((await secretary.post(`/api/dossiers/${other.id}/complete`)).status).toBe(200);
    expect((await secretary.put(`/api/sessions/${session.body.id}/agenda`, { dossierIds: [other.id] })).status).toBe(200);
    const clicks = await Promise.all([1, 2].map(() => secretary.post(`/api/sessions/${session.body.id}/convene`)));
    expect(clicks.map((r) => r.status).sort()).toEqual([202, 409]);
    expect(await OutboxMessage.count({ where: { about: `session:${session.body.id}` } })).toBe(seats);
  });

  it('the opinion and the decision reach the applicant in both languages, the opinion at its Tunis time', async () => {
    const chair = (await User.findOne({ where: { email: 'chair@ain-draham.tn' } }))!;
    const present = (await CommitteeSeat.findAll({ where: { committeeId } })).map((s) => s.userId);
    await new SessionService(t.server.sequelize, new RightsFeed()).open(sessionId, chair.id);
    const item = (await AgendaItem.findOne({ where: { sessionId, dossierId } }))!;
    const votes = new VoteService(t.server.sequelize);
    const vote = await votes.open(item.id, chair.id, 'Avis sur le dossier ?', 'Façade en pierre locale.', present);
    const voters = await CommitteeSeat.findAll({ where: { committeeId, kind: ['chair', 'voting'] } });
    for (const s of voters) await votes.cast(vote.id, s.userId, 'favourable_with_conditions', present);
    const { vote: closed } = await votes.close(vote.id, chair.id, present, 'Conforme au plan d\'aménagement.');
    const reference = (await Dossier.findByPk(dossierId))!.reference!;

    const [opinion] = await received('amina@example.tn', `[${reference}] Avis de la commission`);
    const tunis = new Date(closed.closedAt!.getTime() + 3_600_000).toISOString();
    expectBilingual(opinion, ['Avis favorable sous conditions', 'رأي بالموافقة بشروط', 'Façade en pierre locale.', 'Conforme au plan d\'aménagement.',
      `${tunis.slice(11, 16)} (heure de Tunis)`, `${tunis.slice(8, 10)}/${tunis.slice(5, 7)}/${tunis.slice(0, 4)}`]);

    const decided = await secretary.post(`/api/dossiers/${dossierId}/decision`, { outcome: 'granted', arreteNumber: 'ADR/2030/7', signedOn: '2030-03-01', notes: '' });
    expect(decided.status).toBe(201);
    const [decision] = await received('amina@example.tn', `[${reference}] Permis de bâtir accordé`);
    expectBilingual(decision, ['ADR/2030/7', '01/03/2030', 'تم منح رخصة البناء']);
  });
});
