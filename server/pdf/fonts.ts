/**
 * The fonts of every PDF Lajna writes: Amiri from @fontsource (an npm dependency, no system
 * font), its Arabic subset for Arabic script and its Latin subsets for the rest, regular
 * and bold. Amiri draws every letter form as its own glyph, so the PDF's glyph-to-character
 * map gives the text back (copy, search, pdftotext); Noto Naskh was tried first and lost
 * letters there (dots drawn as separate, unmapped glyphs on shared dotless bases).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('@fontsource/amiri/package.json')), 'files');

/**
 * The TrueType bytes inside a WOFF 1.0 file. fontkit reads WOFF but inflates a table on
 * every access, which made one page take seconds; inflating once here (zlib) does not.
 */
export function sfntFromWoff(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF 1.0 font');
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4), compLength = woff.readUInt32BE(at + 8), origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    return { tag: woff.subarray(at, at + 4), checksum: woff.readUInt32BE(at + 16), data: compLength < origLength ? zlib.inflateSync(raw) : raw };
  });
  const pad = (n: number) => (n + 3) & ~3;
  const out = Buffer.alloc(12 + 16 * numTables + tables.reduce((sum, t) => sum + pad(t.data.length), 0));
  const entrySelector = Math.floor(Math.log2(numTables));
  out.writeUInt32BE(woff.readUInt32BE(4), 0);
  out.writeUInt16BE(numTables, 4);
  out.writeUInt16BE(16 * 2 ** entrySelector, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(16 * numTables - 16 * 2 ** entrySelector, 10);
  let offset = 12 + 16 * numTables;
  for (const [i, t] of tables.entries()) {
    t.tag.copy(out, 12 + 16 * i);
    out.writeUInt32BE(t.checksum, 12 + 16 * i + 4);
    out.writeUInt32BE(offset, 12 + 16 * i + 8);
    out.writeUInt32BE(t.data.length, 12 + 16 * i + 12);
    t.data.copy(out, offset);
    offset += pad(t.data.length);
  }
  return out;
}

/** Which of Amiri's subsets draws a run. */
export type FontKey = 'arabic' | 'latin' | 'latinExt';
const FONT_SUBSETS: Record<FontKey, string> = { arabic: 'arabic', latin: 'latin', latinExt: 'latin-ext' };

const fonts = new Map<string, Buffer>();
function fontBytes(subset: string, weight: 400 | 700): Buffer {
  const file = path.join(FONT_DIR, `amiri-${subset}-${weight}-normal.woff`);
  let bytes = fonts.get(file);
  if (!bytes) fonts.set(file, (bytes = sfntFromWoff(fs.readFileSync(file))));
  return bytes;
}

/** Registers the fonts on a document under the names `fontName` gives. */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  for (const [key, subset] of Object.entries(FONT_SUBSETS)) {
    doc.registerFont(key, fontBytes(subset, 400));
    doc.registerFont(`${key}-bold`, fontBytes(subset, 700));
  }
}

export const fontName = (font: FontKey, bold: boolean) => (bold ? `${font}-bold` : font);

/** Arabic script letters and presentation forms: what makes fontkit lay a run out right to left. */
export const ARABIC_LETTER = /[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/;
const LATIN_EXT = /[\u0100-\u024F\u1E00-\u1EFF]/;

/**
 * The font of each UTF-16 unit of `text` (indexed like bidi-js); spaces keep the font of
 * what precedes them, and a leading space the font of the paragraph's direction.
 */
export function fontsOf(text: string, rtl: boolean): FontKey[] {
  const out: FontKey[] = [];
  let current: FontKey = rtl ? 'arabic' : 'latin';
  for (const ch of text) {
    if (ARABIC_SCRIPT.test(ch)) current = 'arabic';
    else if (LATIN_EXT.test(ch)) current = 'latinExt';
    else if (ch !== ' ') current = 'latin';
    for (let i = 0; i < ch.length; i++) out.push(current);
  }
  return out;
}
