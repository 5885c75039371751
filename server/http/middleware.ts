import crypto from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Role } from '../../protocol/enums';
import { hasRole, type Principal } from '../domain/access';
import { AppError, forbidden } from '../errors';
import type { Logger } from '../log';
import { principalFromToken } from '../services/accounts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export const SESSION_COOKIE = 'lajna_session';
export const CSRF_COOKIE = 'lajna_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Parses cookies and resolves the session cookie to a principal. */
export const authenticate: RequestHandler = async (req, _res, next) => {
  req.cookies = parseCookies(req.headers.cookie ?? '');
  req.principal = await principalFromToken(req.cookies[SESSION_COOKIE]);
  next();
};

/**
 * Double-submit CSRF protection: every browser gets a random token in a readable
 * cookie; a state-changing request must echo it in X-CSRF-Token. A foreign site can
 * neither read the cookie nor set the header.
 */
export const csrf: RequestHandler = (req, res, next) => {
  let token = req.cookies[CSRF_COOKIE];
  if (!token) {
    token = crypto.randomBytes(24).toString('base64url');
    res.cookie(CSRF_COOKIE, token, { sameSite: 'strict', secure: req.secure, path: '/' });
  }
  if (SAFE_METHODS.has(req.method)) return next();
  const sent = req.get(CSRF_HEADER);
  if (!sent || !req.cookies[CSRF_COOKIE] || !timingSafeEqualStrings(sent, req.cookies[CSRF_COOKIE]!)) {
    return next(new AppError(403, 'csrf_failed', 'missing or wrong CSRF token'));
  }
  next();
};

function timingSafeEqualStrings(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** The request must come from a logged-in user. */
export const requireLogin: RequestHandler = (req, _res, next) => {
  if (!req.principal) return next(new AppError(401, 'unauthenticated', 'log in first'));
  next();
};

/**
 * The request's principal must hold one of `roles`; with `municipalityOf`, in the
 * municipality that owns the resource (the check itself is domain/access.hasRole).
 */
export function requireRole(roles: readonly Role[], municipalityOf?: (req: Request) => number | Promise<number>): RequestHandler {
  return async (req, _res, next) => {
    if (!req.principal) return next(new AppError(401, 'unauthenticated', 'log in first'));
    const municipalityId = municipalityOf ? await municipalityOf(req) : undefined;
    if (!hasRole(req.principal, roles, municipalityId)) return next(forbidden());
    next();
  };
}

/** Access log: one JSON line per request. */
export function accessLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      log.info({ method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(ms * 10) / 10, user: req.principal?.userId }, 'http');
    });
    next();
  };
}

/**
 * A request body with a content coding (gzip, br, …) is refused before anything reads it: no
 * client of ours compresses what it sends, and inflating untrusted bytes is a bomb waiting to
 * go off. `identity` is the absence of coding.
 */
export const refuseContentEncoding: RequestHandler = (req, res, next) => {
  const coding = req.get('content-encoding')?.trim().toLowerCase();
  if (!coding || coding === 'identity') return next();
  res.setHeader('Accept-Encoding', 'identity');
  next(new AppError(415, 'unsupported_encoding', 'request bodies are accepted without content coding', { contentEncoding: coding.slice(0, 64) }));
};

/** What a request body to the API may be: JSON, a multipart upload, or a PDF to verify. */
const BODY_TYPES = ['application/json', 'multipart/form-data', 'application/pdf'];

/**
 * A body of any other type (a form post, text, no type at all) is refused, not ignored: a
 * route whose body is optional would otherwise act as if it had been sent none.
 */
export const refuseOtherBodies: RequestHandler = (req, _res, next) => {
  // A POST without a body still says `Content-Length: 0` (browsers, fetch): that is no body.
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(BODY_TYPES)) return next(new AppError(415, 'unsupported_media_type', `send ${BODY_TYPES.join(', ')}`));
  next();
};

/**
 * Turns every error into `{ error: { code, message } }` with a stable code. An unexpected
 * one is logged with the request's context and answered `500 internal` without its text:
 * messages of the database, the file system or mediasoup never reach a client.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const appError = toAppError(err);
    if (appError.status >= 500) {
      log.error({ err, method: req.method, url: req.originalUrl, user: req.principal?.userId, address: req.ip }, 'request failed');
    }
    // Part of a body is out (a stream failed midway): cut the connection so the client sees it is incomplete.
    if (res.headersSent) return void res.destroy();
    if (appError.headers) res.set(appError.headers);
    res.status(appError.status).json(appError.toBody());
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { type?: string; status?: number } | null;
  if (e?.type === 'entity.parse.failed') return new AppError(400, 'malformed_json', 'the body is not valid JSON');
  if (e?.type === 'entity.too.large') return new AppError(413, 'payload_too_large', 'the body is too large');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new AppError(415, 'unsupported_media_type', 'unsupported body encoding');
  }
  // Express's own parts mark what the client got wrong (an aborted body, a bad length) with a 4xx status.
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new AppError(400, 'bad_request', 'the request could not be read');
  return new AppError(500, 'internal', 'internal error');
}
