import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { AttendanceInterval, defineModels } from '../../db/models';
import { DEMO_PASSWORD } from '../../server/demo/seed';
import { createRemoteSession } from '../support/meeting';
import { joinMeeting, meetingSocket } from '../support/meetingSocket';
import { isAlive } from '../support/processes';

const dirs: string[] = [];
const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

function startProcess(env: Record<string, string>, script = 'server/main.ts', dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-proc-'))) {
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MEDIASOUP_WORKERS: '1', MEDIASOUP_RTC_PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = () => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const listening = async () => {
    await expect.poll(() => out.includes('lajna listening'), { timeout: 90_000 }).toBe(true);
    return lines().find((l) => l.msg === 'lajna listening') as { url: string; workers: number[]; level: number };
  };
  return { child, dataDir, exited, output: () => out, errors: () => err, lines, listening };
}

describe('the server process', () => {
  it('starts with embedded defaults, logs JSON, and on SIGTERM closes its workers and database and exits 0', async () => {
    const p = startProcess({});
    const listening = await p.listening();
    expect(listening.level).toBe(30);
    const [workerPid] = listening.workers;
    expect(isAlive(workerPid!)).toBe(true);
    const health = await fetch(`${listening.url}/api/health`).then((r) => r.json());
    expect(health.database.ok).toBe(true);
    // No demo accounts (their password is published) unless asked for.
    const demo = await fetch(`${listening.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie: 'lajna_csrf=t', 'x-csrf-token': 't' },
      body: JSON.stringify({ email: 'chair@ain-draham.tn', password: DEMO_PASSWORD }),
    });
    expect(demo.status).toBe(401);

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('lajna stopped');
    expect(isAlive(workerPid!)).toBe(false);
    // The SQLite file is there, in WAL mode, and opens cleanly after the stop.
    expect(fs.existsSync(path.join(p.dataDir, 'lajna.sqlite'))).toBe(true);
  });

  it('refuses to start on invalid configuration, naming each variable', async () => {
    const p = startProcess({ PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(await p.exited).toBe(2);
    expect(p.errors()).toContain('PORT');
    expect(p.errors()).toContain('LOG_LEVEL');
  });

  it('refuses to start in production with the demo data asked for', async () => {
    const p = startProcess({ NODE_ENV: 'production', SEED_DEMO: 'true' });
    expect(await p.exited).toBe(2);
    expect(p.errors()).toMatch(/SEED_DEMO: must not be true with NODE_ENV=production/);
  });

  it('npm start (the README\'s command) serves the demo data', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-proc-'));
    dirs.push(dataDir);
    // --ignore-scripts skips prestart (the client build); start itself still runs. Its own process group, to stop npm, sh and tsx together.
    const npm = spawn('npm', ['start', '--ignore-scripts', '--silent'], {
      env: { ...process.env, NODE_ENV: '', SEED_DEMO: '', DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MEDIASOUP_WORKERS: '1', MEDIASOUP_RTC_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'], detached: true,
    });
    let out = '';
    npm.stdout.on('data', (d) => (out += d));
    const exited = new Promise((resolve) => npm.on('exit', resolve));
    try {
      await expect.poll(() => out.includes('lajna listening'), { timeout: 90_000 }).toBe(true);
      const { url } = out.split('\n').filter((l) => l.includes('lajna listening')).map((l) => JSON.parse(l))[0];
      const login = await fetch(`${url}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json', cookie: 'lajna_csrf=t', 'x-csrf-token': 't' },
        body: JSON.stringify({ email: 'chair@ain-draham.tn', password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
    } finally {
      process.kill(-npm.pid!, 'SIGTERM');
      await exited;
    }
  }, 150_000);

  it.each(['exception', 'rejection'])('on an uncaught %s logs it, closes the server (attendance closed, workers stopped) and exits 1 for its supervisor', async (fault) => {
    const p = startProcess({ FAULT: fault, SEED_DEMO: 'true' }, 'tests/support/faultyServer.ts');
    const listening = await p.listening();
    // A member is in a meeting when the fault happens: their attendance must not stay open.
    const sequelize = await openDatabase({ dataDir: p.dataDir });
    defineModels(sequelize);
    const sessionId = await createRemoteSession();
    const socket = await meetingSocket(listening.url, 'architect@ain-draham.tn');
    await joinMeeting(socket, sessionId);
    expect(await AttendanceInterval.count({ where: { sessionId, leftAt: null } })).toBe(1);

    p.child.kill('SIGUSR2');
    expect(await p.exited).toBe(1);
    socket.close();
    const fatal = p.lines().find((l) => l.level === 60);
    expect(fatal.err.message).toBe(fault === 'exception' ? 'injected fault' : 'injected rejection');
    expect(fatal.err.stack).toContain('faultyServer.ts');
    expect(p.output()).toContain('lajna stopped');
    expect(isAlive(listening.workers[0]!)).toBe(false);
    expect(await AttendanceInterval.count({ where: { sessionId, leftAt: null } })).toBe(0);
    await sequelize.close();
  }, 150_000);
});
