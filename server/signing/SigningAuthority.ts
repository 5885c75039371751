/**
 * The municipality's signing authority and the credentials people sign with.
 *
 * Each municipality gets, on first start (or when it first needs one), a CA of its own: an
 * RSA-2048 key (a key per municipality made at every fresh start of a test server: 3072 bits cost seconds of CPU each) and a self-signed certificate under DATA_DIR/signing/<CODE>/, the key locked
 * with the server's signing passphrase (SIGNING_PASSPHRASE, else a random one kept in
 * DATA_DIR/signing/passphrase, mode 0600). A secretary, chair or president gets a signing
 * certificate from it the first time they sign, with a key locked by their own password:
 * it is unlocked only at the moment they sign, with the password they type. A password that
 * changed since cannot unlock the old key, so a fresh certificate is issued then (the old
 * one keeps verifying the documents it signed).
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Membership, Municipality, SigningCertificate, User } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import { sha256Hex } from '../domain/auditChain';
import { readOrCreateSecret } from '../secretFile';
import { SIGNER_ROLES } from '../../protocol/minutes';
import type { MunicipalSigners, SigningCertificateView } from '../../protocol/signing';
import { AppError, conflict, notFound } from '../errors';
import { appendAudit } from '../services/audit';
import { caCertificate, newRsaKeyPair, readPkcs12, signerCertificate, signingCertificateProblem, type Pkcs12Problem } from './certificates';
import type { CmsSigner } from './cms';
import { lockKey, unlockKey, type LockedKey } from './keyVault';

export interface SigningAuthorityOptions {
  dataDir: string;
  /** Locks the CAs' keys; a random one kept under DATA_DIR/signing when not given. */
  passphrase?: string;
}

interface CaFiles {
  certificatePem: string;
  key: LockedKey;
}

export interface SignerIdentity {
  userId: number;
  municipalityId: number;
}

/** Whose secret locks an imported key: the holder's account password (typed by them), or the server's passphrase (an admin's import, until the holder's next signature). */
export type ImportLock = { accountPassword: string } | { importedBy: number };

/** One person's certificate rows (newest first) as they are shown: the first still valid of each municipality is the current one. */
function certificateViews(rows: SigningCertificate[], at: Date): SigningCertificateView[] {
  const seen = new Set<number>();
  return rows.map((r) => {
    const current = r.notAfter > at && !seen.has(r.municipalityId);
    if (current) seen.add(r.municipalityId);
    return {
      sha256: r.sha256, municipalityId: r.municipalityId, source: r.source, subject: r.subject, issuer: r.issuer, notAfter: r.notAfter.toISOString(), current,
      awaitingSignerPassword: r.lockedBy === 'server',
    };
  });
}

const CA_YEARS = 20;
const SIGNER_YEARS = 3;

const x509 = (pem: string) => new crypto.X509Certificate(pem);

const PKCS12_PROBLEMS: Record<Pkcs12Problem, string> = {
  not_pkcs12: 'the file is not a PKCS#12 (.p12, .pfx) file',
  wrong_file_password: 'the file\'s password is wrong',
  no_key: 'the file holds no private key with a certificate',
  key_mismatch: 'the private key in the file is not the key of its certificate',
};
const CERTIFICATE_PROBLEMS = {
  certificate_expired: 'the certificate has expired',
  certificate_not_yet_valid: 'the certificate is not valid yet',
  key_usage: 'the certificate is not issued for signatures (key usage digitalSignature or nonRepudiation)',
} as const;
const fingerprint = (pem: string) => sha256Hex(x509(pem).raw);

export class SigningAuthority {
  readonly #cas = new Map<string, Promise<CaFiles>>();

  private constructor(
    private readonly dir: string,
    private readonly passphrase: string,
  ) {}

  static async create(o: SigningAuthorityOptions): Promise<SigningAuthority> {
    const dir = path.join(o.dataDir, 'signing');
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    // A random one, kept beside the CAs, when none is given.
    const passphrase = o.passphrase || (await readOrCreateSecret(path.join(dir, 'passphrase'), () => crypto.randomBytes(32).toString('base64url'))).text;
    return new SigningAuthority(dir, passphrase.trim());
  }

  /** Makes sure every municipality has its CA (at start). */
  async ensureAll(): Promise<void> {
    for (const m of await Municipality.findAll()) await this.#ca(m);
  }

