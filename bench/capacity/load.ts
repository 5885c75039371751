/**
 * The members of the capacity benchmark, in a process of their own so that the server's
 * CPU is measured apart from theirs: per session, eight socket.io clients (the chair turns
 * a page every PAGE_EVERY_MS, the six voters re-cast their ballot when the parent says) and
 * the synthetic RTP of eight members (opus and one VP8 layer) sent to the PlainTransports
 * the parent opened, with a sink counting what the SFU forwards. Driven over IPC
 * (protocol.ts); answers the latencies it measured.
 */
import dgram from 'node:dgram';
import { io as connect, type Socket } from 'socket.io-client';
import type { Ack } from '../../protocol/meeting';
import { random } from '../../tests/support/fixtures/planPdf';
import { duePackets } from '../lib';
import { MEMBERS, PAGE_EVERY_MS, VOTERS, type FromLoad, type SessionSpec, type Senders, type ToLoad } from './protocol';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const send = (m: FromLoad) => process.send!(m);

async function ask<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const res = (await socket.timeout(15_000).emitWithAck(event, payload)) as Ack<T>;
  if (!res.ok) throw new Error(`${event}: ${res.error.code} ${res.error.message}`);
  return res.data;
}

interface Samples {
  ackMs: number[];
  fanoutMs: number[];
  healthMs: number[];
  errors: number;
}
let samples: Samples = { ackMs: [], fanoutMs: [], healthMs: [], errors: 0 };

class LoadSession {
  readonly sockets: Socket[] = [];
  readonly sink = dgram.createSocket('udp4');
  readonly rtpOut = dgram.createSocket('udp4');
  forwarded = 0;
  voteId = 0;
  #timers: NodeJS.Timeout[] = [];
  #page = 1;
  #choice = 0;

  constructor(readonly spec: SessionSpec) {}

  async start(): Promise<{ sinkPort: number }> {
    const { spec } = this;
    for (const email of MEMBERS) {
      const socket = connect(`${spec.url}/meeting`, { transports: ['websocket'], extraHeaders: { cookie: spec.cookies[email]! }, reconnection: false, forceNew: true });
      this.sockets.push(socket);
      await ask(socket, 'join', { sessionId: spec.sessionId, mode: 'audio' });
    }
    const chair = this.sockets[0]!;
    await ask(chair, 'openSession', {});
    await ask(chair, 'openItem', { agendaItemId: spec.itemId });
    await ask(chair, 'present', { view: this.#view(1) });
    this.voteId = (await ask<{ id: number }>(chair, 'openVote', { agendaItemId: spec.itemId, question: 'Avis ?' })).id;
    this.sink.on('message', () => this.forwarded++);
    await new Promise<void>((r) => this.sink.bind(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) => this.rtpOut.bind(0, '127.0.0.1', () => r()));
    // Page turns spread over the period by the session's index (golden-ratio offsets).
    const offset = ((spec.index * 0.618) % 1) * PAGE_EVERY_MS;
    this.#timers.push(setTimeout(() => {
      void this.#turn();
      this.#timers.push(setInterval(() => void this.#turn(), PAGE_EVERY_MS));
    }, offset));
    return { sinkPort: this.sink.address().port };
  }

  #view(page: number) {
    return { versionId: this.spec.versionId, page, zoom: { mode: 'fit-width' }, rotation: 0, scroll: { x: 0.5, y: 0 } };
  }

  /** The chair turns a page; each other member's `presentation` event with it is one fan-out sample. */
  async #turn(): Promise<void> {
    this.#page = (this.#page % this.spec.pages) + 1;
    const page = this.#page;
    const start = performance.now();
    const arrivals = this.sockets.slice(1).map(
      (s) =>
        new Promise<void>((resolve) => {
          const on = (state: { view: { page: number } | null }) => {
            if (state.view?.page !== page) return;
            s.off('presentation', on);
            samples.fanoutMs.push(performance.now() - start);
            resolve();
          };
          s.on('presentation', on);
          setTimeout(() => (s.off('presentation', on), resolve()), 10_000);
        }),
    );
    await ask(this.sockets[0]!, 'present', { view: this.#view(page) }).catch(() => samples.errors++);
    await Promise.all(arrivals);
  }

  /** Every voter re-casts (the other choice), after `delayMs`: one acknowledgement sample each. */
  vote(delayMs: number): void {
    this.#timers.push(setTimeout(() => {
      const choice = this.#choice++ % 2 ? 'unfavourable' : 'favourable';
      for (const socket of this.sockets.slice(0, VOTERS)) {
        const start = performance.now();
        ask(socket, 'castBallot', { voteId: this.voteId, choice }).then(
          () => samples.ackMs.push(performance.now() - start),
          () => samples.errors++,
        );
      }
    }, delayMs));
  }

  /** Sends each member's opus (50 packets/s of 120 bytes) and video (25/s of 1200 bytes ≈ 240 kbit/s) to its PlainTransport. */
  media(senders: Senders[]): void {
    const streams = senders.flatMap((s) => [
      { port: s.port, pt: 100, ssrc: s.audioSsrc, pps: 50, bytes: 120, vp8: false, tsStep: 960, seq: 0, acc: 0 },
      { port: s.port, pt: 101, ssrc: s.videoSsrc, pps: 25, bytes: 1200, vp8: true, tsStep: 3600, seq: 0, acc: 0 },
    ]);
    let last = performance.now();
    this.#timers.push(setInterval(() => {
      // Timers run late under load: pace by the time that really passed.
      const now = performance.now();
      const elapsed = now - last;
      last = now;
      for (const st of streams) for (const packet of duePackets(st, elapsed)) this.rtpOut.send(packet, st.port, '127.0.0.1');
    }, 20));
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    for (const s of this.sockets) s.disconnect();
    this.sink.close();
    this.rtpOut.close();
  }
}

