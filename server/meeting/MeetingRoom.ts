import { EventEmitter } from 'node:events';
import type { CommitteeSeatKind } from '../../protocol/enums';
import type { LinkQuality, MeetingServerEvents, MeetingSession, Participant, PresenceMode } from '../../protocol/meeting';
import { REJOIN_GRACE_MS } from '../domain/attendance';
import { AppError, conflict } from '../errors';

/** Server → client events, as the room sends them. */
export type ServerEvent = keyof MeetingServerEvents;
export type ServerEventArgs<E extends ServerEvent> = Parameters<MeetingServerEvents[E]>;

/**
 * Where a room's messages go: to every connection in the room, to some, or to all but one.
 * The namespace implements it over socket.io rooms (and, with several nodes, its adapter);
 * a unit test records what was sent.
 */
export interface MeetingChannel {
  add(connectionId: string): void;
  remove(connectionId: string): void;
  toAll<E extends ServerEvent>(event: E, ...args: ServerEventArgs<E>): void;
  toConnections<E extends ServerEvent>(connectionIds: readonly string[], event: E, ...args: ServerEventArgs<E>): void;
  toAllBut<E extends ServerEvent>(connectionId: string, event: E, ...args: ServerEventArgs<E>): void;
}

/** Who a connection belongs to, as the room needs to name them. */
export interface Person {
  userId: number;
  nameAr: string;
  nameFr: string;
}

export interface ParticipantState extends Participant {
  /** The member's connections (sockets) in this room, oldest first. */
  readonly connections: Set<string>;
}

export interface MeetingRoomEvents {
  /** A connection joined (the first of its member, or another tab, or a return within the grace period). */
  joined: [participant: ParticipantState, connectionId: string];
  /** A connection left the room (explicit leave, drop, or the member's removal). */
  connectionleft: [participant: ParticipantState, connectionId: string];
  /** The member's last connection went: `explicit` for a leave, otherwise a drop that may come back within the grace period. */
  absent: [participant: ParticipantState, explicit: boolean];
  /** A member left for good (explicit leave, no return within the grace period, or removed). */
  participantleft: [userId: number];
  /** Who is present changed (a member with several connections counts once). */
  presencechanged: [presentUserIds: number[]];
  /** A member switched between video and audio-only. */
  modechanged: [participant: ParticipantState];
  /** A member's seat changed (never to none: that is a removal). */
  seatchanged: [participant: ParticipantState];
  /** No connection is left in the room (a grace period may still be running). */
  emptied: [];
  /** The chair opened the session: from now on its records are made (attendance, dossiers shown, votes). */
  opened: [session: MeetingSession];
  /** A feature changed the records of an agenda item (a recusal, a vote closed): others refresh what they derive from them. */
  recordschanged: [agendaItemId: number];
  /** The applicant withdrew a dossier (the session may or may not have it on its agenda). */
  dossierwithdrawn: [dossierId: number];
  /** An event went to everyone in the room (a guest heard outside it is forwarded what concerns them). */
  broadcast: [event: ServerEvent, args: unknown[]];
  closed: [];
}

/** Connections one member may hold in a session's meeting at once (a laptop, a phone, a tab or two). */
export const MAX_CONNECTIONS_PER_MEMBER = 4;

export interface MeetingRoomOptions {
  /** How long a dropped member stays `reconnecting` before they have left for good. */
  graceMs?: number;
}

/**
 * The core of one live session's meeting, in memory only: who is there, on which seat, how
 * (presence, mode, link quality, microphone and camera as their media report them), and
 * the grace period of a dropped connection. It writes nothing and awaits nothing: features
 * (attendance, media, presentation, voting …) follow its events and do their own I/O.
 */
export class MeetingRoom extends EventEmitter<MeetingRoomEvents> {
  readonly participants = new Map<number, ParticipantState>();
  readonly #graceTimers = new Map<number, NodeJS.Timeout>();
  readonly #graceMs: number;
  #session: MeetingSession;
  #closed = false;

