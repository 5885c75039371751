import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxMessage, User } from '../../db/models';
import { smsSize } from '../../server/domain/sms';
import { ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

/**
 * SMS through the outbox to a local HTTP server standing in for the gateway: the number is
 * the person's own, Tunisian, stored as E.164; the Arabic text arrives in at most two UCS-2
 * parts; a gateway answering 500 is retried and nothing is lost; opting out sends nothing;
 * past the municipality's monthly quota an SMS is recorded dropped and never sent, the email goes.
 */
const REAL_PDF = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf';
const REQUIRED = ['signed_request', 'property_certificate', 'tax_receipts', 'topographic_survey', 'architect_plans'];
const TOKEN = 'sms-gateway-token-0123';

interface Received { auth: string | undefined; body: { to: string; text: string; from?: string } }

let t: TestServer;
let gateway: http.Server;
const received: Received[] = [];
/** How many of the next requests the gateway answers with 500. */
let failNext = 0;
let amina: ApiClient, secretary: ApiClient;

beforeAll(async () => {
  gateway = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end('down');
        return;
      }
      received.push({ auth: req.headers.authorization, body: JSON.parse(raw) as Received['body'] });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"1"}');
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;
  t = await startTestServer((c) => {
    c.sms = { url, token: TOKEN, senderId: 'LAJNA' };
  });
  [amina, secretary] = await Promise.all(['amina@example.tn', 'secretary@ain-draham.tn'].map((e) => ApiClient.loggedIn(t.url, e)));
}, 60_000);

afterAll(async () => {
  await t?.close();
  await new Promise((r) => gateway?.close(r));
});

async function submitted(): Promise<{ id: number; reference: string }> {
  const d = (await amina.post('/api/dossiers', {
    municipalityId: 1, typeCode: 'new_building', location: { address: 'نهج الصنوبر 17، عين دراهم', parcelRef: 'TF 12' }, coveredAreaM2: 150, levels: 1, nearProtectedSite: false,
  })).body;
  for (const item of REQUIRED) {
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(REAL_PDF)], { type: 'application/pdf' }), `${item}.pdf`);
    expect((await amina.request('PUT', `/api/dossiers/${d.id}/documents/${item}`, { raw: form })).status).toBe(201);
  }
  return (await amina.post(`/api/dossiers/${d.id}/submit`)).body;
}

const unsentSms = () => OutboxMessage.count({ where: { channel: 'sms', sentAt: null, droppedAt: null } });

/** Runs SMS passes as if `ahead` ms had passed (past any retry delay) until nothing waits. */
async function drain(ahead = 0): Promise<void> {
  for (let i = 0; i < 10 && (await unsentSms()) > 0; i++) await t.server.smsOutbox.runOnce(new Date(Date.now() + ahead));
}

