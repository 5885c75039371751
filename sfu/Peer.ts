import { EventEmitter } from 'node:events';
import type { types } from 'mediasoup';
import { MediaClosedError, MediaLimitError, MediaNotFoundError, MediaParametersError } from './errors';

export type TransportDirection = 'send' | 'recv';

/** What a client needs to build its side of a WebRtcTransport. */
export interface TransportParams {
  id: string;
  iceParameters: types.IceParameters;
  iceCandidates: types.IceCandidate[];
  dtlsParameters: types.DtlsParameters;
}

export interface ConsumerParams {
  id: string;
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  producerPaused: boolean;
}

/** A connection sends on one transport and receives on another: a third is refused (close one first). */
export const MAX_TRANSPORTS = 2;
/** One microphone and one camera per connection (a screen share would be a source of its own). */
export const MAX_PRODUCERS_PER_KIND = 1;
/**
 * What one connection may send in, all tracks together: three simulcast layers (up to 500,
 * 250 and 100 kbit/s) and opus with room for FEC. Past it mediasoup drops incoming packets
 * and the sender's estimate backs off: nobody can flood the worker's uplink share.
 */
export const MAX_INCOMING_BITRATE = 1_500_000;

export interface PeerEvents {
  closed: [];
}

/**
 * Simulcast layer for a video tile of the given height (device pixels) on a link of the
 * given bitrate. The client sends 90p, 180p and 360p at up to 100, 250 and 500 kbit/s: the
 * smallest layer that fills the tile, never more than the link carries.
 */
export function layerFor(tileHeight: number, bitrate?: number): number {
  const bySize = tileHeight <= 120 ? 0 : tileHeight <= 240 ? 1 : 2;
  if (bitrate === undefined) return bySize;
  const byRate = bitrate < 200_000 ? 0 : bitrate < 450_000 ? 1 : 2;
  return Math.min(bySize, byRate);
}

/**
 * A call carrying the client's parameters failed: the transport was closed under it, or
 * mediasoup refused the parameters (its own errors are not exported as classes to test).
 */
function refused(transport: types.Transport, what: string) {
  return (error: unknown): never => {
    if (transport.closed) throw new MediaClosedError('peer');
    throw new MediaParametersError(what, error);
  };
}

/**
 * One client connection's media inside a MediaRoom: its transports, the tracks it sends
 * (producers, tagged with `Tag` as their appData) and the tracks it receives (consumers).
 */
export class Peer<Tag extends types.AppData = types.AppData> extends EventEmitter<PeerEvents> {
  readonly transports = new Map<string, types.WebRtcTransport<{ direction: TransportDirection }>>();
  readonly producers = new Map<string, types.Producer<Tag>>();
  readonly consumers = new Map<string, types.Consumer>();
  #closed = false;
  /** Transports and producers (by kind) being created: the limits count them already. */
  #creating = 0;
  readonly #producing = new Map<types.MediaKind, number>();

  constructor(
    readonly id: string,
    private readonly router: types.Router,
    private readonly webRtcServer: types.WebRtcServer,
    private readonly protocols: readonly ('udp' | 'tcp')[] = ['udp', 'tcp'],
  ) {
    super();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async createTransport(direction: TransportDirection): Promise<TransportParams> {
    // Counted with the ones being created, so that a burst of requests cannot pass the check together.
    if (this.transports.size + this.#creating >= MAX_TRANSPORTS) throw new MediaLimitError('transports', MAX_TRANSPORTS);
    this.#creating++;
    try {
      return await this.#createTransport(direction);
    } finally {
      this.#creating--;
    }
  }

  /** Closes one of the peer's transports (the client rebuilds its media): its producers and consumers go with it. */
  closeTransport(transportId: string): void {
    this.#transport(transportId).close();
  }

  async #createTransport(direction: TransportDirection): Promise<TransportParams> {
    const transport = await this.router.createWebRtcTransport({
      webRtcServer: this.webRtcServer,
      enableUdp: this.protocols.includes('udp'),
      enableTcp: this.protocols.includes('tcp'),
      preferUdp: true,
      // Start the bandwidth estimate where a rural line is (it rises within seconds on a good
      // one): starting at 1 Mbit/s flooded a 300 kbit/s member with video before it settled.
      initialAvailableOutgoingBitrate: 300_000,
      appData: { direction },
    });
    if (this.#closed) {
      transport.close();
      throw new MediaClosedError('peer');
    }
    this.transports.set(transport.id, transport);
    transport.observer.once('close', () => this.transports.delete(transport.id));
    await transport.setMaxIncomingBitrate(MAX_INCOMING_BITRATE).catch((error: unknown) => {
      if (transport.closed) throw new MediaClosedError('peer');
      throw error;
    });
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
    };
  }

