import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/**
 * Hostile PDFs that are small on the wire and huge to open: what an attacker uploads to
 * stop the server. Each is a syntactically plausible PDF written in raw syntax (so the
 * header check and the upload size limit let it through) and each aims at another part
 * of a PDF reader:
 *
 * - `xref-stream`: a cross-reference stream declaring 60 million entries, its data a
 *   Flate bomb (300 MB of zeros in ~300 KB); a reader that builds the table runs out of heap.
 * - `xref-stream-recovered`: the same, with `startxref` pointing past the end of the file,
 *   so that nothing declared is read up front: a reader rebuilds the table by scanning the
 *   file, finds the stream and parses it.
 * - `deep-nesting`: the catalog holds an array nested a million levels deep; a recursive
 *   parser exhausts its stack.
 * - `page-tree`: a page tree of a million real pages, packed in compressed object streams
 *   (a few MB); a reader that walks it to the last page spends its time and heap there.
 *   Its declared object count is honest, so only the caps on the work stop it.
 * - `object-stream-flate`: the catalog lives in an object stream whose content inflates to
 *   1 GB; a reader that decodes the stream to read the object needs that much memory.
 *
 * Plain exported functions (benchmarks call them too); each result is generated once per
 * machine into the OS temp dir and reused, since deflating the bombs takes seconds.
 */
export type BombShape = 'xref-stream' | 'xref-stream-recovered' | 'deep-nesting' | 'page-tree' | 'object-stream-flate';
export const BOMB_SHAPES: readonly BombShape[] = ['xref-stream', 'xref-stream-recovered', 'deep-nesting', 'page-tree', 'object-stream-flate'];

/**
 * Deflates a sequence of chunks (generated lazily, so a 1 GB input never sits in memory);
 * level 9 where the ratio is the point (runs of zeros), 6 for ordinary PDF syntax.
 */
async function deflate(chunks: Iterable<Buffer>, level = 6): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), zlib.createDeflate({ level }), async (source: AsyncIterable<Buffer>) => {
    for await (const b of source) out.push(b);
  });
  return Buffer.concat(out);
}

