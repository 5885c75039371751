import type { CommitteeSeatKind, SessionStatus } from '../../protocol/enums';

/**
 * A committee session's lifecycle: planned by the secretary, live once the chair opens it
 * (not when someone first enters the meeting, possibly days early), closed when the chair
 * ends it. The meeting room is open to the committee while the session is planned (a
 * waiting room: people gather, check their devices, see the agenda; nothing is recorded)
 * and while it is live; a closed session's meeting is over for good.
 */
export type SessionAction = 'open' | 'end';

interface Step {
  from: readonly SessionStatus[];
  to: SessionStatus;
  /** The seats that may take the step. */
  by: readonly CommitteeSeatKind[];
}

/** The lifecycle table: the only place that says which step leads where, and who may take it. */
export const SESSION_STEPS: Record<SessionAction, Step> = {
  open: { from: ['planned'], to: 'live', by: ['chair'] },
  end: { from: ['live'], to: 'closed', by: ['chair'] },
};

export type SessionStepResult = { ok: true; to: SessionStatus } | { ok: false; reason: 'wrong_status' | 'wrong_seat' };

/** Whether the holder of `seat` (none: not on the committee) may take `action` on a session in `status`. */
export function sessionStep(status: SessionStatus, action: SessionAction, seat: CommitteeSeatKind | undefined): SessionStepResult {
  const step = SESSION_STEPS[action];
  if (!seat || !step.by.includes(seat)) return { ok: false, reason: 'wrong_seat' };
  if (!step.from.includes(status)) return { ok: false, reason: 'wrong_status' };
  return { ok: true, to: step.to };
}

/** Whether the committee may be in the session's meeting room (waiting, or in session). */
export const meetingOpen = (status: SessionStatus): boolean => status !== 'closed';

/** Whether the session's records are being made: attendance, the dossier shown, recusals, votes. */
export const inSession = (status: SessionStatus): boolean => status === 'live';

/**
 * The dossiers of a session that ends without their opinion: still `scheduled` (never voted,
 * or the vote had no valid outcome). They go back to `complete`, to be scheduled again.
 */
export function unexamined(items: readonly { dossierId: number; dossierStatus: string }[]): number[] {
  return items.filter((i) => i.dossierStatus === 'scheduled').map((i) => i.dossierId);
}
