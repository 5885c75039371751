import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { MediaClosedError } from './errors';
import { Peer } from './Peer';
import type { PooledWorker, WorkerPool } from './WorkerPool';

/** Codecs of every media room: opus and VP8; H264 is used when the sending client offers it. */
export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  // In-band FEC and DTX: audio comes first on weak links (the sending browser encodes with them, receivers decode).
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, parameters: { useinbandfec: 1, usedtx: 1 } },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 300 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

export interface MediaRoomEvents<Tag extends types.AppData> {
  /** The room's router is gone: closed, or its worker died (`workerDied`). */
  closed: [workerDied: boolean];
  /** The loudest producer changed (undefined: silence). */
  activespeaker: [producer: types.Producer<Tag> | undefined];
}

/** A producer with the peer that sends it. */
export interface SentTrack<Tag extends types.AppData> {
  peer: Peer<Tag>;
  producer: types.Producer<Tag>;
}

/**
 * One router on one worker for one live meeting, with an active-speaker observer. Knows
 * peers by opaque ids and producers by the caller's `Tag` (their appData); knows nothing
 * about sessions or permits.
 */
export class MediaRoom<Tag extends types.AppData = types.AppData> extends EventEmitter<MediaRoomEvents<Tag>> {
  readonly peers = new Map<string, Peer<Tag>>();
  #closed = false;

  private constructor(
    readonly router: types.Router,
    readonly host: PooledWorker,
    private readonly speakers: types.ActiveSpeakerObserver,
  ) {
    super();
  }

  /** Places the room on the pool's least-loaded live worker (waiting for a replacement if none is live). */
  static async create<Tag extends types.AppData>(pool: WorkerPool): Promise<MediaRoom<Tag>> {
    const host = await pool.liveWorker();
    const router = await host.worker.createRouter({ mediaCodecs: MEDIA_CODECS });
    const speakers = await router.createActiveSpeakerObserver({ interval: 300 });
    const room = new MediaRoom<Tag>(router, host, speakers);
    // The observer hands back the producer untyped; the room's own entry carries the tag.
    speakers.on('dominantspeaker', ({ producer }) => room.emit('activespeaker', room.findProducer(producer.id)?.producer));
    router.on('workerclose', () => room.#close(true));
    return room;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rtpCapabilities(): types.RtpCapabilities {
    return this.router.rtpCapabilities;
  }

  peer(id: string): Peer<Tag> {
    let peer = this.peers.get(id);
    if (!peer) {
      if (this.#closed) throw new MediaClosedError('room');
      peer = new Peer<Tag>(id, this.router, this.host.webRtcServer, this.host.protocols);
      this.peers.set(id, peer);
      peer.once('closed', () => this.peers.delete(id));
    }
    return peer;
  }

  /** Every producer of every peer except `exceptPeerId`, with the peer that sends it. */
  producers(exceptPeerId?: string): SentTrack<Tag>[] {
    const out: SentTrack<Tag>[] = [];
    for (const peer of this.peers.values()) {
      if (peer.id === exceptPeerId) continue;
      for (const producer of peer.producers.values()) out.push({ peer, producer });
    }
    return out;
  }

  findProducer(producerId: string): SentTrack<Tag> | undefined {
    return this.producers().find((p) => p.producer.id === producerId);
  }

  /** Audio producers feed the active-speaker observer. */
  async observeAudio(producer: types.Producer<Tag>): Promise<void> {
    if (producer.kind === 'audio') await this.speakers.addProducer({ producerId: producer.id }).catch(() => undefined);
  }

  close(): void {
    this.#close(false);
  }

  #close(workerDied: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of [...this.peers.values()]) peer.close();
    if (!this.router.closed) this.router.close();
    this.emit('closed', workerDied);
  }
}
