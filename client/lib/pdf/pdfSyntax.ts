/**
 * Just enough PDF syntax to read a cross-reference table, a trailer and a dictionary from
 * latin1 text: values keep their source text, so a dictionary can be written out again with
 * some of its entries replaced. No DOM, no pdf.js: tested by tables.
 */

export type PdfValue =
  | { kind: 'number'; value: number; raw: string }
  | { kind: 'ref'; num: number; gen: number; raw: string }
  | { kind: 'name' | 'string' | 'keyword'; raw: string }
  | { kind: 'array'; items: PdfValue[]; raw: string }
  | { kind: 'dict'; entries: Map<string, PdfValue>; raw: string };

/** The text ran out before the value ended (read more and try again). */
export class NeedMoreText extends Error {
  constructor() {
    super('the text ends inside a value');
  }
}

const WHITE = /[\0\t\n\f\r ]/;
const DELIMITER = /[()<>[\]{}/%]/;

function skipSpace(text: string, pos: number): number {
  for (;;) {
    while (pos < text.length && WHITE.test(text[pos]!)) pos++;
    if (text[pos] !== '%') return pos;
    while (pos < text.length && text[pos] !== '\n' && text[pos] !== '\r') pos++;
  }
}

function endOfToken(text: string, pos: number): number {
  while (pos < text.length && !WHITE.test(text[pos]!) && !DELIMITER.test(text[pos]!)) pos++;
  if (pos >= text.length) throw new NeedMoreText();
  return pos;
}

/** The value starting at `pos` (after white space), and where it ends. */
export function parseValue(text: string, start: number): { value: PdfValue; end: number } {
  const pos = skipSpace(text, start);
  if (pos >= text.length) throw new NeedMoreText();
  const c = text[pos]!;
  if (c === '<' && text[pos + 1] === '<') {
    const entries = new Map<string, PdfValue>();
    let at = pos + 2;
    for (;;) {
      at = skipSpace(text, at);
      if (at >= text.length) throw new NeedMoreText();
      if (text.startsWith('>>', at)) return { value: { kind: 'dict', entries, raw: text.slice(pos, at + 2) }, end: at + 2 };
      const key = parseValue(text, at);
      if (key.value.kind !== 'name') throw new SyntaxError(`a dictionary key is a name, not ${key.value.raw}`);
      const value = parseValue(text, key.end);
      entries.set(key.value.raw.slice(1), value.value);
      at = value.end;
    }
  }
  if (c === '[') {
    const items: PdfValue[] = [];
    let at = pos + 1;
    for (;;) {
      at = skipSpace(text, at);
      if (at >= text.length) throw new NeedMoreText();
      if (text[at] === ']') return { value: { kind: 'array', items, raw: text.slice(pos, at + 1) }, end: at + 1 };
      const item = parseValue(text, at);
      items.push(item.value);
      at = item.end;
    }
  }
  if (c === '(') {
    let depth = 0;
    for (let at = pos; at < text.length; at++) {
      if (text[at] === '\\') at++;
      else if (text[at] === '(') depth++;
      else if (text[at] === ')' && --depth === 0) return { value: { kind: 'string', raw: text.slice(pos, at + 1) }, end: at + 1 };
    }
    throw new NeedMoreText();
  }
  if (c === '<') {
    const close = text.indexOf('>', pos);
    if (close < 0) throw new NeedMoreText();
    return { value: { kind: 'string', raw: text.slice(pos, close + 1) }, end: close + 1 };
  }
  if (c === '/') {
    const end = endOfToken(text, pos + 1);
    return { value: { kind: 'name', raw: text.slice(pos, end) }, end };
  }
  if (/[-+.\d]/.test(c)) {
    const end = endOfToken(text, pos);
    const raw = text.slice(pos, end);
    // "n g R" is a reference: look past two numbers for the R.
    const ref = /^\s*(\d+)\s+R(?=[\0\t\n\f\r ()<>[\]{}/%])/.exec(text.slice(end, end + 32));
    if (/^\d+$/.test(raw) && ref) {
      const refEnd = end + ref[0].length;
      return { value: { kind: 'ref', num: Number(raw), gen: Number(ref[1]), raw: text.slice(pos, refEnd) }, end: refEnd };
    }
    if (end + 32 > text.length && /^\d+$/.test(raw) && /^\s*\d*\s*R?$/.test(text.slice(end))) throw new NeedMoreText();
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new SyntaxError(`not a number: ${raw}`);
    return { value: { kind: 'number', value, raw }, end };
  }
  if (c === ')' || c === '>' || c === ']' || c === '{' || c === '}') throw new SyntaxError(`unexpected ${c}`);
  const end = endOfToken(text, pos);
  return { value: { kind: 'keyword', raw: text.slice(pos, end) }, end };
}

/** `n g obj <value>` at the start of `text` (after white space): the object's value. */
export function parseObject(text: string): { num: number; gen: number; value: PdfValue } {
  const head = /^\s*(\d+)\s+(\d+)\s+obj\b/.exec(text);
  if (!head) throw new SyntaxError('not an object');
  return { num: Number(head[1]), gen: Number(head[2]), value: parseValue(text, head[0].length).value };
}

/** A dictionary written again: its entries in order, `replace` taking over (undefined removes one). */
export function writeDict(dict: Map<string, PdfValue>, replace: Record<string, string | undefined>): string {
  const out: string[] = [];
  for (const [key, value] of dict) if (!(key in replace)) out.push(`/${key} ${value.raw}`);
  for (const [key, raw] of Object.entries(replace)) if (raw !== undefined) out.push(`/${key} ${raw}`);
  return `<< ${out.join(' ')} >>`;
}
