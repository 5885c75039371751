import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../bench/link/profiles';
import { LinkDirection, seededRandom, TokenBucket, type DirectionProfile, type Offer } from '../../bench/link/shaper';
import { firstFrame, serverUfrag, stunUsername } from '../../bench/link/stun';

describe('TokenBucket', () => {
  // 8 kbit/s is one byte per millisecond; a burst of 100 bytes.
  it.each<[string, [now: number, bytes: number, departure: number][]]>([
    ['within the burst: at once', [[0, 50, 0], [0, 50, 0]]],
    ['beyond the burst: waits for the tokens it lacks', [[0, 50, 0], [0, 100, 50]]],
    ['behind the queue: after the packet before it', [[0, 150, 50], [10, 10, 60], [20, 30, 90]]],
    ['a quiet spell refills up to the burst, no more', [[0, 100, 0], [1000, 100, 1000], [1000, 1, 1001]]],
    ['a packet larger than the burst still passes, at the rate', [[0, 300, 200]]],
    ['the rate alone, once the burst is spent', [[0, 100, 0], [0, 1000, 1000], [0, 1000, 2000]]],
  ])('%s', (_what, steps) => {
    const bucket = new TokenBucket(8000, 100, 0);
    for (const [now, bytes, departure] of steps) expect(bucket.admit(now, bytes)).toBe(departure);
  });

  it('says how long the next packet would wait', () => {
    const bucket = new TokenBucket(8000, 0, 0);
    bucket.admit(0, 500);
    expect([bucket.backlog(0), bucket.backlog(200), bucket.backlog(600)]).toEqual([500, 300, 0]);
  });
});

/** A random source that returns the given values in turn. */
const values = (...v: number[]) => {
  let i = 0;
  return () => v[i++ % v.length]!;
};
const clean: DirectionProfile = { rateBps: 8000, burstBytes: 0, delayMs: 50, jitterMs: 0, loss: 0, queueMs: 300 };

describe('LinkDirection', () => {
  it.each<[string, Partial<DirectionProfile>, () => number, [now: number, bytes: number, kind: 'datagram' | 'stream', expected: Offer][]]>([
    ['serialisation then propagation', {}, values(0.5), [[0, 100, 'datagram', { deliverAt: 150 }], [0, 100, 'datagram', { deliverAt: 250 }]]],
    ['tail drop once the queue holds more than 300 ms', {}, values(0.5), [
      [0, 200, 'datagram', { deliverAt: 250 }],
      [0, 150, 'datagram', { deliverAt: 400 }],
      [0, 10, 'datagram', { dropped: 'queue' }],
      [60, 10, 'datagram', { deliverAt: 410 }],
    ]],
    ['stream segments are queued past the limit, never dropped', {}, values(0.5), [[0, 400, 'stream', { deliverAt: 450 }], [0, 10, 'stream', { deliverAt: 460 }]]],
    ['a lost datagram is gone, after taking its share of the link', { loss: 0.1 }, values(0.05, 0.5), [
      [0, 100, 'datagram', { dropped: 'loss' }],
      [0, 100, 'datagram', { deliverAt: 250 }],
    ]],
    ['a lost stream segment comes a retransmission later and holds up the next', { loss: 0.1 }, values(0.05, 0.5), [
      [0, 100, 'stream', { deliverAt: 100 + 50 + 200 }],
      [0, 100, 'stream', { deliverAt: 350 }],
    ]],
    ['jitter moves a packet within ± jitterMs', { jitterMs: 20 }, values(1, 0), [[0, 100, 'datagram', { deliverAt: 170 }], [1000, 100, 'datagram', { deliverAt: 1130 }]]],
    ['jitter never reorders: a later packet waits for an earlier slow one', { jitterMs: 20 }, values(0.9999, 0), [[0, 10, 'datagram', { deliverAt: 80 }], [0, 10, 'datagram', { deliverAt: 80 }]]],
  ])('%s', (_what, patch, random, steps) => {
    const direction = new LinkDirection({ ...clean, ...patch }, 0, random);
    for (const [now, bytes, kind, expected] of steps) {
      const offer = direction.offer(now, bytes, kind);
      if ('deliverAt' in expected) expect((offer as { deliverAt: number }).deliverAt).toBeCloseTo(expected.deliverAt, 0);
      else expect(offer).toEqual(expected);
    }
  });

  it("a lost stream segment holds up its own connection's later bytes, not the datagrams or another connection's", () => {
    // The first segment is lost (0.05 < 0.1), the rest pass.
    const direction = new LinkDirection({ ...clean, loss: 0.1 }, 0, values(0.05, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5));
    const download = {}, socket = {};
    const at = (o: Offer) => (o as { deliverAt: number }).deliverAt;
    expect(at(direction.offer(0, 100, 'stream', download))).toBeCloseTo(100 + 50 + 200, 0);
    expect(at(direction.offer(0, 10, 'stream', socket))).toBeCloseTo(160, 0);
    expect(at(direction.offer(0, 10, 'datagram'))).toBeCloseTo(170, 0);
    expect(at(direction.offer(0, 10, 'stream', download))).toBeCloseTo(350, 0);
  });

  it.each(Object.values(PROFILES))('$name: a long flood passes at the profile rate, with about the profile loss', (profile) => {
    const direction = new LinkDirection(profile.down, 0, seededRandom(7));
    let delivered = 0;
    let lost = 0;
    let last = 0;
    // 60 s of 1200-byte datagrams offered at twice the rate: the queue overflows, the rate holds.
    const interval = (1200 * 8 * 1000) / profile.down.rateBps / 2;
    for (let now = 0; now < 60_000; now += interval) {
      const o = direction.offer(now, 1200, 'datagram');
      if ('deliverAt' in o) {
        delivered++;
        last = o.deliverAt;
      } else if (o.dropped === 'loss') lost++;
    }
    const rate = (delivered + lost) * 1200 * 8 / (last / 1000);
    expect(rate).toBeGreaterThan(profile.down.rateBps * 0.97);
    expect(rate).toBeLessThan(profile.down.rateBps * 1.03);
    expect(lost / (delivered + lost)).toBeCloseTo(profile.down.loss, 1);
  });
});

