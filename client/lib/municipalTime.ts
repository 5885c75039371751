import { MUNICIPAL_TIME_ZONE } from '../../protocol/enums';

/** Minutes the zone is ahead of UTC at `instant`. */
function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'));
  return Math.round((wall - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
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
