import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FAIR_LINE_PACE, HttpRanges, linePace, OPEN_PACE, POOR_LINE_PACE, type LineState, type RangePace } from '../../client/lib/pdf/httpRanges';

const SIZE = 256 * 1024;
const FILE = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 7) & 0xff));
const K4 = 4096;
const K16 = 16_384;

/**
 * A file server answering single ranges, that records each request and can hold its
 * answers until released (to see what the reader asks for while it waits).
 */
class RangeServer {
  readonly requests: { range: string; closedEarly: boolean; startedAt: number; endedAt?: number }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  hold = false;
  /** Answers to send slowly: the body in 1 kB pieces every 50 ms. */
  trickle = false;
  readonly #held: (() => void)[] = [];
  readonly server: http.Server;

  constructor() {
    this.server = http.createServer((req, res) => {
      const range = req.headers.range ?? '';
      const entry: RangeServer['requests'][number] = { range, closedEarly: false, startedAt: performance.now() };
      this.requests.push(entry);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      let finished = false;
      res.on('close', () => {
        this.inFlight--;
        entry.endedAt = performance.now();
        entry.closedEarly = !finished;
      });
      const answer = () => {
        const m = /bytes=(\d*)-(\d*)/.exec(range)!;
        const [begin, end] = m[1] === '' ? [SIZE - Number(m[2]), SIZE - 1] : [Number(m[1]), Math.min(SIZE - 1, Number(m[2]))];
        const body = FILE.subarray(begin, end + 1);
        res.writeHead(206, { 'Content-Range': `bytes ${begin}-${end}/${SIZE}`, 'Content-Length': body.length });
        if (!this.trickle) {
          finished = true;
          return res.end(body);
        }
        let at = 0;
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer);
          res.write(body.subarray(at, (at += 1024)));
          if (at >= body.length) {
            clearInterval(timer);
            finished = true;
            res.end();
          }
        }, 50);
      };
      if (this.hold) this.#held.push(answer);
      else answer();
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/file.pdf`;
  }

  release(): void {
    this.hold = false;
    for (const a of this.#held.splice(0)) a();
  }

  /** The first byte of each request's range, in the order they came (the tail request left out). */
  starts(): number[] {
    return this.requests.map((r) => /bytes=(\d+)-/.exec(r.range)?.[1]).filter((s) => s !== undefined).map(Number);
  }
}

let server: RangeServer;
afterEach(async () => {
  server.release();
  server.server.closeAllConnections();
  await new Promise((r) => server.server.close(r));
});

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
};

async function open(pace: RangePace, signal?: AbortSignal): Promise<HttpRanges> {
  server = new RangeServer();
  const url = await server.listen();
  return (await HttpRanges.open(url, pace, signal))!;
}

describe('HttpRanges: a PDF read by ranges, paced for a weak line', () => {
  it.each<[string, RangePace, number, number]>([
    ['fair: 8 kB requests, two at a time', FAIR_LINE_PACE, 2 * K4, 2],
    ['poor: 4 kB requests, one at a time', POOR_LINE_PACE, K4, 1],
  ])('reads the bytes asked for on a weak line (%s)', async (_what, pace, request, inFlight) => {
    const ranges = await open(pace);
    expect(await ranges.read(10_000, 40_000)).toEqual(new Uint8Array(FILE.subarray(10_000, 50_000)));
    const first = Math.floor(10_000 / request) * request;
    expect(server.starts()).toEqual(Array.from({ length: Math.ceil((50_000 - first) / request) }, (_, i) => first + i * request));
    expect(server.maxInFlight).toBeLessThanOrEqual(inFlight);
    // Held blocks are not asked for again.
    const asked = server.starts().length;
    await ranges.read(20_000, 10_000);
    expect(server.starts()).toHaveLength(asked);
  });

  it('on a good line asks for a whole run at once', async () => {
    const ranges = await open(OPEN_PACE);
    await ranges.read(0, 150_000);
    expect(server.requests.map((r) => r.range).slice(1)).toEqual(['bytes=0-196607']);
  });

  it('on a poor line rests after each request as long as it took: the document takes at most half the line', async () => {
    const ranges = await open(POOR_LINE_PACE);
    server.trickle = true;
    await ranges.read(0, 3 * K4);
    const [a, b, c] = server.requests.slice(1);
    for (const [before, after] of [[a!, b!], [b!, c!]] as const) {
      const took = before.endedAt! - before.startedAt;
      expect(took).toBeGreaterThan(150);
      expect(after.startedAt - before.endedAt!).toBeGreaterThanOrEqual(took * 0.9);
    }
  });

  it("follows the line as it changes: fair, 8 kB after the meeting's answers; poor, 4 kB; open, whole runs at once", async () => {
    let line: LineState = 'fair';
    let settles = 0;
    const ranges = await open(linePace(() => line, () => (settles++, Promise.resolve())));
    await ranges.read(0, 4 * K4);
    expect(server.requests.slice(1).map((r) => r.range)).toEqual([0, 2].map((b) => `bytes=${b * K4}-${(b + 2) * K4 - 1}`));
    expect(settles).toBe(2);
    line = 'poor';
    await ranges.read(4 * K4, 2 * K4);
    expect(server.requests.slice(3).map((r) => r.range)).toEqual([4, 5].map((b) => `bytes=${b * K4}-${(b + 1) * K4 - 1}`));
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    expect(settles).toBe(4);
    line = 'open';
    await ranges.read(6 * K4, 6 * K4);
    expect(server.requests.slice(5).map((r) => r.range)).toEqual([`bytes=${6 * K4}-${12 * K4 - 1}`]);
    expect(settles).toBe(4);
  });

  it.each<[LineState, number]>([['open', 65_536], ['fair', K16], ['poor', K16]])('opened %s, pdf.js reads the file in chunks of %i bytes', (line, chunk) => {
    expect(linePace(() => line, () => Promise.resolve()).chunkBytes).toBe(chunk);
  });

  it('opened on a good line, keeps its 64 kB blocks: the first reads take one request each', async () => {
    const ranges = await open(linePace(() => 'open', () => Promise.resolve()));
    await ranges.read(0, 60_000);
    expect(server.requests.map((r) => r.range)).toEqual(['bytes=-65536', 'bytes=0-65535']);
  });

  it('opened on a good line, then poor: a 64 kB block comes in 4 kB requests, one at a time, each rested after', async () => {
    let line: LineState = 'open';
    const ranges = await open(linePace(() => line, () => Promise.resolve()));
    line = 'poor';
    // The first three answers slow (so the rests after them can be seen), the others at once.
    server.trickle = true;
    void until(() => server.requests.length >= 4).then(() => (server.trickle = false));
    expect(await ranges.read(1000, 100)).toEqual(new Uint8Array(FILE.subarray(1000, 1100)));
    const asked = server.requests.slice(1);
    expect(asked.map((r) => r.range)).toEqual(Array.from({ length: 16 }, (_, i) => `bytes=${i * K4}-${(i + 1) * K4 - 1}`));
    expect(server.maxInFlight).toBe(1);
    for (const [before, after] of asked.slice(0, 2).map((r, i) => [r, asked[i + 1]!] as const)) {
      expect(after.startedAt - before.endedAt!).toBeGreaterThanOrEqual((before.endedAt! - before.startedAt) * 0.9);
    }
    // The block is kept whole: the rest of it is read without another request.
    await ranges.read(30_000, 30_000);
    expect(server.requests).toHaveLength(17);
  });

  it('on a good line runs six requests at once, as the browser would: the others wait in its own queue, the latest read first', async () => {
    // 4 kB blocks (the 256 kB file holds four of 64 kB): ten reads of blocks 0, 2, 4, …, none next to another.
    const ranges = await open({ ...OPEN_PACE, blockBytes: K4 });
    server.hold = true;
    const block = K4;
    const reads = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ranges.read(i * 2 * block, 10));
    await until(() => server.requests.length === 7);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests).toHaveLength(7);
    server.release();
    // Held answers come as the hold ends; what is asked after the release is answered at once.
    await Promise.all(reads);
    expect(server.maxInFlight).toBeLessThanOrEqual(6);
    expect(server.starts().map((s) => s / (2 * block))).toEqual([0, 1, 2, 3, 4, 5, 9, 8, 7, 6]);
  });

  it('fetches the latest read first: the page shown now before the pages turned past', async () => {
    const ranges = await open({ ...POOR_LINE_PACE, restRatio: 0 });
    server.hold = true;
    const earlier = ranges.read(0, 4 * K4);
    await until(() => server.requests.length === 2);
    const later = ranges.read(10 * K4, 2 * K4);
    server.release();
    await Promise.all([earlier, later]);
    // Block 0 was on its way; then the later read's blocks 10, 11, then the rest of the earlier one.
    expect(server.starts().map((s) => s / K4)).toEqual([0, 10, 11, 1, 2, 3]);
  });

  it('starts no request before the meeting is ready for it', async () => {
    let go!: () => void;
    const ready = new Promise<void>((r) => (go = r));
    const ranges = await open({ ...FAIR_LINE_PACE, ready: () => ready });
    const read = ranges.read(0, K4);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.starts()).toEqual([]);
    go();
    await read;
    expect(server.starts()).toEqual([0]);
  });

  it('abort cancels the requests in flight (their bytes stop coming) and refuses the queued and later reads', async () => {
    const controller = new AbortController();
    const ranges = await open(FAIR_LINE_PACE, controller.signal);
    server.trickle = true;
    const read = ranges.read(0, 8 * K4);
    const refused = expect(read).rejects.toThrow();
    await until(() => server.inFlight === 2);
    controller.abort();
    await refused;
    await until(() => server.inFlight === 0);
    expect(server.requests.slice(1).map((r) => r.closedEarly)).toEqual([true, true]);
    await expect(ranges.read(0, 10)).rejects.toThrow('aborted');
    expect(server.requests).toHaveLength(3);
  });
});
