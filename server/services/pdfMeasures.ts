import { ProcessPool } from '../isolation/ProcessPool';
import type { Logger } from '../log';
import type { DocumentStore } from './documentStore';
import { measureScanned, recordPdfScales, scalesOf } from './markups';
import type { MeasuresOutcome, MeasuresTask } from './pdfMeasuresTask';
import type { PageScale } from '../../protocol/markups';

export interface PdfMeasuresOptions {
  memoryMb: number;
  timeoutMs: number;
}

/**
 * The scales files declare (/VP /Measure), read once per content when a document is first
 * presented, in one bounded child process (pdf-lib holds the whole file): a hostile or huge
 * file costs that process, never the meeting. A file that cannot be read has no declared
 * scale; members calibrate it.
 */
export class PdfMeasures {
  readonly #pool: ProcessPool<MeasuresTask, MeasuresOutcome>;
  /** Scans in flight by sha256: two members presenting the same file wait for one. */
  readonly #running = new Map<string, Promise<PageScale[]>>();

  private constructor(private readonly documents: DocumentStore, private readonly log: Logger, options: PdfMeasuresOptions) {
    this.#pool = ProcessPool.create({
      module: new URL('./pdfMeasuresTask.ts', import.meta.url),
      preload: ['pdf-lib'],
      size: 1,
      memoryMb: options.memoryMb,
      taskTimeoutMs: options.timeoutMs,
      maxQueue: 16,
      idleMs: 60_000,
    });
  }

  static create(documents: DocumentStore, log: Logger, options: PdfMeasuresOptions): PdfMeasures {
    return new PdfMeasures(documents, log, options);
  }

  /** The scales the file declares, read and kept if it was never read; [] when it was (they are in scalesOf). */
  scan(sha256: string, storagePath: string): Promise<PageScale[]> {
    const running = this.#running.get(sha256);
    if (running) return running;
    const run = this.#scan(sha256, storagePath).finally(() => this.#running.delete(sha256));
    this.#running.set(sha256, run);
    return run;
  }

  async #scan(sha256: string, storagePath: string): Promise<PageScale[]> {
    if (await measureScanned(sha256)) return [];
    let pages = new Map<number, number>();
    try {
      pages = new Map((await this.#pool.run({ filePath: this.documents.absolute(storagePath) })).scales);
    } catch (err) {
      this.log.warn({ err, sha256 }, 'the measure dictionaries of a PDF could not be read');
    }
    await recordPdfScales(sha256, pages);
    return pages.size ? (await scalesOf([sha256])).filter((s) => pages.has(s.page)) : [];
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
