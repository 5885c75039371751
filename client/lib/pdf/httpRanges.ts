import { nextPiece, piecesOf, type QueuedPiece } from './rangeQueue';

/** How a file's ranges share the member's line with the rest of the meeting. */
export interface RangePace {
  /** Bytes a block (and so a request's unit) holds. */
  blockBytes: number;
  /** Bytes pdf.js asks for at a time (its rangeChunkSize): a page's objects are read in pieces of this. */
  chunkBytes: number;
  /**
   * Most bytes one request asks for: whole blocks, or part of one when the blocks were chosen
   * on a better line than the one now (a block then comes in several requests, each paced).
   */
  requestBytes: number;
  /** Most requests in flight at once. */
  inFlight: number;
  /** After each request its slot rests this many times the request's own duration (0: none). */
  restRatio?: number;
  /** Resolves when the next request may start: the meeting's own messages go first. */
  ready?: () => Promise<void>;
}

/**
 * A good line: whole runs of 64 kB blocks, six at once. The browser runs no more than six
 * requests to a server at a time (HTTP/1.1); more would only wait in its own queue, where
 * the latest read no longer goes first and a line turning weak no longer slows them: a
 * rural member's plan had twenty 8 kB requests waiting there for up to 40 s once the line
 * was fair again (bench weak-link).
 */
export const OPEN_PACE: RangePace = { blockBytes: 65_536, chunkBytes: 65_536, requestBytes: Infinity, inFlight: 6 };

/**
 * A weak line: small requests (4 kB blocks; pdf.js asks for 16 kB at a time, not 64 kB, so
 * a page's few objects cost about what they weigh), so that a document's burst stays short
 * of the line's queue. A router drops what comes while its queue is full, and a bulk
 * transfer keeps it full. A fair line (a phone on 300 kbit/s) reads 8 kB two at a time.
 */
export const FAIR_LINE_PACE: RangePace = { blockBytes: 4096, chunkBytes: 16_384, requestBytes: 8192, inFlight: 2 };
/**
 * A poor line (150 kbit/s, where the audio alone takes half): 4 kB one at a time, each
 * followed by as long a rest, so the document takes at most half of what the audio leaves.
 * Read as fast as the line allowed, a plan kept the queue full and a member lost one audio
 * packet in five while it opened (bench weak-link, bad: 20.9 % concealed).
 */
export const POOR_LINE_PACE: RangePace = { ...FAIR_LINE_PACE, requestBytes: 4096, inFlight: 1, restRatio: 1 };

/** The line as the documents see it: open (steadily good), fair or poor. */
export type LineState = 'open' | 'fair' | 'poor';
const PACES: Record<LineState, RangePace> = { open: OPEN_PACE, fair: FAIR_LINE_PACE, poor: POOR_LINE_PACE };

/**
 * The pace of a line whose state changes while a document is open, read at each request:
 * a line found weak after the opening slows the ranges still to come, a line steadily good
 * frees them. The block (the unit of the file's cache) and pdf.js's chunk are chosen at the
 * opening: 16 kB blocks on a good line cost the first reads (the file's end, its page-tree
 * index) four round trips where one did: 3.9 s instead of 0.7 s for a 4,000-page file's
 * first page on the loaded machine's localhost.
 */
export function linePace(line: () => LineState, settled: () => Promise<void>): RangePace {
  const now = () => PACES[line()];
  const { blockBytes, chunkBytes } = now();
  return {
    blockBytes,
    chunkBytes,
    get requestBytes() {
      return now().requestBytes;
    },
    get inFlight() {
      return now().inFlight;
    },
    get restRatio() {
      return now().restRatio;
    },
    ready: () => (line() === 'open' ? Promise.resolve() : settled()),
  };
}

interface Piece extends QueuedPiece {
  done: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * A file read over HTTP by byte ranges, in aligned blocks kept once fetched: the page-tree
 * index reads the cross-reference table and the catalog, then pdf.js asks for the same
 * bytes again and gets them without another request. Missing blocks are fetched in pieces
 * by `pace`, the latest read's first (rangeQueue.ts). Cookies go along (same origin), so
 * the server's authorization applies as to any other request.
 */
export class HttpRanges {
  readonly #blocks = new Map<number, Uint8Array>();
  /** The queued or running piece that will bring each block not held yet. */
  readonly #coming = new Map<number, Piece>();
  readonly #queue: Piece[] = [];
  readonly #controller = new AbortController();
  #running = 0;
  #reads = 0;

  private constructor(
    private readonly url: string,
    /** The file's length in bytes. */
    readonly size: number,
    private readonly pace: RangePace,
  ) {}

