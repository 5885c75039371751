import { EventEmitter } from 'node:events';
import type { Namespace, Socket } from 'socket.io';
import type { types } from 'mediasoup';
import type { CommitteeSeatKind } from '../../protocol/enums';
import type {
  LinkQuality,
  MeetingClientEvents,
  MeetingServerEvents,
  MediaSource,
  Participant,
  PresenceMode,
  ProducerInfo,
} from '../../protocol/meeting';
import { layerFor } from '../../sfu/Peer';
import { MediaRoom } from '../../sfu/MediaRoom';
import type { WorkerPool } from '../../sfu/WorkerPool';
import { REJOIN_GRACE_MS } from '../domain/attendance';
import { AppError, conflict, forbidden } from '../errors';
import type { Logger } from '../log';
import { recordJoin, recordLeave } from '../services/attendance';
import type { SocketData } from '../realtime/io';

export interface MeetingSocketData extends SocketData {
  /** The session this socket has joined, if any. */
  meeting?: MeetingRoom;
}
export type MeetingNamespace = Namespace<MeetingClientEvents, MeetingServerEvents, Record<string, never>, MeetingSocketData>;
export type MeetingSocket = Socket<MeetingClientEvents, MeetingServerEvents, Record<string, never>, MeetingSocketData>;

export interface MeetingRoomEvents {
  /** Who is present changed (a member with several sockets counts once). */
  presencechanged: [presentUserIds: number[]];
  /** A member left for good (explicit leave, or no return within the grace period). */
  participantleft: [userId: number];
  /** A feature changed the records of an agenda item (a recusal, a vote closed): others refresh what they derive from them. */
  recordschanged: [agendaItemId: number];
  closed: [];
}

export interface ParticipantState extends Participant {
  sockets: Set<string>;
  graceTimer?: NodeJS.Timeout;
}

/** What the meeting tags each producer with (its appData): whose it is, and which device. */
export type ProducerTag = {
  userId: number;
  source: MediaSource;
};

/**
 * The server-authoritative state of one live session's meeting: who is there and how,
 * the hand queue, the media room. Persists attendance first, then broadcasts.
 */
export class MeetingRoom extends EventEmitter<MeetingRoomEvents> {
  readonly participants = new Map<number, ParticipantState>();
  /** Raised hands, oldest first. */
  hands: number[] = [];
  activeSpeaker: number | null = null;
  #media: Promise<MediaRoom<ProducerTag>> | undefined;
  #closed = false;

