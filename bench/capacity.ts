/**
 * capacity: how many live sessions one server holds (issue 19 item 4). The server runs in
 * this process with a mediasoup worker per core; the members run in a load process of their
 * own (bench/capacity/load.ts), so that the CPU measured is the server's. Each session has
 * eight members: socket.io clients joined to it (the chair turns a page every 10 s, six
 * voters re-cast their ballot every 2 minutes), and for media each member's opus and one VP8
 * layer of ≈240 kbit/s sent as synthetic RTP into a PlainTransport of the session's router,
 * every member receiving the other seven's through a PlainTransport of their own (112
 * consumers per session), as bench/sfu-load.ts does.
 *
 * Sessions are added in steps; after each, a window of WINDOW_MS measures ballot cast →
 * ack, the chair's page turn → each member's `presentation` event (fan-out), GET
 * /api/health, the server's CPU (this process and its workers) and memory. A step breaks
 * when ballot ack p99 > 200 ms or fan-out p95 > 300 ms; the steps stop after two breaks in a
 * row (one window on a shared machine can break by a neighbour's load), and `sessions_held`
 * is the largest N that held before them. In a window of one minute half the sessions vote (each votes
 * every other window), so the p99 of the small steps is nearly their maximum. The search
 * stops adding steps when the next would end after SEARCH_BUDGET_MS (15 minutes: with the
 * comparison the benchmark runs unattended in under 20); `search_stopped_by_time` then says
 * the limit was not found.
 *
 * First, the write path compared in the same run (issue 19): a server whose serialised
 * SQLite writes open a new connection per transaction (Sequelize's way), then one with the
 * long-lived connection (the product's), COMPARE_ROUNDS times each, alternated; each with
 * COMPARE_SESSIONS sessions whose voters all re-cast three times in one window, every
 * session's at the same moments (48 ballots queued at once): `ballot_ack_ms_p99_per_transaction`
 * and `ballot_ack_ms_p99_long_lived`, medians of the rounds.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { types } from 'mediasoup';
import { AgendaItem } from '../db/models';
import { mediaOf } from '../server/meeting/features/media';
import { agendaOfDossiers } from '../tests/support/agenda';
import { cachedPlanPdf } from '../tests/support/fixtures/planPdf';
import { ApiClient } from '../tests/support/http';
import { createRemoteSession } from '../tests/support/meeting';
import type { WriteConnection } from '../db/transactions';
import { startTestServer, type TestServer } from '../tests/support/server';
import { median, percentile, writeResult } from './lib';
import { MEMBERS, VOTE_EVERY_MS, type FromLoad, type Senders, type SessionSpec, type ToLoad } from './capacity/protocol';

const STEPS = (process.env.CAPACITY_STEPS ?? '2,4,8,12,16,20,24,28,32,40').split(',').map(Number);
const WINDOW_MS = Number(process.env.CAPACITY_WINDOW_MS ?? 60_000);
const WARMUP_MS = 5000;
const SEARCH_BUDGET_MS = Number(process.env.CAPACITY_BUDGET_MS ?? 900_000);
const COMPARE_SESSIONS = Number(process.env.CAPACITY_COMPARE_SESSIONS ?? 8);
/** Servers per write path in the comparison, alternated (per-transaction, long-lived, per-transaction, …). */
const COMPARE_ROUNDS = Number(process.env.CAPACITY_COMPARE_ROUNDS ?? 2);
/** Re-casts per voter in the comparison's window. */
const COMPARE_VOTES = 3;
const ACK_P99_LIMIT_MS = 200;
const FANOUT_P95_LIMIT_MS = 300;
const SHEETS = { pages: 5, paths: 60, segments: 40, seed: 5, width: 1191, height: 842 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The load process and the next message of a given type from it. */
class Load {
  readonly #waiting: { type: FromLoad['type']; index?: number; resolve: (m: FromLoad) => void; reject: (e: Error) => void }[] = [];

  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: FromLoad) => {
      if (m.type === 'failed') for (const w of this.#waiting.splice(0)) w.reject(new Error(`load process: ${m.message}`));
      const i = this.#waiting.findIndex((w) => w.type === m.type && (w.index === undefined || (m.type === 'ready' && m.index === w.index)));
      if (i >= 0) this.#waiting.splice(i, 1)[0]!.resolve(m);
    });
    child.on('exit', (code) => {
      for (const w of this.#waiting.splice(0)) w.reject(new Error(`load process exited (${code})`));
    });
  }

  static async start(): Promise<Load> {
    const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'capacity', 'load.ts');
    const load = new Load(fork(file, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    await load.next('started');
    return load;
  }

  send(m: ToLoad): void {
    this.child.send(m);
  }

  next<T extends FromLoad['type']>(type: T, index?: number): Promise<Extract<FromLoad, { type: T }>> {
    return new Promise((resolve, reject) => this.#waiting.push({ type, index, resolve: resolve as (m: FromLoad) => void, reject }));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.send({ type: 'stop' });
    await Promise.race([exited, sleep(5000)]);
    this.child.kill();
  }
}

/** The synthetic media of one session: eight ingest and eight egress PlainTransports on its router. */
async function sessionMedia(router: types.Router, sinkPort: number, index: number): Promise<{ senders: Senders[]; close: () => void }> {
  const transports: types.PlainTransport[] = [];
  const producers: types.Producer[] = [];
  const senders: Senders[] = [];
  for (let m = 0; m < MEMBERS.length; m++) {
    const t = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    transports.push(t);
    const base = 1_000_000 + index * 1000 + m * 10;
    producers.push(
      await t.produce({ kind: 'audio', rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: base }] } }),
      await t.produce({ kind: 'video', rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }], encodings: [{ ssrc: base + 1 }] } }),
    );
    senders.push({ port: t.tuple.localPort, audioSsrc: base, videoSsrc: base + 1 });
  }
  for (let m = 0; m < MEMBERS.length; m++) {
    const t = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await t.connect({ ip: '127.0.0.1', port: sinkPort });
    transports.push(t);
    for (const [p, producer] of producers.entries()) if (Math.floor(p / 2) !== m) await t.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
  }
  return { senders, close: () => transports.forEach((t) => t.close()) };
}

