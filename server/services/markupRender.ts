import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { CitedMarkup } from '../../protocol/citations';
import type { PageBox, Rotation } from '../../protocol/markupGeometry';
import { AppError } from '../errors';
import { markupOverlay } from './markupSvg';

/** Runs a poppler tool: its output (at most 1 MB), its messages discarded (a damaged file's run to megabytes); killed past `timeoutMs`. */
function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let size = 0, timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 1 << 20) chunks.push(c);
    });
    child.on('error', (e) => { clearTimeout(timer); reject(new AppError(500, 'internal', `${command}: ${e.message}`)); });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new AppError(422, 'pdf_too_complex', 'the page takes too long to render'));
      else if (code !== 0) reject(new AppError(500, 'internal', `${command} failed (${code})`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

export interface MarkupRendererOptions {
  /** Where rendered pages are kept (DATA_DIR/cache/marked-pages): one file per (content, page, markups). */
  cacheDir: string;
  /** The long side of a rendered page, in pixels. */
  longSidePx?: number;
  /** How long poppler may take on one page before it is killed. */
  timeoutMs?: number;
}

/** Bumped when the drawing changes, so cached images drawn the old way are not served. */
const DRAWING_VERSION = 1;

/**
 * Marked-up page images: a page of a stored PDF rendered by poppler's `pdftoppm` (its
 * CropBox, with the page's /Rotate), and the cited markups drawn over it from their page
 * coordinates (an SVG composed with sharp) → PNG. Kept on disk by (sha256, page, the
 * markups as drawn), so each image is made once; pages are rendered one at a time per node
 * (a large plan takes a core for a second or two). The files were inspected at upload;
 * poppler still runs as a child process with a time limit, its messages discarded.
 */
export class MarkupRenderer {
  readonly #cacheDir: string;
  readonly #longSide: number;
  readonly #timeoutMs: number;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #making = new Map<string, Promise<Buffer>>();
  #closed = false;

  private constructor(options: MarkupRendererOptions) {
    this.#cacheDir = options.cacheDir;
    this.#longSide = options.longSidePx ?? 1400;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  static async create(options: MarkupRendererOptions): Promise<MarkupRenderer> {
    await fs.mkdir(options.cacheDir, { recursive: true });
    return new MarkupRenderer(options);
  }

  /** The cache key of an image: the content, the page and what is drawn on it. */
  key(sha256: string, page: number, markups: readonly CitedMarkup[]): string {
    const drawn = markups.map((m) => [m.markupId, m.number, m.kind, m.color, m.points, m.text ?? null]);
    return crypto.createHash('sha256').update(JSON.stringify([DRAWING_VERSION, this.#longSide, sha256, page, drawn])).digest('hex');
  }

  /** The PNG of page `page` of the PDF at `file` (content `sha256`) with `markups` drawn on it. */
  async render(file: string, sha256: string, page: number, markups: readonly CitedMarkup[]): Promise<{ png: Buffer; key: string }> {
    if (this.#closed) throw new AppError(503, 'server_busy', 'the server is stopping');
    const key = this.key(sha256, page, markups);
    const cached = path.join(this.#cacheDir, key.slice(0, 2), `${key}.png`);
    const hit = await fs.readFile(cached).catch(() => null);
    if (hit) return { png: hit, key };
    let making = this.#making.get(key);
    if (!making) {
      // One at a time, and one request for a key however many ask for it at once.
      making = this.#queue.then(() => this.#make(file, page, markups, cached)).finally(() => this.#making.delete(key));
      this.#queue = making.catch(() => undefined);
      this.#making.set(key, making);
    }
    return { png: await making, key };
  }

  async #make(file: string, page: number, markups: readonly CitedMarkup[], cached: string): Promise<Buffer> {
    const { box, rotation } = await this.#pageBox(file, page);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lajna-page-'));
    try {
      const out = path.join(dir, 'page');
      await run('pdftoppm', ['-q', '-f', String(page), '-l', String(page), '-cropbox', '-png', '-scale-to', String(this.#longSide), '-singlefile', file, out], this.#timeoutMs);
      const base = sharp(`${out}.png`);
      const { width, height } = await base.metadata();
      const across = rotation === 90 || rotation === 270 ? box.y1 - box.y0 : box.x1 - box.x0;
      const svg = markupOverlay(markups, { box, rotation, pxPerPt: width / across, width, height });
      const png = await base.composite([{ input: Buffer.from(svg), top: 0, left: 0 }]).png({ compressionLevel: 8 }).toBuffer();
      await fs.mkdir(path.dirname(cached), { recursive: true });
      const tmp = `${cached}.${process.pid}.${crypto.randomUUID()}.tmp`;
      await fs.writeFile(tmp, png);
      await fs.rename(tmp, cached);
      return png;
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  /** The page's CropBox and rotation, as poppler reads them. */
  async #pageBox(file: string, page: number): Promise<{ box: PageBox; rotation: Rotation }> {
    const info = await run('pdfinfo', ['-f', String(page), '-l', String(page), '-box', file], this.#timeoutMs);
    const crop = new RegExp(`^Page\\s+${page} CropBox:\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)`, 'm').exec(info);
    const rot = new RegExp(`^Page\\s+${page} rot:\\s+(\\d+)`, 'm').exec(info);
    if (!crop) throw new AppError(404, 'not_found', `the document has no page ${page}`);
    const [x0, y0, x1, y1] = crop.slice(1, 5).map(Number) as [number, number, number, number];
    const rotation = ((((Number(rot?.[1] ?? 0) % 360) + 360) % 360)) as Rotation;
    return { box: { x0: Math.min(x0, x1), y0: Math.min(y0, y1), x1: Math.max(x0, x1), y1: Math.max(y0, y1) }, rotation };
  }

  /** Stops taking renders and waits for the one under way. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
  }
}
