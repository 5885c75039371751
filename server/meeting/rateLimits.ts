import { takeToken, type BucketRule, type BucketState } from '../domain/tokenBucket';
import { AppError } from '../errors';

/**
 * How fast one socket may send each event. Bursts fit what a member does (a join sets up a
 * consumer per track of everyone; a presenter scrolls at 10 updates a second, moves the
 * pointer with the mouse); the refill holds a script or a stuck key. `setMode` writes an
 * attendance stretch each time: 5 at once, then one every 10 s, so a toggling storm cannot
 * fill the minutes (nor the database's write path).
 */
export const EVENT_RATES: Readonly<Record<string, BucketRule>> = {
  pointer: { capacity: 60, perSecond: 30 },
  present: { capacity: 30, perSecond: 15 },
  setMode: { capacity: 5, perSecond: 0.1 },
  setQuality: { capacity: 5, perSecond: 1 },
  raiseHand: { capacity: 5, perSecond: 0.5 },
  lowerHand: { capacity: 5, perSecond: 0.5 },
  join: { capacity: 10, perSecond: 0.5 },
  // A stroke streams its points in pieces as the pen moves (like the pointer); each kept markup is a write.
  markupStroke: { capacity: 60, perSecond: 30 },
  markupCreate: { capacity: 20, perSecond: 5 },
  calibrate: { capacity: 5, perSecond: 0.5 },
};
/** Every other event (media signalling, votes, the chair's steps, the minutes' autosave). */
export const DEFAULT_RATE: BucketRule = { capacity: 120, perSecond: 30 };
/** Events nobody answers share one bucket, so arbitrary names cannot grow the table. */
const UNKNOWN = '(unknown)';

/** One socket's buckets, one per event it sent. */
export class SocketRateLimiter {
  readonly #buckets = new Map<string, BucketState>();

  constructor(private readonly known: (event: string) => boolean) {}

  /** Takes a token for `event`; the refusal (429 rate_limited, with the wait) when its bucket is empty. */
  take(event: string, now = Date.now()): AppError | undefined {
    const key = this.known(event) ? event : UNKNOWN;
    const verdict = takeToken(EVENT_RATES[key] ?? DEFAULT_RATE, this.#buckets.get(key), now);
    this.#buckets.set(key, verdict.state);
    if (verdict.ok) return undefined;
    return new AppError(429, 'rate_limited', `too many ${key} requests: wait ${verdict.retryAfterMs} ms`, { event: key, retryAfterMs: verdict.retryAfterMs });
  }
}
