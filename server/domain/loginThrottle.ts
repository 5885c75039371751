/**
 * How fast failed logins may come, so that guessing is slow and the rightful user is never
 * locked out for long. Three counts, each of failures within the window:
 *
 * - per account (the normalised email): after `maxFailures`, each further attempt waits a
 *   delay from the last failure that doubles per failure, from `firstDelayMs` up to
 *   `maxDelayMs` (a minute). Someone else's guesses cost the chair at most that minute, never
 *   the old 15-minute lockout; a guesser gets one try per delay.
 * - per client address (an IPv6 /64 counts as one): the same rule, so one machine cannot
 *   spray passwords over many accounts.
 * - the whole server: at most `globalFailuresPerMinute` failures in the last minute; past it,
 *   every attempt waits for the minute to pass (a botnet spreading over accounts and addresses).
 *
 * An address from which the account logged in before (within `knownForMs`) is not held by the
 * account's delay nor by the server's cap: the chair at their usual place gets in while someone
 * elsewhere guesses at their account (the address's own delay still applies).
 *
 * Attempts in flight count as failures until they end, so a burst sent at once is held to the
 * same numbers. Failures are remembered within the window (the global cap bounds how many),
 * successful pairs up to `maxKnown`. Pure: no I/O, time is a parameter.
 */
export interface LoginThrottleRules {
  maxFailures: number;
  windowMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  globalFailuresPerMinute: number;
  knownForMs: number;
  maxKnown: number;
}

export type LoginVerdict = { allowed: true; attempt: LoginAttempt } | { allowed: false; retryAfterMs: number; limit: 'account' | 'address' | 'server' };

/** How an attempt ended: a wrong password, a login, or neither (refused for load, a fault). */
export type LoginOutcome = 'failure' | 'success' | 'none';

/** An attempt let through: its end must be reported exactly once. */
export interface LoginAttempt {
  readonly account: string;
  readonly address: string;
}

interface Bucket {
  /** Times of the failures within the window, oldest first. */
  failures: number[];
  inFlight: number;
}

const MINUTE = 60_000;

export class LoginThrottle {
  #accounts = new Map<string, Bucket>();
  #addresses = new Map<string, Bucket>();
  #global: number[] = [];
  #globalInFlight = 0;
  /** `account|address` → last successful login, oldest first (Map keeps insertion order). */
  #known = new Map<string, number>();

  constructor(readonly rules: LoginThrottleRules) {}

  /** Whether an attempt on `account` from `address` may be checked now; if so, it is counted as in flight. */
  begin(account: string, address: string, now: number): LoginVerdict {
    const key = addressKey(address);
    this.#forget(now);
    const known = now - (this.#known.get(`${account}|${key}`) ?? -Infinity) < this.rules.knownForMs;
    const globalCount = this.#global.length + this.#globalInFlight;
    if (!known && globalCount >= this.rules.globalFailuresPerMinute) {
      return { allowed: false, limit: 'server', retryAfterMs: Math.max(1, (this.#global[0] ?? now) + MINUTE - now) };
    }
    const held: ['account' | 'address', Bucket | undefined][] = [['address', this.#addresses.get(key)]];
    if (!known) held.unshift(['account', this.#accounts.get(account)]);
    for (const [limit, bucket] of held) {
      const wait = bucket ? this.#wait(bucket, now) : 0;
      if (wait > 0) return { allowed: false, limit, retryAfterMs: wait };
    }
    for (const bucket of [this.#bucket(this.#accounts, account), this.#bucket(this.#addresses, key)]) bucket.inFlight++;
    this.#globalInFlight++;
    return { allowed: true, attempt: { account, address: key } };
  }

  /** The attempt's outcome: a failure is remembered, a success forgets the account's failures and knows the address. */
  end(attempt: LoginAttempt, outcome: LoginOutcome, now: number): void {
    this.#globalInFlight--;
    const account = this.#bucket(this.#accounts, attempt.account);
    const address = this.#bucket(this.#addresses, attempt.address);
    account.inFlight--;
    address.inFlight--;
    if (outcome === 'success') {
      account.failures = [];
      const pair = `${attempt.account}|${attempt.address}`;
      this.#known.delete(pair);
      this.#known.set(pair, now);
      if (this.#known.size > this.rules.maxKnown) this.#known.delete(this.#known.keys().next().value!);
    } else if (outcome === 'failure') {
      account.failures.push(now);
      address.failures.push(now);
      this.#global.push(now);
    }
    for (const [map, key, bucket] of [[this.#accounts, attempt.account, account], [this.#addresses, attempt.address, address]] as const) {
      if (!bucket.failures.length && !bucket.inFlight) map.delete(key);
    }
  }

  /** How long an attempt must wait with `bucket` as it stands (0: now). */
  #wait(bucket: Bucket, now: number): number {
    const count = bucket.failures.length + bucket.inFlight;
    if (count < this.rules.maxFailures) return 0;
    // Failures in flight have no time yet: wait the first delay after now.
    const last = bucket.inFlight ? now : bucket.failures[bucket.failures.length - 1]!;
    return Math.max(0, last + this.delayAfter(count) - now);
  }

  /** The wait after `failures` failures: none below the limit, then doubling up to the cap. */
  delayAfter(failures: number): number {
    if (failures < this.rules.maxFailures) return 0;
    const doublings = Math.min(failures - this.rules.maxFailures, 30);
    return Math.min(this.rules.maxDelayMs, this.rules.firstDelayMs * 2 ** doublings);
  }

  #bucket(map: Map<string, Bucket>, key: string): Bucket {
    let bucket = map.get(key);
    if (!bucket) map.set(key, (bucket = { failures: [], inFlight: 0 }));
    return bucket;
  }

  #forget(now: number): void {
    while (this.#global.length && this.#global[0]! <= now - MINUTE) this.#global.shift();
    for (const map of [this.#accounts, this.#addresses]) {
      for (const [key, bucket] of map) {
        while (bucket.failures.length && bucket.failures[0]! <= now - this.rules.windowMs) bucket.failures.shift();
        if (!bucket.failures.length && !bucket.inFlight) map.delete(key);
      }
    }
  }
}

/** The address a limit counts: IPv4 as is (an IPv4-mapped IPv6 address too), IPv6 by its /64 (one subscriber's network). */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
