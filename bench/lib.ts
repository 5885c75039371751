import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The value below which `p` percent of the samples lie (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

/** Writes bench/results/NAME.json in the shape DESIGN.md gives, and prints the metrics as a table. */
export function writeResult(name: string, metrics: Record<string, number>): void {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(dir, { recursive: true });
  const result = { name, when: new Date().toISOString(), node: process.version, cpus: os.cpus().length, metrics };
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.table(metrics);
}

/* Synthetic RTP for the SFU benchmarks (sfu-load, capacity): a member's opus and VP8 on the wire, paced by real time. */

/** An RTP packet; VP8 packets carry a keyframe payload descriptor so the SFU forwards them at once. */
function rtp(pt: number, ssrc: number, seq: number, ts: number, bytes: number, vp8: boolean): Buffer {
  const b = Buffer.alloc(12 + bytes);
  b[0] = 0x80;
  b[1] = pt | 0x80;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ts >>> 0, 4);
  b.writeUInt32BE(ssrc, 8);
  if (vp8) {
    // X=1 S=1 PID=0 | I=1 | M=1 15-bit picture id | keyframe header with start code and 320x180
    Buffer.from([0x90, 0x80, 0x80 | ((seq >> 8) & 0x7f), seq & 0xff, 0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xb4, 0x00]).copy(b, 12);
  }
  return b;
}

/** One synthetic stream: `pps` packets a second of `bytes` payload, its RTP timestamp advancing `tsStep` a packet. */
export interface SyntheticStream {
  pt: number;
  ssrc: number;
  pps: number;
  bytes: number;
  vp8: boolean;
  tsStep: number;
  seq: number;
  /** Packets owed and not sent yet (fractions carry over). */
  acc: number;
}

/** The packets `st` owes after `elapsedMs` (timers run late under load: paced by the time that really passed). */
export function* duePackets(st: SyntheticStream, elapsedMs: number): Generator<Buffer> {
  st.acc += (st.pps * elapsedMs) / 1000;
  while (st.acc >= 1) {
    st.acc -= 1;
    st.seq++;
    yield rtp(st.pt, st.ssrc, st.seq, st.seq * st.tsStep, st.bytes, st.vp8);
  }
}
