import crypto from 'node:crypto';
import type { IceServerInfo, TransportInfo } from '../../protocol/meeting';
import type { TurnConfig } from '../config';

/**
 * Time-limited TURN credentials by the TURN REST shared secret (what coturn checks with
 * `use-auth-secret` / `static-auth-secret`): the user name is "<expiry unix seconds>:<user
 * id>", the password base64(HMAC-SHA1(secret, user name)). coturn accepts them until the
 * expiry without asking Lajna, and nobody can make one without the secret.
 */
export function turnCredentials(turn: TurnConfig, userId: number, now: Date = new Date()): IceServerInfo {
  const username = `${Math.floor(now.getTime() / 1000) + turn.ttlSeconds}:${userId}`;
  const credential = crypto.createHmac('sha1', turn.secret).update(username).digest('base64');
  return { urls: turn.urls, username, credential };
}

/** The TURN part of a transport's answer for `userId` (nothing without TURN): fresh credentials each time. */
export function turnFor(turn: TurnConfig | undefined, userId: number): Pick<TransportInfo, 'iceServers' | 'iceTransportPolicy'> {
  return turn ? { iceServers: [turnCredentials(turn, userId)], iceTransportPolicy: turn.relayOnly ? 'relay' : 'all' } : {};
}

/** What coturn decides for a credential: its expiry has not passed and its password is the secret's HMAC of the user name. */
export function turnCredentialValid(secret: string, username: string, credential: string, now: Date = new Date()): boolean {
  const expiry = Number(username.split(':')[0]);
  if (!Number.isInteger(expiry) || expiry * 1000 <= now.getTime()) return false;
  const expected = crypto.createHmac('sha1', secret).update(username).digest();
  const given = Buffer.from(credential, 'base64');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