/** Resident memory of a process in MB (/proc), 0 if it is gone. */
function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : 0;
}

async function serverUsage(test: TestServer): Promise<{ cpuMs: number; rssMb: number }> {
  const cpu = process.cpuUsage();
  let cpuMs = (cpu.user + cpu.system) / 1000;
  let rss = process.memoryUsage().rss / 1024 / 1024;
  for (const e of test.server.workers.entries) {
    const u = await e.worker.getResourceUsage();
    cpuMs += u.ru_utime + u.ru_stime;
    rss += rssMb(e.worker.pid);
  }
  return { cpuMs, rssMb: rss };
}

interface Step {
  sessions: number;
  ballot_ack_ms_p50: number;
  ballot_ack_ms_p99: number;
  fanout_ms_p95: number;
  health_ms_p95: number;
  server_cpu_pct: number;
  server_rss_mb: number;
  forwarded_kpps: number;
  ballots: number;
  errors: number;
  held: boolean;
}

/** One server and its load process: sessions added for each step, one measuring window per step. */
async function measure(
  writeConnection: WriteConnection,
  steps: number[],
  options: { voting?: (n: number, window: number) => number[]; together?: boolean; until?: number },
): Promise<{ steps: Step[]; idleRssMb: number; workers: number; stoppedByTime: boolean }> {
  const test = await startTestServer((c) => {
    c.mediasoup.workers = Number(process.env.MEDIASOUP_WORKERS ?? 2);
  }, { transactions: { writeConnection } });
  const load = await Load.start();
  const media: { close: () => void }[] = [];
  const done: Step[] = [];
  let stoppedByTime = false;
  try {
    const cookies = Object.fromEntries(await Promise.all(MEMBERS.map(async (email) => [email, (await ApiClient.loggedIn(test.url, email)).cookieHeader] as const)));
    const sheets = cachedPlanPdf(SHEETS);
    const idle = await serverUsage(test);
    const began = performance.now();
    let running = 0;
    for (const [window, n] of steps.entries()) {
      if (options.until !== undefined && Date.now() + (n - running) * 3000 + WARMUP_MS + WINDOW_MS > options.until) {
        stoppedByTime = true;
        break;
      }
      for (; running < n; running++) {
        const sessionId = await createRemoteSession();
        const [dossier] = await agendaOfDossiers(test.url, sessionId, [{ architect_plans: sheets }]);
        const versionId = dossier!.documents.find((d) => d.itemCode === 'architect_plans')!.versionId;
        const itemId = (await AgendaItem.findOne({ where: { sessionId } }))!.id;
        const spec: SessionSpec = { index: running, url: test.url, sessionId, itemId, versionId, pages: SHEETS.pages, cookies };
        const ready = load.next('ready', running);
        load.send({ type: 'session', spec });
        const { sinkPort } = await ready;
        const room = await mediaOf(test.server.meeting.rooms.get(sessionId)!).current!;
        const m = await sessionMedia(room.router, sinkPort, running);
        media.push(m);
        load.send({ type: 'media', index: running, senders: m.senders });
        console.log(`${writeConnection}: session ${running + 1} live (${((performance.now() - began) / 1000).toFixed(0)} s)`);
      }
      await sleep(WARMUP_MS);
      // Each session votes every VOTE_EVERY_MS: in every other window of a minute.
      const perVote = Math.max(1, Math.round(VOTE_EVERY_MS / WINDOW_MS));
      const voting = options.voting?.(n, window) ?? Array.from({ length: n }, (_, i) => i).filter((i) => (i + window) % perVote === 0);
      const u0 = await serverUsage(test);
      const t0 = performance.now();
      load.send({ type: 'window', window, durationMs: WINDOW_MS, voting, together: options.together, url: test.url });
      await sleep(WINDOW_MS);
      const samples = load.next('samples');
      load.send({ type: 'collect' });
      const s = await samples;
      const u1 = await serverUsage(test);
      const elapsed = performance.now() - t0;
      const step: Step = {
        sessions: n,
        ballot_ack_ms_p50: Math.round(percentile(s.ackMs, 50)),
        ballot_ack_ms_p99: Math.round(percentile(s.ackMs, 99)),
        fanout_ms_p95: Math.round(percentile(s.fanoutMs, 95)),
        health_ms_p95: Math.round(percentile(s.healthMs, 95)),
        server_cpu_pct: +(((u1.cpuMs - u0.cpuMs) / elapsed) * 100).toFixed(1),
        server_rss_mb: Math.round(u1.rssMb),
        forwarded_kpps: +(s.forwarded / (elapsed / 1000) / 1000).toFixed(1),
        ballots: s.ackMs.length,
        errors: s.errors,
        held: false,
      };
      step.held = step.ballot_ack_ms_p99 <= ACK_P99_LIMIT_MS && step.fanout_ms_p95 <= FANOUT_P95_LIMIT_MS && s.errors === 0;
      done.push(step);
      console.table([{ writeConnection, ...step }]);
      // Two breaks in a row end it: on a shared machine one window can break by a neighbour's load.
      if (!step.held && done.at(-2)?.held === false) break;
    }
    return { steps: done, idleRssMb: idle.rssMb, workers: test.server.workers.entries.length, stoppedByTime };
  } finally {
    await load.stop();
    for (const m of media) m.close();
    await test.close();
  }
}

