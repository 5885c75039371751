import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpRanges, linePace, WEAK_LINE_PACE, type RangePace } from '../../client/lib/pdf/httpRanges';

const SIZE = 256 * 1024;
const FILE = Buffer.from(Array.from({ length: SIZE }, (_, i) => (i * 7) & 0xff));
const K16 = 16_384;

/**
 * A file server answering single ranges, that records each request and can hold its
 * answers until released (to see what the reader asks for while it waits).
 */
class RangeServer {
  readonly requests: { range: string; closedEarly: boolean }[] = [];
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
      const entry = { range, closedEarly: false };
      this.requests.push(entry);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      let finished = false;
      res.on('close', () => {
        this.inFlight--;
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
  it('reads the bytes asked for, in 16 kB requests at most two at a time on a weak line', async () => {
    const ranges = await open(WEAK_LINE_PACE);
    expect(await ranges.read(10_000, 100_000)).toEqual(new Uint8Array(FILE.subarray(10_000, 110_000)));
    expect(server.starts()).toEqual([0, 1, 2, 3, 4, 5, 6].map((b) => b * K16));
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    // Held blocks are not asked for again.
    await ranges.read(20_000, 30_000);
    expect(server.starts()).toHaveLength(7);
  });

  it('on a good line asks for a whole run at once', async () => {
    const ranges = await open({ blockBytes: 65_536, blocksPerRequest: Infinity, inFlight: Infinity });
    await ranges.read(0, 150_000);
    expect(server.requests.map((r) => r.range).slice(1)).toEqual(['bytes=0-196607']);
  });

  it("follows the line as it changes: weak, 16 kB two at a time after the meeting's answers; good, whole runs at once", async () => {
    let good = false;
    let settles = 0;
    const ranges = await open(linePace(() => good, () => (settles++, Promise.resolve())));
    await ranges.read(0, 4 * K16);
    expect(server.requests.slice(1).map((r) => r.range)).toEqual([0, 1, 2, 3].map((b) => `bytes=${b * K16}-${(b + 1) * K16 - 1}`));
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    expect(settles).toBe(4);
    good = true;
    await ranges.read(4 * K16, 6 * K16);
    expect(server.requests.slice(5).map((r) => r.range)).toEqual([`bytes=${4 * K16}-${10 * K16 - 1}`]);
    expect(settles).toBe(4);
  });

  it('opened on a good line, keeps its 64 kB blocks: the first reads take one request each', async () => {
    const ranges = await open(linePace(() => true, () => Promise.resolve()));
    await ranges.read(0, 60_000);
    expect(server.requests.map((r) => r.range)).toEqual(['bytes=-65536', 'bytes=0-65535']);
  });

  it('fetches the latest read first: the page shown now before the pages turned past', async () => {
    const ranges = await open({ ...WEAK_LINE_PACE, inFlight: 1 });
    server.hold = true;
    const earlier = ranges.read(0, 4 * K16);
    await until(() => server.requests.length === 2);
    const later = ranges.read(10 * K16, 2 * K16);
    server.release();
    await Promise.all([earlier, later]);
    // Block 0 was on its way; then the later read's blocks 10, 11, then the rest of the earlier one.
    expect(server.starts().map((s) => s / K16)).toEqual([0, 10, 11, 1, 2, 3]);
  });

  it('starts no request before the meeting is ready for it', async () => {
    let go!: () => void;
    const ready = new Promise<void>((r) => (go = r));
    const ranges = await open({ ...WEAK_LINE_PACE, ready: () => ready });
    const read = ranges.read(0, K16);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.starts()).toEqual([]);
    go();
    await read;
    expect(server.starts()).toEqual([0]);
  });

  it('abort cancels the requests in flight (their bytes stop coming) and refuses the queued and later reads', async () => {
    const controller = new AbortController();
    const ranges = await open(WEAK_LINE_PACE, controller.signal);
    server.trickle = true;
    const read = ranges.read(0, 8 * K16);
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
