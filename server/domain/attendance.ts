/** A member whose connection drops and comes back within this time is the same attendee. */
export const REJOIN_GRACE_MS = 60_000;

/** How often a node stamps the open stretches of the members in its meetings (the heartbeat). */
export const HEARTBEAT_MS = 10_000;
/** An open stretch not stamped for this long belongs to a node that is gone: it is closed at its last stamp. */
export const ABANDONED_AFTER_MS = 3 * HEARTBEAT_MS;

export interface Interval {
  mode: 'video' | 'audio';
  joinedAt: Date;
  leftAt: Date | null;
  /** Closed because the server stopped, not by the member: a rejoin starts a new stretch (the outage was not attended). */
  interrupted?: boolean;
}

/** An open stretch as the heartbeat left it: the last time a node knew the member was there. */
export interface StampedStretch {
  joinedAt: Date;
  heartbeatAt: Date | null;
}

/** The last moment the member is known to have been there. */
export const lastKnownPresent = (s: StampedStretch): Date =>
  s.heartbeatAt && s.heartbeatAt > s.joinedAt ? s.heartbeatAt : s.joinedAt;

/**
 * When to close an open stretch nobody closed: at its last stamp, once that is `staleMs`
 * old (0 at the start of the only node there is: nobody can be connected yet); null while
 * a node may still be holding it.
 */
export function abandonedAt(s: StampedStretch, now: Date, staleMs: number): Date | null {
  const last = lastKnownPresent(s);
  return now.getTime() - last.getTime() >= staleMs ? last : null;
}

/** What to do with a member's latest interval when they (re)join in `mode` at `now`. */
export function onJoin(last: Interval | undefined, mode: Interval['mode'], now: Date): 'continue' | 'reopen' | 'close-and-open' | 'open' {
  if (!last) return 'open';
  if (last.leftAt === null) return last.mode === mode ? 'continue' : 'close-and-open';
  if (last.interrupted) return 'open';
  const gap = now.getTime() - last.leftAt.getTime();
  return gap <= REJOIN_GRACE_MS && last.mode === mode ? 'reopen' : 'open';
}

/** Milliseconds attended, summed over intervals (open ones count up to `now`). */
export function attendedMs(intervals: readonly Interval[], now: Date): number {
  return intervals.reduce((sum, i) => sum + ((i.leftAt ?? now).getTime() - i.joinedAt.getTime()), 0);
}
