import type { Server } from 'socket.io';
import type { CommitteeSeatKind, SessionStatus } from '../../protocol/enums';
import { meetingSchemas, type MeetingFeatureSnapshots, type MeetingSnapshot, type PresenceMode } from '../../protocol/meeting';
import { MEETING_REQUESTS } from '../../protocol/meetingRequests';
import { AppError, conflict, forbidden } from '../errors';
import type { Logger } from '../log';
import type { SessionLeases } from '../cluster/SessionLeases';
import { authenticateSocket } from '../realtime/io';
import type { RightsChange, RightsFeed } from '../services/RightsFeed';
import type { MeetingSeat, SessionService } from '../services/SessionService';
import { parse } from '../validation';
import type { LoginEnd, MeetingFeature, MeetingNamespace, MeetingRequest, MeetingSocket, RequestContext } from './feature';
import { MeetingRoom, type MeetingChannel, type MeetingRoomOptions } from './MeetingRoom';
import { SocketRateLimiter } from './rateLimits';
import { serveRequests, type RequestHandler } from './requests';

/**
 * A socket.io room per session carries the room's broadcasts. Every socket of a session is on
 * the node holding its lease (another node sends it there), so they stay on this node
 * (`local`): the adapter would otherwise relay each one, pointer moves included, through PostgreSQL.
 */
function socketChannel(nsp: MeetingNamespace, name: string): MeetingChannel {
  return {
    add: (id) => void nsp.sockets.get(id)?.join(name),
    remove: (id) => void nsp.sockets.get(id)?.leave(name),
    toAll: (event, ...args) => void nsp.local.to(name).emit(event, ...args),
    toConnections: (ids, event, ...args) => void nsp.local.to([...ids]).emit(event, ...args),
    toAllBut: (id, event, ...args) => void nsp.local.to(name).except(id).emit(event, ...args),
  };
}

/** What the server answers itself: entering and leaving. */
const CORE_REQUESTS = new Set(['join', 'leave']);

/** A socket whose login ended stays this long, refusing every request, so that requests in flight get an answer before it is cut. */
const REVOKED_LINGER_MS = 2_000;
/** setTimeout's longest delay; a later login expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const loginEnded = (reason: LoginEnd) =>
  new AppError(401, 'unauthenticated', reason === 'logged_out' ? 'you logged out: log in again' : 'your login expired: log in again');

export interface MeetingServerDeps {
  sessions: SessionService;
  /** Rights changes published by the services: the meeting applies them to the rooms at once. */
  rights: RightsFeed;
  log: Logger;
  /** Which node holds each session's meeting (several app nodes); absent, this one holds them all. */
  leases?: SessionLeases;
  roomOptions?: MeetingRoomOptions;
}

/**
 * The `/meeting` namespace: a MeetingRoom per session in progress, and the features that
 * make a meeting of it. The server itself only lets members in and out (join, leave, a
 * dropped socket), applies rights changes to the rooms, and routes every other request to
 * the feature that declares it, with the participant and seat as they are now.
 */
export class MeetingServer {
  /** Live meetings by session id. */
  readonly rooms = new Map<number, MeetingRoom>();
  readonly #requests = new Map<string, MeetingRequest>();
  /** Writes caused by sockets that went away, and leases being handed back; close() waits for them. */
  readonly #pending = new Set<Promise<void>>();
  /** Sessions ended while this server runs: a join that read the session just before it ended must not revive it. */
  readonly #ended = new Set<number>();
  /** Join and leave of one socket run one after the other. */
  readonly #membership = new WeakMap<MeetingSocket, Promise<unknown>>();

  readonly #log: Logger;

