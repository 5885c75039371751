import { describe, expect, it } from 'vitest';
import { takeToken, type BucketRule, type BucketState } from '../../server/domain/tokenBucket';

const RULE: BucketRule = { capacity: 3, perSecond: 0.5 };

/** Takes a token at each time of `times` (ms) in turn; the verdicts as ok or the wait. */
function run(rule: BucketRule, times: number[]): (true | number)[] {
  let state: BucketState | undefined;
  return times.map((now) => {
    const v = takeToken(rule, state, now);
    state = v.state;
    return v.ok ? true : v.retryAfterMs;
  });
}

describe('takeToken', () => {
  it.each([
    ['a fresh bucket gives its capacity at once, then refuses until a token is back', [0, 0, 0, 0], [true, true, true, 2000]],
    ['refills at the rate: one token every 2 s', [0, 0, 0, 2000, 2000], [true, true, true, true, 2000]],
    ['a refusal costs nothing: the wait shrinks as time passes', [0, 0, 0, 500, 1500, 2000], [true, true, true, 1500, 500, true]],
    ['never refills above its capacity, however long the pause', [0, 0, 0, 60_000, 60_000, 60_000, 60_000], [true, true, true, true, true, true, 2000]],
    ['a clock that goes back does not mint tokens', [10_000, 10_000, 10_000, 5_000], [true, true, true, 2000]],
  ])('%s', (_what, times, expected) => {
    expect(run(RULE, times)).toEqual(expected);
  });

  it.each([
    [{ capacity: 1, perSecond: 10 }, [0, 0, 100, 150, 200], [true, 100, true, 50, true]],
    [{ capacity: 30, perSecond: 20 }, Array.from({ length: 31 }, () => 0), [...Array.from({ length: 30 }, () => true), 50]],
  ])('rule %o', (rule, times, expected) => {
    expect(run(rule, times)).toEqual(expected);
  });

  it('a storm of 2,000 requests in 10 s gets the capacity and what refilled within the 10 s through', () => {
    const times = Array.from({ length: 2000 }, (_, i) => i * 5); // 0 … 9,995 ms
    expect(run({ capacity: 3, perSecond: 0.1 }, times).filter((v) => v === true)).toHaveLength(3);
    expect(run({ capacity: 3, perSecond: 1 }, times).filter((v) => v === true)).toHaveLength(3 + 9);
  });
});
