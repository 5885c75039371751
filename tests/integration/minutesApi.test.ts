import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../../db/models';
import type { MinutesListEntry, MinutesVerification, MinutesView, PublishedSessionOpinions } from '../../protocol/minutes';
import { VERIFY_MAX_BYTES } from '../../server/http/verify';
import { ApiClient } from '../support/http';
import { meetingRequest, meetingSocket } from '../support/meetingSocket';
import { scriptedMinutesSession, type ScriptedMinutesSession } from '../support/minutesSession';
import { pdfsig } from '../support/pdfsig';
import { pdfText } from '../support/pdfText';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let script: ScriptedMinutesSession;
const clients: Record<string, ApiClient> = {};
/** What the minutes socket feature answered during the session. */
const live: Record<string, unknown> = {};
const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
const ADR = ['chair', 'secretary', 'architect', 'engineer', 'urbanism', 'steg', 'protection', 'sonede'];
const id = async (email: string) => (await User.findOne({ where: { email } }))!.id;
let sessionId: number;
/** The demo accounts' password, typed again to sign. */
const PASSWORD = 'lajna-demo';
const path = (suffix = '') => `/api/minutes/${sessionId}${suffix}`;

beforeAll(async () => {
  t = await startTestServer();
  script = await scriptedMinutesSession(t.url, async (s) => {
    sessionId = s.sessionId;
    const secretary = s.sockets.get('secretary')!;
    const chair = s.sockets.get('chair')!;
    live.snapshots = Object.fromEntries([...s.snapshots].map(([who, snapshot]) => [who, snapshot.features.minutes]));
    live.chairGet = await meetingRequest(chair, 'getMinutes', {});
    live.chairEdit = await meetingRequest(chair, 'editMinutes', { remarks: 'x' });
    live.badPosition = await meetingRequest(secretary, 'editMinutes', { notes: { 0: 'x' } });
    live.unknownField = await meetingRequest(secretary, 'editMinutes', { remarks: 'x', signed: true });
    live.unknownItem = await meetingRequest(secretary, 'editMinutes', { notes: { 9: 'x' } });
    live.edit = await meetingRequest(secretary, 'editMinutes', { remarks: 'La séance est levée. رفعت الجلسة.', notes: { 1: 'Le représentant de la STEG demande un raccordement souterrain.' } });
    live.get = await meetingRequest(secretary, 'getMinutes', {});
    // Before finalize, over HTTP: no PDF, no signature, no finalize while the session is live.
    const office = await ApiClient.loggedIn(t.url, 'secretary@ain-draham.tn');
    live.pdfBefore = (await office.get(path('/pdf?lang=ar'))).status;
    live.signBefore = (await office.post(path('/signatures'), { role: 'secretary', hash: 'a'.repeat(64), password: PASSWORD })).body;
    live.finalizeLive = (await office.post(path('/finalize'))).body;
    const outsider = await meetingSocket(t.url, 'secretary@tabarka.tn');
    live.outsiderGet = await meetingRequest(outsider, 'getMinutes', {});
    outsider.disconnect();
  });
  for (const who of ADR) clients[who] = await ApiClient.loggedIn(t.url, `${who}@ain-draham.tn`);
  for (const email of ['admin@ain-draham.tn', 'amina@example.tn', 'member@tabarka.tn', 'secretary@tabarka.tn']) clients[email] = await ApiClient.loggedIn(t.url, email);
}, 240_000);

afterAll(async () => {
  script?.disconnect();
  await t?.close();
});