  private constructor(
    readonly nsp: MeetingNamespace,
    private readonly features: readonly MeetingFeature[],
    private readonly deps: MeetingServerDeps,
  ) {
    this.#log = deps.log;
    for (const f of features) {
      for (const r of f.requests ?? []) {
        if (this.#requests.has(r.event)) throw new Error(`two features answer ${r.event}`);
        this.#requests.set(r.event, r);
      }
    }
    const missing = Object.keys(MEETING_REQUESTS).filter((e) => !CORE_REQUESTS.has(e) && !this.#requests.has(e));
    if (missing.length) throw new Error(`no feature answers ${missing.join(', ')}`);
  }

  static create(io: Server, features: readonly MeetingFeature[], deps: MeetingServerDeps): MeetingServer {
    const nsp = io.of('/meeting') as unknown as MeetingNamespace;
    const server = new MeetingServer(nsp, features, deps);
    nsp.use((socket, next) => void authenticateSocket(socket as never, next));
    nsp.on('connection', (socket) => server.#connected(socket));
    const apply = (change: RightsChange) => server.#apply(change);
    deps.rights.on('change', apply);
    const moved = (sessionId: number) => server.#moved(sessionId);
    deps.leases?.on('lost', moved);
    server.#unsubscribe = () => {
      deps.rights.off('change', apply);
      deps.leases?.off('lost', moved);
    };
    return server;
  }

  #unsubscribe = () => {};

  /** The seats an event is restricted to (undefined: anyone in the room), as the fuzz test walks the events. */
  seatsFor(event: string): readonly CommitteeSeatKind[] | undefined {
    return this.#requests.get(event)?.seats;
  }

  /** Waits for the writes of sockets that went away, then closes every meeting. */
  async close(): Promise<void> {
    this.#unsubscribe();
    await Promise.all(this.#pending);
    for (const room of [...this.rooms.values()]) room.close();
    await Promise.all([...this.rooms.values()].map((room) => this.#settled(room)));
  }

  #connected(socket: MeetingSocket): void {
    const known = (event: string) => CORE_REQUESTS.has(event) || this.#requests.has(event);
    serveRequests(socket, this.#log, (event) => this.#route(socket, event), new SocketRateLimiter(known));
    // The login's expiry ends the socket's rights then, not at its next handshake.
    let expiry: NodeJS.Timeout | undefined;
    const armExpiry = () => {
      const left = socket.data.loginExpiresAt - Date.now();
      if (left <= 0) return this.#revoke(socket, 'login_expired');
      expiry = setTimeout(armExpiry, Math.min(left, MAX_TIMER_MS));
    };
    armExpiry();
    socket.on('disconnect', () => {
      clearTimeout(expiry);
      const room = socket.data.meeting;
      if (!room) return;
      socket.data.meeting = undefined;
      room.leave(socket.id, socket.data.principal.userId, false);
      this.#track(room);
    });
  }

  /** A rights change published by a service, applied to the rooms and sockets it concerns (never thrown back at the service: it has committed). */
  #apply(change: RightsChange): void {
    try {
      if (change.kind === 'session_status') this.#sessionStatus(change.sessionId, change.status, change.at);
      else if (change.kind === 'login_ended') {
        for (const socket of this.nsp.sockets.values()) if (socket.data.loginId === change.loginId) this.#revoke(socket, 'logged_out');
      } else if (change.kind === 'seat_changed') {
        for (const room of this.rooms.values()) if (room.committeeId === change.committeeId) this.#seatChanged(room, change.userId, change.seat);
      } else {
        for (const room of this.rooms.values()) room.emit('dossierwithdrawn', change.dossierId);
      }
    } catch (err) {
      this.#log.error({ err, change }, 'rights change not applied');
    }
  }

  #sessionStatus(sessionId: number, status: SessionStatus, at: string): void {
    if (status === 'closed') this.#ended.add(sessionId);
    const room = this.rooms.get(sessionId);
    if (!room) return;
    if (status === 'live') room.open({ ...room.session, status: 'live', openedAt: at });
    if (status === 'closed') {
      room.broadcast('sessionEnded', { sessionId: room.sessionId });
      this.#end(room);
    }
  }

  /** The room checks the new seat from now on; a member taken off the committee leaves it for good, told why. */
  #seatChanged(room: MeetingRoom, userId: number, seat: CommitteeSeatKind | null): void {
    const gone = room.changeSeat(userId, seat);
    for (const id of gone) {
      const socket = this.nsp.sockets.get(id);
      if (socket?.data.meeting !== room) continue;
      socket.data.meeting = undefined;
      socket.emit('rightsRevoked', { reason: 'seat_removed' });
    }
    if (gone.length) this.#track(room);
  }

  /**
   * The socket's login ended: it leaves its room for good (attendance closes now), is told,
   * refuses every request from now on, and is disconnected shortly after.
   */
  #revoke(socket: MeetingSocket, reason: LoginEnd): void {
    if (socket.data.revoked) return;
    socket.data.revoked = reason;
    const room = socket.data.meeting;
    if (room) {
      this.#leave(socket, room);
      this.#track(room);
    }
    socket.emit('rightsRevoked', { reason });
    setTimeout(() => socket.disconnect(true), REVOKED_LINGER_MS).unref();
  }

  /** Everyone leaves for good (attendance closes now, not after the grace period), then the room closes. */
  #end(room: MeetingRoom): void {
    for (const id of room.connectionIds) {
      const socket = this.nsp.sockets.get(id);
      if (socket?.data.meeting === room) socket.data.meeting = undefined;
    }
    room.end();
    this.#track(room);
  }

