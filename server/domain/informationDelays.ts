import { municipalDay, municipalInstant } from '../../protocol/municipalTime';
import type { AccessForm, InformationClockView } from '../../protocol/informationRequests';

/**
 * The delays of Organic Law 2016-22 on the right of access to information, as pure rules.
 *
 * The law counts calendar days ("jours"): weekends and holidays count like any other day.
 * A delay of N days runs from the day after receipt and ends at the end of the N-th day, in
 * the municipality's time (Tunis); the 48 hours where a person's life or liberty depends on
 * the information run from the instant of receipt, in hours.
 *
 * - art. 14: 20 days to answer from receipt;
 * - art. 15: 10 days where the request is to consult the information on site;
 * - art. 16: 48 hours where life or liberty is at stake;
 * - art. 17: one extension of 10 days (several items, or a third party to consult), told to
 *   the requester before the delay runs out; not for the 48 hours;
 * - art. 13: 5 days to tell the requester the body does not hold the information, and whom it
 *   was referred to;
 * - art. 18: silence past the delay is a refusal;
 * - art. 29–30: an internal appeal to the head of the body within 20 days of the answer or of
 *   the implied refusal, which the head decides within 10 days (silence is a rejection);
 *   then an appeal to the INAI within 20 days of the head's decision or silence.
 */

export const ANSWER_DAYS = 20;
export const ON_SITE_DAYS = 10;
export const URGENT_HOURS = 48;
export const EXTENSION_DAYS = 10;
export const REDIRECT_DAYS = 5;
export const APPEAL_FILE_DAYS = 20;
export const APPEAL_DECIDE_DAYS = 10;
export const INAI_APPEAL_DAYS = 20;

export type Delay = { unit: 'hours'; amount: number } | { unit: 'days'; amount: number };

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The delay to answer a request, before any extension. */
export function answerDelay(r: { lifeOrLiberty: boolean; accessForm: AccessForm }): Delay {
  if (r.lifeOrLiberty) return { unit: 'hours', amount: URGENT_HOURS };
  if (r.accessForm === 'on_site') return { unit: 'days', amount: ON_SITE_DAYS };
  return { unit: 'days', amount: ANSWER_DAYS };
}

/** yyyy-mm-dd plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** Calendar days from one day to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/** The last instant of a delay of `days` counted from the day after `from`'s calendar day: midnight, Tunis, after the last day. */
export function endOfDays(from: Date, days: number): Date {
  return municipalInstant(addDays(municipalDay(from), days + 1), '00:00');
}

/** When the answer is due: the delay (plus the extension, when one was given) from receipt. */
export function answerDueAt(r: { receivedAt: Date; lifeOrLiberty: boolean; accessForm: AccessForm; extended: boolean }): Date {
  const delay = answerDelay(r);
  if (delay.unit === 'hours') return new Date(r.receivedAt.getTime() + delay.amount * HOUR);
  return endOfDays(r.receivedAt, delay.amount + (r.extended ? EXTENSION_DAYS : 0));
}

export type ExtensionRefusal = 'urgent' | 'already_extended' | 'delay_over' | 'answered';

/** Whether the office may extend now (art. 17): once, before the delay runs out, never the 48 hours. */
export function mayExtend(r: { receivedAt: Date; lifeOrLiberty: boolean; accessForm: AccessForm; extended: boolean; answered: boolean }, now: Date):
  { ok: true } | { ok: false; reason: ExtensionRefusal } {
  if (r.answered) return { ok: false, reason: 'answered' };
  if (r.lifeOrLiberty) return { ok: false, reason: 'urgent' };
  if (r.extended) return { ok: false, reason: 'already_extended' };
  if (now.getTime() >= answerDueAt(r).getTime()) return { ok: false, reason: 'delay_over' };
  return { ok: true };
}

/** When the requester must be told the body does not hold the information (art. 13). */
export function redirectDueAt(receivedAt: Date): Date {
  return endOfDays(receivedAt, REDIRECT_DAYS);
}

/** Everything the law's clock says about a request at `now`. */
export interface RequestFacts {
  receivedAt: Date;
  lifeOrLiberty: boolean;
  accessForm: AccessForm;
  extendedAt: Date | null;
  /** When the body answered: documents given, a reasoned refusal, or a redirect. */
  answeredAt: Date | null;
  /** A refusal (reasoned) or a redirect: what an appeal may be filed against, like an implied refusal. */
  answerIsRefusal: boolean;
  appealFiledAt: Date | null;
  appealDecidedAt: Date | null;
}

/** The last instant before an end-of-delay instant: on the delay's last day. */
const lastInstant = (end: Date) => new Date(end.getTime() - 1);

/** Whole calendar days (Tunis) from `now` to the day an instant-deadline falls on. */
function daysLeft(now: Date, endExclusive: Date): number {
  return daysBetween(municipalDay(now), municipalDay(lastInstant(endExclusive)));
}

export function requestClock(r: RequestFacts, now: Date): InformationClockView {
  const delay = answerDelay(r);
  const dueAt = answerDueAt({ ...r, extended: r.extendedAt !== null });
  const answered = r.answeredAt !== null && r.answeredAt.getTime() < dueAt.getTime();
  const late = r.answeredAt !== null && !answered;
  const impliedRefusal = r.answeredAt === null && now.getTime() >= dueAt.getTime();
  // The decision an appeal runs against: a refusal given, or the silence when the delay ended.
  // Silence is complete on the delay's last day; the appeal's days run from the day after it.
  const refusedAt = r.answeredAt !== null ? (r.answerIsRefusal ? r.answeredAt : null) : impliedRefusal ? lastInstant(dueAt) : null;
  const appealFileBy = refusedAt ? endOfDays(refusedAt, APPEAL_FILE_DAYS) : null;
  const appealDecideBy = r.appealFiledAt ? endOfDays(r.appealFiledAt, APPEAL_DECIDE_DAYS) : null;
  // The head's decision, or its silence once the 10 days are over, opens the appeal to the INAI.
  const headSpokeAt = r.appealDecidedAt ?? (appealDecideBy && now.getTime() >= appealDecideBy.getTime() ? lastInstant(appealDecideBy) : null);
  // Without an internal appeal, the INAI may be seized directly within 20 days of the refusal.
  const inaiFrom = r.appealFiledAt ? headSpokeAt : refusedAt;
  const inaiAppealBy = inaiFrom ? endOfDays(inaiFrom, INAI_APPEAL_DAYS) : null;
  const pending = r.answeredAt === null && !impliedRefusal;
  return {
    delay,
    dueAt: dueAt.toISOString(),
    dueOn: municipalDay(lastInstant(dueAt)),
    daysRemaining: pending ? daysLeft(now, dueAt) : null,
    hoursRemaining: pending && delay.unit === 'hours' ? Math.max(0, Math.ceil((dueAt.getTime() - now.getTime()) / HOUR)) : null,
    overdue: impliedRefusal,
    answeredInTime: answered,
    answeredLate: late,
    impliedRefusal,
    redirectDueAt: redirectDueAt(r.receivedAt).toISOString(),
    appealFileBy: appealFileBy?.toISOString() ?? null,
    appealOpen: appealFileBy !== null && r.appealFiledAt === null && now.getTime() < appealFileBy.getTime(),
    appealDecideBy: appealDecideBy?.toISOString() ?? null,
    appealImpliedRejection: r.appealFiledAt !== null && r.appealDecidedAt === null && headSpokeAt !== null,
    inaiAppealBy: inaiAppealBy?.toISOString() ?? null,
  };
}
