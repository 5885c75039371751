import { describe, expect, it } from 'vitest';
import { addressKey, LoginThrottle, type LoginThrottleRules } from '../../server/domain/loginThrottle';

const RULES: LoginThrottleRules = { maxFailures: 10, windowMs: 15 * 60_000, firstDelayMs: 5_000, maxDelayMs: 60_000, globalFailuresPerMinute: 100, knownForMs: 30 * 86_400_000, maxKnown: 3 };
const S = 1000;

/** `n` failed attempts on `account` from `address`, one every `every` ms from `t0`; returns the time after the last. */
function fail(throttle: LoginThrottle, account: string, address: string, n: number, t0 = 0, every = 0): number {
  let t = t0;
  for (let i = 0; i < n; i++, t += every) {
    const v = throttle.begin(account, address, t);
    if (!v.allowed) throw new Error(`attempt ${i + 1} refused at ${t}`);
    throttle.end(v.attempt, 'failure', t);
  }
  return t;
}

describe('LoginThrottle', () => {
  it.each([
    [9, 0],
    [10, 5 * S],
    [11, 10 * S],
    [12, 20 * S],
    [13, 40 * S],
    [14, 60 * S],
    [50, 60 * S],
    [10_000, 60 * S],
  ])('after %i failures the next attempt waits %i ms (doubling, capped at a minute)', (failures, delay) => {
    expect(new LoginThrottle(RULES).delayAfter(failures)).toBe(delay);
  });

  it('refuses the 11th attempt on an account however its addresses vary, and says how long to wait', () => {
    const throttle = new LoginThrottle(RULES);
    for (let i = 0; i < 10; i++) fail(throttle, 'chair@ain-draham.tn', `198.51.100.${i}`, 1, i);
    const v = throttle.begin('chair@ain-draham.tn', '198.51.100.99', 10);
    expect(v).toEqual({ allowed: false, limit: 'account', retryAfterMs: 5 * S - 1 });
  });

  it('refuses the 11th attempt from an address however the accounts vary', () => {
    const throttle = new LoginThrottle(RULES);
    for (let i = 0; i < 10; i++) fail(throttle, `nobody${i}@example.tn`, '203.0.113.5', 1, i);
    expect(throttle.begin('chair@ain-draham.tn', '203.0.113.5', 10)).toMatchObject({ allowed: false, limit: 'address' });
    expect(throttle.begin('chair@ain-draham.tn', '203.0.113.6', 10).allowed).toBe(true);
  });

  it('counts attempts in flight: 15 sent at once, the 11th and later are refused before any ends', () => {
    const throttle = new LoginThrottle(RULES);
    const verdicts = Array.from({ length: 15 }, (_, i) => throttle.begin('chair@ain-draham.tn', `192.0.2.${i}`, 0));
    expect(verdicts.map((v) => v.allowed)).toEqual([...Array(10).fill(true), ...Array(5).fill(false)]);
  });

  it('never locks the rightful user out for more than the maximum delay after the last failure', () => {
    const throttle = new LoginThrottle(RULES);
    const last = fail(throttle, 'chair@ain-draham.tn', '203.0.113.66', 10);
    let t = last;
    // The guesser keeps trying whenever allowed: one try per delay, never more than a minute apart.
    for (let i = 0; i < 20; i++) {
      const v = throttle.begin('chair@ain-draham.tn', '203.0.113.66', t);
      if (v.allowed) throttle.end(v.attempt, 'failure', t);
      else expect(v.retryAfterMs).toBeLessThanOrEqual(60 * S);
      t += 61 * S;
    }
    // The chair, from another address, a minute after the guesser's last failure: in.
    expect(throttle.begin('chair@ain-draham.tn', '192.0.2.10', t - 61 * S + 60 * S).allowed).toBe(true);
  });

  it('lets the account in from an address it logged in from before, while it is being guessed at elsewhere', () => {
    const throttle = new LoginThrottle(RULES);
    const ok = throttle.begin('chair@ain-draham.tn', '192.0.2.10', 0);
    if (!ok.allowed) throw new Error('refused');
    throttle.end(ok.attempt, 'success', 0);
    const t = fail(throttle, 'chair@ain-draham.tn', '203.0.113.66', 10, S, 100);
    expect(throttle.begin('chair@ain-draham.tn', '203.0.113.67', t)).toMatchObject({ allowed: false, limit: 'account' });
    expect(throttle.begin('chair@ain-draham.tn', '192.0.2.10', t).allowed).toBe(true);
  });

  it('holds every unknown pair once the server-wide failures of the last minute reach the cap, until the minute passes', () => {
    const throttle = new LoginThrottle({ ...RULES, globalFailuresPerMinute: 30 });
    for (let i = 0; i < 30; i++) fail(throttle, `u${i}@example.tn`, `198.18.0.${i}`, 1, i * 100);
    expect(throttle.begin('fresh@example.tn', '198.18.1.1', 3000)).toEqual({ allowed: false, limit: 'server', retryAfterMs: 57_000 });
    expect(throttle.begin('fresh@example.tn', '198.18.1.1', 60_001).allowed).toBe(true);
  });

  it('forgets failures after the window, and a success forgets the account\'s failures', () => {
    const throttle = new LoginThrottle(RULES);
    // 14 failures a minute apart: the 15th waits the full minute, until the window forgets the first ones.
    const t = fail(throttle, 'a@example.tn', '192.0.2.1', 14, 0, 61_000) - 61_000;
    expect(throttle.begin('a@example.tn', '192.0.2.2', t + 30_000)).toMatchObject({ allowed: false, retryAfterMs: 30_000 });
    expect(throttle.begin('a@example.tn', '192.0.2.2', t + 15 * 60_000 + 1).allowed).toBe(true);

    const other = new LoginThrottle(RULES);
    fail(other, 'b@example.tn', '192.0.2.1', 9);
    const v = other.begin('b@example.tn', '192.0.2.3', 1);
    if (!v.allowed) throw new Error('refused');
    other.end(v.attempt, 'success', 1);
    expect(other.begin('b@example.tn', '192.0.2.4', 2).allowed).toBe(true);
  });

  it('does not count an attempt refused for load or a fault as a failure', () => {
    const throttle = new LoginThrottle(RULES);
    for (let i = 0; i < 20; i++) {
      const v = throttle.begin('a@example.tn', '192.0.2.1', i);
      if (!v.allowed) throw new Error('refused');
      throttle.end(v.attempt, 'none', i);
    }
    expect(throttle.begin('a@example.tn', '192.0.2.1', 21).allowed).toBe(true);
  });
});

describe('addressKey', () => {
  it.each([
    ['203.0.113.5', '203.0.113.5'],
    ['::ffff:203.0.113.5', '203.0.113.5'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::7', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
