import { describe, expect, it } from 'vitest';
import { municipalInstant } from '../../client/lib/municipalTime';

describe('municipalInstant', () => {
  it.each([
    ['Tunis, winter', '2026-12-03', '09:30', 'Africa/Tunis', '2026-12-03T08:30:00.000Z'],
    ['Tunis, summer (no DST since 2009)', '2026-07-15', '09:30', 'Africa/Tunis', '2026-07-15T08:30:00.000Z'],
    ['Tunis, just after midnight falls on the previous UTC day', '2026-12-03', '00:15', 'Africa/Tunis', '2026-12-02T23:15:00.000Z'],
    ['a zone with DST, summer', '2026-07-15', '09:30', 'Europe/Paris', '2026-07-15T07:30:00.000Z'],
    ['a zone with DST, winter', '2026-12-03', '09:30', 'Europe/Paris', '2026-12-03T08:30:00.000Z'],
    ['UTC', '2026-12-03', '09:30', 'UTC', '2026-12-03T09:30:00.000Z'],
  ])('%s: %s %s → %s', (_name, date, time, zone, iso) => {
    expect(municipalInstant(date, time, zone).toISOString()).toBe(iso);
  });
});
