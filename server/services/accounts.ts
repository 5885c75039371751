import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { LoginSession, Membership, User } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import { normaliseEmail } from '../../protocol/auth';
import type { Principal } from '../domain/access';
import { AppError } from '../errors';
import { formatHash, SCRYPT, type PasswordHasher } from './PasswordHasher';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;

/**
 * A password hash made outside any request (demo data, test accounts): on libuv's pool,
 * which is fine once at start. Logins hash on the PasswordHasher's threads.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  return formatHash(salt, await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: SCRYPT.maxmem }));
}

// Compared against when the email is unknown, so both failures cost the same (and take as long).
const DUMMY_HASH = hashPassword(crypto.randomBytes(16).toString('hex'));

const tokenId = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** Checks the credentials (email normalised as everywhere: protocol/auth) and opens a login session; returns the cookie token. */
export async function login(hasher: PasswordHasher, email: string, password: string): Promise<{ token: string; principal: Principal }> {
  const user = await User.findOne({ where: { email: normaliseEmail(email) } });
  const ok = await hasher.verify(password, user?.passwordHash ?? (await DUMMY_HASH));
  if (!user || !ok) throw new AppError(401, 'invalid_credentials', 'wrong email or password');
  const token = crypto.randomBytes(32).toString('base64url');
  await writeTransaction(LoginSession.sequelize!, (transaction) =>
    LoginSession.create({ id: tokenId(token), userId: user.id, expiresAt: new Date(Date.now() + SESSION_TTL_MS) }, { transaction }),
  );
  return { token, principal: await principalOf(user) };
}

/** A login session as sockets hold it: whose, which one (the stored id, never the token), until when. */
export interface Login {
  principal: Principal;
  loginId: string;
  expiresAt: Date;
}

/**
 * Ends the login session of a cookie token; gives the login it ended (undefined when it was
 * unknown), for the caller to publish, so sockets opened with it lose their rights at once.
 */
export async function logout(token: string): Promise<{ loginId: string; userId: number } | undefined> {
  const loginId = tokenId(token);
  return writeTransaction(LoginSession.sequelize!, async (transaction) => {
    const session = await LoginSession.findByPk(loginId, { attributes: ['id', 'userId'], transaction });
    if (!session) return undefined;
    await session.destroy({ transaction });
    return { loginId, userId: session.userId };
  });
}

/** The login behind a session cookie, or undefined when it is unknown or expired. */
export async function loginFromToken(token: string | undefined): Promise<Login | undefined> {
  if (!token) return undefined;
  const session = await LoginSession.findByPk(tokenId(token), { include: [User] });
  if (!session) return undefined;
  if (session.expiresAt.getTime() < Date.now()) {
    await writeTransaction(LoginSession.sequelize!, (transaction) => session.destroy({ transaction }));
    return undefined;
  }
  return { principal: await principalOf((session as LoginSession & { User: User }).User), loginId: session.id, expiresAt: session.expiresAt };
}

/** The principal behind a session cookie, or undefined when it is unknown or expired. */
export async function principalFromToken(token: string | undefined): Promise<Principal | undefined> {
  return (await loginFromToken(token))?.principal;
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
