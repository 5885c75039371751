import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/log';
import { LajnaServer, type LajnaServerOptions } from '../../server/LajnaServer';
import { createTestStore, type TestStore } from './database';

export interface TestServer {
  server: LajnaServer;
  url: string;
  dataDir: string;
  /** The folder and (on PostgreSQL) the database this server runs on; give it to a later start to restart on them. */
  store: TestStore;
  /** Stops the server; `keep` leaves its store for a later start on it (a restart). */
  close(options?: { keep?: boolean }): Promise<void>;
}

/**
 * The real server on an ephemeral port, on a fresh store of its own (a temporary folder
 * with the SQLite file, or a fresh PostgreSQL database when TEST_POSTGRES_URL is set) or on a
 * stopped server's `store`, the demo data seeded and one real mediasoup worker.
 */
export async function startTestServer(overrides: (c: Config) => void = () => {}, options: { store?: TestStore } & LajnaServerOptions = {}): Promise<TestServer> {
  const store = options.store ?? (await createTestStore());
  const config = loadConfig({
    DATA_DIR: store.dataDir,
    DATABASE_URL: store.databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'true',
    MEDIASOUP_WORKERS: '1',
    MEDIASOUP_RTC_PORT: '0',
    MEDIASOUP_LISTEN_IP: '127.0.0.1',
    CLIENT_DIR: process.env.CLIENT_DIR,
  });
  overrides(config);
  const server = await LajnaServer.create(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), { transactions: options.transactions }).catch(async (error: unknown) => {
    if (!options.store) await store.remove();
    throw error;
  });
  return {
    server,
    url: server.url,
    dataDir: store.dataDir,
    store,
    async close({ keep = false } = {}) {
      await server.close();
      if (!keep) await store.remove();
    },
  };
}
