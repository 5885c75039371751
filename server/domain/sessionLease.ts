/**
 * Who may hold a live session's meeting: one app node at a time, by a lease row that its
 * holder renews. Pure; the clock and the row are given.
 */
export interface LeaseRow {
  nodeId: string;
  expiresAt: Date;
}

export type LeaseVerdict =
  /** Nobody holds it, or its holder stopped renewing: this node takes it. */
  | { kind: 'take' }
  /** This node holds it already (even past its expiry, when nobody took it meanwhile). */
  | { kind: 'renew' }
  /** Another node holds it: the meeting is there. */
  | { kind: 'held'; nodeId: string };

export function leaseVerdict(row: LeaseRow | undefined, me: string, now: Date): LeaseVerdict {
  if (!row) return { kind: 'take' };
  if (row.nodeId === me) return { kind: 'renew' };
  if (row.expiresAt.getTime() <= now.getTime()) return { kind: 'take' };
  return { kind: 'held', nodeId: row.nodeId };
}

/** How often a holder renews a lease of `ttlMs`: three times per term, so one late renewal never loses it. */
export const renewEveryMs = (ttlMs: number): number => Math.max(100, Math.floor(ttlMs / 3));
