/**
 * Sets mixed Arabic and Latin text on A4 pages with pdfkit: paragraphs, tables, blocks at a
 * position and page numbers. One instance is one PDF: `create`, write, `finish` (the bytes).
 * The same calls with the same `created` date give the same bytes.
 *
 * pdfkit shapes Arabic through fontkit (joining forms, ligatures, and it lays a right-to-left
 * run out in visual order, mirroring brackets) but it neither reorders a mixed line (Arabic
 * with Latin names, references and digits) nor keeps a multi-word run together: it lays text
 * out word by word, left to right. So lines are wrapped here, ordered by the Unicode
 * bidirectional algorithm (bidi-js, isolates included: see isolate.ts), cut into runs of one
 * direction and one font, and each run is drawn at its own x: right-to-left runs are handed
 * to fontkit whole, in logical order (`features: []` makes pdfkit lay the run out in one piece).
 */
import bidiFactory from 'bidi-js';
import PDFDocument from 'pdfkit';
import { ARABIC_LETTER, fontName, fontsOf, registerFonts, type FontKey } from './fonts';
import { BIDI_CONTROL } from './isolate';

const bidi = bidiFactory();
type Levels = ReturnType<typeof bidi.getEmbeddingLevels>;

export type Direction = 'rtl' | 'ltr';
/**
 * Where lines sit: `start` is the right edge in Arabic. Paragraphs align to the document's
 * start, whatever their own direction (a French remark in the Arabic minutes lines up on the
 * right like the rest); table cells and blocks to their text's own start.
 */
export type Align = 'start' | 'end' | 'center';
type Side = 'left' | 'right' | 'center';
const sideOf = (align: Align, direction: Direction): Side => (align === 'center' ? 'center' : (align === 'start') === (direction === 'rtl') ? 'right' : 'left');

export interface TextStyle {
  /** Points; 10.5 unless set. */
  size?: number;
  bold?: boolean;
  color?: string;
}

export interface ParagraphOptions extends TextStyle {
  /** Points kept free on the document's start side (right in an Arabic document). */
  indent?: number;
  /** Space after the paragraph, in points. */
  gapAfter?: number;
  align?: Align;
  /** The paragraph's own direction; `auto` takes it from its first strong letter. The document's unless set. */
  direction?: Direction | 'auto';
}

export interface BlockOptions extends Omit<ParagraphOptions, 'indent' | 'gapAfter'> {
  /** The box's left edge and top, in points from the page's top-left corner. */
  x: number;
  y: number;
  width: number;
}

/** A table column, listed from the document's start side. */
export interface Column extends TextStyle {
  /** Points; columns without a width share what the others leave. */
  width?: number;
  direction?: Direction | 'auto';
  align?: Align;
}

export interface TableOptions {
  /** Space between rows; a thin rule is drawn in it when `ruled`. */
  rowGap?: number;
  ruled?: boolean;
  gapAfter?: number;
}

export interface PdfOptions {
  /** The document's language (its /Lang) and reading direction. */
  lang: string;
  direction: Direction;
  title: string;
  /** The creation date written into the file: the record's own date, so the same record gives the same bytes. */
  created: Date;
  /** Page margin in points (56 unless set). */
  margin?: number;
  /** Page size in points, A4 unless set (a signature's appearance is a page of its own size). */
  size?: [number, number];
}

interface Run {
  text: string;
  font: FontKey;
  width: number;
}

interface Line {
  runs: Run[];
  width: number;
  /** The direction of the line's paragraph (each line of a text with line breaks is one). */
  direction: Direction;
}

interface Laid {
  lines: Line[];
  lineHeight: number;
  style: Required<TextStyle>;
}

const COLUMN_GAP = 10;
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const LTR_LETTER = /\p{L}/u;

