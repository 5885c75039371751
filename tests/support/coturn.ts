import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface TestTurnServer {
  /** The turns: URL browsers are given (TLS over TCP). */
  url: string;
  secret: string;
  /** What coturn logged (for a failing test's message). */
  log(): string;
  close(): Promise<void>;
}

/** A TCP port free on loopback now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/**
 * Debian's coturn on loopback as scripts/turn-setup.sh configures it for production —
 * TURN REST shared secret, TLS only (no plain UDP or TCP listener) — with a self-signed
 * certificate made for the test, relaying to the SFU on loopback (which a production
 * coturn refuses: `allow-loopback-peers` is the test's only difference).
 */
export async function startTurnServer(secret: string): Promise<TestTurnServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-turn-'));
  const [cert, key] = [path.join(dir, 'cert.pem'), path.join(dir, 'key.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const tlsPort = await freePort();
  const relayFrom = 49152 + Math.floor(Math.random() * 10_000);
  const child: ChildProcess = spawn('turnserver', [
    '-n', '--no-cli', '--log-file=stdout', '--simple-log',
    '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--tls-listening-port=${tlsPort}`, '--no-udp', '--no-tcp', '--no-dtls',
    `--min-port=${relayFrom}`, `--max-port=${relayFrom + 200}`,
    '--use-auth-secret', `--static-auth-secret=${secret}`, '--realm=lajna.test', `--cert=${cert}`, `--pkey=${key}`,
    '--allow-loopback-peers', '--no-multicast-peers', `--pidfile=${path.join(dir, 'turnserver.pid')}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // Ready once its TLS port accepts connections.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`turnserver exited ${child.exitCode}: ${output.slice(-2000)}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(tlsPort, '127.0.0.1', () => (s.destroy(), resolve(true))).once('error', () => resolve(false));
    });
    if (up) break;
    if (i > 100) throw new Error(`turnserver did not listen: ${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `turns:127.0.0.1:${tlsPort}?transport=tcp`,
    secret,
    log: () => output,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