  constructor(
    readonly sessionId: number,
    readonly committeeId: number,
    session: MeetingSession,
    private readonly channel: MeetingChannel,
    options: MeetingRoomOptions = {},
  ) {
    super();
    this.#session = session;
    this.#graceMs = options.graceMs ?? REJOIN_GRACE_MS;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Where the session stands: a waiting room until the chair opens it. */
  get session(): MeetingSession {
    return this.#session;
  }

  /** Whether the session is live: its records are being made. */
  get inSession(): boolean {
    return this.#session.status === 'live';
  }

  /** The chair opened the session (persisted by the sessions service): everyone is told. */
  open(session: MeetingSession): void {
    if (this.#closed || this.inSession) return;
    this.#session = session;
    this.emit('opened', session);
    this.broadcast('sessionOpened', session);
  }

  /** Users connected now; a member present with several connections counts once. */
  get presentUserIds(): number[] {
    return [...this.participants.values()].filter((p) => p.status === 'present').map((p) => p.userId);
  }

  /** Every connection in the room. */
  get connectionIds(): string[] {
    return [...this.participants.values()].flatMap((p) => [...p.connections]);
  }

  seatOf(userId: number): CommitteeSeatKind | undefined {
    return this.participants.get(userId)?.seat;
  }

  participantList(): Participant[] {
    return [...this.participants.values()].map(({ connections: _c, ...p }) => p);
  }

  /** Sends an event to everyone in the session. */
  broadcast<E extends ServerEvent>(event: E, ...args: ServerEventArgs<E>): void {
    this.channel.toAll(event, ...args);
    this.emit('broadcast', event, args);
  }

  /** Sends an event to everyone in the session but one connection (its sender). */
  broadcastExcept<E extends ServerEvent>(connectionId: string, event: E, ...args: ServerEventArgs<E>): void {
    this.channel.toAllBut(connectionId, event, ...args);
    this.emit('broadcast', event, args);
  }

  /** Sends an event to every connection of one member. */
  sendTo<E extends ServerEvent>(userId: number, event: E, ...args: ServerEventArgs<E>): void {
    const connections = this.participants.get(userId)?.connections;
    if (connections?.size) this.channel.toConnections([...connections], event, ...args);
  }

  /** A connection of `person` joins on `seat` in `mode`; a member with several connections is one participant. */
  join(connectionId: string, person: Person, seat: CommitteeSeatKind, mode: PresenceMode): ParticipantState {
    if (this.#closed) throw conflict('the meeting is closed');
    const before = this.presentUserIds.length;
    let p = this.participants.get(person.userId);
    if (p && !p.connections.has(connectionId) && p.connections.size >= MAX_CONNECTIONS_PER_MEMBER) {
      const max = MAX_CONNECTIONS_PER_MEMBER;
      throw new AppError(429, 'too_many_connections', `at most ${max} connections per member: leave on another device first`, { max });
    }
    if (!p) {
      p = { ...person, seat, status: 'present', mode, quality: 'good', micMuted: false, cameraOn: false, connections: new Set() };
      this.participants.set(person.userId, p);
    }
    clearTimeout(this.#graceTimers.get(person.userId));
    this.#graceTimers.delete(person.userId);
    p.seat = seat;
    p.status = 'present';
    const modeChanged = p.mode !== mode;
    p.mode = mode;
    p.connections.add(connectionId);
    this.channel.add(connectionId);
    this.emit('joined', p, connectionId);
    if (modeChanged) this.emit('modechanged', p);
    this.broadcast('participants', this.participantList());
    if (this.presentUserIds.length !== before) this.emit('presencechanged', this.presentUserIds);
    return p;
  }

  /** A connection goes away: `explicit` for a leave, otherwise a drop that may come back within the grace period. */
  leave(connectionId: string, userId: number, explicit: boolean): void {
    const p = this.participants.get(userId);
    if (!p || !p.connections.delete(connectionId)) return;
    this.channel.remove(connectionId);
    this.emit('connectionleft', p, connectionId);
    const gone = p.connections.size === 0;
    if (gone) {
      this.emit('absent', p, explicit);
      if (!explicit) {
        p.status = 'reconnecting';
        this.#graceTimers.set(userId, setTimeout(() => this.#remove(userId), this.#graceMs));
        this.broadcast('participants', this.participantList());
        this.emit('presencechanged', this.presentUserIds);
      }
    }
    if (this.connectionIds.length === 0) this.emit('emptied');
    if (gone && explicit) this.#remove(userId);
  }

  /** The member's connection in this room; `conflict` if it has not joined. */
  participant(connectionId: string, userId: number): ParticipantState {
    const p = this.participants.get(userId);
    if (!p || !p.connections.has(connectionId)) throw conflict('join the meeting first');
    return p;
  }

  setMode(userId: number, mode: PresenceMode): void {
    const p = this.participants.get(userId);
    if (!p || p.mode === mode) return;
    p.mode = mode;
    if (mode === 'audio') p.cameraOn = false;
    this.emit('modechanged', p);
    this.broadcast('participants', this.participantList());
  }

  setQuality(userId: number, quality: LinkQuality): void {
    this.#patch(userId, { quality });
  }

  /** What the member's media say of their microphone and camera. */
  setMedia(userId: number, media: Partial<Pick<Participant, 'micMuted' | 'cameraOn'>>): void {
    this.#patch(userId, media);
  }

  /**
   * The member's seat changed on the committee (the source is the database; the room holds
   * the current one, so chair-only steps are checked against it). No seat any more: every
   * connection of theirs leaves for good, and their ids are returned for the caller to tell.
   */
  changeSeat(userId: number, seat: CommitteeSeatKind | null): string[] {
    const p = this.participants.get(userId);
    if (!p) return [];
    if (seat === null) {
      const connections = [...p.connections];
      for (const id of connections) this.leave(id, userId, true);
      this.#remove(userId);
      return connections;
    }
    if (p.seat === seat) return [];
    p.seat = seat;
    this.emit('seatchanged', p);
    this.broadcast('participants', this.participantList());
    return [];
  }

  /** Ends the meeting for everyone: each connection leaves for good, then the room closes. */
  end(): void {
    for (const p of [...this.participants.values()]) {
      for (const id of [...p.connections]) this.leave(id, p.userId, true);
    }
    this.close();
  }

  /** Forgets everyone (the session ended, or the server shuts down). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#graceTimers.values()) clearTimeout(timer);
    this.#graceTimers.clear();
    this.participants.clear();
    this.emit('closed');
  }

  #patch(userId: number, patch: Partial<Participant>): void {
    const p = this.participants.get(userId);
    if (!p) return;
    const changed = (Object.keys(patch) as (keyof Participant)[]).some((k) => p[k] !== patch[k]);
    if (!changed) return;
    Object.assign(p, patch);
    this.broadcast('participants', this.participantList());
  }

  #remove(userId: number): void {
    const p = this.participants.get(userId);
    if (!p || p.connections.size > 0) return;
    clearTimeout(this.#graceTimers.get(userId));
    this.#graceTimers.delete(userId);
    this.participants.delete(userId);
    this.broadcast('participants', this.participantList());
    this.emit('presencechanged', this.presentUserIds);
    this.emit('participantleft', userId);
    this.#closeIfNobodyMayReturn();
  }

  /** The state goes when nobody is connected and nobody may come back. */
  #closeIfNobodyMayReturn(): void {
    if (this.participants.size === 0) this.close();
  }
}
