import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let assets: string;
let script: string;

/** A raw GET (fetch would decode the body and hide the encoding). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  t = await startTestServer();
  assets = path.join(t.server.config.clientDir, 'assets');
  script = fs.readdirSync(assets).find((f) => /^index-.*\.js$/.test(f))!;
});
afterAll(() => t?.close());

describe('the built client over a slow line', () => {
  it.each<[string, string | undefined, string | undefined, (b: Buffer) => Buffer]>([
    ['Brotli when the browser takes it (HTTPS browsers)', 'gzip, deflate, br', 'br', (b) => zlib.brotliDecompressSync(b)],
    ['gzip when that is what it takes (plain HTTP)', 'gzip, deflate', 'gzip', (b) => zlib.gunzipSync(b)],
    ['as built without Accept-Encoding', undefined, undefined, (b) => b],
    ['as built when it refuses both', 'identity', undefined, (b) => b],
  ])('%s', async (_what, accept, encoding, decode) => {
    const res = await get(`${t.url}/assets/${script}`, accept ? { 'accept-encoding': accept } : {});
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe(encoding);
    expect(res.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(decode(res.body).equals(fs.readFileSync(path.join(assets, script)))).toBe(true);
    if (encoding) expect(res.body.length).toBeLessThan(fs.statSync(path.join(assets, script)).size / 3);
  });

  it.each([
    ['a folder escape', '/assets/..%2Findex.html'],
    ['the compressed copy asked by name', `/assets/${'index-x.js.gz'}`],
    ['an unknown asset', '/assets/missing-123.js'],
  ])('%s is not an asset', async (_what, url) => {
    const res = await get(`${t.url}${url}`, { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['cache-control']).not.toMatch(/immutable/);
  });

  it("pdf.js's worker: its gzip copy is read by ranges as bytes, for a weak line's paced loading (loadPdf.ts)", async () => {
    const copy = fs.readdirSync(assets).find((f) => /^pdf\.worker.*\.mjs\.gz$/.test(f))!;
    const whole = fs.readFileSync(path.join(assets, copy));
    const res = await get(`${t.url}/assets/${copy}`, { 'accept-encoding': 'gzip', range: 'bytes=8192-16383' });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 8192-16383/${whole.length}`);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.equals(whole.subarray(8192, 16384))).toBe(true);
  });
});