  constructor(
    readonly sessionId: number,
    readonly committeeId: number,
    private readonly nsp: MeetingNamespace,
    private readonly pool: WorkerPool,
    private readonly log: Logger,
  ) {
    super();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The socket.io room carrying this session's broadcasts. */
  get channel(): string {
    return `session:${this.sessionId}`;
  }

  /** Users connected now; a member present with several sockets counts once. */
  get presentUserIds(): number[] {
    return [...this.participants.values()].filter((p) => p.status === 'present').map((p) => p.userId);
  }

  seatOf(userId: number): CommitteeSeatKind | undefined {
    return this.participants.get(userId)?.seat;
  }

  /** Sends an event to everyone in the session (optionally except one socket). */
  broadcast<E extends keyof MeetingServerEvents>(event: E, ...args: Parameters<MeetingServerEvents[E]>): void {
    this.nsp.to(this.channel).emit(event, ...args);
  }

  /** Sends an event to every socket of one member. */
  sendTo<E extends keyof MeetingServerEvents>(userId: number, event: E, ...args: Parameters<MeetingServerEvents[E]>): void {
    for (const id of this.participants.get(userId)?.sockets ?? []) this.nsp.to(id).emit(event, ...args);
  }

  participantList(): Participant[] {
    return [...this.participants.values()].map(({ sockets: _s, graceTimer: _t, ...p }) => p);
  }

  async join(socket: MeetingSocket, seat: CommitteeSeatKind, mode: PresenceMode): Promise<void> {
    const principal = socket.data.principal;
    const userId = principal.userId;
    await recordJoin(this.sessionId, userId, mode);
    const before = this.presentUserIds.length;
    let p = this.participants.get(userId);
    if (!p) {
      p = { userId, nameAr: principal.nameAr, nameFr: principal.nameFr, seat, status: 'present', mode, quality: 'good', micMuted: false, cameraOn: false, sockets: new Set() };
      this.participants.set(userId, p);
    }
    clearTimeout(p.graceTimer);
    p.graceTimer = undefined;
    p.status = 'present';
    p.mode = mode;
    p.sockets.add(socket.id);
    socket.data.meeting = this;
    await socket.join(this.channel);
    await this.#room();
    this.broadcast('participants', this.participantList());
    if (this.presentUserIds.length !== before) this.emit('presencechanged', this.presentUserIds);
  }

  /** A socket goes away: `explicit` for a leave, otherwise a drop that may come back within the grace period. */
  async leave(socket: MeetingSocket, explicit: boolean): Promise<void> {
    const userId = socket.data.principal.userId;
    socket.data.meeting = undefined;
    void socket.leave(this.channel);
    this.#closePeer(socket.id);
    const p = this.participants.get(userId);
    if (!p || !p.sockets.delete(socket.id) || p.sockets.size > 0) return;
    await recordLeave(this.sessionId, userId);
    if (explicit) this.#remove(userId);
    else {
      p.status = 'reconnecting';
      p.graceTimer = setTimeout(() => this.#remove(userId), REJOIN_GRACE_MS);
      this.broadcast('participants', this.participantList());
      this.emit('presencechanged', this.presentUserIds);
    }
    this.#closeIfEmpty();
  }

  async setMode(socket: MeetingSocket, mode: PresenceMode): Promise<void> {
    const p = this.participant(socket);
    if (p.mode === mode) return;
    await recordJoin(this.sessionId, p.userId, mode);
    p.mode = mode;
    if (mode === 'audio') {
      // Audio-only: no video sent or received by any of this member's connections.
      const room = await this.#room();
      for (const id of p.sockets) {
        const peer = room.peers.get(id);
        if (!peer) continue;
        for (const producer of peer.producers.values()) if (producer.kind === 'video') producer.close();
        for (const consumer of peer.consumers.values()) if (consumer.kind === 'video') consumer.close();
      }
      p.cameraOn = false;
    }
    this.broadcast('participants', this.participantList());
  }

  setQuality(socket: MeetingSocket, quality: LinkQuality): void {
    const p = this.participant(socket);
    if (p.quality === quality) return;
    p.quality = quality;
    this.broadcast('participants', this.participantList());
  }

  raiseHand(socket: MeetingSocket): void {
    const { userId } = this.participant(socket);
    if (this.hands.includes(userId)) return;
    this.hands.push(userId);
    this.broadcast('hands', this.hands);
  }

  lowerHand(socket: MeetingSocket): void {
    this.#dropHand(this.participant(socket).userId);
  }

  clearHands(socket: MeetingSocket, userId?: number): void {
    this.requireChair(socket);
    if (userId === undefined) {
      this.hands = [];
      this.broadcast('hands', this.hands);
    } else this.#dropHand(userId);
  }

  /** The chair pauses a member's microphone on the server; the member sees it and may unmute. */
  async mute(socket: MeetingSocket, userId: number): Promise<void> {
    const chair = this.requireChair(socket);
    const p = this.participants.get(userId);
    if (!p) throw new AppError(404, 'not_found', 'no such participant');
    const room = await this.#room();
    for (const { producer } of room.producers()) {
      if (producer.appData.userId === userId && producer.appData.source === 'mic' && !producer.paused) {
        await producer.pause();
        this.broadcast('producerPaused', { producerId: producer.id, paused: true });
      }
    }
    p.micMuted = true;
    this.sendTo(userId, 'mutedByChair', { byUserId: chair.userId });
    this.broadcast('participants', this.participantList());
  }

  // --- media ---------------------------------------------------------------

  /** The media room while one exists (features may inspect producers; sfu objects stay owned here). */
  get media(): Promise<MediaRoom<ProducerTag>> | undefined {
    return this.#media;
  }

  async routerRtpCapabilities(): Promise<types.RtpCapabilities> {
    return (await this.#room()).rtpCapabilities;
  }

  async producerList(): Promise<ProducerInfo[]> {
    return (await this.#room()).producers().map(({ producer }) => this.#producerInfo(producer));
  }

  async peer(socket: MeetingSocket) {
    this.participant(socket);
    return (await this.#room()).peer(socket.id);
  }

  async produce(socket: MeetingSocket, transportId: string, kind: 'audio' | 'video', rtpParameters: types.RtpParameters, source: MediaSource): Promise<string> {
    const p = this.participant(socket);
    if (kind === 'video' && p.mode === 'audio') throw conflict('audio-only mode: no video is sent');
    const room = await this.#room();
    const peer = room.peer(socket.id);
    const tag: ProducerTag = { userId: p.userId, source };
    const producer = await peer.produce(transportId, kind, rtpParameters, { ...tag });
    await room.observeAudio(producer);
    producer.observer.once('close', () => {
      if (source === 'camera') this.#setCamera(p.userId);
      this.broadcast('producerClosed', { producerId: producer.id });
    });
    if (source === 'mic') p.micMuted = false;
    if (source === 'camera') p.cameraOn = true;
    socket.to(this.channel).emit('newProducer', this.#producerInfo(producer));
    this.broadcast('participants', this.participantList());
    return producer.id;
  }

  async setProducerPaused(socket: MeetingSocket, producerId: string, paused: boolean): Promise<void> {
    const p = this.participant(socket);
    const producer = (await this.peer(socket)).producer(producerId);
    if (paused) await producer.pause();
    else await producer.resume();
    const source = producer.appData.source;
    if (source === 'mic') p.micMuted = paused;
    if (source === 'camera') p.cameraOn = !paused;
    this.broadcast('producerPaused', { producerId, paused });
    this.broadcast('participants', this.participantList());
  }

  async closeProducer(socket: MeetingSocket, producerId: string): Promise<void> {
    (await this.peer(socket)).producer(producerId).close();
  }

  async consume(socket: MeetingSocket, transportId: string, producerId: string, rtpCapabilities: types.RtpCapabilities) {
    const p = this.participant(socket);
    const room = await this.#room();
    const found = room.findProducer(producerId);
    if (!found) throw new AppError(404, 'not_found', 'no such producer');
    if (found.producer.kind === 'video' && p.mode === 'audio') throw conflict('audio-only mode: no video is received');
    const peer = room.peer(socket.id);
    const params = await peer.consume(transportId, found.producer, rtpCapabilities);
    peer.consumer(params.id).on('producerclose', () => socket.emit('consumerClosed', { consumerId: params.id }));
    return params;
  }

  async setConsumerLayers(socket: MeetingSocket, consumerId: string, tileHeight: number, bitrate?: number): Promise<void> {
    const consumer = (await this.peer(socket)).consumer(consumerId);
    if (consumer.type !== 'simulcast') return;
    await consumer.setPreferredLayers({ spatialLayer: layerFor(tileHeight, bitrate) });
  }

  /** Closes the media room and forgets everyone (server shutdown). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.participants.values()) clearTimeout(p.graceTimer);
    this.participants.clear();
    const media = this.#media;
    this.#media = undefined;
    void media?.then((r) => r.close(), () => undefined);
    this.emit('closed');
  }

  // --- internals -----------------------------------------------------------

  /** The media room, created on first use; re-created on a live worker if its worker dies. */
  #room(): Promise<MediaRoom<ProducerTag>> {
    if (this.#closed) return Promise.reject(conflict('the meeting is closed'));
    if (!this.#media) {
      const media = MediaRoom.create<ProducerTag>(this.pool).then((room) => {
        room.on('activespeaker', (producer) => {
          this.activeSpeaker = producer ? producer.appData.userId : null;
          this.broadcast('activeSpeaker', this.activeSpeaker);
        });
        room.once('closed', (workerDied) => {
          if (this.#media === media) this.#media = undefined;
          if (workerDied && !this.#closed && this.participants.size > 0) void this.#restartMedia();
        });
        return room;
      });
      this.#media = media;
      media.catch(() => {
        if (this.#media === media) this.#media = undefined;
      });
    }
    return this.#media;
  }

  async #restartMedia(): Promise<void> {
    this.log.warn({ sessionId: this.sessionId }, 'media room lost with its worker; re-creating');
    for (const p of this.participants.values()) p.cameraOn = false;
    const room = await this.#room();
    this.broadcast('participants', this.participantList());
    this.broadcast('mediaRestart', { routerRtpCapabilities: room.rtpCapabilities });
  }

  #producerInfo(producer: types.Producer<ProducerTag>): ProducerInfo {
    const { userId, source } = producer.appData;
    return { producerId: producer.id, userId, kind: producer.kind, source, paused: producer.paused };
  }

  #setCamera(userId: number): void {
    const p = this.participants.get(userId);
    if (p) p.cameraOn = false;
    this.broadcast('participants', this.participantList());
  }

  #closePeer(socketId: string): void {
    void this.#media?.then((room) => room.peers.get(socketId)?.close(), () => undefined);
  }

  /** The socket's participant; `conflict` if it has not joined. */
  participant(socket: MeetingSocket): ParticipantState {
    const p = this.participants.get(socket.data.principal.userId);
    if (!p || !p.sockets.has(socket.id)) throw conflict('join the meeting first');
    return p;
  }

  /** Ends the meeting for everyone: each socket leaves for good (attendance closed), then the room closes. */
  async end(): Promise<void> {
    const sockets = [...this.participants.values()].flatMap((p) => [...p.sockets]);
    for (const id of sockets) {
      const socket = this.nsp.sockets.get(id);
      if (socket) await this.leave(socket, true);
    }
    this.close();
  }

  /** The socket's participant, who must hold the chair's seat (features check their chair-only steps here too). */
  requireChair(socket: MeetingSocket): ParticipantState {
    const p = this.participant(socket);
    if (p.seat !== 'chair') throw forbidden('only the chair may do this');
    return p;
  }

  #dropHand(userId: number): void {
    if (!this.hands.includes(userId)) return;
    this.hands = this.hands.filter((u) => u !== userId);
    this.broadcast('hands', this.hands);
  }

  #remove(userId: number): void {
    const p = this.participants.get(userId);
    if (!p || p.sockets.size > 0) return;
    clearTimeout(p.graceTimer);
    this.participants.delete(userId);
    this.#dropHand(userId);
    this.broadcast('participants', this.participantList());
    this.emit('presencechanged', this.presentUserIds);
    this.emit('participantleft', userId);
    this.#closeIfEmpty();
  }

  /** No socket left: the router goes (nothing left on the worker); the state goes when nobody may come back. */
  #closeIfEmpty(): void {
    const sockets = [...this.participants.values()].reduce((n, p) => n + p.sockets.size, 0);
    if (sockets > 0) return;
    const media = this.#media;
    this.#media = undefined;
    void media?.then((r) => r.close(), () => undefined);
    if (this.participants.size === 0) this.close();
  }
}
