import { z } from 'zod';
import type { CommitteeSeatKind } from './enums';
import type { ErrorBody } from './errors';
import { Id } from './ids';

/**
 * The signalling protocol of the `/meeting` socket.io namespace.
 *
 * Every client event carries exactly one payload and an acknowledgement callback answered
 * with `Ack<T>`. Each feature of the meeting (hands, media, document viewer, voting,
 * minutes …) adds its events by augmenting `MeetingClientEvents` / `MeetingServerEvents`
 * from its own protocol file, and its part of the join snapshot by augmenting
 * `MeetingFeatureSnapshots` (`declare module './meeting' { interface … { … } }`), so that
 * the client reads `snapshot.features.voting` typed, without a cast.
 */

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody['error'] };
export type AckFn<T> = (response: Ack<T>) => void;

// Opaque mediasoup structures are validated as objects here; mediasoup itself checks their content.
const object = z.record(z.string(), z.unknown());
const id = z.string().min(1).max(64);

export const PRESENCE_MODES = ['video', 'audio'] as const;
export type PresenceMode = (typeof PRESENCE_MODES)[number];
export const LINK_QUALITIES = ['good', 'fair', 'poor'] as const;
export type LinkQuality = (typeof LINK_QUALITIES)[number];
export const MEDIA_SOURCES = ['mic', 'camera'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];
/** Why a socket lost its place in the meeting: its login ended (logout, expiry), or its seat on the committee did. */
export type RevocationReason = 'logged_out' | 'login_expired' | 'seat_removed';

export const meetingSchemas = {
  join: z.object({ sessionId: Id, mode: z.enum(PRESENCE_MODES) }).strict(),
  leave: z.object({}).strict(),
  setMode: z.object({ mode: z.enum(PRESENCE_MODES) }).strict(),
  setQuality: z.object({ quality: z.enum(LINK_QUALITIES) }).strict(),
  raiseHand: z.object({}).strict(),
  lowerHand: z.object({}).strict(),
  /** Chair only: clears one member's hand, or the whole queue without userId. */
  clearHands: z.object({ userId: Id.optional() }).strict(),
  /** Chair only: pauses a member's microphone on the server. */
  muteParticipant: z.object({ userId: Id }).strict(),
  createTransport: z.object({ direction: z.enum(['send', 'recv']) }).strict(),
  connectTransport: z.object({ transportId: id, dtlsParameters: object }).strict(),
  restartIce: z.object({ transportId: id }).strict(),
  /** The client rebuilds its media: its old transports go first (a connection holds at most two). */
  closeTransport: z.object({ transportId: id }).strict(),
  produce: z
    .object({ transportId: id, kind: z.enum(['audio', 'video']), rtpParameters: object, source: z.enum(MEDIA_SOURCES) })
    .strict(),
  closeProducer: z.object({ producerId: id }).strict(),
  pauseProducer: z.object({ producerId: id }).strict(),
  resumeProducer: z.object({ producerId: id }).strict(),
  consume: z.object({ transportId: id, producerId: id, rtpCapabilities: object }).strict(),
  resumeConsumer: z.object({ consumerId: id }).strict(),
  /** The tile height in CSS pixels and the measured downlink: the server picks the simulcast layer. */
  setConsumerLayers: z
    .object({ consumerId: id, tileHeight: z.number().int().min(0).max(4320), bitrate: z.number().int().min(0).optional() })
    .strict(),
  /** Chair only: opens the planned session (it becomes live: attendance, the dossiers, the votes). */
  openSession: z.object({}).strict(),
  /** Chair only: ends the live session (it becomes closed; nobody can join again). */
  endSession: z.object({}).strict(),
} as const;
export type MeetingRequest<K extends keyof typeof meetingSchemas> = z.input<(typeof meetingSchemas)[K]>;

export interface Participant {
  userId: number;
  nameAr: string;
  nameFr: string;
  seat: CommitteeSeatKind;
  status: 'present' | 'reconnecting';
  mode: PresenceMode;
  quality: LinkQuality;
  /** Microphone muted (by the member or by the chair). */
  micMuted: boolean;
  cameraOn: boolean;
}

export interface ProducerInfo {
  producerId: string;
  userId: number;
  kind: 'audio' | 'video';
  source: MediaSource;
  paused: boolean;
}

/** A TURN server as the browser's RTCIceServer takes it. */
export interface IceServerInfo {
  urls: string[];
  username: string;
  credential: string;
}

export interface TransportInfo {
  id: string;
  iceParameters: unknown;
  iceCandidates: unknown[];
  dtlsParameters: unknown;
  /** TURN servers with credentials issued for this member, when the server has one. */
  iceServers?: IceServerInfo[];
  /** `relay`: media only through the TURN server. */
  iceTransportPolicy?: 'all' | 'relay';
}

export interface ConsumerInfo {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: unknown;
  producerPaused: boolean;
}