export default async function capacity(): Promise<void> {
  const loadBefore = os.loadavg()[0]!;
  // The write path, per transaction and long-lived alternated, at the same load: every
  // session's voters re-cast COMPARE_VOTES times, all sessions' at the same moments (the
  // writes queue: what a connection per transaction costs shows there). The median of each's rounds.
  const everyone = (n: number) => Array.from({ length: n * COMPARE_VOTES }, (_, i) => i % n);
  const rounds: Record<WriteConnection, Step[]> = { 'per-transaction': [], 'long-lived': [] };
  for (let r = 0; r < COMPARE_ROUNDS; r++)
    for (const mode of ['per-transaction', 'long-lived'] as const) rounds[mode].push((await measure(mode, [COMPARE_SESSIONS], { voting: everyone, together: true })).steps[0]!);
  const compared = (mode: WriteConnection, key: 'ballot_ack_ms_p99' | 'ballot_ack_ms_p50') => Math.round(median(rounds[mode].map((s) => s[key])));
  const loadAfterCompare = os.loadavg()[0]!;

  const search = await measure('long-lived', STEPS, { until: Date.now() + SEARCH_BUDGET_MS });
  const steps = search.steps;
  console.table(steps);
  const firstBreak = steps.findIndex((s, i) => !s.held && steps[i + 1]?.held !== true);
  const held = steps.slice(0, firstBreak < 0 ? steps.length : firstBreak).filter((s) => s.held).at(-1);
  const broken = firstBreak < 0 ? undefined : steps[firstBreak]!;
  writeResult('capacity', {
    sessions_held: held?.sessions ?? 0,
    cpu_pct_per_session: held ? +(held.server_cpu_pct / held.sessions).toFixed(2) : NaN,
    rss_mb_per_session: held ? +((held.server_rss_mb - search.idleRssMb) / held.sessions).toFixed(1) : NaN,
    ballot_ack_ms_p99_at_max: held?.ballot_ack_ms_p99 ?? NaN,
    fanout_ms_p95_at_max: held?.fanout_ms_p95 ?? NaN,
    health_ms_p95_at_max: held?.health_ms_p95 ?? NaN,
    sessions_broken: broken?.sessions ?? NaN,
    ballot_ack_ms_p99_broken: broken?.ballot_ack_ms_p99 ?? NaN,
    fanout_ms_p95_broken: broken?.fanout_ms_p95 ?? NaN,
    server_cpu_pct_broken: broken?.server_cpu_pct ?? NaN,
    search_stopped_by_time: search.stoppedByTime ? 1 : 0,
    compare_sessions: COMPARE_SESSIONS,
    compare_rounds: COMPARE_ROUNDS,
    ballot_ack_ms_p99_per_transaction: compared('per-transaction', 'ballot_ack_ms_p99'),
    ballot_ack_ms_p99_long_lived: compared('long-lived', 'ballot_ack_ms_p99'),
    ballot_ack_ms_p50_per_transaction: compared('per-transaction', 'ballot_ack_ms_p50'),
    ballot_ack_ms_p50_long_lived: compared('long-lived', 'ballot_ack_ms_p50'),
    compare_ballots: [...rounds['per-transaction'], ...rounds['long-lived']].reduce((n, s) => n + s.ballots, 0),
    mediasoup_workers: search.workers,
    // The machine's own load (other work on the shared cores): at the start, after the comparison, at the end.
    machine_load_1m_start: +loadBefore.toFixed(1),
    machine_load_1m_after_compare: +loadAfterCompare.toFixed(1),
    machine_load_1m_end: +os.loadavg()[0]!.toFixed(1),
    window_ms: WINDOW_MS,
  });
}
