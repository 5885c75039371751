import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { loadConfig } from '../../server/config';
import { createHttpApp } from '../../server/http/app';
import { createLogger } from '../../server/log';

export interface ViewerHarness {
  /** The harness page showing `file` (a name in the served folder) from this server. */
  pageUrl(file: string, query?: Record<string, string>): string;
  close(): Promise<void>;
}

/**
 * The app's own HTTP shell (security headers and CSP, built client) with the PDFs of
 * `dir` served under /api/viewer-fixtures/ by express's sendFile (single ranges, ETag),
 * for the viewer's browser test and benchmark before documents have a real route. No
 * database: the fixtures route needs no login.
 */
export async function startViewerHarness(dir: string): Promise<ViewerHarness> {
  const fixtures = express.Router();
  fixtures.get('/:name', (req, res, next) => {
    res.sendFile(path.basename(req.params.name), { root: dir, headers: { 'Content-Type': 'application/pdf' } }, (e) => e && next(e));
  });
  const config = loadConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', CLIENT_DIR: process.env.CLIENT_DIR });
  const app = createHttpApp(config, createLogger('silent'), { 'viewer-fixtures': fixtures });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // localhost, not 127.0.0.1: the origin the browser tests use everywhere.
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    pageUrl: (file, query = {}) => `${base}/viewer-harness.html?${new URLSearchParams({ url: `/api/viewer-fixtures/${file}`, ...query })}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
