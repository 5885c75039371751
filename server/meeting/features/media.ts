import type { types } from 'mediasoup';
import { meetingSchemas, type MediaSnapshot, type MediaSource, type ProducerInfo } from '../../../protocol/meeting';
import { MediaRoom } from '../../../sfu/MediaRoom';
import { layerFor, type Peer } from '../../../sfu/Peer';
import type { WorkerPool } from '../../../sfu/WorkerPool';
import { conflict, notFound } from '../../errors';
import type { TurnConfig } from '../../config';
import type { Logger } from '../../log';
import { turnFor } from '../../services/turnCredentials';
import { request, type MeetingFeature, type RequestContext } from '../feature';
import type { MeetingRoom, ParticipantState } from '../MeetingRoom';

/** What the meeting tags each producer with (its appData): whose it is, and which device. */
export type ProducerTag = {
  userId: number;
  source: MediaSource;
};

/**
 * The media of one meeting: a MediaRoom (one router) created when the first connection
 * asks for it, closed when the last connection goes, re-created on a live worker if its
 * worker dies. One mediasoup peer per connection; the room's participants carry what the
 * media say (microphone muted, camera on) for everyone to see.
 */
export class MeetingMedia {
  #media: Promise<MediaRoom<ProducerTag>> | undefined;
  activeSpeaker: number | null = null;

