/**
 * What a PDF's cross-reference sections declare, read before any PDF library parses the
 * file: a reader allocates one entry per declared object, so a 300 KB file declaring 60
 * million objects (a cross-reference stream whose data is a Flate bomb) takes gigabytes to
 * open. Pure: the file comes in through `read`, tested by tables.
 */

/** `length` bytes of the file from `offset` as latin1 text (fewer at its end). */
export type ReadAt = (offset: number, length: number) => string;

/** How much is read at a section's offset: a cross-reference stream's dictionary fits (real ones are under 1 KB). */
export const SECTION_WINDOW = 16 * 1024;
/** How far from the end the last `startxref` is looked for (the spec puts it in the last 1024 bytes; some writers pad). */
export const TAIL_WINDOW = 4096;
/** Sections followed through /Prev and /XRefStm: more revisions than any dossier file has. */
export const MAX_SECTIONS = 1000;

/**
 * The most objects a file of `size` bytes can really hold: fewer than its bytes, since even
 * packed in a compressed object stream an object costs several (its number, its offset, its
 * body, its cross-reference row). The slack covers tiny files.
 */
export function objectsAllowed(size: number): number {
  return size + 1024;
}

export interface DeclaredObjects {
  /**
   * The most entries one section declares (its /Size, the rows of its subsections or /Index
   * ranges, or the highest object number they reach): each revision's trailer counts the
   * whole file, and a reader keeps one entry per object number.
   */
  declared: number;
  /** Sections read, from the last one back through /Prev and /XRefStm. */
  sections: number;
  /** The chain went on past MAX_SECTIONS. */
  truncated: boolean;
}

/** The offset after the last `startxref` keyword of the file's tail, or null without a readable one. */
export function lastStartXref(tail: string): number | null {
  const at = tail.lastIndexOf('startxref');
  if (at < 0) return null;
  const m = /^startxref\s+(\d{1,15})/.exec(tail.slice(at));
  return m ? Number(m[1]) : null;
}

const ints = (s: string) => (s.match(/-?\d+/g) ?? []).map(Number);

/**
 * The dictionary starting at the first `<<` of `text`, up to its matching `>>`, with string
 * literals and comments blanked: a `>>`, `stream` or `/Size 1` inside a string can neither end
 * the dictionary early nor stand for a key. Null when it does not end within `text`.
 */
export function dictionaryIn(text: string): string | null {
  const start = text.indexOf('<<');
  if (start < 0) return null;
  let out = '', depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(') {
      // A literal string: balanced parentheses, backslash escapes.
      let nesting = 0;
      for (; i < text.length; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '(') nesting++;
        else if (text[i] === ')' && --nesting === 0) break;
      }
      out += ' ';
    } else if (c === '%') {
      while (i + 1 < text.length && text[i + 1] !== '\n' && text[i + 1] !== '\r') i++;
      out += ' ';
    } else if (c === '<' && text[i + 1] === '<') {
      depth++;
      out += '<<';
      i++;
    } else if (c === '>' && text[i + 1] === '>') {
      out += '>>';
      i++;
      if (--depth === 0) return out;
    } else {
      out += c;
    }
  }
  return null;
}

/** The largest value of `/Key <int>` in a dictionary's text (the largest: a nested dictionary cannot hide the real one). */
function largest(dict: string, key: string): number | null {
  const values = [...dict.matchAll(new RegExp(`/${key}\\s+(\\d{1,15})(?![\\d.])`, 'g'))].map((m) => Number(m[1]));
  return values.length ? Math.max(...values) : null;
}

/** Entries an /Index array declares: the larger of their sum and the highest object number they reach. */
function indexed(dict: string): number {
  let total = 0, end = 0;
  for (const m of dict.matchAll(/\/Index\s*\[([^\]]*)\]/g)) {
    const v = ints(m[1]!);
    for (let i = 0; i + 1 < v.length; i += 2) {
      total += Math.max(0, v[i + 1]!);
      end = Math.max(end, v[i]! + v[i + 1]!);
    }
  }
  return Math.max(total, end);
}

interface Section {
  declared: number;
  /** Offsets of the sections this one points to (/Prev, /XRefStm). */
  next: number[];
}

function pointers(dict: string): number[] {
  return ['Prev', 'XRefStm'].map((k) => largest(dict, k)).filter((v): v is number => v !== null);
}

/**
 * A classic `xref` table at `offset` (`window`: the text read there): its subsections
 * ("first count", then count rows of 20 bytes) and its trailer. Rows are skipped by
 * arithmetic, so a long table costs a read per subsection at most, not per row. Null when
 * the text is not a table we can follow.
 */
function classicTable(read: ReadAt, offset: number, window: string): Section | null {
  let pos = offset, text = window;
  let cursor = /^\s*xref\b/.exec(text)![0].length;
  let total = 0, end = 0;
  const declared = () => Math.max(total, end);
  for (let guard = 0; guard < 100_000; guard++) {
    if (cursor > text.length - 64) {
      pos += cursor;
      text = read(pos, SECTION_WINDOW);
      cursor = 0;
    }
    const rest = text.slice(cursor);
    if (/^\s*trailer\b/.test(rest)) {
      const dict = dictionaryIn(read(pos + cursor, SECTION_WINDOW)) ?? '';
      return { declared: Math.max(declared(), largest(dict, 'Size') ?? 0), next: pointers(dict) };
    }
    const sub = /^\s*(\d{1,15})[ \t]+(\d{1,15})[ \t]*(?:\r\n|\r|\n)/.exec(rest);
    if (!sub) return declared() ? { declared: declared(), next: [] } : null;
    const first = Number(sub[1]), count = Number(sub[2]);
    total += count;
    end = Math.max(end, first + count);
    cursor += sub[0].length + count * 20;
  }
  return { declared: declared(), next: [] };
}

/** A cross-reference stream object ("n g obj << … >> stream") at the start of `text`. */
function xrefStream(text: string): Section | null {
  const head = /^\s*\d{1,15}\s+\d{1,15}\s+obj\s*(?=<<)/.exec(text);
  const dict = head && dictionaryIn(text.slice(head[0].length));
  if (!dict) return null;
  return { declared: Math.max(largest(dict, 'Size') ?? 0, indexed(dict)), next: pointers(dict) };
}

/**
 * The objects the file's cross-reference sections declare, following the chain from the
 * last `startxref` as a reader does. Null when there is no readable `startxref` or section:
 * a reader then rebuilds the table by scanning the file, work the caps on inspection bound.
 */
export function declaredObjects(read: ReadAt, size: number): DeclaredObjects | null {
  const start = lastStartXref(read(Math.max(0, size - TAIL_WINDOW), TAIL_WINDOW));
  if (start === null || start >= size) return null;
  const seen = new Set<number>();
  const queue = [start];
  let declared = 0;
  while (queue.length) {
    if (seen.size >= MAX_SECTIONS) return { declared, sections: seen.size, truncated: true };
    const offset = queue.shift()!;
    if (seen.has(offset) || offset < 0 || offset >= size) continue;
    seen.add(offset);
    const text = read(offset, SECTION_WINDOW);
    const section = /^\s*xref\b/.test(text) ? classicTable(read, offset, text) : xrefStream(text);
    if (!section) {
      if (seen.size === 1) return null;
      continue;
    }
    declared = Math.max(declared, section.declared);
    queue.push(...section.next);
  }
  return { declared, sections: seen.size, truncated: false };
}
