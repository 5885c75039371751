import { MUNICIPAL_TIME_ZONE, type Locale } from './enums';

/**
 * Dates and times as Tunisian administrations write them, the same in Arabic, French and
 * English: day first (dd/MM/yyyy), a 24-hour clock, Latin digits, in the municipality's
 * zone whatever the zone of the device or server. Built from the parts rather than from a
 * locale's pattern: `en` would put the month first (03/01/2027 for 1 March, on a legal
 * deadline) and `ar` inserts right-to-left marks between the numbers.
 */

interface Wall {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wall(instant: Date, timeZone: string): Wall {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    });
    wallFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An instant (Date or ISO string), or a calendar day yyyy-mm-dd (a deadline, an arrêté's date), as dd/MM/yyyy. */
export function formatDay(value: Date | string, timeZone = MUNICIPAL_TIME_ZONE): string {
  const day = typeof value === 'string' ? CALENDAR_DAY.exec(value) : null;
  if (day) return `${day[3]}/${day[2]}/${day[1]}`;
  const w = wall(new Date(value), timeZone);
  return `${w.day}/${w.month}/${w.year}`;
}

/** HH:mm, 24-hour, in the municipality's zone. */
export function formatTime(instant: Date | string, timeZone = MUNICIPAL_TIME_ZONE): string {
  const w = wall(new Date(instant), timeZone);
  return `${w.hour}:${w.minute}`;
}

/** dd/MM/yyyy HH:mm in the municipality's zone. */
export function formatDateTime(instant: Date | string, timeZone = MUNICIPAL_TIME_ZONE): string {
  return `${formatDay(instant instanceof Date ? instant : new Date(instant), timeZone)} ${formatTime(instant, timeZone)}`;
}

/** The municipality's zone named for people: what a time in an email or a receipt is given in. */
export const MUNICIPAL_ZONE_NAME: Record<Locale, string> = {
  ar: 'بتوقيت تونس',
  fr: 'heure de Tunis',
  en: 'Tunis time',
};

/** dd/MM/yyyy HH:mm followed by the zone's name, for documents read away from the screen (emails, receipts). */
export function formatDateTimeWithZone(instant: Date | string, locale: Locale, timeZone = MUNICIPAL_TIME_ZONE): string {
  return `${formatDateTime(instant, timeZone)} (${MUNICIPAL_ZONE_NAME[locale]})`;
}

/** The calendar day (yyyy-mm-dd) of an instant in the municipality's zone. */
export function municipalDay(instant: Date, timeZone = MUNICIPAL_TIME_ZONE): string {
  const w = wall(instant, timeZone);
  return `${w.year}-${w.month}-${w.day}`;
}

/** The calendar month (yyyy-mm) of an instant in the municipality's zone, and the instant it began. */
export function municipalMonth(instant: Date, timeZone = MUNICIPAL_TIME_ZONE): { month: string; start: Date } {
  const w = wall(instant, timeZone);
  return { month: `${w.year}-${w.month}`, start: municipalInstant(`${w.year}-${w.month}-01`, '00:00', timeZone) };
}

/** Minutes the zone is ahead of UTC at `instant`. */
function offsetMinutes(instant: Date, timeZone: string): number {
  const w = wall(instant, timeZone);
  const wallMs = Date.UTC(Number(w.year), Number(w.month) - 1, Number(w.day), Number(w.hour), Number(w.minute));
  return Math.round((wallMs - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant of a wall-clock date and time (yyyy-mm-dd, HH:mm) in the municipality's
 * zone, whatever the device's own: a session set for 09:30 is at 09:30 in Aïn Draham.
 */
export function municipalInstant(date: string, time: string, timeZone = MUNICIPAL_TIME_ZONE): Date {
  const asUtc = new Date(`${date}T${time}:00Z`);
  // The offset at the guessed instant, then at the corrected one (they differ only across a DST change).
  const first = new Date(asUtc.getTime() - offsetMinutes(asUtc, timeZone) * 60_000);
  return new Date(asUtc.getTime() - offsetMinutes(first, timeZone) * 60_000);
}
