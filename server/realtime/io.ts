import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { parse as parseCookies } from 'cookie';
import { Server, type Socket } from 'socket.io';
import type { Principal } from '../domain/access';
import { AppError } from '../errors';
import { SESSION_COOKIE } from '../http/middleware';
import type { Logger } from '../log';
import { loginFromToken } from '../services/accounts';

/** Per-socket data: set once by the authentication middleware. */
export interface SocketData {
  principal: Principal;
  /** The login session the socket was opened with (its stored id): a logout names it. */
  loginId: string;
  /** When that login expires (ms since the epoch): the socket's rights end then. */
  loginExpiresAt: number;
}

export interface SocketServerOptions {
  log: Logger;
  /** The address people use (PUBLIC_URL): its origin is accepted besides the request's own host. */
  publicUrl?: string;
}

/** `host[:port]` of a URL, lower-cased and without a default port; undefined when it does not parse. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a socket.io request may use the session cookie: no Origin (not a browser page), or
 * the Origin of this server. `null` (sandboxed frames, file: pages), a foreign site or a value
 * that is not a URL are refused. Pure, never throws: it runs on input straight from the network.
 */
export function originAllowed(req: Pick<http.IncomingMessage, 'headers'>, publicUrl?: string): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const from = hostOf(origin);
  if (!from || !/^https?:\/\//i.test(origin)) return false;
  const own = req.headers.host ? hostOf(`http://${req.headers.host}`) : undefined;
  return from === own || (publicUrl !== undefined && from === hostOf(publicUrl));
}

function refuseUpgrade(socket: Duplex): void {
  socket.on('error', () => {}); // the peer may already be gone; nothing to tell it
  const body = JSON.stringify(new AppError(403, 'forbidden', 'origin not allowed').toBody());
  if (socket.writable) {
    socket.write(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }
  socket.destroy();
}

/**
 * The socket.io server on the HTTP server's port. Namespaces (e.g. /meeting) attach to it.
 * The session cookie is SameSite=Lax; a cross-site page must not open a socket with it, so
 * the Origin is checked on the polling handshake (engine.io answers 403) and on every
 * websocket upgrade (answered 403 here: engine.io would say 400 for any refusal).
 */
export function createSocketServer(httpServer: http.Server, opts: SocketServerOptions): Server {
  const io = new Server(httpServer, {
    serveClient: false,
    allowRequest: (req, callback) => callback(null, originAllowed(req, opts.publicUrl)),
    maxHttpBufferSize: 256 * 1024,
    // A connection that died silently (a line gone, a phone out of coverage) is noticed by
    // both sides within 20 s instead of socket.io's 45: the member's screen says
    // "reconnecting" and the room "reconnecting" rather than showing a meeting that is gone.
    pingInterval: 10_000,
    pingTimeout: 10_000,
  });
  const engineUpgrade = httpServer.listeners('upgrade') as ((req: http.IncomingMessage, socket: Duplex, head: Buffer) => void)[];
  httpServer.removeAllListeners('upgrade');
  httpServer.on('upgrade', (req, socket, head) => {
    if (!originAllowed(req, opts.publicUrl)) {
      opts.log.info({ origin: req.headers.origin, address: req.socket.remoteAddress }, 'websocket upgrade refused: origin');
      return refuseUpgrade(socket);
    }
    for (const listener of engineUpgrade) listener.call(httpServer, req, socket, head);
  });
  // Refused handshakes, unknown sids, bad transports: expected from the internet, logged without the request.
  io.engine.on('connection_error', (err: { req?: http.IncomingMessage; code: number; message: string; context?: unknown }) => {
    opts.log.info({ code: err.code, reason: err.message, origin: err.req?.headers.origin, address: err.req?.socket.remoteAddress }, 'engine.io request refused');
  });
  return io;
}

/**
 * Socket middleware: resolves the session cookie to a principal, or refuses the
 * connection with `unauthenticated` (the client sees it as connect_error data).
 */
export async function authenticateSocket(socket: Socket, next: (err?: Error) => void): Promise<void> {
  const token = parseCookies(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE];
  const login = await loginFromToken(token).catch(() => undefined);
  if (!login) {
    const err = new Error('unauthenticated') as Error & { data: unknown };
    err.data = new AppError(401, 'unauthenticated', 'log in first').toBody();
    return next(err);
  }
  Object.assign(socket.data as SocketData, { principal: login.principal, loginId: login.loginId, loginExpiresAt: login.expiresAt.getTime() } satisfies SocketData);
  next();
}
