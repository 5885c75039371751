import type { Server } from 'socket.io';
import { meetingSchemas, type MeetingFeatureSnapshots, type MeetingSnapshot, type PresenceMode } from '../../protocol/meeting';
import { MEETING_REQUESTS } from '../../protocol/meetingRequests';
import { conflict, forbidden } from '../errors';
import type { Logger } from '../log';
import { authenticateSocket } from '../realtime/io';
import { closeSession, markSessionLive, meetingSeat, type MeetingSeat } from '../services/sessions';
import { parse } from '../validation';
import type { MeetingFeature, MeetingNamespace, MeetingRequest, MeetingSocket, RequestContext } from './feature';
import { MeetingRoom, type MeetingChannel, type MeetingRoomOptions } from './MeetingRoom';
import { serveRequests, type RequestHandler } from './requests';

/** A socket.io room per session carries the room's broadcasts (and, with several nodes, its adapter does). */
function socketChannel(nsp: MeetingNamespace, name: string): MeetingChannel {
  return {
    add: (id) => void nsp.sockets.get(id)?.join(name),
    remove: (id) => void nsp.sockets.get(id)?.leave(name),
    toAll: (event, ...args) => void nsp.to(name).emit(event, ...args),
    toConnections: (ids, event, ...args) => void nsp.to([...ids]).emit(event, ...args),
    toAllBut: (id, event, ...args) => void nsp.to(name).except(id).emit(event, ...args),
  };
}

/** What the server answers itself: entering and leaving, and ending the session for everyone. */
const CORE_REQUESTS = new Set(['join', 'leave', 'endSession']);

/**
 * The `/meeting` namespace: a MeetingRoom per live session, and the features that make a
 * meeting of it. The server itself only lets members in and out (join, leave, a dropped
 * socket) and routes every other request to the feature that declares it, with the
 * participant and seat as they are now.
 */
export class MeetingServer {
  /** Live meetings by session id. */
  readonly rooms = new Map<number, MeetingRoom>();
  readonly #requests = new Map<string, MeetingRequest>();
  /** Writes caused by sockets that went away; close() waits for them. */
  readonly #pending = new Set<Promise<void>>();
  /** Join and leave of one socket run one after the other. */
  readonly #membership = new WeakMap<MeetingSocket, Promise<unknown>>();

  private constructor(
    readonly nsp: MeetingNamespace,
    private readonly features: readonly MeetingFeature[],
    private readonly log: Logger,
    private readonly roomOptions: MeetingRoomOptions,
  ) {
    for (const f of features) {
      for (const r of f.requests ?? []) {
        if (this.#requests.has(r.event)) throw new Error(`two features answer ${r.event}`);
        this.#requests.set(r.event, r);
      }
    }
    const missing = Object.keys(MEETING_REQUESTS).filter((e) => !CORE_REQUESTS.has(e) && !this.#requests.has(e));
    if (missing.length) throw new Error(`no feature answers ${missing.join(', ')}`);
  }

  static create(io: Server, features: readonly MeetingFeature[], log: Logger, roomOptions: MeetingRoomOptions = {}): MeetingServer {
    const nsp = io.of('/meeting') as unknown as MeetingNamespace;
    const server = new MeetingServer(nsp, features, log, roomOptions);
    nsp.use((socket, next) => void authenticateSocket(socket as never, next));
    nsp.on('connection', (socket) => server.#connected(socket));
    return server;
  }

  /** Waits for the writes of sockets that went away, then closes every meeting. */
  async close(): Promise<void> {
    await Promise.all(this.#pending);
    for (const room of [...this.rooms.values()]) room.close();
    await Promise.all([...this.rooms.values()].map((room) => this.#settled(room)));
  }

  #connected(socket: MeetingSocket): void {
    serveRequests(socket, this.log, (event) => this.#route(socket, event));
    socket.on('disconnect', () => {
      const room = socket.data.meeting;
      if (!room) return;
      socket.data.meeting = undefined;
      room.leave(socket.id, socket.data.principal.userId, false);
      const settled = this.#settled(room);
      this.#pending.add(settled);
      void settled.finally(() => this.#pending.delete(settled));
    });
  }

  #route(socket: MeetingSocket, event: string): RequestHandler | undefined {
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
    if (event === 'endSession') {
      return async (payload) => {
        parse(meetingSchemas.endSession, payload);
        const { room, participant } = this.#context(socket);
        if (participant.seat !== 'chair') throw forbidden('only the chair may end the session');
        for (const f of this.features) await f.beforeSessionEnd?.(room);
        await closeSession(room.sessionId);
        room.broadcast('sessionEnded', { sessionId: room.sessionId });
        // Everyone leaves for good: attendance closes now, not after the rejoin grace period.
        for (const id of room.connectionIds) {
          const s = this.nsp.sockets.get(id);
          if (s) s.data.meeting = undefined;
        }
        room.end();
        await this.#settled(room);
        return null;
      };
    }
    const r = this.#requests.get(event);
    if (!r) return undefined;
    return async (payload) => {
      const input = parse(r.schema, payload);
      const ctx = this.#context(socket);
      if (r.seats && !r.seats.includes(ctx.participant.seat)) throw forbidden(r.refusal);
      return r.handle(input, ctx);
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
    const seat = await meetingSeat(sessionId, principal.userId);
    if (seat.session.status === 'planned') await markSessionLive(sessionId);
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
      self: { userId: principal.userId, seat: participant.seat },
      participants: room.participantList(),
      features: features as MeetingFeatureSnapshots,
    };
  }

  #leave(socket: MeetingSocket, room: MeetingRoom): void {
    socket.data.meeting = undefined;
    room.leave(socket.id, socket.data.principal.userId, true);
  }

  #roomFor({ session }: MeetingSeat): MeetingRoom {
    const existing = this.rooms.get(session.id);
    if (existing && !existing.closed) return existing;
    const room = new MeetingRoom(session.id, session.committeeId, socketChannel(this.nsp, `session:${session.id}`), this.roomOptions);
    this.rooms.set(session.id, room);
    room.once('closed', () => this.rooms.get(session.id) === room && this.rooms.delete(session.id));
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
