import { getDocument, GlobalWorkerOptions, PDFDataRangeTransport, PDFWorker, type PDFDocumentProxy } from 'pdfjs-dist';
// The worker is part of our own bundle (no CDN): the CSP allows worker-src 'self' (and blob:, a worker read by ranges).
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { HttpRanges, OPEN_PACE, type RangePace } from './httpRanges';
import { pageTreeIndex } from './pageTreeIndex';

GlobalWorkerOptions.workerSrc = workerUrl;

const COMMON = {
  disableAutoFetch: true,
  // The CSP has no 'unsafe-eval': pdf.js must not compile fonts with new Function.
  isEvalSupported: false,
} as const;

/** One pdf.js worker for every document the page opens (starting one costs a script compile each time). */
let sharedWorker: Promise<PDFWorker> | null = null;
async function worker(pace: RangePace): Promise<PDFWorker> {
  const started = await (sharedWorker ??= startWorker(pace).catch((e: unknown) => {
    sharedWorker = null;
    throw e;
  }));
  if (!started.destroyed) return started;
  sharedWorker = null;
  return worker(pace);
}

/**
 * Starts pdf.js's worker. On a weak line its code (370 kB in gzip) is read like a document:
 * the build's gzip copy (vite.config.ts) by ranges at the line's pace, unpacked here, started
 * from a blob. Fetched whole, it took a 150 kbit/s line at full speed for the first 40 s of
 * a plan's opening while the members' audio queued behind it (bench weak-link, bad). Where
 * the copy is not there to be read by ranges (the dev server), the ordinary way.
 */
async function startWorker(pace: RangePace): Promise<PDFWorker> {
  const code = pace.requestBytes === Infinity ? null : await HttpRanges.open(`${workerUrl}.gz`, pace).catch(() => null);
  if (!code) return new PDFWorker();
  const gzip = await code.read(0, code.size);
  const script = await new Response(new Blob([gzip]).stream().pipeThrough(new DecompressionStream('gzip'))).blob();
  const url = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
  return PDFWorker.create({ port: new Worker(url, { type: 'module' }) });
}

/**
 * Feeds pdf.js the file's bytes through HttpRanges (so at its pace: on a weak line in small
 * pieces, one at a time, after the meeting's answers), followed by the file's page-tree
 * index when it has one (pageTreeIndex.ts), so that pdf.js sees the file with the index as
 * its last incremental update. A range that cannot be read ends the document (pdf.js has no
 * way to hear of a failed range).
 */
class RangedFile extends PDFDataRangeTransport {
  constructor(
    private readonly ranges: HttpRanges,
    private readonly index: Uint8Array,
    private readonly fail: () => void,
  ) {
    super(ranges.size + index.length, new Uint8Array(0));
  }

  override requestDataRange(begin: number, end: number): void {
    void this.#bytes(begin, end).then((bytes) => this.onDataRange(begin, bytes), this.fail);
  }

  override abort(): void {
    this.ranges.abort();
  }

  async #bytes(begin: number, end: number): Promise<Uint8Array> {
    const size = this.ranges.size;
    const out = new Uint8Array(end - begin);
    if (begin < size) out.set(await this.ranges.read(begin, Math.min(end, size) - begin), 0);
    if (end > size) {
      const from = Math.max(begin, size);
      out.set(this.index.subarray(from - size, end - size), from - begin);
    }
    return out;
  }
}

export interface OpenOptions {
  /** Also read the whole file from its start beside the ranges (a good line only). */
  stream?: boolean;
  /** How the ranges share the line (OPEN_PACE by default). */
  pace?: RangePace;
  /** Aborted, the opening stops and the ranges in flight are cancelled. */
  signal?: AbortSignal;
}

/**
 * Opens a PDF by URL with range requests: pdf.js reads the cross-reference table at the
 * end of the file and then only the objects of the pages it draws, so the first page shows
 * before the whole plan has arrived. A file whose page tree is flat is given its index first
 * (pdf.js would otherwise read every page's dictionary, the whole file, before page 1).
 * Every ranged file goes through HttpRanges, index or not: pdf.js's own loader knows no
 * pace, and a weak line's 60-sheet plan (no index: under MIN_PAGES) then took the line with
 * requests of hundreds of kB, several at once.
 * No streaming of a ranged file: reading the whole file from its start alongside the ranges
 * competes with them (and with a member's audio) for the link and the CPU, and delayed the
 * first page at 2 Mbit/s and in a meeting of four on localhost alike. A server that does not
 * answer ranges gets the whole file (`stream: true` reads it as it comes). Bytes (a file
 * already downloaded) open as they are.
 */
export async function openPdf(source: string | Uint8Array, options: OpenOptions = {}): Promise<PDFDocumentProxy> {
  const { pace = OPEN_PACE, signal } = options;
  if (typeof source !== 'string') return getDocument({ ...COMMON, data: source, worker: await worker(pace) }).promise;
  const ranges = await HttpRanges.open(source, pace, signal).catch(() => null);
  const index = ranges && ((await pageTreeIndex((offset, length) => ranges.read(offset, length), ranges.size)) ?? new Uint8Array(0));
  const pdfWorker = await worker(pace);
  signal?.throwIfAborted();
  if (ranges && index) {
    let destroy = () => {};
    const task = getDocument({ ...COMMON, rangeChunkSize: pace.chunkBytes, range: new RangedFile(ranges, index, () => destroy()), length: ranges.size + index.length, disableStream: true, worker: pdfWorker });
    destroy = () => void task.destroy();
    signal?.addEventListener('abort', destroy);
    return task.promise;
  }
  const task = getDocument({ ...COMMON, rangeChunkSize: pace.chunkBytes, url: source, withCredentials: true, disableStream: options.stream !== true, worker: pdfWorker });
  signal?.addEventListener('abort', () => void task.destroy());
  return task.promise;
}
