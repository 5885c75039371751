/**
 * The link emulator's I/O: relays that carry a browser's traffic to the server through an
 * emulated link (shaper.ts). One `Link` per member stands for that member's access line:
 * every flow of theirs (media over UDP or ICE-TCP, HTTP, the socket.io WebSocket) shares
 * its two directions, as they share a real line, so a download can starve the audio.
 *
 * Not emulated: TCP's own reaction to loss and delay (the relay ends TCP on both sides on
 * loopback, so senders see backpressure, not drops; a segment lost on the path is modelled
 * as one retransmission of delay), reordering (jitter keeps order), correlated or bursty
 * loss (losses are independent), a changing rate (the rate is fixed for the run), NAT,
 * MTU and fragmentation, and the radio's own scheduling.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { LinkDirection, SEGMENT_BYTES, seededRandom, TCP_OVERHEAD, UDP_OVERHEAD } from './shaper';
import type { LinkProfile } from './profiles';
import { firstFrame, serverUfrag } from './stun';

/** Stream data fills the shared queue up to this share of its limit, as a long download keeps a router's buffer nearly full. */
const STREAM_FILL = 0.8;
/** A UDP flow with no packet for this long is forgotten. */
const UDP_IDLE_MS = 60_000;

interface Delivery {
  at: number;
  run: () => void;
}

/** One direction of a Link: the shaping model and the timer that hands packets over when they arrive. */
class Path {
  readonly #queue: Delivery[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** Streams waiting for room at the bottleneck, served in turn (see whenRoom). */
  readonly #streams: (() => void)[] = [];
  #streamTimer: NodeJS.Timeout | undefined;
  #serving = false;
  sent = 0;
  dropped = 0;
  /** Bytes admitted, on the wire, by kind: what holds the line. */
  readonly bytes = { datagram: 0, stream: 0 };

  constructor(readonly model: LinkDirection | undefined) {}

  /** Offers a packet (a stream segment with its connection); `run` is called when it arrives. False when it was dropped. */
  send(wireBytes: number, kind: 'datagram' | 'stream', run: () => void, flow?: object): boolean {
    if (!this.model) {
      run();
      return true;
    }
    const offer = this.model.offer(performance.now(), wireBytes, kind, flow);
    if ('dropped' in offer) {
      this.dropped++;
      return false;
    }
    this.sent++;
    this.bytes[kind] += wireBytes;
    // A retransmitted segment arrives after packets offered later: the queue stays in order of arrival.
    let i = this.#queue.length;
    while (i > 0 && this.#queue[i - 1]!.at > offer.deliverAt) i--;
    this.#queue.splice(i, 0, { at: offer.deliverAt, run });
    if (i === 0) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#arm();
    return true;
  }

  /** How long a packet offered now would queue at the bottleneck (ms). */
  get backlogMs(): number {
    return this.model?.backlog(performance.now()) ?? 0;
  }

  /** Milliseconds a stream may wait before it may offer more (0: now). */
  streamWait(): number {
    if (!this.model) return 0;
    return Math.max(0, this.model.backlog(performance.now()) - this.model.profile.queueMs * STREAM_FILL);
  }

  /**
   * Calls `go` when there is room for a stream's next segment, after the streams that asked
   * before it: connections take turns, a segment each, as flows sharing a FIFO get their
   * packets in. (Each waiting on its own timer, the one that had just sent was woken first
   * again and held the line: a 4-byte answer waited 5 s behind two downloads.)
   */
  whenRoom(go: () => void): void {
    this.#streams.push(go);
    if (!this.#serving) this.#serveStreams();
  }

  #serveStreams(): void {
    if (this.#streamTimer) return;
    this.#serving = true;
    try {
      while (this.#streams.length) {
        const wait = this.streamWait();
        if (wait > 0) {
          this.#streamTimer = setTimeout(() => {
            this.#streamTimer = undefined;
            this.#serveStreams();
          }, Math.ceil(wait));
          return;
        }
        this.#streams.shift()!();
      }
    } finally {
      this.#serving = false;
    }
  }