describe('the minutes panel on the meeting namespace', () => {
  it('is the secretary\'s alone: a draft in the join snapshot, read and edited during the session', () => {
    const { secretary, ...others } = live.snapshots as Record<string, unknown>;
    expect(secretary).toMatchObject({ sessionId: script.sessionId, status: 'draft', hash: null, nextSigner: null, content: { items: [{ position: 1 }, { position: 2 }] } });
    expect(Object.keys(others).sort()).toEqual(['architect', 'chair', 'engineer', 'sonede', 'steg', 'urbanism']);
    expect(Object.values(others).every((minutes) => minutes === null)).toBe(true);
    expect(live.chairGet).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(live.chairEdit).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(live.outsiderGet).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(live.badPosition).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(live.unknownField).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(live.unknownItem).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(live.edit).toMatchObject({ ok: true, data: { content: { remarks: 'La séance est levée. رفعت الجلسة.', items: [{ notes: /^Le représentant/ }, { notes: '' }] } } });
    // Both votes are already in the live draft.
    expect((live.get as { data: MinutesView }).data.content.items.map((i) => i.votes.length)).toEqual([1, 1]);
  });

  it('before finalize: no PDF, no signature, and no finalize while the session is live', () => {
    expect(live.pdfBefore).toBe(404);
    expect(live.signBefore).toMatchObject({ error: { code: 'invalid_transition' } });
    expect(live.finalizeLive).toMatchObject({ error: { code: 'invalid_transition' } });
  });

  it('is gone from the meeting once the session is closed: the minutes page takes over', async () => {
    const secretary = await meetingSocket(t.url, 'secretary@ain-draham.tn');
    const join = await meetingRequest(secretary, 'join', { sessionId: script.sessionId, mode: 'audio' });
    const get = await meetingRequest(secretary, 'getMinutes', {});
    secretary.disconnect();
    expect(join).toMatchObject({ ok: false, error: { code: 'invalid_transition' } });
    expect(get).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

describe('GET /api/minutes/:sessionId after the scripted session', () => {
  let view: MinutesView;
  beforeAll(async () => {
    const res = await clients.secretary!.get(path());
    expect(res.status).toBe(200);
    view = res.body;
  });

  it('has everyone\'s attendance: stretches with their modes, the absent, the leave and the rejoin', async () => {
    const { attendance } = view.content;
    const byName = new Map(attendance.map((a) => [a.nameFr, a]));
    expect(attendance.map((a) => a.seat)).toEqual(['chair', 'voting', 'voting', 'voting', 'voting', 'voting', 'consultative', 'secretary']);
    const modes = (nameFr: string) => byName.get(nameFr)!.stretches.map((s) => s.mode);
    expect(modes('Mohamed Hédi Ayari')).toEqual(['video']);
    expect(modes('Salma Jendoubi')).toEqual(['video']);
    expect(modes('Karim Trabelsi')).toEqual(['audio']);
    expect(modes('Fatma Zahra Abidi')).toEqual(['audio']);
    expect(modes('Hichem Marzouki')).toEqual([]);
    const steg = byName.get('Sami Ferjani')!.stretches;
    expect(steg.map((s) => s.mode)).toEqual(['video', 'audio']);
    expect(Date.parse(steg[0]!.leftAt!)).toBeLessThanOrEqual(Date.parse(steg[1]!.joinedAt));
    // The chair ended the session: every stretch is closed.
    expect(attendance.flatMap((a) => a.stretches).every((s) => s.leftAt !== null && Date.parse(s.leftAt) >= Date.parse(s.joinedAt))).toBe(true);
    expect(view.content.quorum).toEqual({ required: 3, present: 5, votingMembers: 6, met: true });
    expect(view.content.date).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Tunis' }).format(new Date(view.content.session.startsAt)));
  });

  it('has each item with the documents shown (sha256), the recusal with its reason, both votes with named ballots, outcomes and opinions', async () => {
    const [first, second] = view.content.items;
    const documents = (shown: ScriptedMinutesSession['shown'][number]) => shown.map((d) => ({ itemCode: d.itemCode, version: 1, sha256: d.sha256 }));
    expect(first!.documents.map(({ itemCode, version, sha256 }) => ({ itemCode, version, sha256 }))).toEqual(documents(script.shown[0]!));
    expect(second!.documents.map(({ itemCode, version, sha256 }) => ({ itemCode, version, sha256 }))).toEqual(documents(script.shown[1]!));
    expect(first!.documents.every((d) => d.fileName.endsWith('.pdf'))).toBe(true);
    expect(first).toMatchObject({
      position: 1, dossierReference: script.dossiers[0]!.reference,
      recusals: [{ userId: await id('architect@ain-draham.tn'), nameFr: 'Leila Ben Salah', nameAr: 'ليلى بن صالح', reason: 'Architecte du projet — مهندس المشروع' }],
      opinion: 'favourable_with_conditions', conditions: 'Toiture en tuiles rouges', reasons: 'Conforme au plan d’aménagement sous réserve de la toiture',
      notes: 'Le représentant de la STEG demande un raccordement souterrain.',
    });
    expect(first!.votes).toHaveLength(1);
    expect(first!.votes[0]).toMatchObject({
      question: 'Avis sur le dossier 1', quorumAtOpen: { present: 4, met: true }, reasons: 'Conforme au plan d’aménagement sous réserve de la toiture',
      tally: { favourable: 1, favourable_with_conditions: 2, unfavourable: 1, abstain: 0, cast: 4 },
      outcome: { valid: true, opinion: 'favourable_with_conditions', decidedBy: 'majority' },
    });
    expect(first!.votes[0]!.ballots.map((b) => [b.nameFr, b.choice])).toEqual([
      ['Mohamed Hédi Ayari', 'favourable_with_conditions'], ['Karim Trabelsi', 'favourable_with_conditions'], ['Nadia Chebbi', 'favourable'], ['Sami Ferjani', 'unfavourable'],
    ]);
    expect(second).toMatchObject({ position: 2, dossierReference: script.dossiers[1]!.reference, recusals: [], opinion: 'favourable', conditions: '', reasons: 'Voix prépondérante du président', notes: '' });
    expect(second!.votes[0]).toMatchObject({ outcome: { valid: true, opinion: 'favourable', decidedBy: 'casting_vote' }, quorumAtClose: { present: 5, met: true } });
    expect(second!.votes[0]!.ballots.map((b) => [b.nameFr, b.choice])).toEqual([
      ['Mohamed Hédi Ayari', 'favourable'], ['Nadia Chebbi', 'favourable'], ['Leila Ben Salah', 'unfavourable'], ['Karim Trabelsi', 'unfavourable'], ['Sami Ferjani', 'abstain'],
    ]);
    expect(view.content.remarks).toBe('La séance est levée. رفعت الجلسة.');
  });

  it('is read by the office (secretary, admin) and the committee; anyone else gets 404', async () => {
    for (const who of ['chair', 'architect', 'sonede', 'protection', 'admin@ain-draham.tn']) {
      const res = await clients[who]!.get(path());
      expect([who, res.status, res.body.content?.items?.length]).toEqual([who, 200, 2]);
    }
    for (const who of ['amina@example.tn', 'member@tabarka.tn', 'secretary@tabarka.tn']) expect([who, (await clients[who]!.get(path())).body.error.code]).toEqual([who, 'not_found']);
    expect((await new ApiClient(t.url).get(path())).body.error.code).toBe('unauthenticated');
    const s = clients.secretary!;
    for (const id of ['999999', 'abc', '0']) {
      const code = id === '999999' ? 'not_found' : 'invalid_payload';
      for (const res of [
        await s.get(`/api/minutes/${id}`), await s.patch(`/api/minutes/${id}`, { remarks: 'x' }), await s.post(`/api/minutes/${id}/finalize`),
        await s.post(`/api/minutes/${id}/signatures`, { role: 'secretary', hash: 'a'.repeat(64) }), await s.get(`/api/minutes/${id}/pdf?lang=ar`),
      ]) expect([id, res.body.error.code]).toEqual([id, code]);
    }
  });
});

describe('editing, finalizing and signing over HTTP', () => {
  let hash: string;

  it('PATCH: the secretary only; wrong shapes and unknown items refused; nothing changes', async () => {
    const before = (await clients.secretary!.get(path())).body.content;
    for (const who of ['chair', 'architect', 'admin@ain-draham.tn']) expect([who, (await clients[who]!.patch(path(), { remarks: 'x' })).body.error.code]).toEqual([who, 'forbidden']);
    expect((await clients['member@tabarka.tn']!.patch(path(), { remarks: 'x' })).status).toBe(404);
    for (const body of [{ remarks: 5 }, { notes: { abc: 'x' } }, { notes: { 1: 7 } }, { remarks: 'x', hash: 'y' }, ['x'], { remarks: 'x'.repeat(20_001) }]) {
      const res = await clients.secretary!.patch(path(), body);
      expect([body, res.status, res.body.error.code]).toEqual([body, 400, 'invalid_payload']);
    }
    expect((await clients.secretary!.patch(path(), { notes: { 3: 'x' } })).body.error.code).toBe('not_found');
    expect((await clients.secretary!.request('PATCH', path(), { body: { remarks: 'x' }, csrf: false })).body.error.code).toBe('csrf_failed');
    expect((await clients.secretary!.get(path())).body.content).toEqual(before);
    const res = await clients.secretary!.patch(path(), { notes: { 2: 'ملاحظة: الملف الثاني' } });
    expect(res.status).toBe(200);
    expect(res.body.content.items[1].notes).toBe('ملاحظة: الملف الثاني');
    expect(res.body.content.items[0].notes).toBe(before.items[0].notes);
  });

  it('finalize: the secretary, once; the chair is refused', async () => {
    expect((await clients.chair!.post(path('/finalize'))).body.error.code).toBe('forbidden');
    expect((await clients['member@tabarka.tn']!.post(path('/finalize'))).status).toBe(404);
    const res = await clients.secretary!.post(path('/finalize'));
    expect(res.status).toBe(200);
    const view: MinutesView = res.body;
    expect(view).toMatchObject({ status: 'finalized', signatures: [], nextSigner: 'secretary' });
    expect(view.hash).toMatch(/^[0-9a-f]{64}$/);
    hash = view.hash!;
    expect((await clients.secretary!.post(path('/finalize'))).body.error.code).toBe('immutable');
  });

  it('an edit after finalize is refused with 409 immutable, and nothing changes', async () => {
    const before = (await clients.secretary!.get(path())).body;
    const res = await clients.secretary!.patch(path(), { remarks: 'Modifié après coup' });
    expect([res.status, res.body.error.code]).toEqual([409, 'immutable']);
    expect((await clients.secretary!.get(path())).body).toEqual(before);
  });

  it('signatures: secretary then chair, on the finalized hash, each once, with their password', async () => {
    const sign = (who: string, body: Record<string, unknown>) => clients[who]!.post(path('/signatures'), { password: PASSWORD, ...body });
    expect((await sign('chair', { role: 'chair', hash })).body.error.code).toBe('out_of_order');
    expect((await sign('architect', { role: 'secretary', hash })).body.error.code).toBe('forbidden');
    expect((await sign('chair', { role: 'secretary', hash })).body.error.code).toBe('forbidden');
    expect((await sign('secretary', { role: 'secretary', hash: 'b'.repeat(64) })).body.error).toMatchObject({ code: 'conflict', details: { reason: 'hash_mismatch' } });
    const wrong = await sign('secretary', { role: 'secretary', hash, password: 'lajna-demo ' });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'reauth_failed']);
    for (const body of [{ role: 'member', hash }, { role: 'secretary', hash: 'xyz' }, { role: 'secretary' }, { role: 'secretary', hash, extra: 1 }, { role: 'secretary', hash, password: '' }, { role: 'secretary', hash, password: 7 }]) {
      expect((await sign('secretary', body)).body.error.code).toBe('invalid_payload');
    }
    expect((await clients.secretary!.post(path('/signatures'), { role: 'secretary', hash })).body.error.code).toBe('invalid_payload');
    expect((await clients['member@tabarka.tn']!.post(path('/signatures'), { role: 'chair', hash, password: PASSWORD })).status).toBe(404);
    expect((await clients.secretary!.get(path())).body.signatures).toEqual([]);

    const first = await sign('secretary', { role: 'secretary', hash: hash.toUpperCase() });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ nextSigner: 'chair', signatures: [{ role: 'secretary', userId: await id('secretary@ain-draham.tn'), minutesHash: hash, method: 'pades', nameFr: 'Salma Jendoubi' }] });
    expect((await sign('secretary', { role: 'secretary', hash })).body.error).toMatchObject({ code: 'conflict', details: { reason: 'already_signed' } });
    const second = await sign('chair', { role: 'chair', hash });
    expect(second.status).toBe(201);
    expect(second.body.signatures.map((s: { role: string; nameFr: string }) => [s.role, s.nameFr])).toEqual([['secretary', 'Salma Jendoubi'], ['chair', 'Mohamed Hédi Ayari']]);
    expect(second.body.nextSigner).toBeNull();
    expect((await sign('chair', { role: 'chair', hash })).body.error.code).toBe('conflict');
  });

  it('lists the session among the recently closed ones of its readers, with where the minutes stand', async () => {
    const entry = ((await clients.chair!.get('/api/minutes')).body as MinutesListEntry[]).find((e) => e.sessionId === script.sessionId);
    expect(entry).toMatchObject({ sessionStatus: 'closed', status: 'finalized', nextSigner: null });
    expect(((await clients['member@tabarka.tn']!.get('/api/minutes')).body as MinutesListEntry[]).some((e) => e.sessionId === script.sessionId)).toBe(false);
    expect((await new ApiClient(t.url).get('/api/minutes')).status).toBe(401);
  });
});

