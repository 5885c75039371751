import { z } from 'zod';
import { normaliseEmail } from './auth';
import { Id } from './ids';
import type { AckFn, MediaSnapshot, MeetingServerEvents, Participant } from './meeting';
import type { AgendaItemInfo, PresentationState } from './presentation';
import { lineText } from './text';

/**
 * The applicant heard on one agenda item. The secretary or the chair invites them (or their
 * architect) over HTTP (/api/hearings); the email's one-time link (`/hearing#<token>`, the
 * token never reaches a server log) makes a guest login that reaches only the guest's page,
 * their dossier's documents and the `/hearing` socket.io namespace; the chair admits and
 * dismisses them from the meeting (`admitGuest`, `endHearing` on /meeting).
 */

export const InviteGuestBody = z.object({
  sessionId: Id,
  agendaItemId: Id,
  dossierId: Id,
  name: lineText(120).min(2, 'the name of the person invited'),
  email: z.string().max(1024).overwrite(normaliseEmail).email().max(254),
}).strict();
export type InviteGuest = z.input<typeof InviteGuestBody>;

/** The link's token as the guest page sends it back: 43 base64url characters (32 random bytes). */
export const RedeemBody = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a hearing link token') }).strict();

/** An invitation as the office and the chair see it. */
export interface HearingInvitationView {
  id: number;
  sessionId: number;
  agendaItemId: number;
  position: number;
  dossierId: number;
  reference: string | null;
  name: string;
  email: string;
  /** ISO 8601 instants. */
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
  endedAt: string | null;
}

/** Where an invitation stands, as the office lists it. */
export type InvitationState = 'sent' | 'used' | 'expired' | 'revoked' | 'ended';

/**
 * Withdrawn and ended say the most (an ended hearing's login is over, whatever the clock);
 * then past its time, whether followed or not; then followed once, or only sent.
 */
export function invitationState(inv: Pick<HearingInvitationView, 'usedAt' | 'revokedAt' | 'endedAt' | 'expiresAt'>, now: Date): InvitationState {
  if (inv.revokedAt) return 'revoked';
  if (inv.endedAt) return 'ended';
  if (now.getTime() >= Date.parse(inv.expiresAt)) return 'expired';
  return inv.usedAt ? 'used' : 'sent';
}

/** What a guest knows of their own hearing (their page's heading). */
export interface GuestView {
  invitationId: number;
  name: string;
  sessionId: number;
  startsAt: string;
  committee: { nameAr: string; nameFr: string };
  agendaItemId: number;
  position: number;
  reference: string | null;
  expiresAt: string;
}

/** A guest as the committee sees them in the meeting. */
export interface GuestInfo {
  invitationId: number;
  name: string;
  agendaItemId: number;
  position: number;
  /** The id their media are tagged with in the room (negative: no user of the platform). */
  userId: number;
}

/** The meeting's part: who waits in the lobby, who is being heard. */
export interface HearingState {
  waiting: GuestInfo[];
  admitted: GuestInfo[];
}

/** What the admitted guest's connection gets: the committee, the media, their item and where the presenter is in it. */
export interface GuestRoom {
  participants: Participant[];
  media: MediaSnapshot;
  item: AgendaItemInfo;
  /** The presentation while their item is the open one (null otherwise). */
  presentation: PresentationState | null;
}

export const hearingSchemas = {
  /** Chair only: lets a waiting guest in (their item must be the open one). */
  admitGuest: z.object({ invitationId: Id }).strict(),
  /** Chair only: the hearing is over; the guest leaves the room and their login ends. */
  endHearing: z.object({ invitationId: Id }).strict(),
} as const;

/** The guest's own events, on the `/hearing` namespace. */
export const guestSchemas = {
  enterLobby: z.object({}).strict(),
  leave: z.object({}).strict(),
} as const;

/** Why a guest's connection was let go. */
export type HearingEndReason = 'ended' | 'revoked' | 'session_ended';

declare module './meeting' {
  interface MeetingFeatureSnapshots {
    hearing: HearingState;
  }
  interface MeetingClientEvents {
    admitGuest(p: z.input<typeof hearingSchemas.admitGuest>, ack: AckFn<null>): void;
    endHearing(p: z.input<typeof hearingSchemas.endHearing>, ack: AckFn<null>): void;
  }
  interface MeetingServerEvents {
    /** Someone started waiting, was admitted, or left. */
    hearing(state: HearingState): void;
  }
}

/** Guest → server on `/hearing`: the lobby, leaving, and the media requests of `/meeting` (same payloads). */
export interface GuestClientEvents {
  enterLobby(p: z.input<typeof guestSchemas.enterLobby>, ack: AckFn<{ guest: GuestView; room: GuestRoom | null }>): void;
  leave(p: z.input<typeof guestSchemas.leave>, ack: AckFn<null>): void;
}

/** Server → guest on `/hearing`: the media events of /meeting, and their own. */
export interface GuestServerEvents extends Pick<MeetingServerEvents, 'newProducer' | 'producerClosed' | 'producerPaused' | 'consumerClosed' | 'activeSpeaker' | 'requestRefused'> {
  /** The chair let the guest in. */
  admitted(room: GuestRoom): void;
  /** The hearing is over for this guest. */
  hearingEnded(p: { reason: HearingEndReason }): void;
  presentation(state: PresentationState | null): void;
  participants(list: Participant[]): void;
}