/** A STUN binding request with the given attributes (type, value). */
function binding(attributes: [number, string][], type = 0x0001, cookie = 0x2112a442): Buffer {
  const body = Buffer.concat(
    attributes.map(([t, v]) => {
      const value = Buffer.from(v);
      const a = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
      a.writeUInt16BE(t, 0);
      a.writeUInt16BE(value.length, 2);
      value.copy(a, 4);
      return a;
    }),
  );
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(body.length, 2);
  header.writeUInt32BE(cookie, 4);
  return Buffer.concat([header, body]);
}

describe('stunUsername', () => {
  it.each<[string, Buffer, string | undefined]>([
    ['a binding request', binding([[0x0006, 'srv1:cli2']]), 'srv1:cli2'],
    ['USERNAME after a padded attribute', binding([[0x8022, 'abcde'], [0x0006, 'srvufrag:x']]), 'srvufrag:x'],
    ['no USERNAME', binding([[0x8022, 'agent']]), undefined],
    ['a binding response', binding([[0x0006, 'a:b']], 0x0101), undefined],
    ['no magic cookie (not STUN)', binding([[0x0006, 'a:b']], 0x0001, 0x12345678), undefined],
    ['an RTP packet', Buffer.from('80e0000100000000deadbeef0000000000000000', 'hex'), undefined],
    ['a truncated attribute', binding([[0x0006, 'srv1:cli2']]).subarray(0, 26), undefined],
    ['too short', Buffer.alloc(8), undefined],
  ])('%s → %s', (_what, packet, expected) => expect(stunUsername(packet)).toBe(expected));

  it('reads the SFU ufrag, also from an ICE-TCP frame', () => {
    const request = binding([[0x0006, 'serverufrag:clientufrag']]);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(request.length);
    expect(serverUfrag(request)).toBe('serverufrag');
    expect(serverUfrag(firstFrame(Buffer.concat([length, request, Buffer.from('more')])))).toBe('serverufrag');
    expect(firstFrame(Buffer.alloc(1)).length).toBe(0);
  });
});