describe('PDF export and verification', () => {
  const pdfs: Record<string, Uint8Array<ArrayBuffer>> = {};
  let view: MinutesView;
  beforeAll(async () => {
    view = (await clients.chair!.get(path())).body;
    for (const lang of ['ar', 'fr']) {
      const res = await clients.architect!.get(path(`/pdf?lang=${lang}`));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="minutes-ADR-${view.content.date}-${lang}.pdf"`);
      pdfs[lang] = new Uint8Array(res.body as Buffer);
    }
  });

  it('downloads the Arabic and French PDFs as signed: the finalized, fingerprinted file is their first revision', async () => {
    const signed = JSON.parse(view.signatures.at(-1)!.value!) as { pdfSha256: Record<string, string> };
    for (const lang of ['ar', 'fr'] as const) {
      expect(sha256(pdfs[lang]!)).toBe(signed.pdfSha256[lang]);
      const firstEnd = Buffer.from(pdfs[lang]!).indexOf('%%EOF') + 6;
      expect(sha256(pdfs[lang]!.subarray(0, firstEnd))).toBe(view.pdfSha256![lang]);
    }
    expect(sha256((await clients.secretary!.get(path('/pdf?lang=ar'))).body)).toBe(signed.pdfSha256.ar);
    for (const query of ['', '?lang=en', '?lang=ar&x=1']) expect((await clients.chair!.get(path(`/pdf${query}`))).body.error.code).toBe('invalid_payload');
    expect((await clients['amina@example.tn']!.get(path('/pdf?lang=ar'))).status).toBe(404);
  });

  it.each([
    ['ar', ['رأي بالموافقة بشروط', 'رأي بالموافقة', 'بصوت الرئيس المرجح']],
    ['fr', ['Avis favorable sous conditions', 'Avis favorable', 'voix prépondérante du président']],
  ])('pdftotext finds in the %s PDF every member\'s Arabic name, each item\'s outcome and the hash', (lang, outcomes) => {
    const text = pdfText(Buffer.from(pdfs[lang]!));
    for (const a of view.content.attendance) expect(text).toContain(a.nameAr);
    for (const outcome of outcomes) expect(text).toContain(outcome);
    for (const item of view.content.items) expect(text).toContain(item.dossierReference);
    expect(text).toContain(view.hash);
  });

  it('verifies the PDF and the printed hash without a login, and detects a one-byte change on both endpoints', async () => {
    const anyone = new ApiClient(t.url);
    const expected = {
      recognised: true, valid: true, state: 'signed', sessionId: script.sessionId, finalizedAt: view.finalizedAt, date: view.content.date,
      municipality: { code: 'ADR', nameAr: 'بلدية عين دراهم', nameFr: 'Commune de Aïn Draham' },
    };
    const post = (body: Uint8Array<ArrayBuffer>, headers: Record<string, string> = { 'content-type': 'application/pdf' }) => anyone.request('POST', '/api/verify', { raw: body, headers });
    expect((await post(pdfs.ar!)).body).toMatchObject({ ...expected, matched: 'pdf', language: 'ar' });
    expect((await post(pdfs.fr!)).body).toMatchObject({ ...expected, matched: 'pdf', language: 'fr' });
    expect((await anyone.get(`/api/verify?hash=${view.hash}`)).body).toMatchObject({ ...expected, matched: 'content_hash' });
    expect((await anyone.get(`/api/verify?hash=${sha256(pdfs.fr!)}`)).body).toMatchObject({ ...expected, matched: 'pdf', language: 'fr' });

    const changed = new Uint8Array(pdfs.fr!);
    changed[changed.length >> 1] ^= 0x01;
    expect((await post(changed)).body).toMatchObject({ valid: false, state: 'invalid_signature' });
    const unknown = { recognised: false, valid: false, state: null, signatures: [] };
    expect((await anyone.get(`/api/verify?hash=${sha256(changed)}`)).body).toEqual(unknown);
    const printed = [...view.hash!];
    printed[10] = printed[10] === '0' ? '1' : '0';
    expect((await anyone.get(`/api/verify?hash=${printed.join('')}`)).body).toEqual(unknown);
  });

  it('pdfsig finds the two signatures valid, by their signers, from the municipality\'s trusted CA; one byte changed → invalid', async () => {
    const ca = await new ApiClient(t.url).get('/api/signing/ca/ADR');
    expect([ca.status, ca.headers.get('content-type')]).toEqual([200, 'application/x-pem-file']);
    const caPem = Buffer.from(ca.body as Buffer).toString('utf8');
    expect(caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    for (const lang of ['ar', 'fr']) {
      const report = pdfsig(pdfs[lang]!, [caPem]);
      expect(report.map((r) => [r.field, r.commonName, r.valid, r.certificate, r.totalDocument])).toEqual([
        ['secretary', 'Salma Jendoubi — سلمى الجندوبي', true, 'Certificate is Trusted.', false],
        ['chair', 'Mohamed Hédi Ayari — محمد الهادي العياري', true, 'Certificate is Trusted.', true],
      ]);
    }
    // Without the CA trusted the signatures still hold; only the issuer is unknown.
    expect(pdfsig(pdfs.fr!).map((r) => [r.valid, r.certificate])).toEqual([[true, "Certificate issuer isn't Trusted."], [true, "Certificate issuer isn't Trusted."]]);
    const changed = new Uint8Array(pdfs.fr!);
    changed[100] ^= 0x01;
    expect(pdfsig(changed, [caPem]).map((r) => r.valid)).toEqual([false, false]);
    expect((await new ApiClient(t.url).get('/api/signing/ca/XYZ')).status).toBe(404);
    expect((await new ApiClient(t.url).get('/api/signing/ca/adr')).body.error.code).toBe('invalid_payload');
  });

  it('/verify reports each signature, and says plainly what an unsigned or a changed copy is', async () => {
    const anyone = new ApiClient(t.url);
    const post = (body: Uint8Array) => anyone.request('POST', '/api/verify', { raw: new Uint8Array(body), headers: { 'content-type': 'application/pdf' } });
    const signed = (await post(pdfs.fr!)).body as Extract<MinutesVerification, { recognised: true }>;
    expect(signed).toMatchObject({ recognised: true, valid: true, state: 'signed', awaiting: null, contentHash: view.hash });
    expect(signed.signatures.map((s) => [s.role, s.name, s.signer, s.issuer, s.valid, s.coversRevision, s.issuedByMunicipality])).toEqual([
      ['secretary', 'Salma Jendoubi', 'Salma Jendoubi — سلمى الجندوبي', 'Autorité de signature — Commune de Aïn Draham', true, true, true],
      ['chair', 'Mohamed Hédi Ayari', 'Mohamed Hédi Ayari — محمد الهادي العياري', 'Autorité de signature — Commune de Aïn Draham', true, true, true],
    ]);
    // Without TSA_URL: PAdES B-B, no timestamp.
    expect(signed.signatures.map((s) => s.timestamp)).toEqual([null, null]);
    const bytes = Buffer.from(pdfs.fr!);
    const firstEnd = bytes.indexOf('%%EOF') + 6;
    const secondEnd = bytes.indexOf('%%EOF', firstEnd) + 6;
    expect((await post(bytes.subarray(0, firstEnd))).body).toMatchObject({ recognised: true, valid: false, state: 'unsigned', awaiting: 'secretary', signatures: [] });
    expect((await post(bytes.subarray(0, secondEnd))).body).toMatchObject({ recognised: true, valid: false, state: 'partly_signed', awaiting: 'chair' });
    const appended = Buffer.concat([bytes, Buffer.from('1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n')]);
    expect((await post(appended)).body).toMatchObject({ recognised: true, valid: false, state: 'modified_after_signing' });
  });

  it('limits wrong passwords typed to sign like logins: after 5 from an address, 429 with Retry-After', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await clients.secretary!.post(path('/signatures'), { role: 'secretary', hash: view.hash, password: `wrong-${i}` }));
    // One wrong password was typed from this address earlier in this file: this is its fifth failure, then the wait.
    expect(answers.map((a) => a.body.error.code)).toEqual(['reauth_failed', 'reauth_failed', 'reauth_failed', 'reauth_failed', 'too_many_attempts', 'too_many_attempts']);
    expect(answers[4]!.status).toBe(429);
    expect(Number(answers[4]!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses bad verification requests with their codes', async () => {
    const anyone = new ApiClient(t.url);
    for (const query of ['', '?hash=abc', `?hash=${'g'.repeat(64)}`, `?hash=${'a'.repeat(64)}&x=1`]) {
      expect((await anyone.get(`/api/verify${query}`)).body.error.code).toBe('invalid_payload');
    }
    const post = (init: Parameters<ApiClient['request']>[2]) => anyone.request('POST', '/api/verify', init);
    expect((await post({ raw: pdfs.ar!, headers: { 'content-type': 'text/plain' } })).body.error.code).toBe('unsupported_media_type');
    expect((await post({ raw: pdfs.ar!, headers: { 'content-type': 'application/pdf' }, csrf: false })).body.error.code).toBe('csrf_failed');
    expect((await post({ raw: new Uint8Array(0), headers: { 'content-type': 'application/pdf' } })).body.error.code).toBe('empty_file');
    const big = await post({ raw: new Uint8Array(VERIFY_MAX_BYTES + 1), headers: { 'content-type': 'application/pdf' } });
    expect([big.status, big.body.error.code]).toEqual([413, 'payload_too_large']);
    // Without a declared length (chunked), the limit holds as the body streams in.
    const chunks = Array.from({ length: 21 }, () => new Uint8Array(1024 * 1024));
    const stream = new ReadableStream({ pull(controller) { const c = chunks.pop(); if (c) controller.enqueue(c); else controller.close(); } });
    const streamed = await post({ raw: stream, headers: { 'content-type': 'application/pdf' } });
    expect([streamed.status, streamed.body.error.code]).toEqual([413, 'payload_too_large']);
    // The server still answers on the same footing afterwards.
    expect((await post({ raw: pdfs.ar!, headers: { 'content-type': 'application/pdf' } })).body.valid).toBe(true);
  });
});

describe('the public list of opinions', () => {
  it('lists the finalized session\'s opinions by dossier reference, without any personal data', async () => {
    const res = await new ApiClient(t.url).get('/api/public/opinions');
    expect(res.status).toBe(200);
    const sessions = res.body as PublishedSessionOpinions[];
    const mine = sessions.find((s) => s.sessionId === script.sessionId);
    expect(mine).toEqual({
      sessionId: script.sessionId, date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      municipality: { code: 'ADR', nameAr: 'بلدية عين دراهم', nameFr: 'Commune de Aïn Draham' },
      items: [
        { dossierReference: script.dossiers[0]!.reference, opinion: 'favourable_with_conditions' },
        { dossierReference: script.dossiers[1]!.reference, opinion: 'favourable' },
      ],
    });
    const text = JSON.stringify(res.body);
    const people = await User.findAll();
    for (const p of people) for (const s of [p.email, p.nameFr, p.nameAr]) expect([s, text.includes(s)]).toEqual([s, false]);
    expect(text).not.toMatch(/Rue des Pins|TF 4242|tuiles|STEG|@/);
  });
});
