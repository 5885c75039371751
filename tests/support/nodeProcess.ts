import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestStore } from './database';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface NodeProcessOptions {
  /** NODE_ID: the node's name (the load balancer's too); none: the server names itself. */
  nodeId?: string;
  /** PostgreSQL; none: SQLite under dataDir. */
  databaseUrl?: string;
  /** The shared document store. */
  dataDir: string;
  port?: number;
  /** First mediasoup port: nodes on one machine need their own. */
  rtcPort?: number;
  env?: Record<string, string>;
}

/**
 * An app node as its own process (server/main.ts), as a host runs it: for a node that is
 * killed (kill -9) under its meeting. `create` resolves once it listens; `kill` and `close`
 * end it and its mediasoup worker.
 */
export class NodeProcess {
  #out = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly nodeId: string | undefined,
    readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (d) => (this.#out += d));
    child.stderr!.on('data', (d) => (this.#out += d));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async create(o: NodeProcessOptions): Promise<NodeProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env, NODE_ID: o.nodeId, SHARED_STORE: 'true', DATABASE_URL: o.databaseUrl ?? '', DATA_DIR: o.dataDir, HOST: '127.0.0.1', PORT: String(o.port ?? 0),
        MEDIASOUP_WORKERS: '1', MEDIASOUP_RTC_PORT: String(o.rtcPort ?? 0), MEDIASOUP_LISTEN_IP: '127.0.0.1', SEED_DEMO: 'false', LOG_LEVEL: 'info', ...o.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const node = new NodeProcess(o.nodeId, child);
    await node.#listening();
    return node;
  }

  /** What the node logged (JSON lines) and wrote to stderr. */
  get output(): string {
    return this.#out;
  }

  #url: string | undefined;
  #workerPid: number | undefined;

  get url(): string {
    return this.#url!;
  }

  async #listening(): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const line = this.#out.split('\n').find((l) => l.includes('"lajna listening"'));
      if (line) {
        const { url, workers } = JSON.parse(line) as { url: string; workers: number[] };
        this.#url = url;
        this.#workerPid = workers[0];
        return;
      }
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    this.child.kill('SIGKILL');
    throw new Error(`node ${this.nodeId ?? ''} did not start:\n${this.#out.slice(-3000)}`);
  }

  /** kill -9: the node dies as a machine that loses power would, leases and all; its mediasoup worker goes with it. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    await this.exited;
    // The worker notices its parent's death on its own pipe; not waiting for that here.
    if (this.#workerPid) {
      try {
        process.kill(this.#workerPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** A clean stop (SIGTERM): the node hands its sessions back. */
  async close(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/**
 * The server alone on `store` as a child process (server/main.ts, as systemd runs it; demo
 * data seeded on a fresh store), for a test that kills it with SIGKILL (`kill`).
 */
export function startServerProcess(store: TestStore, env: Record<string, string> = {}): Promise<NodeProcess> {
  return NodeProcess.create({ databaseUrl: store.databaseUrl, dataDir: store.dataDir, env: { SHARED_STORE: 'false', SEED_DEMO: 'true', ...env } });
}
