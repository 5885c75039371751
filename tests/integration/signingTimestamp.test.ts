import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MinutesVerification, MinutesView } from '../../protocol/minutes';
import type { ArreteVerification } from '../../protocol/signing';
import { auditHead } from '../../server/services/audit';
import { readCms } from '../../server/signing/cms';
import { pdfSignatures } from '../../server/signing/pdfSignatures';
import { ApiClient } from '../support/http';
import { scriptedMinutesSession, type ScriptedMinutesSession } from '../support/minutesSession';
import { pdfsig } from '../support/pdfsig';
import { startTestServer, type TestServer } from '../support/server';
import { startTestTsa, type TestTsa } from '../support/tsa';

/** PAdES B-T: with TSA_URL set, each signature carries an RFC 3161 token over its value; a TSA that fails signs nothing. */
let t: TestServer;
let tsa: TestTsa;
let script: ScriptedMinutesSession;
let caPem: string;
const PASSWORD = 'lajna-demo';
const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
const as = (who: string) => ApiClient.loggedIn(t.url, who);
const minutes = (suffix = '') => `/api/minutes/${script.sessionId}${suffix}`;
const verify = async (pdf: Uint8Array) => (await new ApiClient(t.url).request('POST', '/api/verify', { raw: new Uint8Array(pdf), headers: { 'content-type': 'application/pdf' } })).body;

beforeAll(async () => {
  tsa = await startTestTsa();
  t = await startTestServer((c) => {
    c.tsa = { url: tsa.url, timeoutMs: 1500 };
  });
  script = await scriptedMinutesSession(t.url);
  script.disconnect();
  const secretary = await as('secretary@ain-draham.tn');
  expect((await secretary.post(minutes('/finalize'))).status).toBe(200);
  caPem = Buffer.from((await new ApiClient(t.url).get('/api/signing/ca/ADR')).body as Buffer).toString('utf8');
}, 240_000);

afterAll(async () => {
  await t?.close();
  await tsa?.close();
});

