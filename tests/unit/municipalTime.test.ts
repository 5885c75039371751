import { describe, expect, it } from 'vitest';
import type { Locale } from '../../protocol/enums';
import { formatDateTime, formatDateTimeWithZone, formatDay, formatTime, municipalDay, municipalInstant, municipalMonth } from '../../protocol/municipalTime';

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

describe('dates and times in the municipality (day first, 24 h, Latin digits, Tunis time)', () => {
  // The same text in every language: no locale pattern decides the order of day and month.
  it.each([
    ['1 March: day before month, never 03/01', '2027-03-01T10:00:00Z', '01/03/2027', '11:00'],
    ['12 January: never 01/12', '2026-01-12T08:05:00Z', '12/01/2026', '09:05'],
    ['31 December late evening UTC is already 1 January in Tunis', '2026-12-31T23:30:00Z', '01/01/2027', '00:30'],
    ['just before midnight in Tunis stays the same day', '2026-12-01T22:59:00Z', '01/12/2026', '23:59'],
    ['midnight in Tunis is 23:00 UTC the day before', '2026-12-01T23:00:00Z', '02/12/2026', '00:00'],
    ['summer: still UTC+1 (Tunisia keeps no DST)', '2026-07-15T18:45:00Z', '15/07/2026', '19:45'],
    ['the convocation of the issue: 18:45 UTC is 19:45 in Tunis', '2026-12-01T18:45:00Z', '01/12/2026', '19:45'],
  ])('%s', (_name, iso, day, time) => {
    expect(formatDay(iso)).toBe(day);
    expect(formatDay(new Date(iso))).toBe(day);
    expect(formatTime(iso)).toBe(time);
    expect(formatDateTime(iso)).toBe(`${day} ${time}`);
  });

  it.each([
    ['2027-03-01', '01/03/2027'],
    ['2026-01-12', '12/01/2026'],
    ['2026-12-31', '31/12/2026'],
  ])('a calendar day %s is that day whatever the zone: %s', (day, text) => {
    expect(formatDay(day)).toBe(text);
    expect(formatDay(day, 'Pacific/Kiritimati')).toBe(text);
  });

  it.each<[Locale, string]>([
    ['ar', '01/12/2026 19:45 (بتوقيت تونس)'],
    ['fr', '01/12/2026 19:45 (heure de Tunis)'],
    ['en', '01/12/2026 19:45 (Tunis time)'],
  ])('%s names the zone: %s', (locale, text) => {
    expect(formatDateTimeWithZone('2026-12-01T18:45:00Z', locale)).toBe(text);
    expect(text).not.toMatch(/UTC|\u200f|\u200e|[\u0660-\u0669]/);
  });

  it.each([
    ['2026-12-01T22:59:00Z', '2026-12-01'],
    ['2026-12-01T23:00:00Z', '2026-12-02'],
    ['2026-03-01T00:30:00Z', '2026-03-01'],
  ])('the municipal day of %s is %s', (iso, day) => {
    expect(municipalDay(new Date(iso))).toBe(day);
  });
});

describe('municipalMonth (what an SMS quota counts in)', () => {
  it.each([
    ['2026-11-30T22:59:00Z', '2026-11', '2026-10-31T23:00:00.000Z'],
    ['2026-11-30T23:00:00Z', '2026-12', '2026-11-30T23:00:00.000Z'],
    ['2026-12-31T23:30:00Z', '2027-01', '2026-12-31T23:00:00.000Z'],
    ['2027-03-01T00:00:00Z', '2027-03', '2027-02-28T23:00:00.000Z'],
  ])('%s is in %s, which began at %s', (iso, month, start) => {
    expect(municipalMonth(new Date(iso))).toEqual({ month, start: new Date(start) });
  });
});
