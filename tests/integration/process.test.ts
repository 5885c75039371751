import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AttendanceInterval, defineModels } from '../../db/models';
import { DEMO_PASSWORD } from '../../server/demo/seed';
import { createTestStore, testDialect, type TestStore } from '../support/database';
import { createRemoteSession } from '../support/meeting';
import { joinMeeting, meetingSocket, openedByChair } from '../support/meetingSocket';
import { isAlive } from '../support/processes';

const stores: TestStore[] = [];
const children: ReturnType<typeof spawn>[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(stores.splice(0).map((s) => s.remove()));
});

/** The server as a child process on a fresh store (a folder, and a database on PostgreSQL). */
async function startProcess(env: Record<string, string>, script = 'server/main.ts') {
  const store = await createTestStore('lajna-proc-');
  stores.push(store);
  const dataDir = store.dataDir;
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: store.databaseUrl ?? '', HOST: '127.0.0.1', PORT: '0', MEDIASOUP_WORKERS: '1', MEDIASOUP_RTC_PORT: '0', LOG_LEVEL: 'info', ...env },
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
  return { child, store, dataDir, exited, output: () => out, errors: () => err, lines, listening };
}

describe('the server process', () => {
  it('starts with embedded defaults, logs JSON, and on SIGTERM closes its workers and database and exits 0', async () => {
    const p = await startProcess({});
    const listening = await p.listening();
    expect(listening.level).toBe(30);
    const [workerPid] = listening.workers;
    expect(isAlive(workerPid!)).toBe(true);
    const health = await fetch(`${listening.url}/api/health`).then((r) => r.json());
    expect(health.database).toEqual({ ok: true, dialect: testDialect });
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
    // On SQLite, the file is there after the stop; on PostgreSQL, no file is made.
    expect(fs.existsSync(path.join(p.dataDir, 'lajna.sqlite'))).toBe(testDialect === 'sqlite');
  });

  it('refuses to start on invalid configuration, naming each variable', async () => {
    const p = await startProcess({ PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(await p.exited).toBe(2);
    expect(p.errors()).toContain('PORT');
    expect(p.errors()).toContain('LOG_LEVEL');
  });

  it('refuses to start in production with the demo data asked for', async () => {
    const p = await startProcess({ NODE_ENV: 'production', SEED_DEMO: 'true' });
    expect(await p.exited).toBe(2);
    expect(p.errors()).toMatch(/SEED_DEMO: must not be true with NODE_ENV=production/);
  });

  it('npm start (the README\'s command) serves the demo data', async () => {
    const store = await createTestStore('lajna-proc-');
    stores.push(store);
    // --ignore-scripts skips prestart (the client build); start itself still runs. Its own process group, to stop npm, sh and tsx together.
    const npm = spawn('npm', ['start', '--ignore-scripts', '--silent'], {
      env: { ...process.env, NODE_ENV: '', SEED_DEMO: '', DATA_DIR: store.dataDir, DATABASE_URL: store.databaseUrl ?? '', HOST: '127.0.0.1', PORT: '0', MEDIASOUP_WORKERS: '1', MEDIASOUP_RTC_PORT: '0' },
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
    const p = await startProcess({ FAULT: fault, SEED_DEMO: 'true' }, 'tests/support/faultyServer.ts');
    const listening = await p.listening();
    // A member is in a meeting when the fault happens: their attendance must not stay open.
    const sequelize = await p.store.open();
    defineModels(sequelize);
    const sessionId = await createRemoteSession();
    await openedByChair(listening.url, sessionId);
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
