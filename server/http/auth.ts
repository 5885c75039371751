import { Router, type Request, type Response } from 'express';
import { LoginBody, type Me } from '../../protocol/auth';
import type { Config } from '../config';
import { LoginThrottle, type LoginOutcome } from '../domain/loginThrottle';
import { AppError } from '../errors';
import { login, logout, SESSION_TTL_MS } from '../services/accounts';
import type { PasswordHasher } from '../services/PasswordHasher';
import type { RightsFeed } from '../services/RightsFeed';
import { parse } from '../validation';
import { requireLogin, SESSION_COOKIE } from './middleware';

export type AuthRouterOptions = Pick<Config, 'loginMaxAttempts' | 'loginWindowMs' | 'loginMaxDelayMs' | 'loginGlobalFailuresPerMinute'>;

/** A first wait short enough not to annoy someone who mistyped ten times, long enough to slow a script. */
const FIRST_DELAY_MS = 5_000;
const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * /api/auth: log in, log out, who am I. A login is checked against the limiter
 * (domain/loginThrottle: per account, per address, for the whole server) before any hashing;
 * the password is then hashed on the PasswordHasher's threads, which refuse at once (503
 * server_busy, Retry-After) when too many are waiting. A logout is published on the rights
 * feed: the sockets of that login are told and refused from then on.
 */
export function authRouter(opts: AuthRouterOptions, hasher: PasswordHasher, rights: RightsFeed): Router {
  const router = Router();
  const throttle = new LoginThrottle({
    maxFailures: opts.loginMaxAttempts,
    windowMs: opts.loginWindowMs,
    firstDelayMs: Math.min(FIRST_DELAY_MS, opts.loginMaxDelayMs),
    maxDelayMs: opts.loginMaxDelayMs,
    globalFailuresPerMinute: opts.loginGlobalFailuresPerMinute,
    knownForMs: KNOWN_ADDRESS_MS,
    maxKnown: 100_000,
  });

  router.post('/login', async (req: Request, res: Response) => {
    const body = parse(LoginBody, req.body);
    const verdict = throttle.begin(body.email, req.ip ?? '', Date.now());
    if (!verdict.allowed) {
      const seconds = Math.ceil(verdict.retryAfterMs / 1000);
      throw new AppError(429, 'too_many_attempts', `too many failed logins; try again in ${seconds} s`, { retryAfterSeconds: seconds, limit: verdict.limit }, { 'Retry-After': String(seconds) });
    }
    let outcome: LoginOutcome = 'none';
    try {
      const { token, principal } = await login(hasher, body.email, body.password);
      outcome = 'success';
      res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: SESSION_TTL_MS });
      res.json(principal satisfies Me);
    } catch (error) {
      // Only a wrong password is a failure; a refusal for load (503) or a fault says nothing about it.
      if (error instanceof AppError && error.code === 'invalid_credentials') outcome = 'failure';
      throw error;
    } finally {
      throttle.end(verdict.attempt, outcome, Date.now());
    }
  });

  router.post('/logout', async (req, res) => {
    const token = req.cookies[SESSION_COOKIE];
    const ended = token ? await logout(token) : undefined;
    // Sockets opened with this login lose their rights now, not at their next handshake.
    if (ended) rights.publish({ kind: 'login_ended', ...ended });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/me', requireLogin, (req, res) => {
    res.json(req.principal satisfies Me | undefined);
  });

  return router;
}
