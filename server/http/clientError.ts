import type { Duplex } from 'node:stream';
import type { ErrorCode } from '../../protocol/errors';
import type { Logger } from '../log';

/** Node's HTTP parser errors and the answer each gets (what Node answers by itself, with our error body). */
const ANSWERS: Record<string, [status: number, reason: string, code: ErrorCode]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'payload_too_large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request_timeout'],
};

/**
 * The HTTP server's `clientError` listener: a request the parser could not read (broken
 * request line, bad header, oversized headers, a slow client) is answered and its
 * connection closed, logged with the peer's address; it never reaches express nor ends anything.
 */
export function answerClientError(log: Logger): (err: Error & { code?: string }, socket: Duplex) => void {
  return (err, socket) => {
    const address = (socket as Duplex & { remoteAddress?: string }).remoteAddress;
    log.debug({ code: err.code, reason: err.message, address }, 'http client error');
    socket.on('error', () => {}); // the peer may have gone; there is nobody to tell
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, reason, code] = ANSWERS[err.code ?? ''] ?? [400, 'Bad Request', 'bad_request'];
    const body = JSON.stringify({ error: { code, message: reason.toLowerCase() } });
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
}