  #arm(): void {
    if (this.#timer || !this.#queue.length) return;
    this.#timer = setTimeout(() => this.#flush(), Math.max(0, this.#queue[0]!.at - performance.now()));
  }

  #flush(): void {
    this.#timer = undefined;
    const now = performance.now();
    // Deliveries are kept in order of arrival time (send), so the head decides.
    while (this.#queue.length && this.#queue[0]!.at <= now + 0.5) this.#queue.shift()!.run();
    this.#arm();
  }

  close(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#streamTimer);
    this.#queue.length = 0;
    this.#streams.length = 0;
  }
}

/** A member's access line: the uplink (browser → server) and the downlink, shaped by one profile, or clear. */
export class Link {
  readonly up: Path;
  readonly down: Path;

  constructor(readonly profile: LinkProfile | undefined, seed = 1) {
    const now = performance.now();
    this.up = new Path(profile && new LinkDirection(profile.up, now, seededRandom(seed)));
    this.down = new Path(profile && new LinkDirection(profile.down, now, seededRandom(seed + 1)));
  }

  get name(): string {
    return this.profile?.name ?? 'clear';
  }

  close(): void {
    this.up.close();
    this.down.close();
  }
}

/** Which link a new flow takes, from its first bytes (may have to look it up). */
export type LinkChoice = (first: Buffer) => Link | Promise<Link>;

export interface Endpoint {
  host: string;
  port: number;
}

/**
 * Pumps one direction of a TCP connection through a link path: reads while the shared
 * queue has room, holds the socket back while it waits for its turn, and ends the far side
 * after the last byte has arrived.
 */
function pumpStream(from: net.Socket, to: net.Socket, path: Path): void {
  const pending: Buffer[] = [];
  let waiting = false;
  let ended = false;
  let closed = false;
  const turn = () => {
    waiting = false;
    if (closed) return;
    const head = pending[0];
    if (head) {
      const segment = head.subarray(0, SEGMENT_BYTES);
      if (segment.length === head.length) pending.shift();
      else pending[0] = head.subarray(SEGMENT_BYTES);
      path.send(segment.length + TCP_OVERHEAD, 'stream', () => !to.destroyed && to.write(segment), from);
    }
    if (pending.length) wait();
    else {
      from.resume();
      if (ended) {
        ended = false;
        path.send(0, 'stream', () => !to.destroyed && to.end(), from);
      }
    }
  };
  const wait = () => {
    if (waiting) return;
    waiting = true;
    path.whenRoom(turn);
  };
  from.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    from.pause();
    wait();
  });
  from.on('end', () => {
    ended = true;
    if (!waiting && !pending.length) turn();
  });
  from.on('close', () => (closed = true));
}

/** Relays TCP connections to `target`; each connection's link is chosen from its first bytes. */
export class TcpRelay {
  readonly #connections = new Set<net.Socket>();

  private constructor(private readonly server: net.Server) {}

  static async create(listen: Endpoint, target: Endpoint, linkFor: LinkChoice): Promise<TcpRelay> {
    const server = net.createServer({ noDelay: true, allowHalfOpen: true });
    const relay = new TcpRelay(server);
    server.on('connection', (client) => relay.#relay(client, target, linkFor));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => resolve());
    });
    return relay;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  #relay(client: net.Socket, target: Endpoint, linkFor: LinkChoice): void {
    this.#connections.add(client);
    client.setNoDelay(true);
    client.once('data', async (first: Buffer) => {
      client.pause();
      const link = await linkFor(first);
      if (client.destroyed) return;
      const upstream = net.connect({ host: target.host, port: target.port, noDelay: true, allowHalfOpen: true });
      this.#connections.add(upstream);
      const closeBoth = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', closeBoth).on('close', () => this.#connections.delete(client));
      upstream.on('error', closeBoth).on('close', () => this.#connections.delete(upstream));
      upstream.once('connect', () => {
        pumpStream(client, upstream, link.up);
        pumpStream(upstream, client, link.down);
        client.unshift(first);
        client.resume();
      });
    });
    client.on('error', () => client.destroy());
  }

