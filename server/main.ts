import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';
import { LajnaServer } from './LajnaServer';

// Composition root: configuration from the environment, then the server.
let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`lajna: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
const log = createLogger(config.logLevel);
const server = await LajnaServer.create(config, log).catch((error: Error) => {
  log.fatal({ err: error }, 'start failed');
  process.exit(1);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    server.close().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (error: Error) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
