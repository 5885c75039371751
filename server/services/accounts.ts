import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { LoginSession, Membership, User } from '../../db/models';
import type { Principal } from '../domain/access';
import { AppError } from '../errors';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;
// OWASP's scrypt floor: N=2^17, r=8, p=1 (128 MiB of work memory per hash).
const N = 2 ** 17, R = 8, P = 1, KEYLEN = 32;
const SCRYPT_MAXMEM = 256 * 1024 * 1024;
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** `scrypt$N$r$p$salt$hash`, so parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: SCRYPT_MAXMEM });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT_MAXMEM,
  });
  return crypto.timingSafeEqual(expected, actual);
}

// Compared against when the email is unknown, so both failures take the same time.
const DUMMY_HASH = hashPassword(crypto.randomBytes(16).toString('hex'));

const tokenId = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** Checks the credentials and opens a login session; returns the cookie token. */
export async function login(email: string, password: string): Promise<{ token: string; principal: Principal }> {
  const user = await User.findOne({ where: { email: email.trim().toLowerCase() } });
  const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH));
  if (!user || !ok) throw new AppError(401, 'invalid_credentials', 'wrong email or password');
  const token = crypto.randomBytes(32).toString('base64url');
  await LoginSession.create({ id: tokenId(token), userId: user.id, expiresAt: new Date(Date.now() + SESSION_TTL_MS) });
  return { token, principal: await principalOf(user) };
}

export async function logout(token: string): Promise<void> {
  await LoginSession.destroy({ where: { id: tokenId(token) } });
}

/** The principal behind a session cookie, or undefined when it is unknown or expired. */
export async function principalFromToken(token: string | undefined): Promise<Principal | undefined> {
  if (!token) return undefined;
  const session = await LoginSession.findByPk(tokenId(token), { include: [User] });
  if (!session) return undefined;
  if (session.expiresAt.getTime() < Date.now()) {
    await session.destroy();
    return undefined;
  }
  return principalOf((session as LoginSession & { User: User }).User);
}

async function principalOf(user: User): Promise<Principal> {
  const memberships = await Membership.findAll({ where: { userId: user.id } });
  return {
    userId: user.id,
    email: user.email,
    nameAr: user.nameAr,
    nameFr: user.nameFr,
    memberships: memberships.map((m) => ({ municipalityId: m.municipalityId, role: m.role })),
  };
}
