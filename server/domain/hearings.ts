/**
 * The rules of a hearing's link and of the guest it lets in (the applicant or their architect,
 * heard on one agenda item): pure, table-tested.
 */

/** How long after a session's start its hearing links stay valid at most (the session's closing ends them sooner). */
export const HEARING_LINK_HOURS = 12;

/** A link or a guest login is good until the session's start plus HEARING_LINK_HOURS. */
export function hearingExpiry(startsAt: Date): Date {
  return new Date(startsAt.getTime() + HEARING_LINK_HOURS * 3_600_000);
}

export type HearingLinkRefusal = 'hearing_link_revoked' | 'hearing_link_expired' | 'hearing_link_used';

export interface InvitationFacts {
  now: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  usedAt: Date | null;
  /** The chair ended this hearing. */
  endedAt: Date | null;
  sessionStatus: 'planned' | 'live' | 'closed';
}

/** Why the guest login a link made no longer lets its guest in (null: it does). Revoked first: it says the most. */
export function guestLoginRefusal(f: InvitationFacts): Exclude<HearingLinkRefusal, 'hearing_link_used'> | null {
  if (f.revokedAt) return 'hearing_link_revoked';
  if (f.sessionStatus === 'closed' || f.endedAt || f.now >= f.expiresAt) return 'hearing_link_expired';
  return null;
}

/** Why a link may not be followed now (null: it may, once): the login's refusals, then its use. */
export function linkRefusal(f: InvitationFacts): HearingLinkRefusal | null {
  return guestLoginRefusal(f) ?? (f.usedAt ? 'hearing_link_used' : null);
}

/** Where a guest stands in the meeting. */
export type GuestStage = 'lobby' | 'admitted';

/** What the guest's connection may ask, at each stage: nothing else exists for it. */
const GUEST_EVENTS: Record<GuestStage, ReadonlySet<string>> = {
  lobby: new Set(['enterLobby', 'leave']),
  admitted: new Set([
    'enterLobby', 'leave',
    'createTransport', 'connectTransport', 'restartIce', 'closeTransport',
    'produce', 'closeProducer', 'pauseProducer', 'resumeProducer',
    'consume', 'resumeConsumer', 'setConsumerLayers',
  ]),
};

/** Whether a guest at `stage` may send `event` (votes, presenting, chat, other items: never). */
export function guestMay(stage: GuestStage, event: string): boolean {
  return GUEST_EVENTS[stage].has(event);
}

/** A guest speaks and may show their face; they share nothing else (no screen, no document). */
export const GUEST_MEDIA_SOURCES: readonly string[] = ['mic', 'camera'];

/** Admission: only the chair, only while the guest waits, only when the guest's item is the one under discussion. */
export type AdmissionRefusal = 'not_chair' | 'not_waiting' | 'item_not_open';

export function admissionRefusal(a: { seat: string; waiting: boolean; guestItemId: number; openItemId: number | null }): AdmissionRefusal | null {
  if (a.seat !== 'chair') return 'not_chair';
  if (!a.waiting) return 'not_waiting';
  if (a.openItemId !== a.guestItemId) return 'item_not_open';
  return null;
}
