/**
 * A token bucket: `capacity` requests at once, refilled at `perSecond`. It lets a client
 * do what people do in bursts (join and set up media, turn a few pages) and holds a script
 * or a stuck key to the refill rate. Pure: the state is the caller's.
 */
export interface BucketRule {
  capacity: number;
  perSecond: number;
}

export interface BucketState {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

export type BucketVerdict =
  | { ok: true; state: BucketState }
  /** Refused: the state is unchanged but for the refill, and one token is back in `retryAfterMs`. */
  | { ok: false; state: BucketState; retryAfterMs: number };

/** Takes one token at `now` from a bucket in `state` (a full one when there is none yet). */
export function takeToken(rule: BucketRule, state: BucketState | undefined, now: number): BucketVerdict {
  const elapsed = state ? Math.max(0, now - state.at) : 0;
  const tokens = state ? Math.min(rule.capacity, state.tokens + (elapsed / 1000) * rule.perSecond) : rule.capacity;
  if (tokens >= 1) return { ok: true, state: { tokens: tokens - 1, at: now } };
  return { ok: false, state: { tokens, at: now }, retryAfterMs: Math.ceil(((1 - tokens) / rule.perSecond) * 1000) };
}