  /**
   * Asks for the file's last block (`pace.blockBytes`); null when the server does not answer
   * ranges (then the file is opened as a whole, the ordinary way).
   */
  static async open(url: string, pace: RangePace, signal?: AbortSignal): Promise<HttpRanges | null> {
    const res = await fetch(url, { credentials: 'same-origin', headers: { Range: `bytes=-${pace.blockBytes}` }, signal });
    const total = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1];
    if (res.status !== 206 || !total) {
      await res.body?.cancel();
      return null;
    }
    const ranges = new HttpRanges(url, Number(total), pace);
    signal?.addEventListener('abort', () => ranges.abort());
    const bytes = new Uint8Array(await res.arrayBuffer());
    ranges.#keep(ranges.size - bytes.length, bytes);
    return ranges;
  }

  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Stops: requests in flight are cancelled (their bytes stop taking the line), queued and later ones refused. */
  abort(): void {
    if (this.aborted) return;
    this.#controller.abort();
    for (const piece of this.#queue.splice(0)) piece.reject(new Error('aborted'));
  }

  /** `length` bytes from `offset` (fewer at the end of the file). */
  async read(offset: number, length: number): Promise<Uint8Array<ArrayBuffer>> {
    const end = Math.min(this.size, offset + length);
    if (end <= offset) return new Uint8Array(0);
    if (this.aborted) throw new Error('aborted');
    const block = this.pace.blockBytes;
    const first = Math.floor(offset / block), last = Math.floor((end - 1) / block);
    const priority = ++this.#reads;
    const waits = new Set<Promise<void>>();
    for (let b = first; b <= last; b++) {
      const coming = this.#coming.get(b);
      if (!coming) continue;
      // A block another read is waiting for, now wanted by this later one: it moves up.
      coming.priority = Math.max(coming.priority, priority);
      waits.add(coming.done);
    }
    const perPiece = Math.max(1, Math.floor(this.pace.requestBytes / block));
    for (const span of piecesOf(first, last, (b) => this.#blocks.has(b) || this.#coming.has(b), perPiece)) {
      let resolve!: () => void, reject!: (e: unknown) => void;
      const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      const piece: Piece = { ...span, priority, done, resolve, reject };
      for (let b = span.first; b <= span.last; b++) this.#coming.set(b, piece);
      this.#queue.push(piece);
      waits.add(done);
    }
    this.#pump();
    await Promise.all(waits);
    const out = new Uint8Array(end - offset);
    for (let b = first; b <= last; b++) {
      const data = this.#blocks.get(b)!;
      const from = Math.max(offset, b * block);
      out.set(data.subarray(from - b * block, Math.min(end, (b + 1) * block) - b * block), from - offset);
    }
    return out;
  }

  #pump(): void {
    while (this.#running < this.pace.inFlight && this.#queue.length) {
      const [piece] = this.#queue.splice(nextPiece(this.#queue), 1);
      this.#running++;
      void this.#run(piece!);
    }
  }

  async #run(piece: Piece): Promise<void> {
    const block = this.pace.blockBytes;
    const [begin, end] = [piece.first * block, Math.min(this.size, (piece.last + 1) * block)];
    let took = 0;
    try {
      const parts: Uint8Array[] = [];
      for (let at = begin; at < end; at += parts.at(-1)!.length) {
        if (took > 0) await this.#rest(took);
        await this.pace.ready?.();
        const start = performance.now();
        parts.push(await this.#fetch(at, Math.min(end, at + this.pace.requestBytes)));
        took = performance.now() - start;
      }
      this.#keep(begin, parts.length === 1 ? parts[0]! : concat(parts, end - begin));
      piece.resolve();
    } catch (e) {
      piece.reject(e);
    } finally {
      for (let b = piece.first; b <= piece.last; b++) if (this.#coming.get(b) === piece) this.#coming.delete(b);
      await this.#rest(took);
      this.#running--;
      this.#pump();
    }
  }

  /** The pause after a request that took `took` ms (the pace's rest; none once aborted). */
  async #rest(took: number): Promise<void> {
    const rest = took * (this.pace.restRatio ?? 0);
    if (rest > 0 && !this.aborted) await new Promise((r) => setTimeout(r, rest));
  }

  async #fetch(begin: number, end: number): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt++) {
      if (this.aborted) throw new Error('aborted');
      try {
        const res = await fetch(this.url, { credentials: 'same-origin', headers: { Range: `bytes=${begin}-${end - 1}` }, signal: this.#controller.signal });
        if (res.status !== 206) throw new Error(`range answered ${res.status}`);
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (bytes.length !== end - begin) throw new Error('short range');
        return bytes;
      } catch (e) {
        // One retry: a dropped connection on a weak link is not a broken file.
        if (attempt >= 2 || this.aborted) throw e;
      }
    }
  }

  /** Keeps the whole blocks inside [begin, begin + bytes.length) (and the last, short one of the file). */
  #keep(begin: number, bytes: Uint8Array): void {
    const block = this.pace.blockBytes;
    const end = begin + bytes.length;
    for (let b = Math.ceil(begin / block); b * block < end; b++) {
      const from = b * block, to = Math.min(this.size, from + block);
      if (to <= end) this.#blocks.set(b, bytes.slice(from - begin, to - begin));
    }
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
