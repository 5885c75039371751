import type { DeadlineView } from '../../protocol/dossiers';

/** CATU art. 69: 45 days from a complete dossier; 60 while the local plan is being drafted; 90 within 200 m of a protected site. */
export function legalDays(d: { nearProtectedSite: boolean; localPlanInDrafting: boolean }): 45 | 60 | 90 {
  if (d.nearProtectedSite) return 90;
  if (d.localPlanInDrafting) return 60;
  return 45;
}

/** A span during which the legal clock ran: from T0 (or a resumption) to a pause, or still running (`until` null). */
export interface ClockSpan {
  from: Date;
  until: Date | null;
}

const DAY = 86_400_000;

/** Calendar day number (UTC) of an instant: the clock counts whole days. */
const dayOf = (d: Date) => Math.floor(d.getTime() / DAY);
const isoDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/**
 * The legal deadline at `now`. The clock runs only inside `spans` (complete → request for
 * documents pauses it → complete again resumes it); days counted are calendar days, the day of
 * T0 excluded. While paused, the due date is not known (shown as paused with the days left).
 */
export function deadline(days: number, spans: readonly ClockSpan[], now: Date): DeadlineView {
  if (spans.length === 0) return { days, dueOn: null, daysRemaining: null, paused: false, overdue: false };
  let used = 0;
  for (const s of spans) used += dayOf(s.until ?? now) - dayOf(s.from);
  const running = spans[spans.length - 1]!.until === null;
  const daysRemaining = days - used;
  const dueOn = running ? isoDay(dayOf(now) + daysRemaining) : null;
  return { days, dueOn, daysRemaining, paused: !running, overdue: daysRemaining < 0 };
}

/** Statuses that stop the clock: a request for documents (until complete again), a withdrawal, the president's decision. */
const CLOCK_STOPS = new Set(['incomplete', 'withdrawn', 'permit_granted', 'permit_refused']);

/** Builds the clock spans from the dossier's timeline: it runs from each `complete` to the next stop. */
export function clockSpans(events: readonly { toStatus: string; fromStatus: string | null; at: Date }[]): ClockSpan[] {
  const spans: ClockSpan[] = [];
  for (const e of events) {
    const open = spans.length > 0 && spans[spans.length - 1]!.until === null;
    if (e.toStatus === 'complete' && !open) spans.push({ from: e.at, until: null });
    else if (open && CLOCK_STOPS.has(e.toStatus)) spans[spans.length - 1]!.until = e.at;
  }
  return spans;
}
