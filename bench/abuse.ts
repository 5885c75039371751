/**
 * Abuse: what hostile clients and crashes do to a running server (issue 11).
 * - /api/health answered (p99 ms, sampled every 25 ms from another process) while an applicant
 *   uploads the xref bomb (tests/support/xrefBomb.ts), and during a storm of 50 logins with
 *   unknown emails from 50 addresses (tests/support/loginStorm.ts; TRUST_PROXY=1).
 * - 20 kill -9 of the server at random moments while ballots are cast, a vote closed, a
 *   document uploaded or the minutes finalized (tests/support/crashes.ts), each followed by a
 *   restart on the same data: ballots acknowledged before the kill against those found after.
 */
import fs from 'node:fs';
import { crashRun, CRASH_POINTS, type CrashReport } from '../tests/support/crashes';
import { createTestStore } from '../tests/support/database';
import { ApiClient } from '../tests/support/http';
import { loginStorm } from '../tests/support/loginStorm';
import { startServerProcess } from '../tests/support/nodeProcess';
import { cachedBomb } from '../tests/support/xrefBomb';
import { percentile, writeResult } from './lib';

const CRASHES = 20;
const SAMPLE_MS = 25;

/** Health's answer times (ms) while `during` runs; an answer that never comes counts as the time waited. */
async function healthDuring(url: string, during: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const start = performance.now();
      await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.arrayBuffer(), () => undefined);
      samples.push(performance.now() - start);
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();
  try {
    await during();
  } finally {
    done = true;
    await sampler;
  }
  return samples;
}

async function hostileClients(): Promise<{ bomb: number[]; storm: number[]; bombStatus: number; stormStatuses: Record<number, number> }> {
  const store = await createTestStore('lajna-abuse-');
  const server = await startServerProcess(store, { TRUST_PROXY: '1' });
  try {
    const amina = await ApiClient.loggedIn(server.url, 'amina@example.tn');
    const draft = await amina.post('/api/dossiers', {
      municipalityId: 1, typeCode: 'new_building', location: { address: 'Rue de la Bombe 1, Aïn Draham', parcelRef: 'TF 2/Jendouba' },
      coveredAreaM2: 120, levels: 1, nearProtectedSite: false,
    });
    const bombFile = await cachedBomb('xref-stream');
    let bombStatus = 0;
    const bomb = await healthDuring(server.url, async () => {
      const form = new FormData();
      form.append('file', new Blob([fs.readFileSync(bombFile)], { type: 'application/pdf' }), 'bomb.pdf');
      bombStatus = (await amina.request('PUT', `/api/dossiers/${draft.body.id}/documents/architect_plans`, { raw: form })).status;
    });
    const stormStatuses: Record<number, number> = {};
    const storm = await healthDuring(server.url, async () => {
      for (const a of await loginStorm(server.url, { count: 50 })) stormStatuses[a.status] = (stormStatuses[a.status] ?? 0) + 1;
    });
    return { bomb, storm, bombStatus, stormStatuses };
  } finally {
    await server.kill();
    await store.remove();
  }
}

export default async function abuse(): Promise<void> {
  const hostile = await hostileClients();
  console.log(`bomb upload answered ${hostile.bombStatus}; login storm answers ${JSON.stringify(hostile.stormStatuses)}`);

  const store = await createTestStore('lajna-abuse-crash-');
  const reports: CrashReport[] = [];
  try {
    for (let i = 0; i < CRASHES; i++) {
      const point = CRASH_POINTS[i % CRASH_POINTS.length]!;
      // Random moments across each action's span: a close commits within milliseconds, an upload or a finalize takes longer.
      const span = { vote: 400, close: 40, upload: 600, finalize: 800 }[point];
      const report = await crashRun(store, point, Math.round(Math.random() * span), i);
      reports.push(report);
      console.log(`crash ${i + 1}/${CRASHES} mid-${point} at ${report.delayMs} ms: ${report.found}/${report.acked} acknowledged ballots found${report.violations.length ? `; ${report.violations.join('; ')}` : ''}`);
    }
  } finally {
    await store.remove();
  }
  const sum = (f: (r: CrashReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  writeResult('abuse', {
    health_ms_p99_bomb: Math.round(percentile(hostile.bomb, 99)),
    health_ms_max_bomb: Math.round(Math.max(...hostile.bomb)),
    health_samples_bomb: hostile.bomb.length,
    health_ms_p99_login_storm: Math.round(percentile(hostile.storm, 99)),
    health_ms_max_login_storm: Math.round(Math.max(...hostile.storm)),
    health_samples_login_storm: hostile.storm.length,
    crashes: reports.length,
    acked_ballots: sum((r) => r.acked),
    ballots_after_restart: sum((r) => r.found),
    crash_violations: sum((r) => r.violations.length),
  });
}
