/**
 * SFU load: N = 4, 8, 12 participants each sending opus (≈48 kbit/s) + VP8 video
 * (≈1.2 Mbit/s, the top simulcast layer a receiver gets) as synthetic RTP through
 * PlainTransports into one MediaRoom, each receiving every other participant's audio
 * and video (N·(N−1)·2 consumers). Measures the worker's CPU over a steady window and
 * memory per participant, compared with mediasoup's documented capacity of roughly 500
 * consumers per worker (one core).
 *
 * Video is one encoding, not three: synthetic VP8 has no real layer structure and a
 * PlainTransport has no bandwidth estimation, so a simulcast consumer there stalls on its
 * layer choice and forwards almost nothing, which would flatter the figures. What the
 * SFU forwards per consumer is the same (one layer); the ingest of the two lower layers
 * is left out.
 */
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import { MediaRoom } from '../sfu/MediaRoom';
import { WorkerPool } from '../sfu/WorkerPool';
import { duePackets, median, writeResult, type SyntheticStream } from './lib';

const SIZES = [4, 8, 12];
const WARMUP_MS = 3000;
const WINDOW_MS = 10_000;
const RUNS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Video 120 pps of 1200 bytes ≈ 1.2 Mbit/s; audio 50 pps of 120 bytes ≈ 48 kbit/s.
const VIDEO = { pps: 120, bytes: 1200 };

/** An RTCP sender report: simulcast layer switching needs it to align the layers' timestamps. */
function senderReport(ssrc: number, rtpTs: number, packets: number, octets: number): Buffer {
  const b = Buffer.alloc(28);
  const now = Date.now() / 1000 + 2_208_988_800; // NTP epoch
  b[0] = 0x80;
  b[1] = 200;
  b.writeUInt16BE(6, 2);
  b.writeUInt32BE(ssrc, 4);
  b.writeUInt32BE(Math.floor(now) >>> 0, 8);
  b.writeUInt32BE(Math.floor((now % 1) * 2 ** 32) >>> 0, 12);
  b.writeUInt32BE(rtpTs >>> 0, 16);
  b.writeUInt32BE(packets >>> 0, 20);
  b.writeUInt32BE(octets >>> 0, 24);
  return b;
}

interface Sender {
  socket: dgram.Socket;
  port: number;
  streams: SyntheticStream[];
}

async function runOnce(pool: WorkerPool, n: number) {
  const rssBefore = process.memoryUsage().rss;
  const room = await MediaRoom.create(pool);
  const worker = room.host.worker;
  const workerRssBefore = (await worker.getResourceUsage()).ru_maxrss;
  const sink = dgram.createSocket('udp4');
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));

  const producers: types.Producer[][] = [];
  const senders: Sender[] = [];
  for (let i = 0; i < n; i++) {
    const transport = await room.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: true });
    const base = 10_000 * (i + 1);
    const audio = await transport.produce({
      kind: 'audio',
      rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }], encodings: [{ ssrc: base }] },
      appData: { participant: i },
    });
    const video = await transport.produce({
      kind: 'video',
      rtpParameters: {
        codecs: [{ mimeType: 'video/VP8', payloadType: 101, clockRate: 90000 }],
        encodings: [{ ssrc: base + 1 }],
      },
      appData: { participant: i },
    });
    await room.observeAudio(audio);
    producers.push([audio, video]);
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    senders.push({
      socket,
      port: transport.tuple.localPort,
      streams: [
        { pt: 100, ssrc: base, pps: 50, bytes: 120, vp8: false, tsStep: 960, seq: 0, acc: 0 },
        { pt: 101, ssrc: base + 1, pps: VIDEO.pps, bytes: VIDEO.bytes, vp8: true, tsStep: 3000, seq: 0, acc: 0 },
      ],
    });
  }
  let consumers = 0;
  const outgoing: types.PlainTransport[] = [];
  for (let i = 0; i < n; i++) {
    const transport = await room.router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, rtcpMux: true, comedia: false });
    await transport.connect({ ip: '127.0.0.1', port: sink.address().port });
    outgoing.push(transport);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      for (const producer of producers[j]!) {
        await transport.consume({ producerId: producer.id, rtpCapabilities: room.rtpCapabilities });
        consumers++;
      }
    }
  }

  // Send in 20 ms ticks, each stream at its packet rate, with a sender report per stream every second.
  const tick = 20;
  let ticks = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    // Timers run late under load: pace by the time that really passed.
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    if (ticks++ % 50 === 0)
      for (const s of senders)
        for (const st of s.streams) s.socket.send(senderReport(st.ssrc, st.seq * st.tsStep, st.seq, st.seq * st.bytes), s.port, '127.0.0.1');
    for (const s of senders)
      for (const st of s.streams) for (const packet of duePackets(st, elapsed)) s.socket.send(packet, s.port, '127.0.0.1');
  }, tick);
  await sleep(WARMUP_MS);
  const u0 = await worker.getResourceUsage();
  const t0 = performance.now();
  // What the worker sent (the local sink may drop packets at these rates; the worker's count does not).
  const bytesSent = async () => (await Promise.all(outgoing.map(async (t) => (await t.getStats())[0]!.bytesSent))).reduce((a, b) => a + b, 0);
  const b0 = await bytesSent();
  await sleep(WINDOW_MS);
  const u1 = await worker.getResourceUsage();
  const elapsed = performance.now() - t0;
  const forwardedMbit = (((await bytesSent()) - b0) * 8) / (elapsed / 1000) / 1e6;
  const cpuPct = ((u1.ru_utime + u1.ru_stime - u0.ru_utime - u0.ru_stime) / elapsed) * 100;
  const rssMb = (process.memoryUsage().rss - rssBefore + (u1.ru_maxrss - workerRssBefore) * 1024) / 1024 / 1024;
  clearInterval(timer);
  for (const s of senders) s.socket.close();
  sink.close();
  room.close();
  return { consumers, cpuPct, rssMbPerPeer: Math.max(0, rssMb) / n, forwardedMbit };
}

export default async function sfuLoad(): Promise<void> {
  const pool = await WorkerPool.create({ workers: 1, listenIp: '127.0.0.1', rtcPort: 0 });
  const metrics: Record<string, number> = {};
  const rows: Record<string, unknown>[] = [];
  try {
    for (const n of SIZES) {
      const runs = [];
      for (let r = 0; r < RUNS; r++) runs.push(await runOnce(pool, n));
      const cpu = median(runs.map((x) => x.cpuPct));
      const consumers = runs[0]!.consumers;
      const perHundred = (cpu / consumers) * 100;
      const row = {
        participants: n,
        consumers,
        worker_cpu_pct: +cpu.toFixed(1),
        cpu_pct_per_100_consumers: +perHundred.toFixed(2),
        app_rss_mb_per_peer: +median(runs.map((x) => x.rssMbPerPeer)).toFixed(2),
        forwarded_mbit_s: +median(runs.map((x) => x.forwardedMbit)).toFixed(1),
        // Consumers one core could carry at this cost per consumer, against mediasoup's ~500.
        projected_consumers_per_core: Math.round(10_000 / perHundred),
      };
      rows.push(row);
      for (const [k, v] of Object.entries(row)) if (k !== 'participants') metrics[`n${n}_${k}`] = v as number;
      Object.assign(metrics, row); // the plain keys hold the largest N
    }
    console.table(rows);
    metrics.mediasoup_documented_consumers_per_core = 500;
    writeResult('sfu-load', metrics);
  } finally {
    await pool.close();
  }
}
