import { EventEmitter } from 'node:events';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { listenAddresses, type ListenAddress } from './listenAddresses';

export interface WorkerPoolOptions {
  workers: number;
  listenIp: string;
  announcedAddress?: string;
  /** Port of the first worker's WebRtcServer (UDP and TCP); worker i uses rtcPort + i. 0 = ephemeral. */
  rtcPort: number;
  /** Protocols media is received on; default both. TCP alone serves members whose network passes no UDP. */
  protocols?: readonly ('udp' | 'tcp')[];
  logLevel?: types.WorkerLogLevel;
}

/** One mediasoup worker process and the WebRtcServer that carries all of its media on one port. */
export interface PooledWorker {
  worker: types.Worker;
  webRtcServer: types.WebRtcServer;
  /** Index in the pool; the replacement of a dead worker takes its index and port. */
  index: number;
  /** What its WebRtcServer listens on (the transports it carries use the same). */
  protocols: readonly ('udp' | 'tcp')[];
}

export interface WorkerPoolEvents {
  /** A worker process died; the pool has already started a replacement. */
  workerdied: [dead: PooledWorker, error: Error];
  /** The replacement of a dead worker is ready. */
  workerreplaced: [fresh: PooledWorker];
}

/** The mediasoup worker processes of this server, one per core by default. Knows nothing about permits. */
export class WorkerPool extends EventEmitter<WorkerPoolEvents> {
  #entries: PooledWorker[] = [];
  #closed = false;

  /** The addresses every worker receives media on (see listenAddresses). */
  readonly addresses: readonly ListenAddress[];

  private constructor(private readonly options: WorkerPoolOptions) {
    super();
    this.addresses = listenAddresses(options.listenIp, options.announcedAddress);
  }

  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      for (let i = 0; i < options.workers; i++) pool.#entries.push(await pool.#spawn(i));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get entries(): readonly PooledWorker[] {
    return this.#entries;
  }

  /** The live worker carrying the fewest routers: where a new meeting goes. */
  async leastLoaded(): Promise<PooledWorker> {
    const live = this.#entries.filter((e) => !e.worker.closed && !e.worker.died);
    if (live.length === 0) throw new Error('no live mediasoup worker');
    let best = live[0]!;
    let bestLoad = Infinity;
    for (const entry of live) {
      const dump = await entry.worker.dump();
      if (dump.routerIds.length < bestLoad) {
        best = entry;
        bestLoad = dump.routerIds.length;
      }
    }
    return best;
  }

  /** The least-loaded live worker; when every worker is dead, waits for the first replacement. */
  async liveWorker(): Promise<PooledWorker> {
    if (this.#entries.some((e) => !e.worker.closed && !e.worker.died)) return this.leastLoaded();
    if (this.#closed) throw new Error('worker pool closed');
    return new Promise<PooledWorker>((resolve) => this.once('workerreplaced', resolve));
  }

  /** Closes every worker; resolves once their processes have exited. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const exits = this.#entries.map(
      (e) => new Promise<void>((resolve) => (e.worker.died ? resolve() : e.worker.once('subprocessclose', () => resolve()))),
    );
    for (const e of this.#entries) e.worker.close();
    this.#entries = [];
    await Promise.all(exits);
  }

  async #spawn(index: number): Promise<PooledWorker> {
    const worker = await mediasoup.createWorker({ logLevel: this.options.logLevel ?? 'warn' });
    const port = this.options.rtcPort === 0 ? undefined : this.options.rtcPort + index;
    const protocols = this.options.protocols ?? (['udp', 'tcp'] as const);
    let webRtcServer: types.WebRtcServer;
    try {
      webRtcServer = await worker.createWebRtcServer({
        listenInfos: this.addresses.flatMap((a) => protocols.map((protocol) => ({ ...a, port, protocol }))),
      });
    } catch (error) {
      worker.close();
      throw error;
    }
    const entry: PooledWorker = { worker, webRtcServer, index, protocols };
    worker.on('died', (error) => void this.#replace(entry, error));
    return entry;
  }

  async #replace(dead: PooledWorker, error: Error): Promise<void> {
    if (this.#closed) return;
    this.emit('workerdied', dead, error);
    // The dead worker's ports are free again once its process is gone; retry until a spawn succeeds.
    let fresh: PooledWorker | undefined;
    while (!fresh && !this.#closed) {
      fresh = await this.#spawn(dead.index).catch(() => new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000)));
    }
    if (!fresh) return;
    if (this.#closed) {
      fresh.worker.close();
      return;
    }
    this.#entries[this.#entries.indexOf(dead)] = fresh;
    this.emit('workerreplaced', fresh);
  }
}
