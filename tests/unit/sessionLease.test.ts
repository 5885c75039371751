import { describe, expect, it } from 'vitest';
import { leaseVerdict, renewEveryMs, type LeaseRow } from '../../server/domain/sessionLease';

const now = new Date('2026-12-02T10:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);

describe('session lease', () => {
  it.each<[string, LeaseRow | undefined, ReturnType<typeof leaseVerdict>]>([
    ['no row: take', undefined, { kind: 'take' }],
    ['mine, valid: renew', { nodeId: 'a', expiresAt: at(3000) }, { kind: 'renew' }],
    ['mine, expired and nobody took it: renew', { nodeId: 'a', expiresAt: at(-3000) }, { kind: 'renew' }],
    ['another node, valid: held there', { nodeId: 'b', expiresAt: at(1) }, { kind: 'held', nodeId: 'b' }],
    ['another node, expiring now: take', { nodeId: 'b', expiresAt: at(0) }, { kind: 'take' }],
    ['another node, expired: take', { nodeId: 'b', expiresAt: at(-1) }, { kind: 'take' }],
  ])('%s', (_name, row, verdict) => {
    expect(leaseVerdict(row, 'a', now)).toEqual(verdict);
  });

  it.each([
    [6000, 2000],
    [5000, 1666],
    [100, 100],
  ])('a %i ms lease is renewed every %i ms', (ttl, every) => {
    expect(renewEveryMs(ttl)).toBe(every);
  });
});
