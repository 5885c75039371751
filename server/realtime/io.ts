import type http from 'node:http';
import { parse as parseCookies } from 'cookie';
import { Server, type Socket } from 'socket.io';
import type { Principal } from '../domain/access';
import { AppError } from '../errors';
import { SESSION_COOKIE } from '../http/middleware';
import { principalFromToken } from '../services/accounts';

/** Per-socket data: set once by the authentication middleware. */
export interface SocketData {
  principal: Principal;
}

/** The socket.io server on the HTTP server's port. Namespaces (e.g. /meeting) attach to it. */
export function createSocketServer(httpServer: http.Server): Server {
  return new Server(httpServer, {
    serveClient: false,
    // The session cookie is SameSite=Lax; also refuse cross-site pages opening a socket with it.
    allowRequest: (req, callback) => {
      const origin = req.headers.origin;
      callback(null, !origin || new URL(origin).host === req.headers.host);
    },
    maxHttpBufferSize: 256 * 1024,
  });
}

/**
 * Socket middleware: resolves the session cookie to a principal, or refuses the
 * connection with `unauthenticated` (the client sees it as connect_error data).
 */
export async function authenticateSocket(socket: Socket, next: (err?: Error) => void): Promise<void> {
  const token = parseCookies(socket.handshake.headers.cookie ?? '')[SESSION_COOKIE];
  const principal = await principalFromToken(token).catch(() => undefined);
  if (!principal) {
    const err = new Error('unauthenticated') as Error & { data: unknown };
    err.data = new AppError(401, 'unauthenticated', 'log in first').toBody();
    return next(err);
  }
  (socket.data as SocketData).principal = principal;
  next();
}
