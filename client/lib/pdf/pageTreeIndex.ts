import { NeedMoreText, parseObject, parseValue, writeDict, type PdfValue } from './pdfSyntax';

/**
 * Why this exists: pdf.js checks at open that the last page can be found, and in a flat
 * page tree (every page a kid of one /Pages node, as office suites, scanners and
 * Ghostscript write files) it can only find it by reading every page's dictionary. Those
 * lie spread through the file, so a 4,000-page, 40 MB file is read whole before its first
 * page shows (seconds on localhost, minutes on a rural link).
 *
 * The index: an incremental update, appended in the browser to the file's bytes (the file
 * on the server and its sha256 are untouched), that gives the page tree the same pages in
 * the same order under nodes of 16 kids, each with its /Count. pdf.js then finds any page by
 * reading a few nodes held in memory and that page's dictionary: the file's cross-reference
 * table, its catalog and page-tree node, and the pages drawn are all that travel.
 *
 * Only files it is sure of are indexed: classic cross-reference tables, the catalog and the
 * page tree uncompressed, one flat level of at least MIN_PAGES pages; anything else opens as
 * it is. No DOM: tested in Node against files checked by qpdf and poppler.
 */

/** `length` bytes of the file from `offset` (fewer at its end). */
export type ReadBytes = (offset: number, length: number) => Promise<Uint8Array>;

/** Below this, reading every page dictionary costs little. */
export const MIN_PAGES = 64;
const FANOUT = 16;
const MAX_SECTIONS = 32;
const MAX_OBJECT_BYTES = 8 << 20;

const latin1 = new TextDecoder('latin1');
const text = async (read: ReadBytes, offset: number, length: number) => latin1.decode(await read(offset, length));

/**
 * Reads a value at `offset`, reading more of the file until it is whole (up to
 * MAX_OBJECT_BYTES). It starts at 4 kB, what a catalog or a small page tree takes: starting
 * at 64 kB, the catalog and the page tree of a five-sheet, 69 kB file cost the whole file
 * before pdf.js could start, a minute on a 150 kbit/s line (bench weak-link, bad).
 */
async function readWhole<T>(read: ReadBytes, offset: number, parse: (text: string) => T): Promise<T> {
  for (let length = 4096; ; length *= 4) {
    const t = await text(read, offset, length);
    try {
      return parse(t);
    } catch (e) {
      if (!(e instanceof NeedMoreText) || t.length < length || length >= MAX_OBJECT_BYTES) throw e;
    }
  }
}

interface Section {
  /** Object number → byte offset, for the objects in use this section lists. */
  offsets: Map<number, number>;
  trailer: Map<string, PdfValue>;
}

/** A classic `xref` table at `offset`: its rows, then its trailer. */
async function readTable(read: ReadBytes, offset: number): Promise<Section> {
  const offsets = new Map<number, number>();
  let at = offset;
  let head = await text(read, at, 64);
  const start = /^\s*xref\s+/.exec(head);
  if (!start) throw new SyntaxError('not a cross-reference table');
  at += start[0].length;
  for (;;) {
    head = await text(read, at, 64);
    const trailer = /^\s*trailer\s*/.exec(head);
    if (trailer) {
      const dict = await readWhole(read, at + trailer[0].length, (t) => parseValue(t, 0).value);
      if (dict.kind !== 'dict') throw new SyntaxError('trailer is not a dictionary');
      return { offsets, trailer: dict.entries };
    }
    const sub = /^\s*(\d+)\s+(\d+)\s*?(?:\r\n|\r|\n)/.exec(head);
    if (!sub) throw new SyntaxError('bad cross-reference subsection');
    const first = Number(sub[1]), count = Number(sub[2]);
    at += sub[0].length;
    // Rows of 20 bytes; read a little more for writers that end them with one byte.
    const rows = await text(read, at, count * 20 + 64);
    const row = /\s*(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n| |\n|\r)?/y;
    for (let i = 0; i < count; i++) {
      const m = row.exec(rows);
      if (!m) throw new SyntaxError('bad cross-reference row');
      if (m[3] === 'n' && !offsets.has(first + i)) offsets.set(first + i, Number(m[1]));
    }
    at += row.lastIndex;
  }
}

const intOf = (dict: Map<string, PdfValue>, key: string) => {
  const v = dict.get(key);
  return v?.kind === 'number' && Number.isInteger(v.value) ? v.value : null;
};
const refOf = (dict: Map<string, PdfValue>, key: string) => {
  const v = dict.get(key);
  return v?.kind === 'ref' ? v : null;
};

/**
 * The index to append to a file of `size` bytes whose flat page tree is worth indexing, or
 * null (then open the file as it is). Throws nothing for a file it does not understand.
 */
export async function pageTreeIndex(read: ReadBytes, size: number): Promise<Uint8Array | null> {
  try {
    return await buildIndex(read, size);
  } catch {
    return null;
  }
}

