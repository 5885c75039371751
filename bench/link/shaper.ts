/**
 * The pure model of one direction of an emulated link: a token bucket for the rate, a
 * bounded queue in front of it (tail drop, like `tbf … latency`), random loss, then the
 * propagation delay with jitter. Times are in milliseconds on any monotonic clock; the
 * relay (relay.ts) feeds it real packets and timers.
 */
import { random } from '../../tests/support/fixtures/planPdf';

/** A seeded generator: the same seed gives the same losses and jitter, run after run. */
export const seededRandom = random;

export interface DirectionProfile {
  /** Bottleneck rate in bit/s. */
  rateBps: number;
  /** Bytes that may pass at line speed after a quiet spell (tbf's burst). */
  burstBytes: number;
  /** One-way propagation delay (half the round trip). */
  delayMs: number;
  /** Each packet's delay varies uniformly within ± this. */
  jitterMs: number;
  /** Share of packets lost on the path, 0..1, independently of each other. */
  loss: number;
  /** Longest a packet may wait for the bottleneck; a datagram that would wait longer is dropped. */
  queueMs: number;
}

/** Bytes a datagram and a stream segment carry on the wire beyond their payload (IPv4 + UDP, IPv4 + TCP). */
export const UDP_OVERHEAD = 28;
export const TCP_OVERHEAD = 40;
/** Stream data is cut into segments of at most this many payload bytes, as TCP would on a 1500-byte path. */
export const SEGMENT_BYTES = 1400;

/**
 * A token bucket in front of a FIFO: `admit` says when a packet offered now leaves the
 * bottleneck, behind everything admitted before it.
 */
export class TokenBucket {
  /** Tokens (bytes) in the bucket at `#at`, the departure time of the last admitted packet. */
  #tokens: number;
  #at: number;
  readonly #bytesPerMs: number;

  constructor(rateBps: number, readonly burstBytes: number, now: number) {
    if (!(rateBps > 0)) throw new RangeError('rate must be > 0');
    this.#bytesPerMs = rateBps / 8000;
    this.#tokens = burstBytes;
    this.#at = now;
  }

  /** The departure time of `bytes` offered at `now`; the bucket is charged for them. */
  admit(now: number, bytes: number): number {
    const start = Math.max(now, this.#at);
    const tokens = Math.min(this.burstBytes, this.#tokens + (start - this.#at) * this.#bytesPerMs);
    let departure = start;
    if (tokens >= bytes) this.#tokens = tokens - bytes;
    else {
      departure = start + (bytes - tokens) / this.#bytesPerMs;
      this.#tokens = 0;
    }
    this.#at = departure;
    return departure;
  }

  /** How long a packet offered at `now` would wait behind those already admitted. */
  backlog(now: number): number {
    return Math.max(0, this.#at - now);
  }
}

export type Offer = { deliverAt: number } | { dropped: 'queue' | 'loss' };

/**
 * One direction of a link. Datagrams are dropped when the queue is full or by the loss
 * rate. Stream segments are never dropped (the relay terminates TCP, so it cannot lose a
 * byte): the caller holds them back while `backlog` is high, and a segment "lost" on the
 * path arrives one retransmission later, holding up the later segments of its own
 * connection (`flow`: TCP hands bytes over in order), not the rest of the line: the
 * datagrams and other connections behind it pass. Otherwise delivery keeps the order of
 * offers, as one path does. (Holding the whole line for each of a download's lost segments,
 * as this model did at first, stalled the audio and a ballot's answer 300 ms a time, a
 * segment in 33 on `rural`.)
 */
export class LinkDirection {
  readonly #bucket: TokenBucket;
  #lastDelivery = -Infinity;
  /** Each connection's last delivery: its bytes arrive in order. */
  readonly #flows = new WeakMap<object, number>();

  constructor(readonly profile: DirectionProfile, now: number, private readonly random: () => number = Math.random) {
    this.#bucket = new TokenBucket(profile.rateBps, profile.burstBytes, now);
  }

  /** A retransmitted segment comes one round trip later, at least a minimum retransmission timeout. */
  get retransmitMs(): number {
    return Math.max(4 * this.profile.delayMs, 200);
  }

  backlog(now: number): number {
    return this.#bucket.backlog(now);
  }

  /** Offers a packet; a stream segment names its connection (`flow`, one shared flow when not given). */
  offer(now: number, wireBytes: number, kind: 'datagram' | 'stream', flow: object = this): Offer {
    const p = this.profile;
    if (kind === 'datagram' && this.#bucket.backlog(now) > p.queueMs) return { dropped: 'queue' };
    const departure = this.#bucket.admit(now, wireBytes);
    const lost = p.loss > 0 && this.random() < p.loss;
    if (lost && kind === 'datagram') return { dropped: 'loss' };
    const jitter = p.jitterMs > 0 ? (this.random() * 2 - 1) * p.jitterMs : 0;
    this.#lastDelivery = Math.max(this.#lastDelivery, departure + p.delayMs + jitter);
    if (kind === 'datagram') return { deliverAt: this.#lastDelivery };
    const arrival = Math.max(this.#flows.get(flow) ?? -Infinity, this.#lastDelivery + (lost ? this.retransmitMs : 0));
    this.#flows.set(flow, arrival);
    return { deliverAt: arrival };
  }
}
