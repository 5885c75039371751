import type { Namespace, Socket } from 'socket.io';
import type { z } from 'zod';
import type { CommitteeSeatKind } from '../../protocol/enums';
import type { AckData, MeetingClientEvents, MeetingFeatureSnapshots, MeetingServerEvents, RevocationReason } from '../../protocol/meeting';
import type { SocketData } from '../realtime/io';
import type { MeetingRoom, ParticipantState } from './MeetingRoom';

export interface MeetingSocketData extends SocketData {
  /** The session this socket has joined, if any. */
  meeting?: MeetingRoom;
  /** Its login ended: every request is refused until the server disconnects it. */
  revoked?: LoginEnd;
}
/** How a socket's login ended (logout, expiry). */
export type LoginEnd = Extract<RevocationReason, 'logged_out' | 'login_expired'>;
export type MeetingNamespace = Namespace<MeetingClientEvents, MeetingServerEvents, Record<string, never>, MeetingSocketData>;
export type MeetingSocket = Socket<MeetingClientEvents, MeetingServerEvents, Record<string, never>, MeetingSocketData>;

export type ClientEvent = keyof MeetingClientEvents;

/** What a handler is given: the socket, and the room and participant it acts in (current, not as cached at join). */
export interface RequestContext {
  readonly socket: MeetingSocket;
  readonly userId: number;
  readonly room: MeetingRoom;
  readonly participant: ParticipantState;
}

/** One client event a feature answers: its schema, who may send it, what it does. */
export interface MeetingRequest {
  readonly event: ClientEvent;
  readonly schema: z.ZodType;
  /** The seats allowed to send it, read from the room at each request; any participant when absent. */
  readonly seats?: readonly CommitteeSeatKind[];
  /** The refusal given to other seats. */
  readonly refusal?: string;
  /** Only once the chair has opened the session (it makes the session's records); refused in the waiting room. */
  readonly inSession?: boolean;
  /** Acknowledged once the features' writes it caused are done (attendance, for one). */
  readonly settles?: boolean;
  readonly handle: (payload: unknown, ctx: RequestContext) => unknown;
}

/**
 * Declares a handler for `event`: the payload is what `schema` outputs, the answer must be
 * what the protocol acknowledges the event with.
 */
export function request<E extends ClientEvent, S extends z.ZodType>(
  event: E,
  schema: S,
  handle: (payload: z.output<S>, ctx: RequestContext) => AckData<E> | Promise<AckData<E>>,
  access: Pick<MeetingRequest, 'seats' | 'refusal' | 'inSession' | 'settles'> = {},
): MeetingRequest {
  return { event, schema, handle: handle as MeetingRequest['handle'], ...access };
}

type SnapshotName = keyof MeetingFeatureSnapshots;

/** A feature's part of the join snapshot, under its name in `MeetingSnapshot.features`. */
export type FeatureSnapshot = {
  [K in SnapshotName]: { name: K; of(room: MeetingRoom, participant: ParticipantState): MeetingFeatureSnapshots[K] | Promise<MeetingFeatureSnapshots[K]> };
}[SnapshotName];

/**
 * A part of the meeting (hands, media, attendance, the shared dossier, voting, minutes;
 * later chat, markups, hearings), registered once on the /meeting namespace. It keeps its
 * own state per room, follows the room's events, answers its own requests.
 */
export interface MeetingFeature {
  readonly name: string;
  readonly requests?: readonly MeetingRequest[];
  readonly snapshot?: FeatureSnapshot;
  /** A room was created for a session: set up the feature's state for it, subscribe to its events. */
  roomCreated?(room: MeetingRoom): void;
  /** Writes in flight for the room: a request that changed presence is acknowledged once they are done. */
  settled?(room: MeetingRoom): Promise<void>;
}
