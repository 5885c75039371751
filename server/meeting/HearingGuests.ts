import { parse as parseCookies } from 'cookie';
import type { types } from 'mediasoup';
import type { Namespace, Server, Socket } from 'socket.io';
import { Hearing } from '../../db/models';
import { writeTransaction } from '../../db/transactions';
import {
  guestSchemas, type GuestClientEvents, type GuestInfo, type GuestRoom, type GuestServerEvents, type HearingEndReason, type HearingState,
} from '../../protocol/hearings';
import { meetingSchemas, type MeetingServerEvents } from '../../protocol/meeting';
import type { PresentationState } from '../../protocol/presentation';
import { admissionRefusal, guestMay, type GuestStage } from '../domain/hearings';
import { AppError, conflict, notFound } from '../errors';
import { GUEST_COOKIE } from '../http/hearings';
import type { TurnConfig } from '../config';
import type { Logger } from '../log';
import type { Guest, HearingService } from '../services/hearings';
import { turnFor } from '../services/turnCredentials';
import { parse } from '../validation';
import type { MeetingSocket } from './feature';
import { mediaOf, producerInfo } from './features/media';
import type { PresentationFeature } from './features/presentation';
import type { MeetingRoom } from './MeetingRoom';
import { SocketRateLimiter } from './rateLimits';
import { serveRequests, type RequestHandler } from './requests';

interface GuestSocketData {
  guest: Guest;
  /** What serveRequests names in its logs: the guest's id in the room (negative). */
  principal: { userId: number };
}
type GuestSocket = Socket<GuestClientEvents, GuestServerEvents, Record<string, never>, GuestSocketData>;

/** A guest's connection, waiting in the lobby or heard in the room. */
interface GuestConnection {
  guest: Guest;
  socket: GuestSocket;
  stage: GuestStage;
  /** The attendance row of the hearing, once admitted. */
  hearingId?: number;
}

/** Guests are no users of the platform: their media are tagged with minus their invitation's id. */
export const guestUserId = (invitationId: number) => -invitationId;

/** The server events an admitted guest is forwarded from the room: the committee and its media, nothing of votes or chat. */
const FORWARDED = new Set<keyof MeetingServerEvents>(['participants', 'newProducer', 'producerClosed', 'producerPaused', 'activeSpeaker']);

const notAllowed = (event: string) => new AppError(403, 'guest_not_allowed', `a guest may not ${event.slice(0, 64)}`);

const info = (c: GuestConnection): GuestInfo => ({
  invitationId: c.guest.invitationId, name: c.guest.name, agendaItemId: c.guest.agendaItemId, position: c.guest.view.position, userId: guestUserId(c.guest.invitationId),
});

/** Rooms with a guest heard in them now: no vote opens there (features/hearing refuses it). */
const heardIn = new WeakMap<MeetingRoom, number>();
export const guestsHeardIn = (room: MeetingRoom): number => heardIn.get(room) ?? 0;

/**
 * The guests of the live meetings: the `/hearing` namespace their browsers connect to (with
 * the guest cookie only), their lobby per session, their admission by the chair and their
 * leaving. An admitted guest's connection sends and receives media in the session's media
 * room, is forwarded the committee's presence and media events and the presentation of their
 * own item (nothing of other items, votes or chat), and may ask for nothing else:
 * `guest_not_allowed` (server/domain/hearings.ts). Each hearing is an attendance row.
 */
export class HearingGuests {
  readonly #connections = new Map<string, GuestConnection>();
  readonly #rooms = new Map<number, MeetingRoom>();
  readonly #pending = new Set<Promise<unknown>>();
  #unsubscribe = () => {};

  private constructor(
    readonly nsp: Namespace<GuestClientEvents, GuestServerEvents, Record<string, never>, GuestSocketData>,
    private readonly hearings: HearingService,
    private readonly presentation: Pick<PresentationFeature, 'live'>,
    private readonly log: Logger,
    private readonly turn: TurnConfig | undefined,
  ) {}