  constructor(
    private readonly room: MeetingRoom,
    private readonly pool: WorkerPool,
    private readonly log: Logger,
  ) {
    room.on('connectionleft', (_p, connectionId) => this.#closePeer(connectionId));
    room.on('modechanged', (p) => void this.#applyMode(p).catch((e: Error) => log.error({ err: e, sessionId: room.sessionId }, 'audio-only switch failed')));
    room.on('emptied', () => this.#closeMedia());
    room.on('closed', () => this.#closeMedia());
  }

  /** The media room while one exists (tests and features may inspect producers; sfu objects stay owned here). */
  get current(): Promise<MediaRoom<ProducerTag>> | undefined {
    return this.#media;
  }

  async snapshot(userId: number): Promise<MediaSnapshot> {
    const media = await this.#room();
    return {
      routerRtpCapabilities: media.rtpCapabilities,
      producers: media.producers().filter(({ producer }) => producer.appData.userId !== userId).map(({ producer }) => producerInfo(producer)),
      activeSpeaker: this.activeSpeaker,
    };
  }

  async peer(connectionId: string): Promise<Peer<ProducerTag>> {
    return (await this.#room()).peer(connectionId);
  }

  async produce(ctx: RequestContext, transportId: string, kind: 'audio' | 'video', rtpParameters: types.RtpParameters, source: MediaSource): Promise<string> {
    const p = ctx.participant;
    if (kind === 'video' && p.mode === 'audio') throw conflict('audio-only mode: no video is sent');
    const media = await this.#room();
    const producer = await media.peer(ctx.socket.id).produce(transportId, kind, rtpParameters, { userId: p.userId, source });
    await media.observeAudio(producer);
    producer.observer.once('close', () => {
      if (source === 'camera') this.room.setMedia(p.userId, { cameraOn: false });
      this.room.broadcast('producerClosed', { producerId: producer.id });
    });
    ctx.room.broadcastExcept(ctx.socket.id, 'newProducer', producerInfo(producer));
    this.room.setMedia(p.userId, source === 'mic' ? { micMuted: false } : { cameraOn: true });
    return producer.id;
  }

  async setProducerPaused(ctx: RequestContext, producerId: string, paused: boolean): Promise<void> {
    const producer = (await this.peer(ctx.socket.id)).producer(producerId);
    if (paused) await producer.pause();
    else await producer.resume();
    this.room.broadcast('producerPaused', { producerId, paused });
    this.room.setMedia(ctx.userId, producer.appData.source === 'mic' ? { micMuted: paused } : { cameraOn: !paused });
  }

  async consume(ctx: RequestContext, transportId: string, producerId: string, rtpCapabilities: types.RtpCapabilities) {
    const media = await this.#room();
    const found = media.findProducer(producerId);
    if (!found) throw notFound('producer');
    if (found.producer.kind === 'video' && ctx.participant.mode === 'audio') throw conflict('audio-only mode: no video is received');
    const peer = media.peer(ctx.socket.id);
    const params = await peer.consume(transportId, found.producer, rtpCapabilities);
    peer.consumer(params.id).on('producerclose', () => ctx.socket.emit('consumerClosed', { consumerId: params.id }));
    return params;
  }

  async setConsumerLayers(connectionId: string, consumerId: string, tileHeight: number, bitrate?: number): Promise<void> {
    const consumer = (await this.peer(connectionId)).consumer(consumerId);
    if (consumer.type !== 'simulcast') return;
    await consumer.setPreferredLayers({ spatialLayer: layerFor(tileHeight, bitrate) });
  }

  /** The chair pauses a member's microphone on the server; the member sees it and may unmute. */
  async mute(chairId: number, userId: number): Promise<void> {
    if (!this.room.participants.has(userId)) throw notFound('participant');
    const media = await this.#room();
    for (const { producer } of media.producers()) {
      if (producer.appData.userId === userId && producer.appData.source === 'mic' && !producer.paused) {
        await producer.pause();
        this.room.broadcast('producerPaused', { producerId: producer.id, paused: true });
      }
    }
    this.room.sendTo(userId, 'mutedByChair', { byUserId: chairId });
    this.room.setMedia(userId, { micMuted: true });
  }

  /** The media room, created on first use; re-created on a live worker if its worker dies. */
  #room(): Promise<MediaRoom<ProducerTag>> {
    if (this.room.closed) return Promise.reject(conflict('the meeting is closed'));
    if (!this.#media) {
      const media = MediaRoom.create<ProducerTag>(this.pool).then((created) => {
        created.on('activespeaker', (producer) => {
          this.activeSpeaker = producer ? producer.appData.userId : null;
          this.room.broadcast('activeSpeaker', this.activeSpeaker);
        });
        created.once('closed', (workerDied) => {
          if (this.#media === media) this.#media = undefined;
          if (workerDied && !this.room.closed && this.room.connectionIds.length > 0) void this.#restart();
        });
        return created;
      });
      this.#media = media;
      media.catch(() => {
        if (this.#media === media) this.#media = undefined;
      });
    }
    return this.#media;
  }

  async #restart(): Promise<void> {
    this.log.warn({ sessionId: this.room.sessionId }, 'media room lost with its worker; re-creating');
    for (const p of this.room.participants.values()) this.room.setMedia(p.userId, { cameraOn: false });
    const media = await this.#room();
    this.room.broadcast('mediaRestart', { routerRtpCapabilities: media.rtpCapabilities });
  }

  /** Audio-only: no video sent or received by any of the member's connections. */
  async #applyMode(p: ParticipantState): Promise<void> {
    if (p.mode !== 'audio' || !this.#media) return;
    const media = await this.#media;
    for (const id of p.connections) {
      const peer = media.peers.get(id);
      if (!peer) continue;
      for (const producer of peer.producers.values()) if (producer.kind === 'video') producer.close();
      for (const consumer of peer.consumers.values()) if (consumer.kind === 'video') consumer.close();
    }
  }

  #closePeer(connectionId: string): void {
    void this.#media?.then((media) => media.peers.get(connectionId)?.close(), () => undefined);
  }

  /** No connection left: the router goes, so nothing of the meeting stays on the worker. */
  #closeMedia(): void {
    const media = this.#media;
    this.#media = undefined;
    void media?.then((m) => m.close(), () => undefined);
  }
}

/** A producer as the room announces it (the guests' media are announced the same way). */
export function producerInfo(producer: types.Producer<ProducerTag>): ProducerInfo {
  const { userId, source } = producer.appData;
  return { producerId: producer.id, userId, kind: producer.kind, source, paused: producer.paused };
}

const rooms = new WeakMap<MeetingRoom, MeetingMedia>();

/** The room's media (created with the room by the media feature). */
export function mediaOf(room: MeetingRoom): MeetingMedia {
  const media = rooms.get(room);
  if (!media) throw conflict('the meeting has no media');
  return media;
}

const s = meetingSchemas;

/**
 * Media signalling: transports, producers (microphone, camera), consumers with the
 * simulcast layer that fits the receiver's tile, and the chair's mute. mediasoup checks
 * the opaque parameters; its refusals come back as the SFU's named errors.
 */
export function mediaFeature(pool: WorkerPool, log: Logger, turn?: TurnConfig): MeetingFeature {
  const peer = (ctx: RequestContext) => mediaOf(ctx.room).peer(ctx.socket.id);
  return {
    name: 'media',
    snapshot: { name: 'media', of: (room, p) => mediaOf(room).snapshot(p.userId) },
    roomCreated: (room) => void rooms.set(room, new MeetingMedia(room, pool, log)),
    requests: [
      // Each transport gets fresh TURN credentials: a rebuild after hours in a meeting never meets an expired one.
      request('createTransport', s.createTransport, async ({ direction }, ctx) => ({
        ...(await (await peer(ctx)).createTransport(direction)),
        ...turnFor(turn, ctx.userId),
      })),
      request('connectTransport', s.connectTransport, async ({ transportId, dtlsParameters }, ctx) => {
        await (await peer(ctx)).connectTransport(transportId, dtlsParameters as types.DtlsParameters);
        return null;
      }),
      request('restartIce', s.restartIce, async ({ transportId }, ctx) => ({ iceParameters: await (await peer(ctx)).restartIce(transportId) })),
      request('produce', s.produce, async ({ transportId, kind, rtpParameters, source }, ctx) => ({
        id: await mediaOf(ctx.room).produce(ctx, transportId, kind, rtpParameters as types.RtpParameters, source),
      })),
      request('closeTransport', s.closeTransport, async ({ transportId }, ctx) => {
        (await peer(ctx)).closeTransport(transportId);
        return null;
      }),
      request('closeProducer', s.closeProducer, async ({ producerId }, ctx) => {
        (await peer(ctx)).producer(producerId).close();
        return null;
      }),
      request('pauseProducer', s.pauseProducer, async ({ producerId }, ctx) => {
        await mediaOf(ctx.room).setProducerPaused(ctx, producerId, true);
        return null;
      }),
      request('resumeProducer', s.resumeProducer, async ({ producerId }, ctx) => {
        await mediaOf(ctx.room).setProducerPaused(ctx, producerId, false);
        return null;
      }),
      request('consume', s.consume, ({ transportId, producerId, rtpCapabilities }, ctx) =>
        mediaOf(ctx.room).consume(ctx, transportId, producerId, rtpCapabilities as types.RtpCapabilities),
      ),
      request('resumeConsumer', s.resumeConsumer, async ({ consumerId }, ctx) => {
        await (await peer(ctx)).consumer(consumerId).resume();
        return null;
      }),
      request('setConsumerLayers', s.setConsumerLayers, async ({ consumerId, tileHeight, bitrate }, ctx) => {
        await mediaOf(ctx.room).setConsumerLayers(ctx.socket.id, consumerId, tileHeight, bitrate);
        return null;
      }),
      request(
        'muteParticipant',
        s.muteParticipant,
        async ({ userId }, ctx) => {
          await mediaOf(ctx.room).mute(ctx.userId, userId);
          return null;
        },
        { seats: ['chair'], refusal: 'only the chair may mute a member' },
      ),
    ],
  };
}
