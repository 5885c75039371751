import os from 'node:os';
import fs from 'node:fs/promises';
import { AppError } from '../errors';
import { ProcessPool, TaskError } from '../isolation/ProcessPool';
import type { InspectionOutcome, InspectionTask } from './pdfInspectionTask';

export interface PdfInspectionOptions {
  maxPages: number;
  /** Memory one inspection may use, in MB (its whole process: pdf.js itself takes ~130). */
  memoryMb: number;
  /** Time one inspection may take once a process runs it. */
  timeoutMs: number;
  /** Inspections at once (one per core by default). */
  processes?: number;
}

/**
 * Opens uploaded PDFs with pdf.js in child processes, so that a hostile file (a
 * cross-reference bomb, a page tree of a million pages) costs one bounded process and never
 * the server's event loop or memory: past its memory or time the process is killed and the
 * upload refused `422 pdf_too_complex`; when every process is busy and the queue is full,
 * `503 server_busy`.
 */
export class PdfInspection {
  readonly #pool: ProcessPool<InspectionTask, InspectionOutcome>;

  private constructor(private readonly options: PdfInspectionOptions) {
    const processes = options.processes ?? os.availableParallelism();
    this.#pool = ProcessPool.create({
      module: new URL('./pdfInspectionTask.ts', import.meta.url),
      preload: ['pdfjs-dist/legacy/build/pdf.mjs'],
      size: processes,
      memoryMb: options.memoryMb,
      taskTimeoutMs: options.timeoutMs,
      // A few uploads per process may wait; beyond that the caller is told to come back.
      maxQueue: 8 * processes,
      idleMs: 60_000,
    });
  }

  static create(options: PdfInspectionOptions): PdfInspection {
    return new PdfInspection(options);
  }

  /** The pool's processes, for tests that see one killed under a bomb replaced. */
  get pool(): ProcessPool<InspectionTask, InspectionOutcome> {
    return this.#pool;
  }

  /** Checks the upload at `filePath` and gives its page count, or throws the refusal as an AppError. */
  async inspect(filePath: string, size: number): Promise<{ pageCount: number }> {
    if (size === 0) throw new AppError(400, 'empty_file', 'the file is empty');
    await assertPdfHeader(filePath);
    let outcome: InspectionOutcome;
    try {
      outcome = await this.#pool.run({
        filePath,
        size,
        maxPages: this.options.maxPages,
      });
    } catch (error) {
      throw refusal(error);
    }
    if ('refused' in outcome) throw new AppError(outcome.refused.status, outcome.refused.code, outcome.refused.message);
    return outcome;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

/** The `%PDF-` header, which the spec allows anywhere in the first 1024 bytes (some producers prepend junk). */
async function assertPdfHeader(filePath: string): Promise<void> {
  const file = await fs.open(filePath, 'r');
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    if (!head.subarray(0, bytesRead).includes('%PDF-')) throw new AppError(415, 'unsupported_media_type', 'the file is not a PDF');
  } finally {
    await file.close();
  }
}

function refusal(error: unknown): AppError {
  if (!(error instanceof TaskError)) return new AppError(500, 'internal', 'the PDF could not be checked');
  switch (error.reason) {
    case 'timeout':
      return new AppError(422, 'pdf_too_complex', 'the PDF takes too long to open; simplify or split it');
    case 'memory':
    case 'crashed':
      return new AppError(422, 'pdf_too_complex', 'the PDF needs more memory to open than is allowed; simplify or split it');
    case 'busy':
    case 'closed':
      return new AppError(503, 'server_busy', 'too many documents are being checked; try again in a minute', undefined, { 'Retry-After': '60' });
  }
}