  /** `presentation`: the rooms' live presentation, which says which item is open and where the presenter is. */
  static create(io: Server, hearings: HearingService, presentation: Pick<PresentationFeature, 'live'>, log: Logger, turn?: TurnConfig): HearingGuests {
    const guests = new HearingGuests(io.of('/hearing') as never, hearings, presentation, log, turn);
    guests.nsp.use((socket, next) => {
      const token = parseCookies(socket.handshake.headers.cookie ?? '')[GUEST_COOKIE];
      hearings.guestFromToken(token).then((guest) => {
        if (!guest) {
          const err = new Error('unauthenticated') as Error & { data: unknown };
          err.data = new AppError(401, 'unauthenticated', 'follow the link of your invitation').toBody();
          return next(err);
        }
        socket.data.guest = guest;
        socket.data.principal = { userId: guestUserId(guest.invitationId) };
        next();
      }, (err: Error) => next(err));
    });
    guests.nsp.on('connection', (socket) => guests.#connected(socket));
    const ended = (invitationId: number, reason: 'revoked' | 'ended') => {
      for (const c of [...guests.#connections.values()]) if (c.guest.invitationId === invitationId) guests.#letGo(c, reason);
    };
    hearings.on('ended', ended);
    guests.#unsubscribe = () => hearings.off('ended', ended);
    return guests;
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    for (const c of [...this.#connections.values()]) this.#letGo(c, 'session_ended');
    await Promise.all(this.#pending);
  }

  /** The meeting of a session exists: its guests waiting may be admitted, they hear what it broadcasts. */
  roomCreated(room: MeetingRoom): void {
    this.#rooms.set(room.sessionId, room);
    room.on('broadcast', (event, args) => this.#forward(room, event, args));
    room.once('closed', () => {
      if (this.#rooms.get(room.sessionId) === room) this.#rooms.delete(room.sessionId);
      for (const c of this.#of(room.sessionId)) this.#letGo(c, 'session_ended');
    });
  }

  state(sessionId: number): HearingState {
    const all = this.#of(sessionId);
    return { waiting: all.filter((c) => c.stage === 'lobby').map(info), admitted: all.filter((c) => c.stage === 'admitted').map(info) };
  }

  /** The chair lets the guest of `invitationId` in: they wait, their item is the one open. */
  async admit(room: MeetingRoom, seat: string, chairId: number, invitationId: number): Promise<void> {
    const c = this.#of(room.sessionId).find((x) => x.guest.invitationId === invitationId);
    if (!c) throw notFound('waiting guest');
    const { currentItemId } = (await this.presentation.live(room)).snapshot();
    const refusal = admissionRefusal({ seat, waiting: c.stage === 'lobby', guestItemId: c.guest.agendaItemId, openItemId: currentItemId });
    if (refusal === 'not_waiting') throw conflict('this guest is in the room already');
    if (refusal === 'item_not_open') throw new AppError(409, 'hearing_not_open', "open the guest's agenda item first");
    if (refusal) throw new AppError(403, 'forbidden', 'only the chair admits a guest');
    const row = await writeTransaction(Hearing.sequelize!, (transaction) => Hearing.create({
      invitationId, sessionId: room.sessionId, agendaItemId: c.guest.agendaItemId, admittedById: chairId, admittedAt: new Date(),
    }, { transaction }));
    c.stage = 'admitted';
    c.hearingId = row.id;
    heardIn.set(room, guestsHeardIn(room) + 1);
    c.socket.emit('admitted', await this.#roomOf(room, c));
    room.broadcast('hearing', this.state(room.sessionId));
  }

  /** The chair ends the hearing: the guest leaves the room, their login ends (written first). */
  async end(room: MeetingRoom, invitationId: number): Promise<void> {
    const c = this.#of(room.sessionId).find((x) => x.guest.invitationId === invitationId);
    if (!c) throw notFound('guest');
    await this.hearings.end(invitationId);
  }

  #of(sessionId: number): GuestConnection[] {
    return [...this.#connections.values()].filter((c) => c.guest.sessionId === sessionId);
  }

  #connected(socket: GuestSocket): void {
    const known = (event: string) => event in guestSchemas || event in meetingSchemas;
    serveRequests(socket as unknown as MeetingSocket, this.log, (event) => this.#route(socket, event), new SocketRateLimiter(known));
    socket.on('disconnect', () => {
      const c = this.#connections.get(socket.id);
      if (c) this.#leave(c);
    });
  }

  #route(socket: GuestSocket, event: string): RequestHandler {
    const c = this.#connections.get(socket.id);
    const stage: GuestStage = c?.stage ?? 'lobby';
    if (!guestMay(stage, event)) return () => Promise.reject(notAllowed(event));
    if (event === 'enterLobby') return (payload) => this.#enter(socket, parse(guestSchemas.enterLobby, payload));
    if (event === 'leave') {
      return async (payload) => {
        parse(guestSchemas.leave, payload);
        if (c) this.#leave(c);
        return null;
      };
    }
    return (payload) => this.#media(c!, event, payload);
  }

  async #enter(socket: GuestSocket, _payload: object): Promise<{ guest: Guest['view']; room: GuestRoom | null }> {
    const guest = socket.data.guest;
    let c = this.#connections.get(socket.id);
    if (!c) {
      // One connection per guest: a second tab takes the place of the first.
      for (const other of this.#of(guest.sessionId)) if (other.guest.invitationId === guest.invitationId) this.#letGo(other, 'ended', false);
      c = { guest, socket, stage: 'lobby' };
      this.#connections.set(socket.id, c);
      this.#rooms.get(guest.sessionId)?.broadcast('hearing', this.state(guest.sessionId));
    }
    const room = this.#rooms.get(guest.sessionId);
    return { guest: guest.view, room: c.stage === 'admitted' && room ? await this.#roomOf(room, c) : null };
  }

  async #roomOf(room: MeetingRoom, c: GuestConnection): Promise<GuestRoom> {
    const [media, live] = await Promise.all([mediaOf(room).snapshot(guestUserId(c.guest.invitationId)), this.presentation.live(room)]);
    const presentation = live.snapshot();
    const item = presentation.agenda.find((a) => a.id === c.guest.agendaItemId);
    if (!item) throw notFound('agenda item');
    return { participants: room.participantList(), media, item, presentation: this.#presentationFor(c, presentation) };
  }

  #presentationFor(c: GuestConnection, state: PresentationState | null): PresentationState | null {
    return state && state.currentItemId === c.guest.agendaItemId ? { currentItemId: state.currentItemId, presenterId: state.presenterId, view: state.view } : null;
  }

  #forward(room: MeetingRoom, event: keyof MeetingServerEvents, args: unknown[]): void {
    const admitted = this.#of(room.sessionId).filter((c) => c.stage === 'admitted');
    if (event === 'sessionEnded') return void admitted.forEach((c) => this.#letGo(c, 'session_ended'));
    for (const c of admitted) {
      if (event === 'presentation') c.socket.emit('presentation', this.#presentationFor(c, args[0] as PresentationState));
      else if (FORWARDED.has(event)) (c.socket.emit as (e: string, ...a: unknown[]) => void)(event, ...args);
    }
  }

  /** The media requests of an admitted guest: those of /meeting, on the session's media room, with a guest's tag. */
  async #media(c: GuestConnection, event: string, payload: unknown): Promise<unknown> {
    const room = this.#rooms.get(c.guest.sessionId);
    const current = room && mediaOf(room).current;
    if (!room || !current) throw conflict('the meeting has no media');
    const media = await current;
    const peer = media.peer(c.socket.id);
    const s = meetingSchemas;
    switch (event) {
      // A guest behind an office's firewall needs TURN as much as a member does.
      case 'createTransport': return { ...(await peer.createTransport(parse(s.createTransport, payload).direction)), ...turnFor(this.turn, guestUserId(c.guest.invitationId)) };
      case 'connectTransport': {
        const p = parse(s.connectTransport, payload);
        await peer.connectTransport(p.transportId, p.dtlsParameters as types.DtlsParameters);
        return null;
      }
      case 'restartIce': return { iceParameters: await peer.restartIce(parse(s.restartIce, payload).transportId) };
      case 'closeTransport': return void peer.closeTransport(parse(s.closeTransport, payload).transportId);
      case 'produce': {
        const p = parse(s.produce, payload);
        // Their voice and their face; no other source (the schema has none) and no source under another kind.
        if ((p.kind === 'audio') !== (p.source === 'mic')) throw new AppError(400, 'invalid_payload', 'audio comes from the microphone, video from the camera');
        const producer = await peer.produce(p.transportId, p.kind, p.rtpParameters as types.RtpParameters, { userId: guestUserId(c.guest.invitationId), source: p.source });
        await media.observeAudio(producer);
        producer.observer.once('close', () => room.broadcast('producerClosed', { producerId: producer.id }));
        room.broadcast('newProducer', producerInfo(producer));
        return { id: producer.id };
      }
      case 'closeProducer': return void peer.producer(parse(s.closeProducer, payload).producerId).close();
      case 'pauseProducer':
      case 'resumeProducer': {
        const { producerId } = parse(s.pauseProducer, payload);
        const paused = event === 'pauseProducer';
        await (paused ? peer.producer(producerId).pause() : peer.producer(producerId).resume());
        room.broadcast('producerPaused', { producerId, paused });
        return null;
      }
      case 'consume': {
        const p = parse(s.consume, payload);
        const found = media.findProducer(p.producerId);
        if (!found) throw notFound('producer');
        const params = await peer.consume(p.transportId, found.producer, p.rtpCapabilities as types.RtpCapabilities);
        peer.consumer(params.id).on('producerclose', () => c.socket.emit('consumerClosed', { consumerId: params.id }));
        return params;
      }
      case 'resumeConsumer': return void (await peer.consumer(parse(s.resumeConsumer, payload).consumerId).resume());
      case 'setConsumerLayers': return null;
      default: throw notAllowed(event);
    }
  }

  /** The guest's connection goes (left, dropped): out of the lobby or the room; a hearing's row gets its end. */
  #leave(c: GuestConnection): void {
    if (this.#connections.get(c.socket.id) !== c) return;
    this.#connections.delete(c.socket.id);
    const room = this.#rooms.get(c.guest.sessionId);
    if (c.stage === 'admitted') {
      if (room) heardIn.set(room, Math.max(0, guestsHeardIn(room) - 1));
      const media = room && mediaOf(room).current;
      void media?.then((m) => m.peers.get(c.socket.id)?.close(), () => undefined);
      if (c.hearingId) this.#keep(writeTransaction(Hearing.sequelize!, (transaction) => Hearing.update({ leftAt: new Date() }, { where: { id: c.hearingId!, leftAt: null }, transaction })));
    }
    if (room && !room.closed) room.broadcast('hearing', this.state(c.guest.sessionId));
  }

  /** The hearing is over for this connection: told why, out, disconnected. */
  #letGo(c: GuestConnection, reason: HearingEndReason, tell = true): void {
    this.#leave(c);
    if (tell) c.socket.emit('hearingEnded', { reason });
    c.socket.disconnect(true);
  }

  #keep(work: Promise<unknown>): void {
    const done = work.catch((err: Error) => this.log.error({ err }, 'hearing attendance not written'));
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
  }

  /** The hearing rows' writes in flight (an admit is acknowledged after its own). */
  settled(): Promise<void> {
    return Promise.all(this.#pending).then(() => undefined);
  }
}
