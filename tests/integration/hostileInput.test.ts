import net from 'node:net';
import { Writable } from 'node:stream';
import express, { Router } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { createHttpApp } from '../../server/http/app';
import { ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const host = () => new URL(t.url).host;

/**
 * Sends raw bytes on a fresh TCP connection; resolves what the server answers before it
 * closes, or (an accepted websocket stays open) as soon as the status line and headers are in.
 */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(t.server.port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
      if (answer.startsWith('HTTP/1.1 101 ') && answer.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
  });
}

const upgrade = (origin: string) =>
  raw(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: ${host()}\r\nOrigin: ${origin}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
  );

async function healthy() {
  const res = await fetch(`${t.url}/api/health`);
  expect(res.status).toBe(200);
}

describe('hostile Origins on socket.io', () => {
  const hostile = ['null', 'foo', 'http://[::1', 'http://evil.example', 'https://', 'javascript:alert(1)', 'file://', 'ftp://127.0.0.1', `http://${'x'.repeat(4000)}`]
    .map((o) => [o.length > 40 ? `${o.slice(0, 12)}… (${o.length} characters)` : o, o]);

  it.each(hostile)('refuses %j on the polling handshake with 403 and stays up', async (_label, origin) => {
    const res = await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
    expect(res.status).toBe(403);
    await healthy();
  });

  it.each(hostile)('refuses %j on the websocket upgrade with 403 and stays up', async (_label, origin) => {
    expect(await upgrade(origin)).toMatch(/^HTTP\/1\.1 403 /);
    await healthy();
  });

  it('accepts its own origin (any letter case) and no Origin at all, on both transports', async () => {
    for (const origin of [t.url, t.url.toUpperCase().replace('HTTP', 'http')]) {
      expect((await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } })).status).toBe(200);
      expect(await upgrade(origin)).toMatch(/^HTTP\/1\.1 101 /);
    }
    expect((await fetch(`${t.url}/socket.io/?EIO=4&transport=polling`)).status).toBe(200);
  });
});

describe('requests the HTTP parser cannot read', () => {
  it.each([
    ['a broken request line', 400, 'GARBAGE\r\n\r\n'],
    ['a header without a colon', 400, 'GET /api/health HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n'],
    ['a control character in a header', 400, 'GET /api/health HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n'],
    ['an oversized header block', 431, `GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['two Content-Lengths', 400, 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab'],
  ])('answers %s with %i and a JSON error, and stays up', async (_what, status, request) => {
    const answer = await raw(request);
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toMatch(/^[a-z_]+$/);
    await healthy();
  });
});

describe('content codings', () => {
  it.each([
    ['gzip', Buffer.from('this is not gzip')],
    ['br', Buffer.from([0xff, 0xff, 0xff])],
    ['deflate', Buffer.from('nope')],
    ['x-unknown', Buffer.from('{}')],
    ['gzip, gzip', Buffer.from('{}')],
  ])('refuses a %s body with 415 unsupported_encoding and changes nothing', async (coding, body) => {
    const client = new ApiClient(t.url);
    const res = await client.request('POST', '/api/auth/login', { raw: body, headers: { 'content-type': 'application/json', 'content-encoding': coding } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_encoding');
    expect(res.headers.get('accept-encoding')).toBe('identity');
    await healthy();
  });

  it('accepts an explicit identity coding', async () => {
    const client = new ApiClient(t.url);
    const res = await client.request('POST', '/api/auth/login', { body: { email: 'nobody@example.tn', password: 'x' }, headers: { 'content-encoding': 'identity' } });
    expect(res.status).toBe(401);
  });
});

describe('a fault in a route', () => {
  /** The app with one extra router that fails, logging into memory. */
  async function faultyApp() {
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
    const faults = Router();
    faults.get('/sync', () => {
      throw new Error('SQLITE_BUSY: database is locked');
    });
    faults.get('/async', async () => {
      await new Promise((r) => setTimeout(r, 1));
      throw Object.assign(new Error('no such transport [transportId:abc]'), { code: 'EINTERNAL' });
    });
    const app: express.Express = createHttpApp(loadConfig({ CLIENT_DIR: '/nonexistent' }), log, { faults });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    return { url, lines, close: () => new Promise((r) => server.close(r)) };
  }

  it.each(['sync', 'async'])('answers a %s throw with 500 internal, without its text, and logs it with the request', async (kind) => {
    const app = await faultyApp();
    try {
      const res = await fetch(`${app.url}/api/faults/${kind}`);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
      expect(text).not.toMatch(/SQLITE|transport|at |\.ts/);
      const logged = app.lines.find((l) => l.msg === 'request failed') as { err: { message: string; stack: string }; url: string; method: string };
      expect(logged.url).toBe(`/api/faults/${kind}`);
      expect(logged.method).toBe('GET');
      expect(logged.err.stack).toContain('hostileInput.test.ts');
    } finally {
      await app.close();
    }
  });
});
