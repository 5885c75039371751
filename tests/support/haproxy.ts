import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A free TCP port on 127.0.0.1 (for a process that must be told its port before it starts). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Debian's HAProxy in front of app nodes on 127.0.0.1, as `scripts/haproxy.sh run` starts it
 * (the configuration a host uses). `url` is what browsers open (localhost: a secure context).
 */
export class Haproxy {
  readonly exited: Promise<number | null>;
  #out = '';

  private constructor(
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (d) => (this.#out += d));
    child.stderr!.on('data', (d) => (this.#out += d));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts HAProxy for `nodes` (NODE_ID → port on 127.0.0.1); resolves once it answers. */
  static async create(nodes: Record<string, number>): Promise<Haproxy> {
    const port = await freePort();
    const args = Object.entries(nodes).map(([id, p]) => `${id}=127.0.0.1:${p}`);
    const child = spawn('bash', ['scripts/haproxy.sh', 'run', `127.0.0.1:${port}`, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const proxy = new Haproxy(port, child);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const up = await fetch(`${proxy.url}/api/health`).then((r) => r.ok, () => false);
      if (up) return proxy;
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`haproxy did not start:\n${proxy.#out.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  get url(): string {
    return `http://localhost:${this.port}`;
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}