describe('signing with a timestamp authority (TSA_URL)', () => {
  let finalized: MinutesView;

  it.each([
    ['error', 'http_status'],
    ['garbage', 'malformed'],
    ['silent', 'timeout'],
  ] as const)('a TSA that answers %s refuses the signature with 502 timestamp_unavailable, and nothing is signed', async (behaviour, reason) => {
    const secretary = await as('secretary@ain-draham.tn');
    finalized = (await secretary.get(minutes())).body;
    const audit = await auditHead();
    tsa.behaviour = behaviour;
    const asked = tsa.requests;
    const res = await secretary.post(minutes('/signatures'), { role: 'secretary', hash: finalized.hash, password: PASSWORD });
    tsa.behaviour = 'timestamp';
    expect([res.status, res.body.error.code, res.body.error.details]).toEqual([502, 'timestamp_unavailable', { reason }]);
    expect(tsa.requests).toBe(asked + 1);
    const after = (await secretary.get(minutes())).body as MinutesView;
    expect([after.signatures, after.nextSigner]).toEqual([[], 'secretary']);
    const pdf = (await secretary.get(minutes('/pdf?lang=fr'))).body as Buffer;
    expect(sha256(pdf)).toBe(finalized.pdfSha256!.fr);
    expect(await auditHead()).toBe(audit);
  }, 30_000);

  it('timestamps both signatures of the minutes: the token is over each signature value, openssl and pdfsig accept them, /verify shows the time and the TSA', async () => {
    const before = Date.now();
    for (const [who, role] of [['secretary', 'secretary'], ['chair', 'chair']] as const) {
      const res = await (await as(`${who}@ain-draham.tn`)).post(minutes('/signatures'), { role, hash: finalized.hash, password: PASSWORD });
      expect(res.status).toBe(201);
    }
    const pdf = Buffer.from((await (await as('architect@ain-draham.tn')).get(minutes('/pdf?lang=ar'))).body as Buffer);
    expect(pdfsig(pdf, [caPem]).map((r) => [r.field, r.valid, r.certificate])).toEqual([
      ['secretary', true, 'Certificate is Trusted.'],
      ['chair', true, 'Certificate is Trusted.'],
    ]);
    // The token itself, as openssl checks it against the signature value it is over.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-tst-'));
    try {
      pdfSignatures(pdf).forEach((s, i) => {
        const cms = readCms(Buffer.from(pdf.subarray(s.byteRange[1] + 1, s.byteRange[2] - 1).toString('latin1'), 'hex'))!;
        expect(cms.timestampToken).not.toBeNull();
        fs.writeFileSync(path.join(dir, `token${i}`), cms.timestampToken!);
        fs.writeFileSync(path.join(dir, `value${i}`), cms.signatureValue);
        fs.writeFileSync(path.join(dir, 'tsa.pem'), tsa.certificatePem);
        const out = execFileSync('openssl', ['ts', '-verify', '-token_in', '-in', `token${i}`, '-data', `value${i}`, '-CAfile', 'tsa.pem'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
        expect(out).toContain('Verification: OK');
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const report = (await verify(pdf)) as Extract<MinutesVerification, { recognised: true }>;
    expect(report).toMatchObject({ valid: true, state: 'signed' });
    for (const s of report.signatures) {
      expect(s.timestamp).toMatchObject({ authority: tsa.name, matchesSignature: true, valid: true });
      expect(Date.parse(s.timestamp!.time!)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
      expect(Date.parse(s.timestamp!.time!)).toBeLessThanOrEqual(Date.now() + 1000);
    }
  }, 60_000);

  it('a token moved onto another signature is reported as not matching it, the signatures themselves still valid', async () => {
    const pdf = Buffer.from((await (await as('architect@ain-draham.tn')).get(minutes('/pdf?lang=fr'))).body as Buffer);
    const [first, second] = pdfSignatures(pdf);
    const hex = (s: typeof first) => pdf.subarray(s!.byteRange[1] + 1, s!.byteRange[2] - 1).toString('latin1');
    const tokenHex = (s: typeof first) => readCms(Buffer.from(hex(s), 'hex'))!.timestampToken!.toString('hex');
    // Unsigned attributes lie outside what the signature covers: swap the chair's token for the secretary's (same length).
    const swapped = Buffer.from(pdf);
    const at = pdf.indexOf(tokenHex(second), second!.byteRange[1], 'latin1');
    expect(tokenHex(first).length).toBe(tokenHex(second).length);
    swapped.write(tokenHex(first), at, 'latin1');
    const report = (await verify(swapped)) as Extract<MinutesVerification, { recognised: true }>;
    expect(report.signatures.map((s) => [s.role, s.valid, s.timestamp?.matchesSignature, s.timestamp?.valid])).toEqual([
      ['secretary', true, true, true],
      ['chair', true, false, true],
    ]);
  });

  it('timestamps the president\'s signature of the arrêté too', async () => {
    const dossierId = script.dossiers[0]!.dossierId;
    expect((await (await as('secretary@ain-draham.tn')).post(`/api/dossiers/${dossierId}/decision`, { outcome: 'granted', arreteNumber: '2026/121', signedOn: '2026-12-02' })).status).toBe(201);
    const chair = await as('chair@ain-draham.tn');
    tsa.behaviour = 'error';
    expect((await chair.post(`/api/arretes/${dossierId}/signature`, { password: PASSWORD })).body.error.code).toBe('timestamp_unavailable');
    tsa.behaviour = 'timestamp';
    expect((await chair.get(`/api/arretes/${dossierId}`)).body).toMatchObject({ signed: false });
    expect((await chair.post(`/api/arretes/${dossierId}/signature`, { password: PASSWORD })).status).toBe(201);
    const pdf = Buffer.from((await chair.get(`/api/arretes/${dossierId}/pdf?lang=fr`)).body as Buffer);
    expect(pdfsig(pdf, [caPem]).map((r) => r.valid)).toEqual([true]);
    const report = (await verify(pdf)) as ArreteVerification;
    expect(report).toMatchObject({ kind: 'arrete', valid: true, state: 'signed' });
    expect(report.signatures[0]!.timestamp).toMatchObject({ authority: tsa.name, matchesSignature: true, valid: true });
  }, 60_000);
});