  async connectTransport(transportId: string, dtlsParameters: types.DtlsParameters): Promise<void> {
    const transport = this.#transport(transportId);
    await transport.connect({ dtlsParameters }).catch(refused(transport, 'DTLS parameters'));
  }

  async restartIce(transportId: string): Promise<types.IceParameters> {
    const transport = this.#transport(transportId);
    return transport.restartIce().catch((error: unknown) => {
      if (transport.closed) throw new MediaClosedError('peer');
      throw error;
    });
  }

  async produce(transportId: string, kind: types.MediaKind, rtpParameters: types.RtpParameters, appData: Tag): Promise<types.Producer<Tag>> {
    const transport = this.#transport(transportId);
    const sending = [...this.producers.values()].filter((p) => p.kind === kind).length + (this.#producing.get(kind) ?? 0);
    if (sending >= MAX_PRODUCERS_PER_KIND) throw new MediaLimitError(kind, MAX_PRODUCERS_PER_KIND);
    this.#producing.set(kind, (this.#producing.get(kind) ?? 0) + 1);
    try {
      const producer = await transport.produce<Tag>({ kind, rtpParameters, appData }).catch(refused(transport, 'RTP parameters'));
      this.producers.set(producer.id, producer);
      producer.observer.once('close', () => this.producers.delete(producer.id));
      return producer;
    } finally {
      this.#producing.set(kind, this.#producing.get(kind)! - 1);
    }
  }

  /**
   * Starts paused: the client resumes once its track is wired, so the first packets are not lost.
   * Simulcast video starts on the smallest layer (fast first frame, light on weak links); the
   * receiver raises it to fit its tile.
   */
  async consume(transportId: string, producer: types.Producer, rtpCapabilities: types.RtpCapabilities): Promise<ConsumerParams> {
    const transport = this.#transport(transportId);
    let consumable: boolean;
    try {
      consumable = this.router.canConsume({ producerId: producer.id, rtpCapabilities });
    } catch (error) {
      throw new MediaParametersError('RTP capabilities', error);
    }
    if (!consumable) throw new MediaParametersError('RTP capabilities', new Error('cannot consume this producer'));
    const preferredLayers = producer.type === 'simulcast' ? { spatialLayer: 0 } : undefined;
    // Audio: retransmitted on NACK when the receiver asks (a lost word costs more than a lost frame).
    const audio = producer.kind === 'audio';
    const consumer = await transport
      .consume({ producerId: producer.id, rtpCapabilities, paused: true, preferredLayers, enableRtx: audio || undefined })
      .catch(refused(transport, 'RTP capabilities'));
    // The transport's bitrate goes to higher priorities first: audio before any video.
    if (audio) await consumer.setPriority(255);
    this.consumers.set(consumer.id, consumer);
    consumer.observer.once('close', () => this.consumers.delete(consumer.id));
    return {
      id: consumer.id,
      producerId: producer.id,
      kind: consumer.kind,
      rtpParameters: consumer.rtpParameters,
      producerPaused: consumer.producerPaused,
    };
  }

  consumer(consumerId: string): types.Consumer {
    const c = this.consumers.get(consumerId);
    if (!c) throw new MediaNotFoundError('consumer');
    return c;
  }

  producer(producerId: string): types.Producer<Tag> {
    const p = this.producers.get(producerId);
    if (!p) throw new MediaNotFoundError('producer');
    return p;
  }

  /** Closes every transport (and with them their producers and consumers). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const t of this.transports.values()) t.close();
    this.transports.clear();
    this.producers.clear();
    this.consumers.clear();
    this.emit('closed');
  }

  #transport(id: string): types.WebRtcTransport<{ direction: TransportDirection }> {
    const t = this.transports.get(id);
    if (!t) throw new MediaNotFoundError('transport');
    return t;
  }
}
