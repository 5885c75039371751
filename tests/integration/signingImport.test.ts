import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningCertificate } from '../../db/models';
import { PKCS12_MAX_BYTES } from '../../protocol/signing';
import { unlockKey } from '../../server/signing/keyVault';
import { ApiClient } from '../support/http';
import { scriptedMinutesSession, type ScriptedMinutesSession } from '../support/minutesSession';
import { pdfsig } from '../support/pdfsig';
import { startTestServer, type TestServer } from '../support/server';

/** A president imports their own PKCS#12 (made here by openssl, from a CA of the test's own), and the arrêté is signed with it. */
let t: TestServer;
let script: ScriptedMinutesSession;
let dir: string;
let adrId: number;
const as = (who: string) => ApiClient.loggedIn(t.url, who);
const p12 = (name: string) => fs.readFileSync(path.join(dir, `${name}.p12`)).toString('base64');

/** openssl in the test's folder. */
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A certificate for `name`'s key from the test CA, with `ext` as its extensions, exported with its key and the CA as `name`.p12. */
function issue(name: string, ext: string, days = '30'): void {
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/C=TN/O=Commune de Aïn Draham/CN=${name}`, '-utf8');
  fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', days, '-extfile', `${name}.ext`);
  openssl('pkcs12', '-export', '-inkey', `${name}.key`, '-in', `${name}.pem`, '-certfile', 'ca.pem', '-out', `${name}.p12`, '-passout', 'pass:pin-1234');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-p12-'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/C=TN/O=TunTrust test/CN=Test TunTrust CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const signing = 'keyUsage = critical, digitalSignature, nonRepudiation\nextendedKeyUsage = emailProtection\n';
  issue('president', signing);
  issue('secretary', signing);
  issue('expired', signing, '-1');
  issue('encipherment', 'keyUsage = critical, keyEncipherment\n');
  // A key with another key's certificate: openssl refuses to write that, forge does not check.
  const cert = forge.pki.certificateFromPem(fs.readFileSync(path.join(dir, 'president.pem'), 'utf8'));
  const otherKey = forge.pki.privateKeyFromPem(fs.readFileSync(path.join(dir, 'expired.key'), 'utf8'));
  fs.writeFileSync(path.join(dir, 'mismatch.p12'), Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(otherKey, [cert], 'pin-1234', { algorithm: '3des' })).getBytes(), 'binary'));
  t = await startTestServer();
  script = await scriptedMinutesSession(t.url);
  script.disconnect();
  const office = await as('secretary@ain-draham.tn');
  adrId = (await office.get('/api/auth/me')).body.memberships[0].municipalityId;
  expect((await office.post(`/api/dossiers/${script.dossiers[0]!.dossierId}/decision`, { outcome: 'granted', arreteNumber: '2026/119', signedOn: '2026-12-02' })).status).toBe(201);
}, 240_000);

afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('importing a PKCS#12 to sign with', () => {
  it('refuses, keeping nothing, a file that is not PKCS#12, a wrong file or account password, a key not of its certificate, an expired certificate, one not for signatures, an oversized file, someone who does not sign', async () => {
    const chair = await as('chair@ain-draham.tn');
    const post = async (who: ApiClient, body: Record<string, unknown>) => {
      const res = await who.post('/api/signing/certificates', { municipalityId: adrId, file: p12('president'), filePassword: 'pin-1234', password: 'lajna-demo', ...body });
      return [res.status, res.body.error?.code];
    };
    expect(await post(chair, { file: Buffer.from('%PDF-1.7\n%%EOF\n').toString('base64') })).toEqual([422, 'not_pkcs12']);
    expect(await post(chair, { filePassword: 'pin-0000' })).toEqual([422, 'wrong_file_password']);
    expect(await post(chair, { password: 'not-my-password' })).toEqual([401, 'reauth_failed']);
    expect(await post(chair, { file: p12('mismatch') })).toEqual([422, 'key_mismatch']);
    expect(await post(chair, { file: p12('expired') })).toEqual([422, 'certificate_expired']);
    expect(await post(chair, { file: p12('encipherment') })).toEqual([422, 'key_usage']);
    expect(await post(chair, { file: crypto.randomBytes(PKCS12_MAX_BYTES + 1).toString('base64') })).toEqual([413, 'payload_too_large']);
    expect(await post(chair, { file: '%%%' })).toEqual([400, 'invalid_payload']);
    expect(await post(chair, { extra: 1 })).toEqual([400, 'invalid_payload']);
    expect(await post(await as('amina@example.tn'), {})).toEqual([403, 'forbidden']);
    expect(await post(await as('chair@tabarka.tn'), {})).toEqual([403, 'forbidden']);
    expect((await chair.get('/api/signing/certificates')).body).toEqual([]);
  });

  it('keeps the certificate under the person\'s own password; the arrêté is then signed with it, its chain embedded, and pdfsig trusts it once its CA is trusted', async () => {
    const chair = await as('chair@ain-draham.tn');
    const imported = await chair.post('/api/signing/certificates', { municipalityId: adrId, file: p12('president'), filePassword: 'pin-1234', password: 'lajna-demo' });
    expect(imported.status).toBe(201);
    expect(imported.body).toEqual([expect.objectContaining({ municipalityId: adrId, source: 'pkcs12', current: true, subject: expect.stringContaining('CN=president'), issuer: expect.stringContaining('CN=Test TunTrust CA') })]);
    expect((await chair.post('/api/signing/certificates', { municipalityId: adrId, file: p12('president'), filePassword: 'pin-1234', password: 'lajna-demo' })).body.error.code).toBe('conflict');

    const dossierId = script.dossiers[0]!.dossierId;
    expect((await chair.post(`/api/arretes/${dossierId}/signature`, { password: 'lajna-demo' })).status).toBe(201);
    const pdf = new Uint8Array((await chair.get(`/api/arretes/${dossierId}/pdf?lang=fr`)).body as Buffer);
    const testCa = fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
    const municipalCa = Buffer.from((await chair.get('/api/signing/ca/ADR')).body as Buffer).toString('utf8');
    expect(pdfsig(pdf, [testCa]).map((s) => [s.field, s.commonName, s.valid, s.certificate])).toEqual([['president', 'president', true, 'Certificate is Trusted.']]);
    // The municipality's CA did not issue it: trusting only that one does not make it trusted.
    expect(pdfsig(pdf, [municipalCa])[0]!.certificate).not.toBe('Certificate is Trusted.');
    const verified = (await new ApiClient(t.url).request('POST', '/api/verify', { raw: pdf, headers: { 'content-type': 'application/pdf' } })).body;
    // The certificate is the one the chair imported: /verify names its holder, in both languages.
    expect(verified).toMatchObject({ kind: 'arrete', state: 'signed', signatures: [{
      role: 'president', signer: 'president', issuer: 'Test TunTrust CA', valid: true, issuedByMunicipality: false,
      signedBy: { nameAr: 'محمد الهادي العياري', nameFr: 'Mohamed Hédi Ayari' },
    }] });
  });
});

describe('an admin importing a PKCS#12 for one of the municipality\'s signers', () => {
  const route = (userId: number | string, municipality: number | string = adrId) => `/api/signing/municipalities/${municipality}/signers/${userId}/certificates`;
  let secretaryId: number;
  beforeAll(async () => {
    secretaryId = (await (await as('secretary@ain-draham.tn')).get('/api/auth/me')).body.userId;
  });

  it('lists the signers, secretary and president, with their certificates, to the municipality\'s admin only', async () => {
    const admin = await as('admin@ain-draham.tn');
    const res = await admin.get(`/api/signing/municipalities/${adrId}/signers`);
    expect(res.status).toBe(200);
    expect(res.body.municipality).toMatchObject({ id: adrId, code: 'ADR' });
    expect(res.body.signers.map((s: { email: string; roles: string[] }) => [s.email, s.roles])).toEqual([
      ['chair@ain-draham.tn', ['chair']], ['secretary@ain-draham.tn', ['secretary']],
    ]);
    expect(res.body.signers[0].certificates).toEqual([expect.objectContaining({ source: 'pkcs12', current: true, awaitingSignerPassword: false })]);
    for (const who of ['secretary@ain-draham.tn', 'chair@ain-draham.tn', 'secretary@tabarka.tn']) {
      expect((await (await as(who)).get(`/api/signing/municipalities/${adrId}/signers`)).status).toBe(403);
    }
    expect((await admin.get('/api/signing/municipalities/x/signers')).body.error.code).toBe('invalid_payload');
  });

  it('refuses, keeping nothing: bad files and passwords by their codes, someone not a signer or unknown, another municipality, a role not admin, extra fields', async () => {
    const admin = await as('admin@ain-draham.tn');
    const post = async (userId: number | string, body: Record<string, unknown>, who = admin, municipality: number | string = adrId) => {
      const res = await who.post(route(userId, municipality), { file: p12('secretary'), filePassword: 'pin-1234', ...body });
      return [res.status, res.body.error?.code];
    };
    const memberId = (await (await as('architect@ain-draham.tn')).get('/api/auth/me')).body.userId;
    expect(await post(secretaryId, { file: Buffer.from('%PDF-1.7\n%%EOF\n').toString('base64') })).toEqual([422, 'not_pkcs12']);
    expect(await post(secretaryId, { filePassword: 'pin-0000' })).toEqual([422, 'wrong_file_password']);
    expect(await post(secretaryId, { file: p12('expired') })).toEqual([422, 'certificate_expired']);
    expect(await post(secretaryId, { file: p12('encipherment') })).toEqual([422, 'key_usage']);
    expect(await post(secretaryId, { file: p12('mismatch') })).toEqual([422, 'key_mismatch']);
    expect(await post(secretaryId, { file: crypto.randomBytes(PKCS12_MAX_BYTES + 1).toString('base64') })).toEqual([413, 'payload_too_large']);
    expect(await post(secretaryId, { file: p12('president') })).toEqual([409, 'conflict']);
    expect(await post(secretaryId, { password: 'x' })).toEqual([400, 'invalid_payload']);
    expect(await post('abc', {})).toEqual([400, 'invalid_payload']);
    expect(await post(memberId, {})).toEqual([404, 'not_found']);
    expect(await post(999_999, {})).toEqual([404, 'not_found']);
    expect(await post(secretaryId, {}, await as('secretary@ain-draham.tn'))).toEqual([403, 'forbidden']);
    expect(await post(secretaryId, {}, await as('secretary@tabarka.tn'))).toEqual([403, 'forbidden']);
    expect(await post(secretaryId, {}, admin, 999_999)).toEqual([403, 'forbidden']);
    expect((await (await as('secretary@ain-draham.tn')).get('/api/signing/certificates')).body).toEqual([]);
  });

  it('keeps it for the person, awaiting their password; their next signature uses it and locks its key under their password', async () => {
    const admin = await as('admin@ain-draham.tn');
    const res = await admin.post(route(secretaryId), { file: p12('secretary'), filePassword: 'pin-1234' });
    expect(res.status).toBe(201);
    const mine = () => res.body.signers.find((s: { userId: number }) => s.userId === secretaryId).certificates;
    expect(mine()).toEqual([expect.objectContaining({ source: 'pkcs12', current: true, awaitingSignerPassword: true, subject: expect.stringContaining('CN=secretary') })]);

    const secretary = await as('secretary@ain-draham.tn');
    const minutes = `/api/minutes/${script.sessionId}`;
    expect((await secretary.post(`${minutes}/finalize`)).status).toBe(200);
    const { hash } = (await secretary.get(minutes)).body;
    expect((await secretary.post(`${minutes}/signatures`, { role: 'secretary', hash, password: 'lajna-demo' })).status).toBe(201);
    const pdf = new Uint8Array((await secretary.get(`${minutes}/pdf?lang=fr`)).body as Buffer);
    expect(pdfsig(pdf, [fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8')]).map((s) => [s.field, s.commonName, s.valid, s.certificate])).toEqual([['secretary', 'secretary', true, 'Certificate is Trusted.']]);
    const after = (await admin.get(`/api/signing/municipalities/${adrId}/signers`)).body.signers.find((s: { userId: number }) => s.userId === secretaryId).certificates;
    expect(after).toEqual([expect.objectContaining({ source: 'pkcs12', awaitingSignerPassword: false })]);
    const row = (await SigningCertificate.findOne({ where: { userId: secretaryId } }))!;
    expect(row.lockedBy).toBe('password');
    expect(await unlockKey({ pem: row.keyPem, salt: row.keySalt }, 'lajna-demo')).not.toBeNull();
  });
});