/** The direction of the first strong letter (bidi rule P2), or `fallback` when there is none. */
export function firstStrongDirection(text: string, fallback: Direction): Direction {
  for (const ch of text) {
    if (RTL_LETTER.test(ch) && /\p{L}/u.test(ch)) return 'rtl';
    if (LTR_LETTER.test(ch)) return 'ltr';
  }
  return fallback;
}

/** The logical indices of text[start, end) in visual order, left to right, without the bidi controls (nobody draws them). */
function visualIndices(text: string, levels: Levels, start: number, end: number): number[] {
  // bidi-js returns the whole string's indices, reordered only within the line.
  return bidi.getReorderedIndices(text, levels, start, end - 1).slice(start, end).filter((i) => !BIDI_CONTROL.test(text[i]!));
}

/**
 * One line of text as it appears, left to right, character by character (mirrored brackets
 * in right-to-left runs): what the typesetter draws, for tests and for checking a layout.
 */
export function visualOrder(text: string, direction: Direction | 'auto'): string {
  const dir = direction === 'auto' ? firstStrongDirection(text, 'ltr') : direction;
  const levels = bidi.getEmbeddingLevels(text, dir);
  return visualIndices(text, levels, 0, text.length)
    .map((i) => ((levels.levels[i]! & 1) === 1 ? bidi.getMirroredCharacter(text[i]!) ?? text[i] : text[i]))
    .join('');
}

export class Typesetter {
  #y: number;
  readonly #bytes: Promise<Buffer>;
  // Wrapping measures the same runs many times; shaping them is the slow part.
  readonly #widths = new Map<string, number>();

