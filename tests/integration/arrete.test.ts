import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArreteView } from '../../protocol/signing';
import { ApiClient } from '../support/http';
import { scriptedMinutesSession, type ScriptedMinutesSession } from '../support/minutesSession';
import { pdfsig } from '../support/pdfsig';
import { loosely, pdfText } from '../support/pdfText';
import { startTestServer, type TestServer } from '../support/server';

/** The arrêté: issued when the office records the decision, signed by the president, downloaded by the applicant. */
let t: TestServer;
let script: ScriptedMinutesSession;
let dossierId: number;
const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
const as = (who: string) => ApiClient.loggedIn(t.url, who);

beforeAll(async () => {
  t = await startTestServer();
  script = await scriptedMinutesSession(t.url);
  script.disconnect();
  dossierId = script.dossiers[0]!.dossierId;
  const office = await as('secretary@ain-draham.tn');
  const recorded = await office.post(`/api/dossiers/${dossierId}/decision`, { outcome: 'granted', arreteNumber: '2026/117', signedOn: '2026-12-02' });
  expect(recorded.status).toBe(201);
}, 240_000);

afterAll(async () => {
  await t?.close();
});

describe('the arrêté of a decision', () => {
  let unsigned: ArreteView;

  it('is issued in Arabic and French when the decision is recorded, with the permit\'s validity', async () => {
    const res = await (await as('amina@example.tn')).get(`/api/arretes/${dossierId}`);
    expect(res.status).toBe(200);
    unsigned = res.body;
    expect(unsigned).toMatchObject({
      outcome: 'granted', arreteNumber: '2026/117', signedOn: '2026-12-02', signed: false, signedBy: null,
      validity: { validUntil: '2029-12-02', extensionRequestBy: '2029-11-02' },
    });
    expect((await (await as('member@tabarka.tn')).get(`/api/arretes/${dossierId}`)).status).toBe(404);
    expect((await (await as('amina@example.tn')).get(`/api/arretes/${script.dossiers[1]!.dossierId}`)).status).toBe(404);
  });

  it('is recognised by /api/verify before it is signed: the decision it is, "not signed", the president awaited', async () => {
    const anyone = new ApiClient(t.url);
    const issued = Buffer.from((await (await as('amina@example.tn')).get(`/api/arretes/${dossierId}/pdf?lang=ar`)).body as Buffer);
    const expected = {
      recognised: true, kind: 'arrete', valid: false, state: 'unsigned', awaiting: 'president', dossierId, reference: script.dossiers[0]!.reference,
      arreteNumber: '2026/117', outcome: 'granted', signedOn: '2026-12-02', municipality: { code: 'ADR' }, language: 'ar', issuedSha256: unsigned.pdfSha256.ar, signatures: [],
    };
    expect((await anyone.request('POST', '/api/verify', { raw: new Uint8Array(issued), headers: { 'content-type': 'application/pdf' } })).body).toMatchObject(expected);
    expect((await anyone.get(`/api/verify?hash=${unsigned.pdfSha256.ar.toUpperCase()}`)).body).toMatchObject(expected);
  });

  it('waits in the president\'s list of arrêtés to sign, theirs alone; other roles are refused, a bad query too', async () => {
    const list = async (who: string, query = '?awaiting=president') => (await as(who)).get(`/api/arretes${query}`);
    const mine = await list('chair@ain-draham.tn');
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual([{
      dossierId, reference: script.dossiers[0]!.reference, arreteNumber: '2026/117', outcome: 'granted', signedOn: '2026-12-02',
      issuedAt: expect.any(String), municipality: { nameAr: 'بلدية عين دراهم', nameFr: 'Commune de Aïn Draham' },
    }]);
    expect((await list('chair@tabarka.tn')).body).toEqual([]);
    for (const who of ['secretary@ain-draham.tn', 'amina@example.tn', 'member@tabarka.tn']) expect((await list(who)).body.error.code).toBe('forbidden');
    for (const query of ['', '?awaiting=secretary', '?awaiting=president&x=1']) expect((await list('chair@ain-draham.tn', query)).body.error.code).toBe('invalid_payload');
    expect((await new ApiClient(t.url).get('/api/arretes?awaiting=president')).status).toBe(401);
  });

  it('is signed by the president alone, with their password, once', async () => {
    const sign = async (who: string, body: unknown) => (await as(who)).post(`/api/arretes/${dossierId}/signature`, body);
    expect((await sign('secretary@ain-draham.tn', { password: 'lajna-demo' })).body.error.code).toBe('forbidden');
    expect((await sign('member@tabarka.tn', { password: 'lajna-demo' })).status).toBe(404);
    expect((await sign('chair@ain-draham.tn', { password: 'wrong' })).body.error.code).toBe('reauth_failed');
    for (const body of [{}, { password: '' }, { password: 'lajna-demo', x: 1 }]) expect((await sign('chair@ain-draham.tn', body)).body.error.code).toBe('invalid_payload');
    const signed = await sign('chair@ain-draham.tn', { password: 'lajna-demo' });
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({ signed: true, signedBy: { nameFr: 'Mohamed Hédi Ayari' } });
    expect((await sign('chair@ain-draham.tn', { password: 'lajna-demo' })).body.error.code).toBe('conflict');
    expect((await (await as('chair@ain-draham.tn')).get('/api/arretes?awaiting=president')).body).toEqual([]);
  });

  it('downloads signed for the applicant: pdfsig valid by the president from the trusted CA, the record in both languages', async () => {
    const applicant = await as('amina@example.tn');
    const caPem = Buffer.from((await applicant.get('/api/signing/ca/ADR')).body as Buffer).toString('utf8');
    const reference = script.dossiers[0]!.reference;
    for (const [lang, words] of [
      ['fr', ['Arrêté n° 2026/117 du 02/12/2026', 'portant octroi du permis de bâtir', 'Avis favorable sous conditions', 'Toiture en tuiles rouges', '02/12/2029', '02/11/2029']],
      ['ar', ['قرار عدد', 'يتعلق بمنح رخصة البناء', 'رأي بالموافقة بشروط', 'Toiture en tuiles rouges', '02/12/2029', '02/11/2029']],
    ] as const) {
      const res = await applicant.get(`/api/arretes/${dossierId}/pdf?lang=${lang}`);
      expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/pdf']);
      const pdf = new Uint8Array(res.body as Buffer);
      const firstEnd = Buffer.from(pdf).indexOf('%%EOF') + 6;
      expect(sha256(pdf.subarray(0, firstEnd))).toBe(unsigned.pdfSha256[lang]);
      expect(pdfsig(pdf, [caPem]).map((s) => [s.field, s.commonName, s.valid, s.certificate, s.totalDocument])).toEqual([
        ['president', 'Mohamed Hédi Ayari — محمد الهادي العياري', true, 'Certificate is Trusted.', true],
      ]);
      const text = pdfText(Buffer.from(pdf));
      expect(text).toContain(reference);
      for (const w of words) expect(text).toMatch(loosely(w));
      for (const d of script.shown[0]!) expect(text).toContain(d.sha256);
    }
    expect((await applicant.get(`/api/arretes/${dossierId}/pdf?lang=en`)).body.error.code).toBe('invalid_payload');
  });

  it('verifies signed on /api/verify: the president\'s signature checked; anything added after it, or a byte changed, is reported', async () => {
    const anyone = new ApiClient(t.url);
    const signed = Buffer.from((await (await as('amina@example.tn')).get(`/api/arretes/${dossierId}/pdf?lang=fr`)).body as Buffer);
    const post = async (pdf: Buffer) => (await anyone.request('POST', '/api/verify', { raw: new Uint8Array(pdf), headers: { 'content-type': 'application/pdf' } })).body;
    const president = {
      role: 'president', signer: 'Mohamed Hédi Ayari — محمد الهادي العياري', name: 'Mohamed Hédi Ayari', issuer: 'Autorité de signature — Commune de Aïn Draham',
      // The holder of the certificate, named in both languages (the /verify page says it in its own).
      signedBy: { nameAr: 'محمد الهادي العياري', nameFr: 'Mohamed Hédi Ayari' },
      valid: true, coversRevision: true, issuedByMunicipality: true, certificateSha256: expect.stringMatching(/^[0-9a-f]{64}$/), auditHead: expect.stringMatching(/^\d+:[0-9a-f]{64}$/),
    };
    const verified = await post(signed);
    expect(verified).toMatchObject({ recognised: true, kind: 'arrete', valid: true, state: 'signed', awaiting: null, dossierId, language: 'fr', issuedSha256: unsigned.pdfSha256.fr, signatures: [president] });
    expect(Math.abs(Date.parse(verified.signatures[0].signedAt) - Date.now())).toBeLessThan(300_000);
    // The signed file's own sha256: the signature on record.
    expect((await anyone.get(`/api/verify?hash=${sha256(signed)}`)).body).toMatchObject({ kind: 'arrete', state: 'signed', signatures: [{ role: 'president', name: 'Mohamed Hédi Ayari', signedBy: president.signedBy }] });
    // A revision appended after the signature: still a valid signature, but what was added is signed by nobody.
    const added = Buffer.concat([signed, Buffer.from('\n1 0 obj\n(added)\nendobj\n%%EOF\n')]);
    expect(await post(added)).toMatchObject({ kind: 'arrete', valid: false, state: 'modified_after_signing', signatures: [{ role: 'president', valid: true, coversRevision: true }] });
    // A byte of the president's revision changed: the arrêté is recognised, its signature no longer holds.
    const inSignedRevision = Buffer.from(signed);
    inSignedRevision[signed.indexOf('%%EOF') + 40] ^= 0x01;
    expect(await post(inSignedRevision)).toMatchObject({ recognised: true, kind: 'arrete', valid: false, state: 'invalid_signature', signatures: [{ valid: false }] });
    // A byte of the arrêté as issued changed: it is no arrêté Lajna issued, and the signature does not hold either.
    const changed = Buffer.from(signed);
    changed[1000] ^= 0x01;
    expect(await post(changed)).toMatchObject({ recognised: false, valid: false, state: 'invalid_signature' });
    expect((await anyone.get(`/api/verify?hash=${sha256(changed)}`)).body).toEqual({ recognised: false, valid: false, state: null, signatures: [] });
  });
});