  /** The municipality's CA certificate (PEM), made if it has none yet: what a reader is told to trust. */
  async caCertificate(municipalityId: number): Promise<string> {
    const m = await Municipality.findByPk(municipalityId);
    if (!m) throw new Error(`no municipality ${municipalityId}`);
    return (await this.#ca(m)).certificatePem;
  }

  /** The same by the municipality's code; null for a code no municipality has. */
  async caCertificateOf(code: string): Promise<string | null> {
    const m = await Municipality.findOne({ where: { code } });
    return m ? (await this.#ca(m)).certificatePem : null;
  }

  #ca(m: Municipality): Promise<CaFiles> {
    let ca = this.#cas.get(m.code);
    if (!ca) {
      ca = this.#loadOrCreateCa(m);
      ca.catch(() => this.#cas.delete(m.code));
      this.#cas.set(m.code, ca);
    }
    return ca;
  }

  async #loadOrCreateCa(m: Municipality): Promise<CaFiles> {
    const dir = path.join(this.dir, m.code.replace(/[^A-Za-z0-9_-]/g, '_'));
    const files = { cert: path.join(dir, 'ca.pem'), key: path.join(dir, 'ca.key.pem'), salt: path.join(dir, 'ca.key.salt') };
    try {
      const [certificatePem, pem, salt] = await Promise.all([files.cert, files.key, files.salt].map((f) => fs.readFile(f, 'utf8')));
      return { certificatePem: certificatePem!, key: { pem: pem!, salt: salt!.trim() } };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const { privateKeyPem, publicKeyPem } = await newRsaKeyPair(2048);
    const certificatePem = caCertificate({
      subject: { commonName: `Autorité de signature — ${m.nameFr}`, organization: `${m.nameFr} — ${m.nameAr}`, organizationalUnit: 'Lajna' },
      publicKeyPem, privateKeyPem, notBefore: new Date(Date.now() - 60_000), years: CA_YEARS,
    });
    const key = await lockKey(privateKeyPem, this.passphrase);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    // The key first, the certificate last: a CA is there once its certificate is.
    await fs.writeFile(files.key, key.pem, { mode: 0o600 });
    await fs.writeFile(files.salt, key.salt, { mode: 0o600 });
    await fs.writeFile(files.cert, certificatePem, { mode: 0o644 });
    return { certificatePem, key };
  }

  /**
   * What `who` signs with, unlocked by the password they just typed (checked before by the
   * caller): their latest certificate for the municipality, or a new one from its CA when
   * they have none or their key does not open with this password.
   */
  async signerFor(who: SignerIdentity, password: string, at = new Date()): Promise<CmsSigner & { certificateSha256: string }> {
    const rows = await SigningCertificate.findAll({ where: { userId: who.userId, municipalityId: who.municipalityId }, order: [['id', 'DESC']] });
    for (const row of rows.filter((r) => r.notAfter > at)) {
      const server = row.lockedBy === 'server';
      const key = await unlockKey({ pem: row.keyPem, salt: row.keySalt }, server ? this.passphrase : password);
      if (!key) continue;
      // An admin's import: from its holder's first signature on, their password alone opens it.
      if (server) await this.#relock(row, key, password);
      return { key, certificatePem: row.certificatePem, chainPem: JSON.parse(row.chainPem) as string[], certificateSha256: row.sha256 };
    }
    const issued = await this.#issue(who, password, at);
    return { ...issued, key: crypto.createPrivateKey(issued.privateKeyPem) };
  }

  async #issue(who: SignerIdentity, password: string, at: Date) {
    const [user, m] = await Promise.all([User.findByPk(who.userId), Municipality.findByPk(who.municipalityId)]);
    if (!user || !m) throw new Error('no such signer');
    const ca = await this.#ca(m);
    const caKey = await unlockKey(ca.key, this.passphrase);
    if (!caKey) throw new Error(`the CA key of ${m.code} does not open with the signing passphrase`);
    const { privateKeyPem, publicKeyPem } = await newRsaKeyPair(2048);
    const certificatePem = signerCertificate({
      subject: { commonName: `${user.nameFr} — ${user.nameAr}`, organization: `${m.nameFr} — ${m.nameAr}` },
      email: user.email, publicKeyPem, notBefore: new Date(at.getTime() - 60_000), years: SIGNER_YEARS,
      caCertificatePem: ca.certificatePem, caPrivateKeyPem: caKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    });
    await this.#keep(who, 'municipal_ca', certificatePem, [ca.certificatePem], privateKeyPem, { accountPassword: password });
    return { privateKeyPem, certificatePem, chainPem: [ca.certificatePem], certificateSha256: fingerprint(certificatePem) };
  }

  /**
   * Keeps a person's PKCS#12 certificate (e.g. TunTrust's) to sign with instead of one from
   * the municipality's CA: from then on their signatures for this municipality use it, its
   * chain embedded. Its key is locked with the person's account password when they import it
   * themselves, typing both; imported by an admin (who does not know that password), it is
   * locked with the server's signing passphrase until the person's next signature locks it
   * under their password. Refused (422, nothing kept) unless it is a PKCS#12 that opens with
   * `filePassword`, holds the key of its certificate, and that certificate is valid now and
   * made for signatures.
   */
  async importPkcs12(who: SignerIdentity, file: Buffer, filePassword: string, lock: ImportLock, at = new Date()): Promise<SigningCertificate> {
    const contents = readPkcs12(file, filePassword);
    if ('problem' in contents) throw new AppError(422, contents.problem, PKCS12_PROBLEMS[contents.problem]);
    const problem = signingCertificateProblem(contents.certificatePem, at);
    if (problem) throw new AppError(422, problem, CERTIFICATE_PROBLEMS[problem]);
    if (await SigningCertificate.count({ where: { sha256: fingerprint(contents.certificatePem) } })) throw conflict('this certificate is already imported');
    return this.#keep(who, 'pkcs12', contents.certificatePem, contents.chainPem, contents.privateKeyPem, lock);
  }

  /** The certificates `userId` signs with, newest first; `current` the one each municipality's next signature uses unless the password no longer opens it. */
  static async certificatesOf(userId: number, at = new Date()): Promise<SigningCertificateView[]> {
    return certificateViews(await SigningCertificate.findAll({ where: { userId }, order: [['id', 'DESC']] }), at);
  }

  /** The municipality's signers (SIGNER_ROLES), each with the certificates they sign with for it. */
  static async signersOf(municipalityId: number, at = new Date()): Promise<MunicipalSigners> {
    const m = await Municipality.findByPk(municipalityId);
    if (!m) throw notFound('municipality');
    const memberships = await Membership.findAll({ where: { municipalityId, role: [...SIGNER_ROLES] }, include: [User], order: [['userId', 'ASC']] }) as (Membership & { User: User })[];
    const users = [...new Map(memberships.map((ms) => [ms.userId, ms.User])).values()];
    // One read for every signer's certificates of this municipality.
    const rows = await SigningCertificate.findAll({ where: { municipalityId, userId: users.map((u) => u.id) }, order: [['id', 'DESC']] });
    return {
      municipality: { id: m.id, code: m.code, nameAr: m.nameAr, nameFr: m.nameFr },
      signers: users.map((u) => ({
        userId: u.id, nameAr: u.nameAr, nameFr: u.nameFr, email: u.email,
        roles: SIGNER_ROLES.filter((r) => memberships.some((ms) => ms.userId === u.id && ms.role === r)),
        certificates: certificateViews(rows.filter((r) => r.userId === u.id), at),
      })),
    };
  }

  async #keep(who: SignerIdentity, source: SigningCertificate['source'], certificatePem: string, chainPem: string[], privateKeyPem: string, lock: ImportLock): Promise<SigningCertificate> {
    const byAdmin = 'importedBy' in lock;
    const locked = await lockKey(privateKeyPem, byAdmin ? this.passphrase : lock.accountPassword);
    const cert = x509(certificatePem);
    return writeTransaction(SigningCertificate.sequelize!, async (transaction) => {
      const row = await SigningCertificate.create({
        userId: who.userId, municipalityId: who.municipalityId, source, certificatePem, chainPem: JSON.stringify(chainPem),
        keyPem: locked.pem, keySalt: locked.salt, lockedBy: byAdmin ? 'server' : 'password', sha256: sha256Hex(cert.raw),
        subject: cert.subject, issuer: cert.issuer, notAfter: new Date(cert.validTo),
      }, { transaction });
      if (byAdmin) {
        await appendAudit(transaction, {
          actorId: lock.importedBy, action: 'signing_certificate.imported', subject: `user:${who.userId}`,
          payload: { municipalityId: who.municipalityId, sha256: row.sha256, subject: row.subject, issuer: row.issuer },
        });
      }
      return row;
    });
  }

  /** Locks an admin-imported key under its holder's password, the server's passphrase no longer opening it. */
  async #relock(row: SigningCertificate, key: crypto.KeyObject, password: string): Promise<void> {
    const locked = await lockKey(key.export({ type: 'pkcs8', format: 'pem' }) as string, password);
    await writeTransaction(SigningCertificate.sequelize!, (transaction) => row.update({ keyPem: locked.pem, keySalt: locked.salt, lockedBy: 'password' }, { transaction }));
  }
}