  /** Writes the room's features still have in flight after its sockets went: close() waits for them. */
  #track(room: MeetingRoom): void {
    this.#keep(this.#settled(room));
  }

  /** Work close() waits for, forgotten once done. */
  #keep(work: Promise<void>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  #route(socket: MeetingSocket, event: string): RequestHandler | undefined {
    const revoked = socket.data.revoked;
    if (revoked) return () => Promise.reject(loginEnded(revoked));
    if (event === 'join') return (payload) => this.#inTurn(socket, () => this.#join(socket, parse(meetingSchemas.join, payload)));
    if (event === 'leave') {
      return (payload) => this.#inTurn(socket, async () => {
        parse(meetingSchemas.leave, payload);
        const room = this.#context(socket).room;
        this.#leave(socket, room);
        await this.#settled(room);
        return null;
      });
    }
    const r = this.#requests.get(event);
    if (!r) return undefined;
    return async (payload) => {
      const input = parse(r.schema, payload);
      const ctx = this.#context(socket);
      if (r.seats && !r.seats.includes(ctx.participant.seat)) throw forbidden(r.refusal);
      if (r.inSession && !ctx.room.inSession) throw new AppError(409, 'invalid_transition', 'the chair has not opened the session yet');
      const data = await r.handle(input, ctx);
      if (r.settles) await this.#settled(ctx.room);
      return data;
    };
  }

  /** The room and participant of a joined socket, as they are now; `conflict` before a join. */
  #context(socket: MeetingSocket): RequestContext {
    const room = socket.data.meeting;
    const userId = socket.data.principal.userId;
    if (!room || room.closed) throw conflict('join the meeting first');
    return { socket, userId, room, participant: room.participant(socket.id, userId) };
  }

  async #join(socket: MeetingSocket, { sessionId, mode }: { sessionId: number; mode: PresenceMode }): Promise<MeetingSnapshot> {
    const principal = socket.data.principal;
    const seat = await this.deps.sessions.meetingSeat(sessionId, principal.userId);
    if (this.#ended.has(sessionId)) throw new AppError(409, 'invalid_transition', 'the session is closed');
    await this.#hold(sessionId);
    // The login may have ended while the seat (and the lease) was read.
    if (socket.data.revoked) throw loginEnded(socket.data.revoked);
    const previous = socket.data.meeting;
    if (previous && previous.sessionId !== sessionId) this.#leave(socket, previous);
    const room = this.#roomFor(seat);
    const participant = room.join(socket.id, principal, seat.seat, mode);
    socket.data.meeting = room;
    await this.#settled(room);
    const features: Partial<MeetingFeatureSnapshots> = {};
    for (const f of this.features) {
      if (!f.snapshot) continue;
      // One feature, one key: the union of names and their snapshot types cannot be correlated by the compiler.
      (features as Record<string, unknown>)[f.snapshot.name] = await f.snapshot.of(room, participant);
    }
    return {
      sessionId,
      session: room.session,
      self: { userId: principal.userId, seat: participant.seat },
      participants: room.participantList(),
      features: features as MeetingFeatureSnapshots,
    };
  }

  /**
   * This node holds the session's lease before it makes a room for it (at once when it holds it
   * already); when another node holds it, the join is refused with that node's name
   * (`wrong_node`): the load balancer sends the socket there. Loops only when the room closed
   * (its lease handed back) while the claim was in flight.
   */
  async #hold(sessionId: number): Promise<void> {
    const leases = this.deps.leases;
    while (leases && !leases.held.has(sessionId)) {
      const claim = await leases.claim(sessionId);
      if (!claim.mine) throw new AppError(409, 'wrong_node', 'this meeting is held by another node', { node: claim.nodeId });
    }
  }

  /**
   * Another node took the session (this one stalled past its lease): its state here is dropped
   * without writing anything, and each socket's connection is closed so that it reconnects and is sent there.
   */
  #moved(sessionId: number): void {
    const room = this.rooms.get(sessionId);
    if (!room) return;
    for (const id of room.connectionIds) {
      const socket = this.nsp.sockets.get(id);
      if (socket?.data.meeting === room) socket.data.meeting = undefined;
      socket?.conn.close();
    }
    room.close();
  }

  #leave(socket: MeetingSocket, room: MeetingRoom): void {
    socket.data.meeting = undefined;
    room.leave(socket.id, socket.data.principal.userId, true);
  }

  #roomFor({ sessionId, committeeId, session }: MeetingSeat): MeetingRoom {
    const existing = this.rooms.get(sessionId);
    if (existing && !existing.closed) return existing;
    const room = new MeetingRoom(sessionId, committeeId, session, socketChannel(this.nsp, `session:${sessionId}`), this.deps.roomOptions);
    this.rooms.set(sessionId, room);
    room.once('closed', () => {
      if (this.rooms.get(sessionId) === room) this.rooms.delete(sessionId);
      const released = this.deps.leases?.release(sessionId).catch((err: Error) => this.#log.warn({ err, sessionId }, 'lease not handed back; it runs out by itself'));
      if (released) this.#keep(released);
    });
    for (const f of this.features) f.roomCreated?.(room);
    return room;
  }

  /** Once the features' writes for the room are done (attendance, for one). */
  async #settled(room: MeetingRoom): Promise<void> {
    await Promise.all(this.features.map((f) => f.settled?.(room) ?? Promise.resolve()));
  }

  #inTurn<T>(socket: MeetingSocket, step: () => Promise<T>): Promise<T> {
    const run = (this.#membership.get(socket) ?? Promise.resolve()).then(step);
    this.#membership.set(socket, run.catch(() => undefined));
    return run;
  }
}