/** The media part of the join snapshot: `MeetingSnapshot.features.media`. */
export interface MediaSnapshot {
  routerRtpCapabilities: unknown;
  /** What the others send now. */
  producers: ProducerInfo[];
  activeSpeaker: number | null;
}

/** Each feature's part of the join snapshot, by feature name; feature protocol files augment it. */
export interface MeetingFeatureSnapshots {
  /** Raised hands, oldest first. */
  hands: number[];
  media: MediaSnapshot;
}

/**
 * Where the session stands, as the room shows it: `planned` until the chair opens it (the
 * room is a waiting room: people gather and check their devices, nothing is recorded),
 * then `live`. Instants in ISO 8601.
 */
export interface MeetingSession {
  status: 'planned' | 'live';
  startsAt: string;
  openedAt: string | null;
}

/** Everything a client needs on (re)join. */
export interface MeetingSnapshot {
  sessionId: number;
  session: MeetingSession;
  self: { userId: number; seat: CommitteeSeatKind };
  participants: Participant[];
  features: MeetingFeatureSnapshots;
}

/** Client → server events. Augment from a feature's protocol file. */
export interface MeetingClientEvents {
  join(p: MeetingRequest<'join'>, ack: AckFn<MeetingSnapshot>): void;
  leave(p: MeetingRequest<'leave'>, ack: AckFn<null>): void;
  setMode(p: MeetingRequest<'setMode'>, ack: AckFn<null>): void;
  setQuality(p: MeetingRequest<'setQuality'>, ack: AckFn<null>): void;
  raiseHand(p: MeetingRequest<'raiseHand'>, ack: AckFn<null>): void;
  lowerHand(p: MeetingRequest<'lowerHand'>, ack: AckFn<null>): void;
  clearHands(p: MeetingRequest<'clearHands'>, ack: AckFn<null>): void;
  muteParticipant(p: MeetingRequest<'muteParticipant'>, ack: AckFn<null>): void;
  createTransport(p: MeetingRequest<'createTransport'>, ack: AckFn<TransportInfo>): void;
  connectTransport(p: MeetingRequest<'connectTransport'>, ack: AckFn<null>): void;
  restartIce(p: MeetingRequest<'restartIce'>, ack: AckFn<{ iceParameters: unknown }>): void;
  produce(p: MeetingRequest<'produce'>, ack: AckFn<{ id: string }>): void;
  closeTransport(p: MeetingRequest<'closeTransport'>, ack: AckFn<null>): void;
  closeProducer(p: MeetingRequest<'closeProducer'>, ack: AckFn<null>): void;
  pauseProducer(p: MeetingRequest<'pauseProducer'>, ack: AckFn<null>): void;
  resumeProducer(p: MeetingRequest<'resumeProducer'>, ack: AckFn<null>): void;
  consume(p: MeetingRequest<'consume'>, ack: AckFn<ConsumerInfo>): void;
  resumeConsumer(p: MeetingRequest<'resumeConsumer'>, ack: AckFn<null>): void;
  setConsumerLayers(p: MeetingRequest<'setConsumerLayers'>, ack: AckFn<null>): void;
  openSession(p: MeetingRequest<'openSession'>, ack: AckFn<MeetingSession>): void;
  endSession(p: MeetingRequest<'endSession'>, ack: AckFn<null>): void;
}

/** Server → client events. Augment from a feature's protocol file. */
export interface MeetingServerEvents {
  participants(list: Participant[]): void;
  hands(queue: number[]): void;
  activeSpeaker(userId: number | null): void;
  newProducer(info: ProducerInfo): void;
  producerClosed(p: { producerId: string }): void;
  producerPaused(p: { producerId: string; paused: boolean }): void;
  consumerClosed(p: { consumerId: string }): void;
  /** The chair paused this member's microphone. */
  mutedByChair(p: { byUserId: number }): void;
  /** The media server was replaced: drop transports and set media up again with these capabilities. */
  mediaRestart(p: { routerRtpCapabilities: unknown }): void;
  /** The chair opened the session: the waiting room is now the session. */
  sessionOpened(session: MeetingSession): void;
  /** The chair ended the session: the meeting is over for everyone. */
  sessionEnded(p: { sessionId: number }): void;
  /**
   * This connection lost its rights in the meeting, now rather than at its next handshake:
   * after `logged_out` or `login_expired` every request is refused (unauthenticated) and the
   * server disconnects it; after `seat_removed` it is out of the room and may not join again.
   */
  rightsRevoked(p: { reason: RevocationReason }): void;
  /** A request sent without an acknowledgement callback was refused (there was nothing else to answer it with). */
  requestRefused(p: { event: string; error: ErrorBody['error'] }): void;
}

/** What the server acknowledges request `E` with, when it succeeds. */
export type AckData<E extends keyof MeetingClientEvents> = Parameters<Parameters<MeetingClientEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;