  private constructor(
    /** The pdfkit document, for drawing this class does not offer (lines, images, form fields). */
    readonly doc: PDFKit.PDFDocument,
    readonly direction: Direction,
  ) {
    registerFonts(doc);
    this.#y = doc.page.margins.top;
    const chunks: Buffer[] = [];
    this.#bytes = new Promise<Buffer>((resolve, reject) => {
      doc.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
    });
  }

  static create(o: PdfOptions): Typesetter {
    const doc = new PDFDocument({
      size: o.size ?? 'A4', margin: o.margin ?? 56, bufferPages: true, lang: o.lang,
      info: { Title: o.title, Producer: 'Lajna', Creator: 'Lajna', CreationDate: o.created, ModDate: o.created },
    });
    return new Typesetter(doc, o.direction);
  }

  /** Where the next paragraph starts, in points from the top of the current page. */
  get y(): number {
    return this.#y;
  }

  get left(): number {
    return this.doc.page.margins.left;
  }

  /** The width between the margins. */
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  /** Starts a new page unless `height` points still fit above the bottom margin (keeps a block together). */
  ensure(height: number): void {
    if (this.#y + height > this.doc.page.height - this.doc.page.margins.bottom) {
      this.doc.addPage();
      this.#y = this.doc.page.margins.top;
    }
  }

  gap(points: number): void {
    this.#y += points;
  }

  /** A paragraph in the flow, wrapped to the width and continued on the next page when it must. */
  paragraph(text: string, o: ParagraphOptions = {}): void {
    const indent = o.indent ?? 0;
    const laid = this.#layout(text, this.width - indent, o, o.direction ?? this.direction);
    if (!laid) return;
    const x = this.direction === 'rtl' ? this.left : this.left + indent;
    for (const line of laid.lines) {
      this.ensure(laid.lineHeight);
      this.#drawLine(line, laid, x, this.#y, this.width - indent, sideOf(o.align ?? 'start', this.direction));
      this.#y += laid.lineHeight;
    }
    this.#y += o.gapAfter ?? laid.style.size * 0.3;
  }

  /**
   * Rows of cells in columns (listed from the document's start side); each cell wraps in its
   * column, in its own direction (`auto` unless the column says otherwise). A row is kept on
   * one page.
   */
  table(rows: readonly (readonly string[])[], columns: readonly Column[], o: TableOptions = {}): void {
    const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
    const flexible = columns.filter((c) => c.width === undefined).length;
    const share = flexible ? (this.width - fixed - COLUMN_GAP * (columns.length - 1)) / flexible : 0;
    const widths = columns.map((c) => c.width ?? share);
    const rowGap = o.rowGap ?? 4;
    for (const row of rows) {
      const cells = columns.map((c, i) => this.#layout(row[i] ?? '', widths[i]!, c, c.direction ?? 'auto'));
      const height = Math.max(0, ...cells.map((cell) => (cell ? cell.lines.length * cell.lineHeight : 0)));
      this.ensure(height + rowGap);
      let offset = 0;
      for (const [i, cell] of cells.entries()) {
        const width = widths[i]!;
        const x = this.direction === 'rtl' ? this.left + this.width - offset - width : this.left + offset;
        cell?.lines.forEach((line, n) => this.#drawLine(line, cell, x, this.#y + n * cell.lineHeight, width, sideOf(columns[i]!.align ?? 'start', line.direction)));
        offset += width + COLUMN_GAP;
      }
      this.#y += height + rowGap;
      if (o.ruled) this.rule(this.#y - rowGap / 2);
    }
    this.#y += o.gapAfter ?? 0;
  }

  /** Label and value pairs: the label in bold on the start side, the value in its own direction beside it. */
  labelValues(rows: readonly (readonly [string, string])[], o: { labelWidth?: number; size?: number } & TableOptions = {}): void {
    this.table(rows, [{ width: o.labelWidth ?? 150, bold: true, size: o.size, direction: this.direction }, { size: o.size }], o);
  }

  /** Text in a box at a position on the current page, outside the flow (a stamp, a signature's appearance); gives its height. */
  block(text: string, o: BlockOptions): number {
    const laid = this.#layout(text, o.width, o, o.direction ?? this.direction);
    if (!laid) return 0;
    laid.lines.forEach((line, n) => this.#drawLine(line, laid, o.x, o.y + n * laid.lineHeight, o.width, sideOf(o.align ?? 'start', line.direction)));
    return laid.lines.length * laid.lineHeight;
  }

  /** A thin line across the width at `y` (the flow's position unless given). */
  rule(y = this.#y, color = '#bbb'): void {
    this.doc.save().moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.5).strokeColor(color).stroke().restore();
  }

  /** Numbers every page at its foot, once the content is written: `label(1, 3)` → "Page 1 / 3". */
  pageNumbers(label: (n: number, of: number) => string, style: TextStyle = {}): void {
    const range = this.doc.bufferedPageRange();
    for (let i = 0; i < range.count; i++) {
      this.doc.switchToPage(range.start + i);
      this.block(label(i + 1, range.count), {
        x: this.left, y: this.doc.page.height - 36, width: this.width, align: 'center', size: 9, color: '#444', ...style,
      });
    }
  }

  /** Ends the document; the PDF's bytes. */
  finish(): Promise<Buffer> {
    this.doc.end();
    return this.#bytes;
  }

  #measure(text: string, font: FontKey, size: number, bold: boolean): number {
    const key = `${font}|${bold}|${size}|${text}`;
    let width = this.#widths.get(key);
    if (width === undefined) {
      width = this.doc.font(fontName(font, bold)).fontSize(size).widthOfString(text, { features: [] });
      this.#widths.set(key, width);
    }
    return width;
  }

  /** Wraps `text` to `maxWidth`: lines of runs in visual order; a line break starts a paragraph of its own. Null for blank text. */
  #layout(text: string, maxWidth: number, s: TextStyle, direction: Direction | 'auto'): Laid | null {
    const style = { size: s.size ?? 10.5, bold: s.bold ?? false, color: s.color ?? '#000' };
    const lines = text.split(/\r?\n/).flatMap((part) => this.#wrap(part, maxWidth, style, direction));
    return lines.length ? { lines, lineHeight: style.size * 1.55, style } : null;
  }

  #wrap(text: string, maxWidth: number, style: Required<TextStyle>, direction: Direction | 'auto'): Line[] {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean) return [];
    const dir = direction === 'auto' ? firstStrongDirection(clean, this.direction) : direction;
    const levels = bidi.getEmbeddingLevels(clean, dir);
    const fonts = fontsOf(clean, dir === 'rtl');
    const runsOf = (start: number, end: number) => this.#visualRuns(clean, levels, start, end, fonts, style);
    const widthOf = (start: number, end: number) => runsOf(start, end).reduce((sum, r) => sum + r.width, 0);
    const lines: Line[] = [];
    // Greedy wrap at spaces, in logical order; a word longer than the line is cut.
    let start = 0;
    while (start < clean.length) {
      let end = clean.length;
      if (widthOf(start, end) > maxWidth) {
        let fit = start;
        for (let i = clean.indexOf(' ', start); i !== -1 && widthOf(start, i) <= maxWidth; i = clean.indexOf(' ', i + 1)) fit = i;
        if (fit === start) {
          fit = start + 1;
          while (fit < clean.length && widthOf(start, fit + 1) <= maxWidth) fit++;
        }
        end = fit;
      }
      const runs = runsOf(start, end);
      lines.push({ runs, width: runs.reduce((sum, r) => sum + r.width, 0), direction: dir });
      start = clean[end] === ' ' ? end + 1 : end;
    }
    return lines;
  }

  /** One line (logical [start, end) of text) as runs in visual order, left to right; bidi controls are not drawn. */
  #visualRuns(text: string, levels: Levels, start: number, end: number, fonts: FontKey[], style: Required<TextStyle>): Run[] {
    const order = visualIndices(text, levels, start, end);
    const runs: { indices: number[]; font: FontKey; rtl: boolean }[] = [];
    for (const i of order) {
      const rtl = (levels.levels[i]! & 1) === 1;
      const last = runs.at(-1);
      const prev = last?.indices.at(-1);
      // Contiguous in logical order (controls aside) in the direction of the run, same font, same direction.
      const contiguous = prev !== undefined && (rtl ? this.#adjacent(text, i, prev) : this.#adjacent(text, prev, i));
      if (last && last.font === fonts[i] && last.rtl === rtl && contiguous) last.indices.push(i);
      else runs.push({ indices: [i], font: fonts[i]!, rtl });
    }
    return runs.map(({ indices, font, rtl }) => {
      const logical = indices.slice().sort((a, b) => a - b).map((i) => text[i]).join('');
      let runText: string;
      if (rtl && ARABIC_LETTER.test(logical)) runText = logical; // fontkit orders (and mirrors) it
      else if (rtl) runText = indices.map((i) => bidi.getMirroredCharacter(text[i]!) ?? text[i]).join('');
      else runText = logical;
      return { text: runText, font, width: this.#measure(runText, font, style.size, style.bold) };
    });
  }

  /** Whether logical index `b` follows `a` with only bidi controls between. */
  #adjacent(text: string, a: number, b: number): boolean {
    if (b <= a) return false;
    for (let i = a + 1; i < b; i++) if (!BIDI_CONTROL.test(text[i]!)) return false;
    return true;
  }

  #drawLine(line: Line, laid: Laid, boxX: number, y: number, boxWidth: number, side: Side): void {
    let x = side === 'center' ? boxX + (boxWidth - line.width) / 2 : side === 'right' ? boxX + boxWidth - line.width : boxX;
    const page = this.doc.page;
    const bottom = page.margins.bottom;
    // Text drawn below the bottom margin (page numbers, a block) must not start a new page.
    page.margins.bottom = 0;
    for (const run of line.runs) {
      this.doc.font(fontName(run.font, laid.style.bold)).fontSize(laid.style.size).fillColor(laid.style.color)
        .text(run.text, x, y, { lineBreak: false, features: [] });
      x += run.width;
    }
    page.margins.bottom = bottom;
  }
}
