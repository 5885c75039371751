import { complaintClosed } from './complaints';

/**
 * How long records about people are kept (Law 2004-63: no longer than their purpose needs),
 * as a pure rule the daily retention job applies. Periods are set per municipality
 * (case_settings.retention); what is an archive is kept whatever the settings say.
 */
export interface RetentionPeriods {
  /** A dossier never submitted, counted from its last change. */
  draftMonths: number;
  /** A complaint once resolved or rejected, counted from its closing: then anonymised. */
  closedComplaintYears: number;
}

export const DEFAULT_RETENTION: RetentionPeriods = { draftMonths: 6, closedComplaintYears: 3 };

export type RetentionVerdict = 'keep' | 'delete' | 'anonymise';

export type RetainedRecord =
  | { kind: 'dossier'; status: string; updatedAt: Date }
  | { kind: 'complaint'; status: string; closedAt: Date | null; anonymised: boolean }
  /** Requests for information form the public register and the annual report; minutes, opinions and decisions are archives. */
  | { kind: 'information_request' | 'minutes' | 'opinion' | 'decision' };

/** The instant `months` calendar months before `now` (the day clamped to the month's end). */
export function monthsBefore(now: Date, months: number): Date {
  const y = now.getUTCFullYear(), m = now.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(now.getUTCDate(), lastDay), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
}

/** What the retention job does with a record at `now`. */
export function retentionVerdict(r: RetainedRecord, periods: RetentionPeriods, now: Date): RetentionVerdict {
  switch (r.kind) {
    case 'dossier':
      // Only a draft: once submitted, a permit record is an archive.
      return r.status === 'draft' && r.updatedAt.getTime() < monthsBefore(now, periods.draftMonths).getTime() ? 'delete' : 'keep';
    case 'complaint': {
      return complaintClosed(r.status) && !r.anonymised && r.closedAt !== null && r.closedAt.getTime() < monthsBefore(now, periods.closedComplaintYears * 12).getTime() ? 'anonymise' : 'keep';
    }
    default:
      return 'keep';
  }
}
