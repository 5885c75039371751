import { describe, expect, it } from 'vitest';
import { COMMITTEE_SEAT_KINDS, SESSION_STATUSES, type CommitteeSeatKind, type SessionStatus } from '../../protocol/enums';
import { inSession, meetingOpen, sessionStep, unexamined, type SessionAction } from '../../server/domain/sessionLifecycle';

// Every allowed step; everything else in status × action × seat (or no seat) is refused, with its reason.
const ALLOWED: [SessionStatus, SessionAction, CommitteeSeatKind, SessionStatus][] = [
  ['planned', 'open', 'chair', 'live'],
  ['live', 'end', 'chair', 'closed'],
];

const ACTIONS: SessionAction[] = ['open', 'end'];
const SEATS: (CommitteeSeatKind | undefined)[] = [...COMMITTEE_SEAT_KINDS, undefined];

describe('session lifecycle', () => {
  it.each(ALLOWED)('%s --%s by %s--> %s', (from, action, seat, to) => {
    expect(sessionStep(from, action, seat)).toEqual({ ok: true, to });
  });

  const refused = SESSION_STATUSES.flatMap((status) => ACTIONS.flatMap((action) => SEATS.map((seat) => [status, action, seat] as const)))
    .filter(([status, action, seat]) => !ALLOWED.some(([s, a, k]) => s === status && a === action && k === seat));

  it.each(refused)('refuses %s --%s by %s', (status, action, seat) => {
    const r = sessionStep(status, action, seat);
    expect(r.ok).toBe(false);
    // Not the chair: that is the answer, whatever the status (nothing is said about the session to others).
    expect(r).toEqual({ ok: false, reason: seat === 'chair' ? 'wrong_status' : 'wrong_seat' });
  });

  it.each([
    ['planned', true, false],
    ['live', true, true],
    ['closed', false, false],
  ] as const)('a %s session: meeting open %s, records made %s', (status, open, recording) => {
    expect(meetingOpen(status)).toBe(open);
    expect(inSession(status)).toBe(recording);
  });

  it('gives back the dossiers still scheduled when the session ends, and only those', () => {
    expect(unexamined([
      { dossierId: 1, dossierStatus: 'favourable' },
      { dossierId: 2, dossierStatus: 'scheduled' },
      { dossierId: 3, dossierStatus: 'deferred' },
      { dossierId: 4, dossierStatus: 'withdrawn' },
      { dossierId: 5, dossierStatus: 'scheduled' },
      { dossierId: 6, dossierStatus: 'unfavourable' },
    ])).toEqual([2, 5]);
    expect(unexamined([])).toEqual([]);
  });
});
