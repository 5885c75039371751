import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrations';
import { defineModels, Municipality, SigningCertificate, User } from '../../db/models';
import { seedDemo } from '../../server/demo/seed';
import { signDetached, readCms } from '../../server/signing/cms';
import { SigningAuthority } from '../../server/signing/SigningAuthority';
import { createTestStore, type TestStore } from '../support/database';

let sequelize: Sequelize;
let store: TestStore;
let authority: SigningAuthority;
let who: { userId: number; municipalityId: number };

beforeAll(async () => {
  store = await createTestStore('lajna-signing-');
  sequelize = await store.open();
  defineModels(sequelize);
  await migrate(sequelize);
  await seedDemo(sequelize, store.dataDir);
  authority = await SigningAuthority.create({ dataDir: store.dataDir });
  await authority.ensureAll();
  const adr = (await Municipality.findOne({ where: { code: 'ADR' } }))!;
  who = { userId: (await User.findOne({ where: { email: 'chair@ain-draham.tn' } }))!.id, municipalityId: adr.id };
}, 120_000);

afterAll(async () => {
  await sequelize?.close();
  await store?.remove();
});

describe('the municipality signing CA and the signers\' certificates', () => {
  it('gives every municipality a CA under DATA_DIR on first start, its key encrypted at rest', async () => {
    const dir = path.join(store.dataDir, 'signing');
    expect(fs.statSync(path.join(dir, 'passphrase')).mode & 0o777).toBe(0o600);
    for (const code of ['ADR', 'TBK']) {
      const key = fs.readFileSync(path.join(dir, code, 'ca.key.pem'), 'utf8');
      expect(key).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      expect(() => crypto.createPrivateKey(key)).toThrow();
      const ca = new crypto.X509Certificate(fs.readFileSync(path.join(dir, code, 'ca.pem')));
      expect(ca.ca).toBe(true);
      expect(ca.checkIssued(ca)).toBe(true);
      expect(new crypto.X509Certificate((await authority.caCertificateOf(code))!).fingerprint256).toBe(ca.fingerprint256);
    }
    // A restart reads the same CA, it does not make another.
    const again = await SigningAuthority.create({ dataDir: store.dataDir });
    expect(await again.caCertificateOf('ADR')).toBe(await authority.caCertificateOf('ADR'));
    expect(await authority.caCertificateOf('NOPE')).toBeNull();
  });

  it('issues a signer a certificate on first signing, locked with their password; a changed password gets a new one', async () => {
    const first = await authority.signerFor(who, 'lajna-demo');
    const cert = new crypto.X509Certificate(first.certificatePem);
    const ca = new crypto.X509Certificate((await authority.caCertificateOf('ADR'))!);
    expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
    expect(cert.subject).toContain('CN=Mohamed Hédi Ayari — محمد الهادي العياري');
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.4');
    const row = (await SigningCertificate.findOne({ where: { userId: who.userId } }))!;
    expect(row.keyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(row.keyPem).not.toContain(first.key.export({ type: 'pkcs8', format: 'pem' }).toString().split('\n')[1]);
    // The same password opens the same key: no new certificate.
    expect((await authority.signerFor(who, 'lajna-demo')).certificateSha256).toBe(first.certificateSha256);
    expect(await SigningCertificate.count({ where: { userId: who.userId } })).toBe(1);
    const after = await authority.signerFor(who, 'a-new-password');
    expect(after.certificateSha256).not.toBe(first.certificateSha256);
    expect(await SigningCertificate.count({ where: { userId: who.userId } })).toBe(2);
    const content = Buffer.from('the signed bytes');
    expect(readCms(await signDetached(content, after))!.verify(content)).toBe(true);
  });

  it('imports a PKCS#12 made with openssl, which the person then signs with; a wrong file password is refused', async () => {
    const dir = fs.mkdtempSync(path.join(store.dataDir, 'p12-'));
    const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/C=TN/O=TunTrust test/CN=Test CA');
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'me.key', '-out', 'me.csr', '-subj', '/C=TN/O=Commune/CN=Salma Jendoubi');
    fs.writeFileSync(path.join(dir, 'signer.ext'), 'keyUsage = critical, digitalSignature, nonRepudiation\n');
    run('x509', '-req', '-in', 'me.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'me.pem', '-days', '30', '-extfile', 'signer.ext');
    run('pkcs12', '-export', '-inkey', 'me.key', '-in', 'me.pem', '-certfile', 'ca.pem', '-out', 'me.p12', '-passout', 'pass:pin-1234');
    const file = fs.readFileSync(path.join(dir, 'me.p12'));
    const secretary = { ...who, userId: (await User.findOne({ where: { email: 'secretary@ain-draham.tn' } }))!.id };
    await expect(authority.importPkcs12(secretary, file, 'wrong-pin', { accountPassword: 'lajna-demo' })).rejects.toMatchObject({ code: 'wrong_file_password' });
    const imported = await authority.importPkcs12(secretary, file, 'pin-1234', { accountPassword: 'lajna-demo' });
    expect(imported.subject).toContain('CN=Salma Jendoubi');
    expect(imported.issuer).toContain('CN=Test CA');
    const signer = await authority.signerFor(secretary, 'lajna-demo');
    expect(signer.certificateSha256).toBe(imported.sha256);
    expect(signer.chainPem.map((p) => new crypto.X509Certificate(p).subject)).toEqual([expect.stringContaining('CN=Test CA')]);
    const content = Buffer.from('minutes');
    const reading = readCms(await signDetached(content, signer))!;
    expect([reading.verify(content), reading.verify(Buffer.from('minutez')), reading.signer!.subject]).toEqual([true, false, expect.stringContaining('Salma Jendoubi')]);
  });
});
