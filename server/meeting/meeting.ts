import type { Server } from 'socket.io';
import type { types } from 'mediasoup';
import type { z } from 'zod';
import { CommitteeSeat, CommitteeSession } from '../../db/models';
import { meetingSchemas, type Ack, type MeetingClientEvents, type MeetingSnapshot } from '../../protocol/meeting';
import { MediaError, MediaNotFoundError, MediaParametersError } from '../../sfu/errors';
import type { WorkerPool } from '../../sfu/WorkerPool';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { Logger } from '../log';
import { parse } from '../validation';
import { authenticateSocket } from '../realtime/io';
import { MeetingRoom, type MeetingNamespace, type MeetingSocket } from './MeetingRoom';

/** What a feature gets to plug its own events into the meeting namespace. */
export interface MeetingContext {
  /** The meeting the socket has joined, or a `conflict` error. */
  roomOf(socket: MeetingSocket): MeetingRoom;
  /** Registers a validated, acknowledged handler: bad payload → invalid_payload, errors → their code. */
  handle<E extends keyof MeetingClientEvents, S extends z.ZodType>(
    socket: MeetingSocket,
    event: E,
    schema: S,
    handler: (payload: z.output<S>) => unknown,
  ): void;
  log: Logger;
}

/** A later part of the meeting (document viewer, voting) living on the same namespace and per-session state. */
export interface MeetingFeature {
  readonly name: string;
  /** The feature's state for a member's (re)join snapshot. */
  snapshot(room: MeetingRoom, userId: number): unknown;
  /** Called once per connecting socket: register the feature's events with `ctx.handle`. */
  attach(socket: MeetingSocket, ctx: MeetingContext): void;
  /** A member left for good (explicit leave or no return within the grace period). */
  onParticipantLeft?(room: MeetingRoom, userId: number): void;
  /** A meeting room was created for a session. */
  onRoomCreated?(room: MeetingRoom): void;
  /** The chair asks to end the session: throw an AppError to refuse (e.g. a vote still open). */
  beforeSessionEnd?(room: MeetingRoom): Promise<void>;
}

export interface MeetingServer {
  readonly nsp: MeetingNamespace;
  /** Live meetings by session id. */
  readonly rooms: ReadonlyMap<number, MeetingRoom>;
  /** Waits for the attendance writes of sockets that went away, then closes every meeting. */
  close(): Promise<void>;
}

/** The stable error a refusal of the SFU is answered with. */
function mediaRefusal(error: MediaError): AppError {
  if (error instanceof MediaNotFoundError) return notFound(error.what);
  if (error instanceof MediaParametersError) return new AppError(400, 'invalid_payload', error.message);
  return conflict(error.message);
}

/** Any failure as an acknowledgement: its stable code, and never an internal message (those are logged). */
function toError(error: unknown, event: string, log: Logger): Ack<never> {
  if (error instanceof AppError) return { ok: false, error: error.toBody().error };
  if (error instanceof MediaError) {
    if (error.cause) log.debug({ event, err: error.cause }, 'media request refused');
    return { ok: false, error: mediaRefusal(error).toBody().error };
  }
  log.error({ event, err: error }, 'meeting request failed');
  return { ok: false, error: new AppError(500, 'internal', 'internal error').toBody().error };
}

