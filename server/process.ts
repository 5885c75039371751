import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './log';
import { LajnaServer } from './LajnaServer';

/** How long a stop may take (requests in flight, attendance, the database) before the process exits anyway. */
const STOP_DEADLINE_MS = 15_000;

/**
 * Runs Lajna as this process's one job (server/main.ts): the configuration from the
 * environment, the server, and what ends it. SIGTERM or SIGINT closes the server and exits 0.
 * A fault nothing caught (uncaughtException, unhandledRejection) leaves the process in a
 * state nobody knows: it is logged with its context, the server is closed as on SIGTERM
 * (sockets told, attendance closed, writes finished, workers and database closed), and the
 * process exits 1 so that its supervisor (deploy/lajna.service) starts a fresh one.
 */
export async function runProcess(env: Record<string, string | undefined> = process.env): Promise<LajnaServer> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`lajna: ${error.message}`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);
  let server: LajnaServer | undefined;
  const stop = stopper(log, () => server);

  process.on('uncaughtException', (err, origin) => {
    log.fatal({ err, origin }, 'unexpected fault; stopping so that the supervisor starts a fresh process');
    stop(1);
  });
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason }, 'unhandled promise rejection; stopping so that the supervisor starts a fresh process');
    stop(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      stop(0);
    });
  }

  try {
    server = await LajnaServer.create(config, log);
  } catch (error) {
    log.fatal({ err: error }, 'start failed');
    process.exit(1);
  }
  return server;
}

/** Closes the server once, however many faults or signals ask, then exits with the first code asked for. */
function stopper(log: Logger, server: () => LajnaServer | undefined): (code: number) => void {
  let stopping = false;
  return (code) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      log.fatal({ ms: STOP_DEADLINE_MS }, 'stop took too long; exiting');
      process.exit(code || 1);
    }, STOP_DEADLINE_MS).unref();
    Promise.resolve(server()?.close()).then(
      () => process.exit(code),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
}
