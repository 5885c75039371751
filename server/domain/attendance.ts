/** A member whose connection drops and comes back within this time is the same attendee. */
export const REJOIN_GRACE_MS = 60_000;

export interface Interval {
  mode: 'video' | 'audio';
  joinedAt: Date;
  leftAt: Date | null;
}

/** What to do with a member's latest interval when they (re)join in `mode` at `now`. */
export function onJoin(last: Interval | undefined, mode: Interval['mode'], now: Date): 'continue' | 'reopen' | 'close-and-open' | 'open' {
  if (!last) return 'open';
  if (last.leftAt === null) return last.mode === mode ? 'continue' : 'close-and-open';
  const gap = now.getTime() - last.leftAt.getTime();
  return gap <= REJOIN_GRACE_MS && last.mode === mode ? 'reopen' : 'open';
}

/** Milliseconds attended, summed over intervals (open ones count up to `now`). */
export function attendedMs(intervals: readonly Interval[], now: Date): number {
  return intervals.reduce((sum, i) => sum + ((i.leftAt ?? now).getTime() - i.joinedAt.getTime()), 0);
}
