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

/** Content to keep at its address: a file in the store's temporary folder and its sha256. */
export type Keepable = Pick<ReceivedFile, 'tempPath' | 'sha256'>;

/** Flushes a file's bytes, or a folder's entries, to the disk (fsync). */
async function syncToDisk(p: string): Promise<void> {
  const handle = await fs.promises.open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Where documents live: DATA_DIR/documents/sha256/ab/abcdef… — addressed by content, so
 * the same file uploaded twice is stored once, and a stored file never changes.
 * Uploads stream to DATA_DIR/documents/tmp (same file system, so keeping one is a rename).
 * A kept file's bytes and its directory entry are on disk before `keep` resolves, so a
 * record committed after it never points at a file a power cut took back. Files kept for
 * a record (`keepFor`) are marked pending in DATA_DIR/documents/pending until the record
 * commits; a start after a crash removes those whose record never committed (`sweepUncommitted`).
 */
export class DocumentStore {
  readonly root: string;
  readonly #tmp: string;
  readonly #pending: string;

  constructor(dataDir: string, readonly maxBytes: number) {
    this.root = path.join(dataDir, 'documents');
    this.#tmp = path.join(this.root, 'tmp');
    this.#pending = path.join(this.root, 'pending');
    // Uploads cut short by a crash leave partial files here; none of them was ever kept.
    fs.rmSync(this.#tmp, { recursive: true, force: true });
    fs.mkdirSync(this.#tmp, { recursive: true });
    fs.mkdirSync(this.#pending, { recursive: true });
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
   * goes; never holds the file in memory. Over the limit (the store's, or `maxBytes` for a
   * smaller kind of file) → 413 file_too_large, the partial file removed.
   */
  async receive(req: Request, maxBytes = this.maxBytes): Promise<ReceivedFile> {
    const declared = Number(req.headers['content-length'] ?? 0);
    // Multipart framing adds a few hundred bytes; refuse early only what is certainly too big.
    if (declared > maxBytes + 64 * 1024) throw this.#tooLarge(maxBytes);
    let bb: busboy.Busboy;
    try {
      // Browsers send the file name as raw UTF-8 in the part's header; busboy reads latin1 unless told (Arabic names came back garbled).
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: maxBytes, fields: 10 } });
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
      if (tooLarge) throw this.#tooLarge(maxBytes);
      return { tempPath, ...file };
    } catch (err) {
      await fs.promises.rm(tempPath, { force: true });
      if (err instanceof AppError) throw err;
      throw new AppError(400, 'invalid_payload', 'the upload was interrupted or malformed');
    }
  }

  /**
   * Moves a validated upload to its content address (or drops it when that content is
   * already stored), its bytes and directory entry synced to disk first.
   */
  async keep(file: Keepable): Promise<string> {
    const relative = DocumentStore.relativePath(file.sha256);
    const target = this.absolute(relative);
    const shard = path.dirname(target);
    const created = await fs.promises.mkdir(shard, { recursive: true });
    // A new shard folder is itself an entry of its parent.
    if (created) await syncToDisk(path.dirname(shard));
    if (fs.existsSync(target)) {
      await fs.promises.rm(file.tempPath, { force: true });
    } else {
      await syncToDisk(file.tempPath);
      await fs.promises.rename(file.tempPath, target);
      await syncToDisk(shard);
    }
    return relative;
  }

  /**
   * Keeps `files` for the record `commit` writes (given their relative paths): each is
   * marked pending (on disk) before it is kept, and unmarked once `commit` resolved. If the
   * process dies in between, or `commit` throws, the marks stay and the next start removes
   * the contents no committed record refers to.
   */
  async keepFor<T>(files: readonly Keepable[], commit: (relativePaths: string[]) => Promise<T>): Promise<T> {
    const marks = files.map((f) => path.join(this.#pending, `${f.sha256}.${crypto.randomUUID()}`));
    for (const mark of marks) {
      await fs.promises.writeFile(mark, '', { flag: 'wx' });
      await syncToDisk(mark);
    }
    await syncToDisk(this.#pending);
    const paths: string[] = [];
    for (const f of files) paths.push(await this.keep(f));
    const result = await commit(paths);
    // Unsynced on purpose: a mark that survives a power cut only costs a check at the next start.
    await Promise.all(marks.map((m) => fs.promises.rm(m, { force: true })));
    return result;
  }

  /** Stores bytes the server made itself at their content address, synced (a record written after it may point at them). */
  async keepBytes(bytes: Uint8Array): Promise<string> {
    return this.keep(await this.stage(bytes));
  }

  /** Writes bytes the server made itself (a finalized record's PDF) to a temporary file, ready to keep. */
  async stage(bytes: Uint8Array): Promise<Keepable> {
    const tempPath = path.join(this.#tmp, crypto.randomUUID());
    await fs.promises.writeFile(tempPath, bytes, { flag: 'wx' });
    return { tempPath, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
  }

  /**
   * At start, before anything is written: the contents marked pending whose record never
   * committed (`referenced` says no) are removed, with their marks; gives their sha256s.
   * `olderThanMs` leaves the marks of writes another node may still be committing (a shared store).
   */
  async sweepUncommitted(referenced: (sha256: string) => Promise<boolean>, olderThanMs = 0): Promise<string[]> {
    const now = Date.now();
    const bySha = new Map<string, string[]>();
    for (const name of await fs.promises.readdir(this.#pending)) {
      const mark = path.join(this.#pending, name);
      const stat = await fs.promises.stat(mark).catch(() => null);
      if (!stat || now - stat.mtimeMs < olderThanMs) continue;
      const sha256 = name.split('.')[0]!;
      bySha.set(sha256, [...(bySha.get(sha256) ?? []), mark]);
    }
    const removed: string[] = [];
    for (const [sha256, marks] of bySha) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) continue;
      if (!(await referenced(sha256))) {
        const target = this.absolute(DocumentStore.relativePath(sha256));
        await fs.promises.rm(target, { force: true });
        await syncToDisk(path.dirname(target)).catch(() => undefined);
        removed.push(sha256);
      }
      await Promise.all(marks.map((m) => fs.promises.rm(m, { force: true })));
    }
    return removed;
  }

  /** The stored content with this sha256, or null when the store does not hold it. */
  async read(sha256: string): Promise<Buffer | null> {
    return fs.promises.readFile(this.absolute(DocumentStore.relativePath(sha256))).catch(() => null);
  }

  /** Removes an upload (or staged bytes) from the temporary folder; nothing once it was kept. */
  discard(file: Pick<Keepable, 'tempPath'>): Promise<void> {
    return fs.promises.rm(file.tempPath, { force: true });
  }

  #tooLarge(maxBytes: number): AppError {
    return new AppError(413, 'file_too_large', `a file may be at most ${Math.round(maxBytes / 1048576)} MB here`, { maxBytes });
  }
}

/** Keeps a readable name for display: no folders, and text that shows what it is (protocol/text: no bidi controls). */
function sanitizeFileName(name: string | undefined): string {
  const base = path.basename(cleanLine(name ?? '').replace(/\\/g, '/')).trim();
  return [...(base || 'document.pdf')].slice(0, 200).join('');
}