const sessions = new Map<number, LoadSession>();
let health: NodeJS.Timeout | undefined;

process.on('message', (m: ToLoad) => {
  void (async () => {
    if (m.type === 'session') {
      const s = new LoadSession(m.spec);
      sessions.set(m.spec.index, s);
      const { sinkPort } = await s.start();
      send({ type: 'ready', index: m.spec.index, sinkPort });
    } else if (m.type === 'media') sessions.get(m.index)!.media(m.senders);
    else if (m.type === 'window') {
      samples = { ackMs: [], fanoutMs: [], healthMs: [], errors: 0 };
      for (const s of sessions.values()) s.forwarded = 0;
      // Votes at seeded moments inside the window, so they do not all fall at once (unless `together`).
      const rand = random(m.window + 1);
      const moment = () => 2000 + rand() * (m.durationMs - 7000);
      const shared: number[] = [];
      const cast = new Map<number, number>();
      for (const i of m.voting) {
        const k = cast.get(i) ?? 0;
        cast.set(i, k + 1);
        sessions.get(i)?.vote(m.together ? (shared[k] ??= moment()) : moment());
      }
      clearInterval(health);
      health = setInterval(() => {
        const start = performance.now();
        fetch(`${m.url}/api/health`).then(
          async (res) => (await res.arrayBuffer(), samples.healthMs.push(performance.now() - start)),
          () => samples.errors++,
        );
      }, 1000);
    } else if (m.type === 'collect') {
      clearInterval(health);
      const forwarded = [...sessions.values()].reduce((n, s) => n + s.forwarded, 0);
      send({ type: 'samples', ...samples, forwarded });
    } else if (m.type === 'stop') {
      for (const s of sessions.values()) s.close();
      await sleep(100);
      process.exit(0);
    }
  })().catch((e: Error) => send({ type: 'failed', message: e.stack ?? e.message }));
});
send({ type: 'started' });
