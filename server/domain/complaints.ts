import type { ComplaintStatus } from '../../protocol/complaints';

export const COMPLAINT_ACTIONS = ['assign', 'resolve', 'reject'] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

/**
 * The office's steps on a report: assigning it to a service puts it in progress (a report
 * can be passed to another service meanwhile); it is then resolved, or rejected with a
 * reason. A closed report stays closed: a new problem is a new report.
 */
const TRANSITIONS: Record<ComplaintAction, { from: readonly ComplaintStatus[]; to: ComplaintStatus }> = {
  assign: { from: ['received', 'in_progress'], to: 'in_progress' },
  resolve: { from: ['received', 'in_progress'], to: 'resolved' },
  reject: { from: ['received', 'in_progress'], to: 'rejected' },
};

export function complaintStep(status: ComplaintStatus, action: ComplaintAction): ComplaintStatus | null {
  const t = TRANSITIONS[action];
  return t.from.includes(status) ? t.to : null;
}

/** A report resolved or rejected: closed for good (the retention and erasure rules count from then). */
export const CLOSED_COMPLAINT_STATUSES = ['resolved', 'rejected'] as const satisfies readonly ComplaintStatus[];
export const complaintClosed = (status: string) => (CLOSED_COMPLAINT_STATUSES as readonly string[]).includes(status);

/** The reporter may add photos only until the office has taken the report in hand. */
export const reporterMayAddPhotos = (status: ComplaintStatus) => status === 'received';

/** The median of some figures (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
