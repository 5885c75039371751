/**
 * Upload: 4 applicants each upload a ~50 MB plan PDF at the same moment to the real server,
 * run as a child process so its RSS can be sampled (/proc/PID/status, every 20 ms).
 * Figures: throughput (MB uploaded ÷ wall time until all 4 are stored and validated) and
 * peak RSS growth over the idle server's baseline; medians over ROUNDS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApiClient } from '../tests/support/http';
import { cachedPlanPdf } from '../tests/support/fixtures/planPdf';
import { median, writeResult } from './lib';

const CLIENTS = 4;
const ROUNDS = 3;
// ~0.63 MB a page for these A0 sheets: 80 pages ≈ 50 MB.
const PLAN = { pages: 80, paths: 1450, segments: 80, seed: 50 };

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO: 'true', MEDIASOUP_WORKERS: '1', MEDIASOUP_RTC_PORT: '0', UPLOAD_MAX_MB: '100' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

async function uploadOnce(client: ApiClient, file: string): Promise<void> {
  const d = await client.post('/api/dossiers', {
    municipalityId: 1, typeCode: 'new_building', location: { address: 'Bench', parcelRef: 'TF 1' }, coveredAreaM2: 100, levels: 1, nearProtectedSite: false,
  });
  const form = new FormData();
  form.append('file', await fs.openAsBlob(file, { type: 'application/pdf' }), 'plan.pdf');
  const res = await client.request('PUT', `/api/dossiers/${d.body.id}/documents/architect_plans`, { raw: form });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
}

export default async function upload(): Promise<void> {
  const file = cachedPlanPdf(PLAN);
  const sizeMb = fs.statSync(file).size / 1048576;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lajna-bench-upload-'));
  const { child, url } = await startServer(dataDir);
  const throughputs: number[] = [];
  const growths: number[] = [];
  try {
    const clients = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => ApiClient.loggedIn(url, i % 2 ? 'amina@example.tn' : 'youssef@example.tn')));
    await uploadOnce(clients[0]!, file); // warm-up: pdf.js loaded, code paths compiled
    for (let round = 0; round < ROUNDS; round++) {
      await new Promise((r) => setTimeout(r, 1000));
      const baseline = rssMb(child.pid!);
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 20);
      const t0 = performance.now();
      await Promise.all(clients.map((c) => uploadOnce(c, file)));
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, rssMb(child.pid!));
      throughputs.push((CLIENTS * sizeMb) / seconds);
      growths.push(peak - baseline);
      console.log(`round ${round + 1}: ${CLIENTS} × ${sizeMb.toFixed(1)} MB in ${seconds.toFixed(2)} s, RSS ${baseline.toFixed(0)} → ${peak.toFixed(0)} MB`);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  writeResult('upload', {
    upload_mb_s: Math.round(median(throughputs) * 10) / 10,
    rss_growth_mb: Math.round(median(growths) * 10) / 10,
    rss_growth_mb_max: Math.round(Math.max(...growths) * 10) / 10,
    file_mb: Math.round(sizeMb * 10) / 10,
    clients: CLIENTS,
    rounds: ROUNDS,
  });
}
