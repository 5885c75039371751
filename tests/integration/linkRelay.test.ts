import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PROFILES } from '../../bench/link/profiles';
import { Link, TcpRelay } from '../../bench/link/relay';

/** A server that answers "bulk" with `bulkBytes` bytes and anything else with "pong". */
async function server(bulkBytes: number): Promise<net.Server> {
  const s = net.createServer((c) =>
    c.on('data', (d) => {
      if (d.toString() === 'bulk') c.end(Buffer.alloc(bulkBytes, 1));
      else c.write('pong');
    }),
  );
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return s;
}

/** Connects through the relay, sends `message`, resolves when `bytes` have come back. */
function exchange(port: number, message: string, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let got = 0;
    const c = net.connect(port, '127.0.0.1', () => c.write(message));
    c.on('data', (d) => {
      got += d.length;
      if (got >= bytes) {
        c.destroy();
        resolve(performance.now());
      }
    });
    c.on('error', reject);
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('TcpRelay on an emulated link', () => {
  it('connections of one line share it in turn: a small answer is not held behind a download on another connection', async () => {
    // 150 kB at 300 kbit/s is 4 s on the line.
    const bulk = 150_000;
    const target = await server(bulk);
    cleanups.push(() => void target.close());
    const link = new Link(PROFILES.rural, 7);
    cleanups.push(() => link.close());
    const relay = await TcpRelay.create({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: (target.address() as net.AddressInfo).port }, () => link);
    cleanups.push(() => relay.close());

    const downloads = [exchange(relay.port, 'bulk', bulk), exchange(relay.port, 'bulk', bulk)];
    // Once both downloads fill the line, a ping on a third connection.
    await new Promise((r) => setTimeout(r, 1000));
    const pingAt = performance.now();
    const pong = await exchange(relay.port, 'ping', 4);
    const done = await Promise.all(downloads);
    // In turn, the answer waits for the queue (about 300 ms) and a segment of each download,
    // not for the downloads (before: 5 s of the 7.6 s they still took).
    expect(pong - pingAt).toBeLessThan((Math.min(...done) - pingAt) / 3);
    // The line was really shared: the downloads took at least their bytes' time at the rate.
    expect(link.down.sent).toBeGreaterThan((2 * bulk) / 1400);
  });
});
