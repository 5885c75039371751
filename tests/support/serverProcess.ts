import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestStore } from './database';
import { isAlive } from './processes';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The server as a child process (server/main.ts, as systemd runs it), to be killed with SIGKILL. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Kills the process at once (kill -9) and waits until it and its mediasoup worker are gone. */
  kill9(): Promise<void>;
}

/** Starts the server on `store` (demo data seeded on a fresh one) and resolves once it listens. */
export async function startServerProcess(store: TestStore, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env, DATA_DIR: store.dataDir, DATABASE_URL: store.databaseUrl ?? '', HOST: '127.0.0.1', PORT: '0',
      MEDIASOUP_WORKERS: '1', MEDIASOUP_RTC_PORT: '0', MEDIASOUP_LISTEN_IP: '127.0.0.1', SEED_DEMO: 'true', ...env,
      // Its start is known from the `lajna listening` line (info).
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const listening = await new Promise<{ url: string; workers: number[] }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within 120 s: ${err.slice(-2000)}`));
    }, 120_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('"lajna listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { url: string; workers: number[] });
      }
    });
    void exited.then(() => reject(new Error(`server exited before listening: ${err.slice(-2000)}`)));
  });
  // Only the start is read; the rest of its output is drained.
  child.stdout!.on('data', () => undefined);
  return {
    url: listening.url,
    child,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      // The worker notices its channel closed and exits; the PDF checkers on their IPC disconnect.
      for (let i = 0; i < 200 && listening.workers.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
      for (const pid of listening.workers) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    },
  };
}
