import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function startProcess(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-proc-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MEDIASOUP_WORKERS: '1', MEDIASOUP_RTC_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, dataDir, exited, output: () => out, errors: () => err };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the server process', () => {
  it('starts with embedded defaults, logs JSON, and on SIGTERM closes its workers and database and exits 0', async () => {
    const p = startProcess({});
    await expect.poll(() => p.output().includes('lajna listening'), { timeout: 30_000 }).toBe(true);
    const lines = p.output().trim().split('\n').map((l) => JSON.parse(l));
    const listening = lines.find((l) => l.msg === 'lajna listening');
    expect(listening.level).toBe(30);
    const [workerPid] = listening.workers as number[];
    expect(alive(workerPid!)).toBe(true);
    const health = await fetch(`${listening.url}/api/health`).then((r) => r.json());
    expect(health.database.ok).toBe(true);

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('lajna stopped');
    expect(alive(workerPid!)).toBe(false);
    // The SQLite file is there, in WAL mode, and opens cleanly after the stop.
    expect(fs.existsSync(path.join(p.dataDir, 'lajna.sqlite'))).toBe(true);
  });

  it('refuses to start on invalid configuration, naming each variable', async () => {
    const p = startProcess({ PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(await p.exited).toBe(2);
    expect(p.errors()).toContain('PORT');
    expect(p.errors()).toContain('LOG_LEVEL');
  });
});