describe('a person\'s mobile number', () => {
  it.each([
    [{ number: '+33 6 12 34 56 78', optIn: true }, 'not_tunisian'],
    [{ number: '+216 22 123 45', optIn: true }, 'wrong_length'],
    [{ number: '22-ABC-456', optIn: false }, 'not_digits'],
    [{ number: null, optIn: true }, 'missing'],
  ])('%j → 400 invalid_phone (%s), nothing stored', async (body, reason) => {
    const res = await amina.put('/api/me/sms', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_phone', details: { reason } });
    const user = await User.findOne({ where: { email: 'amina@example.tn' } });
    expect([user!.smsNumber, user!.smsOptIn]).toEqual([null, false]);
  });

  it('a malformed body is 400 invalid_payload', async () => {
    expect((await amina.put('/api/me/sms', { number: '22123456' })).body.error.code).toBe('invalid_payload');
    expect((await amina.put('/api/me/sms', { number: 22123456, optIn: true })).body.error.code).toBe('invalid_payload');
  });

  it('is stored as E.164 and shown in the person\'s own data', async () => {
    const res = await amina.put('/api/me/sms', { number: '00216 22 123 456', optIn: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ smsNumber: '+21622123456', smsOptIn: true });
    expect((await amina.get('/api/me/data')).body.account).toMatchObject({ smsNumber: '+21622123456', smsOptIn: true });
    expect((await amina.get('/api/me/sms')).body).toEqual({ smsNumber: '+21622123456', smsOptIn: true });
  });
});

describe('SMS at the gateway', () => {
  it('a request for documents reaches the gateway in Arabic, in at most two UCS-2 parts, with the token', async () => {
    const d = await submitted();
    received.length = 0;
    expect((await secretary.post(`/api/dossiers/${d.id}/request-documents`, { message: 'Le levé est illisible.', items: ['topographic_survey'] })).status).toBe(200);
    expect(await unsentSms()).toBe(1);
    await drain();
    expect(received).toHaveLength(1);
    const [sms] = received;
    expect(sms!.auth).toBe(`Bearer ${TOKEN}`);
    expect(sms!.body.to).toBe('+21622123456');
    expect(sms!.body.from).toBe('LAJNA');
    expect(sms!.body.text).toMatch(/^لجنة: ملفكم .*وثائق مطلوبة/);
    expect(sms!.body.text).toContain(d.reference);
    expect(smsSize(sms!.body.text)).toMatchObject({ encoding: 'ucs2' });
    expect(smsSize(sms!.body.text).parts).toBeLessThanOrEqual(2);
  });

  it('a gateway that answers 500 is retried and the message is not lost', async () => {
    const d = await submitted();
    received.length = 0;
    failNext = 2;
    expect((await secretary.post(`/api/dossiers/${d.id}/complete`)).status).toBe(200);
    await t.server.smsOutbox.runOnce();
    const failed = await OutboxMessage.findOne({ where: { channel: 'sms', sentAt: null } });
    expect(failed!.attempts).toBeGreaterThanOrEqual(1);
    expect(failed!.lastError).toContain('500');
    await drain(60 * 60_000);
    expect(failNext).toBe(0);
    expect(received.map((r) => r.body.text)).toEqual([expect.stringContaining(`ملفكم ${d.reference} مكتمل`)]);
    expect((await OutboxMessage.findByPk(failed!.id))!.sentAt).not.toBeNull();
  });

  it('a member who opted in gets the convocation by SMS at the Tunis time; the convocation still counts one per seat', async () => {
    const architect = await ApiClient.loggedIn(t.url, 'architect@ain-draham.tn');
    expect((await architect.put('/api/me/sms', { number: '98 765 432', optIn: true })).status).toBe(200);
    const d = await submitted();
    expect((await secretary.post(`/api/dossiers/${d.id}/complete`)).status).toBe(200);
    // 18:45 UTC on 14 January 2030: 19:45 in Tunis.
    const session = await secretary.post('/api/sessions', { municipalityId: 1, startsAt: '2030-01-14T18:45:00.000Z', mode: 'remote', location: 'Salle' });
    expect((await secretary.put(`/api/sessions/${session.body.id}/agenda`, { dossierIds: [d.id] })).status).toBe(200);
    await drain();
    received.length = 0;
    const convened = await secretary.post(`/api/sessions/${session.body.id}/convene`);
    expect(convened.status).toBe(202);
    expect(convened.body.convocation.recipients).toBe(convened.body.queued);
    await drain();
    expect(received.map((r) => r.body)).toEqual([{ to: '+21698765432', from: 'LAJNA', text: expect.stringMatching(/^لجنة: استدعاء: جلسة اللجنة 14\/01\/2030 19:45/) }]);
  });

  it('after opting out, a notice sends no SMS (the email is still queued)', async () => {
    expect((await amina.put('/api/me/sms', { number: '+216 22 123 456', optIn: false })).status).toBe(200);
    const d = await submitted();
    const [sms, mail] = [await OutboxMessage.count({ where: { channel: 'sms' } }), await OutboxMessage.count({ where: { channel: 'email' } })];
    expect((await secretary.post(`/api/dossiers/${d.id}/messages`, { body: 'Merci.' })).status).toBe(201);
    expect(await OutboxMessage.count({ where: { channel: 'sms' } })).toBe(sms);
    expect(await OutboxMessage.count({ where: { channel: 'email' } })).toBe(mail + 1);
  });
});

describe('the monthly SMS quota of a municipality', () => {
  let admin: ApiClient;
  beforeAll(async () => {
    admin = await ApiClient.loggedIn(t.url, 'admin@ain-draham.tn');
  });

  it.each([[{ quota: -1 }], [{ quota: 1.5 }], [{ quota: '2' }], [{}], [{ quota: 2, extra: 1 }], [{ quota: 2_000_000 }]])('%j → 400 invalid_payload, the quota unchanged', async (body) => {
    const res = await admin.put('/api/municipalities/1/sms-quota', body);
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_payload']);
    expect((await admin.get('/api/municipalities/1/sms-quota')).body.quota).toBeNull();
  });

  it('only an admin of the municipality sees or sets it', async () => {
    for (const [client, id] of [[secretary, 1], [amina, 1], [admin, 2]] as const) {
      expect((await client.put(`/api/municipalities/${id}/sms-quota`, { quota: 5 })).status).toBe(403);
      expect((await client.get(`/api/municipalities/${id}/sms-quota`)).status).toBe(403);
    }
    expect((await admin.get('/api/municipalities/1/sms-quota')).body.quota).toBeNull();
  });

  it('quota 2 left: the third SMS is not sent, recorded dropped and counted; every email still goes', async () => {
    expect((await amina.put('/api/me/sms', { number: '+216 22 123 456', optIn: true })).status).toBe(200);
    const d = await submitted();
    await drain();
    const before = (await admin.get('/api/municipalities/1/sms-quota')).body;
    expect(before).toMatchObject({ quota: null, month: expect.stringMatching(/^\d{4}-\d{2}$/), dropped: 0 });
    expect(before.used).toBeGreaterThan(0);
    const set = await admin.put('/api/municipalities/1/sms-quota', { quota: before.used + 2 });
    expect(set.body).toEqual({ ...before, quota: before.used + 2 });
    received.length = 0;
    const mail = await OutboxMessage.count({ where: { channel: 'email' } });
    for (const body of ['Un.', 'Deux.', 'Trois.']) expect((await secretary.post(`/api/dossiers/${d.id}/messages`, { body })).status).toBe(201);
    await drain();
    expect(received).toHaveLength(2);
    expect(await OutboxMessage.count({ where: { channel: 'email' } })).toBe(mail + 3);
    const dropped = await OutboxMessage.findAll({ where: { channel: 'sms', lastError: 'over_quota' } });
    expect(dropped.map((m) => [m.toAddress, m.sentAt, m.droppedAt instanceof Date])).toEqual([['+21622123456', null, true]]);
    // A later pass does not send it either.
    await t.server.smsOutbox.runOnce(new Date(Date.now() + 24 * 3600_000));
    expect(received).toHaveLength(2);
    expect((await admin.get('/api/municipalities/1/sms-quota')).body).toEqual({ ...before, quota: before.used + 2, used: before.used + 2, dropped: 1 });
  });
});