async function buildIndex(read: ReadBytes, size: number): Promise<Uint8Array | null> {
  const tail = await text(read, Math.max(0, size - 1024), 1024);
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!m) return null;
  const startxref = Number(m[1]);
  // The newest section first: its trailer, and each object's newest offset.
  const offsets = new Map<number, number>();
  let trailer: Map<string, PdfValue> | null = null;
  const seen = new Set<number>();
  for (let next: number | null = startxref; next !== null; ) {
    if (seen.has(next) || seen.size >= MAX_SECTIONS || next >= size) return null;
    seen.add(next);
    const section = await readTable(read, next);
    // A hybrid file's cross-reference stream may hold objects this reader cannot see.
    if (section.trailer.has('XRefStm') || section.trailer.has('Encrypt')) return null;
    trailer ??= section.trailer;
    for (const [num, at] of section.offsets) if (!offsets.has(num)) offsets.set(num, at);
    next = intOf(section.trailer, 'Prev');
  }
  const rootRef = refOf(trailer!, 'Root');
  const objectSize = intOf(trailer!, 'Size');
  if (!rootRef || objectSize === null) return null;
  const object = async (num: number) => {
    const at = offsets.get(num);
    if (at === undefined || at >= size) throw new SyntaxError(`object ${num} is not in a table`);
    const o = await readWhole(read, at, parseObject);
    if (o.num !== num || o.value.kind !== 'dict') throw new SyntaxError(`object ${num} is not a dictionary`);
    return o.value.entries;
  };
  const pagesRef = refOf(await object(rootRef.num), 'Pages');
  if (!pagesRef) return null;
  const pages = await object(pagesRef.num);
  const kids = pages.get('Kids');
  const count = intOf(pages, 'Count');
  if (kids?.kind !== 'array' || count === null || count < MIN_PAGES || kids.items.length !== count || pages.has('Parent')) return null;
  if (!kids.items.every((k) => k.kind === 'ref')) return null;
  return appendix(size, startxref, objectSize, trailer!, pagesRef, pages, kids.items as Extract<PdfValue, { kind: 'ref' }>[]);
}

/** The incremental update: the page tree's new nodes, its root written again over them, a table and a trailer. */
function appendix(
  size: number, startxref: number, objectSize: number, trailer: Map<string, PdfValue>,
  root: { num: number; gen: number }, rootDict: Map<string, PdfValue>, pages: { raw: string }[],
): Uint8Array {
  let nextId = objectSize;
  const nodes: { id: number; kids: { raw: string; count: number; id?: number }[]; count: number }[] = [];
  let level: { raw: string; count: number; id?: number }[] = pages.map((p) => ({ raw: p.raw, count: 1 }));
  while (level.length > FANOUT) {
    const up: { raw: string; count: number; id: number }[] = [];
    for (let i = 0; i < level.length; i += FANOUT) {
      const group = level.slice(i, i + FANOUT);
      const id = nextId++;
      const node = { id, kids: group, count: group.reduce((sum, k) => sum + k.count, 0) };
      nodes.push(node);
      up.push({ raw: `${id} 0 R`, count: node.count, id });
    }
    level = up;
  }
  const parentOf = new Map<number, string>();
  for (const node of nodes) for (const kid of node.kids) if (kid.id !== undefined) parentOf.set(kid.id, `${node.id} 0 R`);
  const rootRaw = `${root.num} ${root.gen} R`;
  const parts: string[] = ['\n'];
  const at: [number, number, number][] = [];
  let offset = size + 1;
  const write = (num: number, gen: number, body: string) => {
    at.push([num, gen, offset]);
    const s = `${num} ${gen} obj\n${body}\nendobj\n`;
    parts.push(s);
    offset += s.length;
  };
  write(root.num, root.gen, writeDict(rootDict, { Kids: `[${level.map((k) => k.raw).join(' ')}]`, Count: String(pages.length) }));
  for (const node of nodes) {
    write(node.id, 0, `<< /Type /Pages /Parent ${parentOf.get(node.id) ?? rootRaw} /Count ${node.count} /Kids [${node.kids.map((k) => k.raw).join(' ')}] >>`);
  }
  const row = ([, gen, o]: [number, number, number]) => `${String(o).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r\n`;
  const xref = offset;
  const newTrailer = writeDict(trailer, { Size: String(nextId), Prev: String(startxref), XRefStm: undefined });
  parts.push(`xref\n${root.num} 1\n${row(at[0]!)}${nodes.length ? `${objectSize} ${nodes.length}\n${at.slice(1).map(row).join('')}` : ''}trailer\n${newTrailer}\nstartxref\n${xref}\n%%EOF\n`);
  const all = parts.join('');
  const bytes = new Uint8Array(all.length);
  for (let i = 0; i < all.length; i++) bytes[i] = all.charCodeAt(i) & 0xff;
  return bytes;
}
