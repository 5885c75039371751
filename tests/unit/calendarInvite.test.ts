import { describe, expect, it } from 'vitest';
import { foldLine, sessionInvite } from '../../server/services/calendarInvite';

describe('RFC 5545 line folding', () => {
  it.each([
    ['short', 'SUMMARY:ok'],
    ['exactly 75 octets', `X:${'a'.repeat(73)}`],
    ['long ASCII', `DESCRIPTION:${'a'.repeat(200)}`],
    ['Arabic (2-octet characters) never split', `SUMMARY:${'لجنة '.repeat(40)}`],
    ['emoji (4 octets)', `SUMMARY:${'🏛'.repeat(30)}`],
  ])('%s: lines ≤ 75 octets and unfolding gives the line back', (_n, line) => {
    const folded = foldLine(line);
    for (const l of folded.split('\r\n')) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
  });
});

describe('session invite', () => {
  const ics = sessionInvite({
    uid: 'session-7@lajna', sequence: 3, start: new Date('2026-12-03T08:30:00Z'), durationMinutes: 90,
    summary: 'Commission; séance, 1', description: 'Ordre du jour :\n1. ADR-2026-0001', location: 'Salle A',
    organizer: { name: 'Commune de Aïn Draham', email: 'no-reply@lajna.local' },
    attendees: [{ name: 'Leila "Ben" Salah', email: 'architect@ain-draham.tn' }], now: new Date('2026-11-22T10:00:00Z'),
  });
  const lines = ics.replace(/\r\n /g, '').split('\r\n');

  it('is a REQUEST with UTC times, CRLF line ends and the escaped text', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(lines).toEqual(expect.arrayContaining([
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'METHOD:REQUEST', 'BEGIN:VEVENT', 'UID:session-7@lajna', 'SEQUENCE:3',
      'DTSTAMP:20261122T100000Z', 'DTSTART:20261203T083000Z', 'DTEND:20261203T100000Z',
      'SUMMARY:Commission\\; séance\\, 1', 'DESCRIPTION:Ordre du jour :\\n1. ADR-2026-0001', 'LOCATION:Salle A',
      'ORGANIZER;CN="Commune de Aïn Draham":mailto:no-reply@lajna.local',
      'ATTENDEE;CN="Leila Ben Salah";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:architect@ain-draham.tn',
      'END:VEVENT', 'END:VCALENDAR',
    ]));
  });
});
