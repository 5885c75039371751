/**
 * Private keys at rest: PKCS#8 encrypted with AES-256-CBC (OpenSSL's PBES2) under a
 * passphrase that is itself stretched with scrypt and a salt of the key's own, so a copy of
 * the database or of DATA_DIR alone opens no key. A person's key is locked with their
 * password (unlocked at the moment they sign); the municipality's CA key with the server's
 * signing passphrase.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;

/** 32 MiB and ~0.1 s per unlock: paid once per signature, never per request. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export interface LockedKey {
  /** Encrypted PKCS#8 PEM. */
  pem: string;
  /** Hex salt of the passphrase's stretching. */
  salt: string;
}

const stretch = async (secret: string, salt: Buffer) => (await scrypt(secret, salt, 32, SCRYPT)).toString('base64');

export async function lockKey(privateKeyPem: string, secret: string): Promise<LockedKey> {
  const salt = crypto.randomBytes(16);
  const pem = crypto.createPrivateKey(privateKeyPem).export({
    type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: await stretch(secret, salt),
  }) as string;
  return { pem, salt: salt.toString('hex') };
}

/** The key, or null when `secret` is not the one it was locked with. */
export async function unlockKey(locked: LockedKey, secret: string): Promise<crypto.KeyObject | null> {
  const passphrase = await stretch(secret, Buffer.from(locked.salt, 'hex'));
  try {
    return crypto.createPrivateKey({ key: locked.pem, format: 'pem', passphrase });
  } catch {
    return null;
  }
}
