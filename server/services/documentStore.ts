import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import { cleanLine } from '../../protocol/text';
import { AppError } from '../errors';

/** An upload received on disk, not yet validated nor kept. */
export interface ReceivedFile {
  tempPath: string;
  fileName: string;
  sha256: string;
  size: number;
}

/**
 * Where documents live: DATA_DIR/documents/sha256/ab/abcdef… — addressed by content, so
 * the same file uploaded twice is stored once, and a stored file never changes.
 * Uploads stream to DATA_DIR/documents/tmp (same file system, so keeping one is a rename).
 */
export class DocumentStore {
  readonly root: string;
  readonly #tmp: string;

  constructor(dataDir: string, readonly maxBytes: number) {
    this.root = path.join(dataDir, 'documents');
    this.#tmp = path.join(this.root, 'tmp');
    // Uploads cut short by a crash leave partial files here; none of them was ever kept.
    fs.rmSync(this.#tmp, { recursive: true, force: true });
    fs.mkdirSync(this.#tmp, { recursive: true });
  }

  /** The path (relative to the store) of the content with this sha256. */
  static relativePath(sha256: string): string {
    return path.join('sha256', sha256.slice(0, 2), sha256);
  }

  absolute(relativePath: string): string {
    return path.join(this.root, relativePath);
  }

  /**
   * Streams the request's one file part (field `file`) to a temporary file, hashing as it
   * goes; never holds the file in memory. Over the limit → 413 file_too_large, the partial
   * file removed.
   */
  async receive(req: Request): Promise<ReceivedFile> {
    const declared = Number(req.headers['content-length'] ?? 0);
    // Multipart framing adds a few hundred bytes; refuse early only what is certainly too big.
    if (declared > this.maxBytes + 64 * 1024) throw this.#tooLarge();
    let bb: busboy.Busboy;
    try {
      // Browsers send the file name as raw UTF-8 in the part's header; busboy reads latin1 unless told (Arabic names came back garbled).
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: this.maxBytes, fields: 10 } });
    } catch {
      throw new AppError(415, 'unsupported_media_type', 'send the file as multipart/form-data');
    }
    const tempPath = path.join(this.#tmp, crypto.randomUUID());
    let received: Promise<Omit<ReceivedFile, 'tempPath'>> | undefined;
    let tooLarge = false;
    bb.on('file', (field, stream, info) => {
      if (field !== 'file' || received) return stream.resume();
      const hash = crypto.createHash('sha256');
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      stream.on('limit', () => (tooLarge = true));
      received = pipeline(stream, fs.createWriteStream(tempPath, { flags: 'wx' })).then(() => ({
        fileName: sanitizeFileName(info.filename),
        sha256: hash.digest('hex'),
        size,
      }));
      // Keep the rejection for the awaiting code below, never unhandled.
      received.catch(() => {});
    });
    try {
      await pipeline(req, bb);
      if (!received) throw new AppError(400, 'invalid_payload', 'no file part named "file"');
      const file = await received;
      if (tooLarge) throw this.#tooLarge();
      return { tempPath, ...file };
    } catch (err) {
      await fs.promises.rm(tempPath, { force: true });
      if (err instanceof AppError) throw err;
      throw new AppError(400, 'invalid_payload', 'the upload was interrupted or malformed');
    }
  }

  /** Moves a validated upload to its content address (or drops it when that content is already stored). */
  async keep(file: Pick<ReceivedFile, 'tempPath' | 'sha256'>): Promise<string> {
    const relative = DocumentStore.relativePath(file.sha256);
    const target = this.absolute(relative);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    if (fs.existsSync(target)) await fs.promises.rm(file.tempPath, { force: true });
    else await fs.promises.rename(file.tempPath, target);
    return relative;
  }

  /** Stores bytes the server made itself (a finalized record's PDF) at their content address. */
  async keepBytes(bytes: Uint8Array): Promise<string> {
    const tempPath = path.join(this.#tmp, crypto.randomUUID());
    await fs.promises.writeFile(tempPath, bytes, { flag: 'wx' });
    return this.keep({ tempPath, sha256: crypto.createHash('sha256').update(bytes).digest('hex') });
  }

  /** The stored content with this sha256, or null when the store does not hold it. */
  async read(sha256: string): Promise<Buffer | null> {
    return fs.promises.readFile(this.absolute(DocumentStore.relativePath(sha256))).catch(() => null);
  }

  discard(file: ReceivedFile): Promise<void> {
    return fs.promises.rm(file.tempPath, { force: true });
  }

  #tooLarge(): AppError {
    return new AppError(413, 'file_too_large', `a document may be at most ${Math.round(this.maxBytes / 1048576)} MB`, { maxBytes: this.maxBytes });
  }
}

/** Keeps a readable name for display: no folders, and text that shows what it is (protocol/text: no bidi controls). */
function sanitizeFileName(name: string | undefined): string {
  const base = path.basename(cleanLine(name ?? '').replace(/\\/g, '/')).trim();
  return [...(base || 'document.pdf')].slice(0, 200).join('');
}