function* zeros(bytes: number): Generator<Buffer> {
  const chunk = Buffer.alloc(1 << 20);
  for (let left = bytes; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const stream = (dict: string, data: Buffer) => [latin1(`<< ${dict} /Length ${data.length} >>\nstream\n`), data, latin1('\nendstream')];

/** Objects written one after another, with their byte offsets, ending in a cross-reference section. */
class RawPdf {
  readonly #parts: Buffer[] = [latin1('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')];
  #length = this.#parts[0]!.length;
  readonly offsets = new Map<number, number>();

  get length(): number {
    return this.#length;
  }

  object(id: number, body: string | Buffer[]): void {
    this.offsets.set(id, this.#length);
    this.#push(latin1(`${id} 0 obj\n`));
    for (const b of typeof body === 'string' ? [latin1(body)] : body) this.#push(b);
    this.#push(latin1('\nendobj\n'));
  }

  /** A classic `xref` table over objects 0..size-1 and the trailer. */
  endWithTable(size: number, trailer: string): Buffer {
    const start = this.#length;
    const rows = ['xref', `0 ${size}`, '0000000000 65535 f '];
    for (let id = 1; id < size; id++) rows.push(`${String(this.offsets.get(id) ?? 0).padStart(10, '0')} 00000 ${this.offsets.has(id) ? 'n' : 'f'} `);
    return this.#end(`${rows.join('\n')}\ntrailer\n<< /Size ${size} ${trailer} >>\n`, start);
  }

  /** Ends after a cross-reference stream already written as object `id` (or, `broken`, pointing past the end). */
  endWithStream(id: number, broken = false): Buffer {
    return this.#end('', broken ? 99_999_999 : this.offsets.get(id)!);
  }

  #end(section: string, start: number): Buffer {
    this.#push(latin1(`${section}startxref\n${start}\n%%EOF\n`));
    return Buffer.concat(this.#parts);
  }

  #push(b: Buffer): void {
    this.#parts.push(b);
    this.#length += b.length;
  }
}

/** A cross-reference stream row: type, 3-byte offset (or object stream number), 2-byte generation (or index). */
function xrefRow(type: number, field2: number, field3: number): Buffer {
  const row = Buffer.alloc(6);
  row[0] = type;
  row.writeUIntBE(field2, 1, 3);
  row.writeUInt16BE(field3, 4);
  return row;
}

/** The 60-million-entry cross-reference stream of issue 11 (~300 KB); `broken`: not pointed at by startxref. */
export async function xrefStreamBomb(entries = 60_000_000, broken = false): Promise<Buffer> {
  const pdf = new RawPdf();
  pdf.object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  pdf.object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  pdf.object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
  // Rows of 5 bytes (W [1 3 1]): the five real objects, then free entries (all zeros) to the declared size.
  const head = [0, 1, 2, 3].map((id) => {
    const row = Buffer.alloc(5);
    if (id > 0) {
      row[0] = 1;
      row.writeUIntBE(pdf.offsets.get(id)!, 1, 3);
    }
    return row;
  });
  const self = Buffer.from([1, 0, 0, 0, 0]);
  self.writeUIntBE(pdf.length, 1, 3);
  const data = await deflate([...head, self, ...zeros((entries - 5) * 5)], 9);
  pdf.object(4, stream(`/Type /XRef /Size ${entries} /W [1 3 1] /Root 1 0 R /Filter /FlateDecode`, data));
  return pdf.endWithStream(4, broken);
}

/** A catalog holding an array nested `depth` levels deep (2 bytes a level). */
export async function deepNestingBomb(depth = 1_000_000): Promise<Buffer> {
  const pdf = new RawPdf();
  pdf.object(1, [latin1('<< /Type /Catalog /Pages 2 0 R /Nest '), Buffer.alloc(depth, '['), Buffer.alloc(depth, ']'), latin1(' >>')]);
  pdf.object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  pdf.object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
  return pdf.endWithTable(4, '/Root 1 0 R');
}

/**
 * A flat page tree of `pages` pages: the catalog, the page tree and every page dictionary in
 * object streams of 10,000 objects each, indexed by a compressed cross-reference stream.
 */
export async function pageTreeBomb(pages = 1_000_000): Promise<Buffer> {
  const PER_STREAM = 10_000;
  const pdf = new RawPdf();
  // Objects: 1 catalog, 2 page tree, 3.. pages (all compressed); then the object streams and the xref stream.
  const compressed = pages + 2;
  const streamCount = Math.ceil(compressed / PER_STREAM);
  const firstStreamId = compressed + 1;
  const xrefId = firstStreamId + streamCount;
  const body = (id: number) =>
    id === 1
      ? '<< /Type /Catalog /Pages 2 0 R >>'
      : id === 2
        ? `<< /Type /Pages /Count ${pages} /Kids [${Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ')}] >>`
        : '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';
  const rows: Buffer[] = [xrefRow(0, 0, 65535)];
  for (let s = 0; s < streamCount; s++) {
    const ids = Array.from({ length: Math.min(PER_STREAM, compressed - s * PER_STREAM) }, (_, i) => s * PER_STREAM + i + 1);
    const bodies = ids.map(body);
    let offset = 0;
    const index = ids.map((id, i) => {
      const pair = `${id} ${offset}`;
      offset += bodies[i]!.length + 1;
      return pair;
    }).join(' ');
    const data = await deflate([latin1(`${index}\n`), latin1(bodies.join('\n'))]);
    ids.forEach((_, i) => rows.push(xrefRow(2, firstStreamId + s, i)));
    pdf.object(firstStreamId + s, stream(`/Type /ObjStm /N ${ids.length} /First ${index.length + 1} /Filter /FlateDecode`, data));
  }
  for (let s = 0; s < streamCount; s++) rows.push(xrefRow(1, pdf.offsets.get(firstStreamId + s)!, 0));
  rows.push(xrefRow(1, pdf.length, 0));
  const data = await deflate([Buffer.concat(rows)]);
  pdf.object(xrefId, stream(`/Type /XRef /Size ${xrefId + 1} /W [1 3 2] /Root 1 0 R /Filter /FlateDecode`, data));
  return pdf.endWithStream(xrefId);
}

/** The catalog inside an object stream that inflates to `decodedBytes` (default 1 GB, ~1 MB deflated). */
export async function objectStreamFlateBomb(decodedBytes = 1 << 30): Promise<Buffer> {
  const pdf = new RawPdf();
  pdf.object(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  pdf.object(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
  const index = '1 0\n';
  const catalog = '<< /Type /Catalog /Pages 2 0 R >>\n';
  const data = await deflate([latin1(index + catalog), ...zeros(decodedBytes)], 9);
  pdf.object(4, stream(`/Type /ObjStm /N 1 /First ${index.length} /Filter /FlateDecode`, data));
  const rows = [xrefRow(0, 0, 65535), xrefRow(2, 4, 0), xrefRow(1, pdf.offsets.get(2)!, 0), xrefRow(1, pdf.offsets.get(3)!, 0), xrefRow(1, pdf.offsets.get(4)!, 0), xrefRow(1, pdf.length, 0)];
  pdf.object(5, stream('/Type /XRef /Size 6 /W [1 3 2] /Root 1 0 R /Filter /FlateDecode', await deflate(rows)));
  return pdf.endWithStream(5);
}

const GENERATORS: Record<BombShape, () => Promise<Buffer>> = {
  'xref-stream': () => xrefStreamBomb(),
  'xref-stream-recovered': () => xrefStreamBomb(60_000_000, true),
  'deep-nesting': () => deepNestingBomb(),
  'page-tree': () => pageTreeBomb(),
  'object-stream-flate': () => objectStreamFlateBomb(),
};

/** The bomb of `shape` as a file, generated once into the OS temp dir and reused. */
export async function cachedBomb(shape: BombShape): Promise<string> {
  const key = crypto.createHash('sha256').update(`${shape}:v1`).digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), 'lajna-bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bomb-${shape}-${key}.pdf`);
  if (!fs.existsSync(file)) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, await GENERATORS[shape]());
    fs.renameSync(tmp, file);
  }
  return file;
}
