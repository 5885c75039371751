import { describe, expect, it } from 'vitest';
import { abandonedAt, attendedMs, onJoin, REJOIN_GRACE_MS, type Interval } from '../../server/domain/attendance';
import { layerFor } from '../../sfu/Peer';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 9, 0, s));

describe('onJoin: what a (re)join does to the member\'s last attendance interval', () => {
  const open = (mode: Interval['mode']): Interval => ({ mode, joinedAt: at(0), leftAt: null });
  const closed = (mode: Interval['mode'], leftAt: Date): Interval => ({ mode, joinedAt: at(0), leftAt });
  it.each([
    ['first join', undefined, 'video', at(10), 'open'],
    ['second tab, same mode', open('video'), 'video', at(10), 'continue'],
    ['switch to audio only', open('video'), 'audio', at(10), 'close-and-open'],
    ['back after 30 s', closed('audio', at(10)), 'audio', at(40), 'reopen'],
    ['back exactly at the grace limit', closed('audio', at(10)), 'audio', new Date(at(10).getTime() + REJOIN_GRACE_MS), 'reopen'],
    ['back after 61 s', closed('audio', at(10)), 'audio', at(71), 'open'],
    ['back within 60 s in another mode', closed('audio', at(10)), 'video', at(20), 'open'],
    ['back 10 s after a stretch the server\'s stop interrupted', { ...closed('audio', at(10)), interrupted: true }, 'audio', at(20), 'open'],
  ] as const)('%s', (_name, last, mode, now, expected) => {
    expect(onJoin(last, mode, now)).toBe(expected);
  });

  it('sums intervals, counting an open one up to now', () => {
    expect(attendedMs([closed('video', at(30)), { mode: 'audio', joinedAt: at(40), leftAt: null }], at(50))).toBe(40_000);
  });
});

describe('abandonedAt: when an open stretch that no node closed ends', () => {
  it.each([
    ['never stamped, at the only node\'s start', { joinedAt: at(0), heartbeatAt: null }, at(5), 0, at(0)],
    ['stamped, at the only node\'s start', { joinedAt: at(0), heartbeatAt: at(20) }, at(25), 0, at(20)],
    ['stamped 10 s ago, another node may hold it', { joinedAt: at(0), heartbeatAt: at(20) }, at(30), 30_000, null],
    ['stamped 30 s ago: that node is gone', { joinedAt: at(0), heartbeatAt: at(20) }, at(50), 30_000, at(20)],
    ['a stamp older than the join (the join was queued) counts from the join', { joinedAt: at(10), heartbeatAt: at(5) }, at(40), 30_000, at(10)],
  ] as const)('%s', (_name, stretch, now, staleMs, expected) => {
    expect(abandonedAt(stretch, now, staleMs)).toEqual(expected);
  });
});

describe('layerFor: simulcast layer for a tile and a link', () => {
  it.each([
    [0, undefined, 0],
    [90, undefined, 0],
    [120, undefined, 0],
    [121, undefined, 1],
    [240, undefined, 1],
    [241, undefined, 2],
    [720, undefined, 2],
    [720, 150_000, 0],
    [720, 300_000, 1],
    [720, 600_000, 2],
    [180, 2_000_000, 1],
    [90, 2_000_000, 0],
  ] as const)('tile %i px at %s bit/s → layer %i', (height, bitrate, layer) => {
    expect(layerFor(height, bitrate)).toBe(layer);
  });
});
