import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/log';
import { LajnaServer, type LajnaServerOptions } from '../../server/LajnaServer';

export interface TestServer {
  server: LajnaServer;
  url: string;
  dataDir: string;
  /** Stops the server; `keep` leaves the data folder for a later start on it (a restart). */
  close(options?: { keep?: boolean }): Promise<void>;
}

/**
 * The real server on an ephemeral port, with its own SQLite file in a fresh
 * temporary folder (or in `dataDir`, to start again on a stopped server's data),
 * the demo data seeded and one real mediasoup worker.
 */
export async function startTestServer(overrides: (c: Config) => void = () => {}, options: { dataDir?: string } & LajnaServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-test-'));
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SEED_DEMO: 'true', MEDIASOUP_WORKERS: '1', MEDIASOUP_RTC_PORT: '0', MEDIASOUP_LISTEN_IP: '127.0.0.1', CLIENT_DIR: process.env.CLIENT_DIR });
  overrides(config);
  const server = await LajnaServer.create(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), { transactions: options.transactions });
  return {
    server,
    url: server.url,
    dataDir,
    async close({ keep = false } = {}) {
      await server.close();
      if (!keep) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