  async close(): Promise<void> {
    for (const c of this.#connections) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

interface UdpFlow {
  upstream: dgram.Socket;
  link: Link | undefined;
  waiting: Buffer[];
  seen: number;
}

/** Relays UDP flows to `target`: one upstream socket per browser address, its link chosen from its first datagram. */
export class UdpRelay {
  readonly #flows = new Map<string, UdpFlow>();
  readonly #sweep: NodeJS.Timeout;

  private constructor(private readonly socket: dgram.Socket, private readonly target: Endpoint, private readonly linkFor: LinkChoice) {
    socket.on('message', (msg, from) => this.#fromClient(msg, from));
    this.#sweep = setInterval(() => this.#forgetIdle(), UDP_IDLE_MS / 4);
  }

  static async create(listen: Endpoint, target: Endpoint, linkFor: LinkChoice): Promise<UdpRelay> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(listen.port, listen.host, () => resolve());
    });
    return new UdpRelay(socket, target, linkFor);
  }

  get port(): number {
    return this.socket.address().port;
  }

  #fromClient(msg: Buffer, from: dgram.RemoteInfo): void {
    const key = `${from.address}:${from.port}`;
    let flow = this.#flows.get(key);
    if (!flow) {
      const created: UdpFlow = { upstream: dgram.createSocket('udp4'), link: undefined, waiting: [], seen: 0 };
      flow = created;
      this.#flows.set(key, created);
      created.upstream.on('error', () => undefined);
      created.upstream.bind(0, '127.0.0.1');
      // Datagrams that come while the link is being looked up wait for it, in order.
      void Promise.resolve(this.linkFor(msg)).then((link) => {
        created.link = link;
        created.upstream.on('message', (reply) => link.down.send(reply.length + UDP_OVERHEAD, 'datagram', () => this.socket.send(reply, from.port, from.address)));
        for (const m of created.waiting.splice(0)) this.#up(created, m);
      });
    }
    flow.seen = performance.now();
    if (flow.link) this.#up(flow, msg);
    else flow.waiting.push(msg);
  }

  #up(flow: UdpFlow, msg: Buffer): void {
    flow.link!.up.send(msg.length + UDP_OVERHEAD, 'datagram', () => flow.upstream.send(msg, this.target.port, this.target.host));
  }

  #forgetIdle(): void {
    const now = performance.now();
    for (const [key, flow] of this.#flows)
      if (now - flow.seen > UDP_IDLE_MS) {
        flow.upstream.close();
        this.#flows.delete(key);
      }
  }

  close(): void {
    clearInterval(this.#sweep);
    for (const flow of this.#flows.values()) flow.upstream.close();
    this.#flows.clear();
    this.socket.close();
  }
}

/**
 * The media side: relays at the SFU's UDP and TCP ports on another loopback address (the
 * worker announces it), choosing each flow's link by the SFU ufrag of its first STUN
 * binding request (`linkOfUfrag`); flows of unknown ufrag pass clear.
 */
export class MediaRelay {
  private constructor(readonly udp: UdpRelay | undefined, readonly tcp: TcpRelay | undefined) {}

  static async create(options: {
    address: string;
    target: string;
    udpPort?: number;
    tcpPort?: number;
    linkOfUfrag: (ufrag: string | undefined) => Link | Promise<Link>;
  }): Promise<MediaRelay> {
    const { address, target, udpPort, tcpPort, linkOfUfrag } = options;
    const udp = udpPort ? await UdpRelay.create({ host: address, port: udpPort }, { host: target, port: udpPort }, (first) => linkOfUfrag(serverUfrag(first))) : undefined;
    const tcp = tcpPort
      ? await TcpRelay.create({ host: address, port: tcpPort }, { host: target, port: tcpPort }, (first) => linkOfUfrag(serverUfrag(firstFrame(first))))
      : undefined;
    return new MediaRelay(udp, tcp);
  }

  async close(): Promise<void> {
    this.udp?.close();
    await this.tcp?.close();
  }
}
