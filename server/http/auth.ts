import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { LoginBody, type Me } from '../../protocol/auth';
import { AppError } from '../errors';
import { login, logout, SESSION_TTL_MS } from '../services/accounts';
import { parse } from '../validation';
import { requireLogin, SESSION_COOKIE } from './middleware';

export interface AuthRouterOptions {
  loginMaxAttempts: number;
  loginWindowMs: number;
}

/** /api/auth: log in, log out, who am I. */
export function authRouter(opts: AuthRouterOptions): Router {
  const router = Router();
  // Counts failed logins per client address and account, so a guesser is slowed
  // without locking out the rest of a municipality behind the same NAT.
  const limiter = rateLimit({
    windowMs: opts.loginWindowMs,
    limit: opts.loginMaxAttempts,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${String(req.body?.email ?? '').toLowerCase()}`,
    handler: (_req, _res, next) => next(new AppError(429, 'too_many_attempts', 'too many failed logins; try again later')),
  });

  router.post('/login', limiter, async (req: Request, res: Response) => {
    const body = parse(LoginBody, req.body);
    const { token, principal } = await login(body.email, body.password);
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: SESSION_TTL_MS });
    res.json(principal satisfies Me);
  });

  router.post('/logout', async (req, res) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await logout(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/me', requireLogin, (req, res) => {
    res.json(req.principal satisfies Me | undefined);
  });

  return router;
}