/** The `/meeting` namespace: a socket.io room and a MeetingRoom per live session. */
export function createMeetingNamespace(io: Server, pool: WorkerPool, log: Logger, features: readonly MeetingFeature[] = []): MeetingServer {
  const nsp = io.of('/meeting') as unknown as MeetingNamespace;
  const rooms = new Map<number, MeetingRoom>();
  const leaving = new Set<Promise<void>>();
  nsp.use((socket, next) => void authenticateSocket(socket as never, next));

  const ctx: MeetingContext = {
    log,
    roomOf(socket) {
      const room = socket.data.meeting;
      if (!room || room.closed) throw conflict('join the meeting first');
      return room;
    },
    handle(socket, event, schema, handler) {
      (socket as unknown as { on(e: string, l: (p: unknown, ack: unknown) => void): void }).on(event, async (payload, ack) => {
        if (typeof ack !== 'function') return; // every event is a request; without a callback there is nobody to answer
        const reply = ack as (r: Ack<unknown>) => void;
        try {
          const input = parse(schema, payload);
          reply({ ok: true, data: (await handler(input)) ?? null });
        } catch (error) {
          reply(toError(error, event, log));
        }
      });
    },
  };

  function roomFor(session: CommitteeSession): MeetingRoom {
    let room = rooms.get(session.id);
    if (!room || room.closed) {
      const created = new MeetingRoom(session.id, session.committeeId, nsp, pool, log);
      rooms.set(session.id, created);
      created.on('participantleft', (userId) => features.forEach((f) => f.onParticipantLeft?.(created, userId)));
      created.once('closed', () => rooms.get(session.id) === created && rooms.delete(session.id));
      features.forEach((f) => f.onRoomCreated?.(created));
      room = created;
    }
    return room;
  }

  nsp.on('connection', (socket) => {
    const s = meetingSchemas;
    const on = ctx.handle;

    on(socket, 'join', s.join, async ({ sessionId, mode }): Promise<MeetingSnapshot> => {
      const userId = socket.data.principal.userId;
      const session = await CommitteeSession.findByPk(sessionId);
      if (!session) throw notFound('session');
      const seat = await CommitteeSeat.findOne({ where: { committeeId: session.committeeId, userId } });
      if (!seat) throw forbidden("only this session's committee may join its meeting");
      if (session.status === 'closed') throw new AppError(409, 'invalid_transition', 'the session is closed');
      if (session.status === 'planned') await session.update({ status: 'live' });
      const previous = socket.data.meeting;
      if (previous && previous.sessionId !== sessionId) await previous.leave(socket, true);
      const room = roomFor(session);
      await room.join(socket, seat.kind, mode);
      const features_: Record<string, unknown> = {};
      for (const f of features) features_[f.name] = await f.snapshot(room, userId);
      return {
        sessionId,
        self: { userId, seat: seat.kind },
        participants: room.participantList(),
        hands: room.hands,
        activeSpeaker: room.activeSpeaker,
        routerRtpCapabilities: await room.routerRtpCapabilities(),
        producers: (await room.producerList()).filter((p) => p.userId !== userId),
        features: features_,
      };
    });
    on(socket, 'leave', s.leave, () => ctx.roomOf(socket).leave(socket, true));
    on(socket, 'setMode', s.setMode, ({ mode }) => ctx.roomOf(socket).setMode(socket, mode));
    on(socket, 'setQuality', s.setQuality, ({ quality }) => ctx.roomOf(socket).setQuality(socket, quality));
    on(socket, 'raiseHand', s.raiseHand, () => ctx.roomOf(socket).raiseHand(socket));
    on(socket, 'lowerHand', s.lowerHand, () => ctx.roomOf(socket).lowerHand(socket));
    on(socket, 'clearHands', s.clearHands, ({ userId }) => ctx.roomOf(socket).clearHands(socket, userId));
    on(socket, 'muteParticipant', s.muteParticipant, ({ userId }) => ctx.roomOf(socket).mute(socket, userId));
    on(socket, 'createTransport', s.createTransport, async ({ direction }) =>
      (await ctx.roomOf(socket).peer(socket)).createTransport(direction),
    );
    on(socket, 'connectTransport', s.connectTransport, async ({ transportId, dtlsParameters }) =>
      (await ctx.roomOf(socket).peer(socket)).connectTransport(transportId, dtlsParameters as unknown as types.DtlsParameters),
    );
    on(socket, 'restartIce', s.restartIce, async ({ transportId }) => ({
      iceParameters: await (await ctx.roomOf(socket).peer(socket)).restartIce(transportId),
    }));
    on(socket, 'produce', s.produce, async ({ transportId, kind, rtpParameters, source }) => ({
      id: await ctx.roomOf(socket).produce(socket, transportId, kind, rtpParameters as unknown as types.RtpParameters, source),
    }));
    on(socket, 'closeProducer', s.closeProducer, ({ producerId }) => ctx.roomOf(socket).closeProducer(socket, producerId));
    on(socket, 'pauseProducer', s.pauseProducer, ({ producerId }) => ctx.roomOf(socket).setProducerPaused(socket, producerId, true));
    on(socket, 'resumeProducer', s.resumeProducer, ({ producerId }) => ctx.roomOf(socket).setProducerPaused(socket, producerId, false));
    on(socket, 'consume', s.consume, ({ transportId, producerId, rtpCapabilities }) =>
      ctx.roomOf(socket).consume(socket, transportId, producerId, rtpCapabilities as unknown as types.RtpCapabilities),
    );
    on(socket, 'resumeConsumer', s.resumeConsumer, async ({ consumerId }) => (await ctx.roomOf(socket).peer(socket)).consumer(consumerId).resume());
    on(socket, 'setConsumerLayers', s.setConsumerLayers, ({ consumerId, tileHeight, bitrate }) =>
      ctx.roomOf(socket).setConsumerLayers(socket, consumerId, tileHeight, bitrate),
    );

    on(socket, 'endSession', s.endSession, async () => {
      const room = ctx.roomOf(socket);
      room.requireChair(socket);
      for (const f of features) await f.beforeSessionEnd?.(room);
      await CommitteeSession.update({ status: 'closed' }, { where: { id: room.sessionId } });
      room.broadcast('sessionEnded', { sessionId: room.sessionId });
      // Everyone leaves for good: attendance closes now, not after the rejoin grace period.
      await room.end();
    });

    for (const f of features) f.attach(socket, ctx);
    socket.on('disconnect', () => {
      const left = socket.data.meeting?.leave(socket, false).catch((e: Error) => log.error({ error: e.message }, 'meeting leave failed'));
      if (!left) return;
      leaving.add(left);
      void left.finally(() => leaving.delete(left));
    });
  });

  return {
    nsp,
    rooms,
    async close() {
      await Promise.all(leaving);
      for (const room of [...rooms.values()]) room.close();
    },
  };
}
