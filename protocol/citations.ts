import { z } from 'zod';
import type { Markup, MarkupColor, MarkupKind, Measurement, PagePoint, PersonNames } from './markups';

/**
 * Conditions that cite the plan (issue 16): the chair opens a vote citing markups of the
 * item by number; the vote keeps a frozen copy of each as it was drawn, and the opinion
 * keeps that copy, so later undo or deletion of the live markup changes nothing in the
 * record. Pure rules shared by the server (what is kept) and the clients (the links).
 */

/** Most markups one vote may cite. */
export const MAX_CITED_MARKUPS = 12;

/** The markup numbers `openVote` may carry. */
export const CitedNumbers = z.array(z.number().int().min(1).max(1_000_000)).max(MAX_CITED_MARKUPS);

/** A markup as a condition cites it: a frozen copy of what was drawn, with the document version it was drawn on. */
export interface CitedMarkup {
  markupId: number;
  number: number;
  kind: MarkupKind;
  color: MarkupColor;
  page: number;
  documentId: number;
  documentVersionId: number;
  documentSha256: string;
  points: PagePoint[];
  text?: string;
  measurement?: Measurement;
  authorName: PersonNames;
  /** ISO 8601: when it was drawn. */
  drawnAt: string;
}

export type CitationRefusal = 'unknown_markup' | 'deleted_markup';

/**
 * Which markups a vote cites: the requested numbers, once each, in number order, taken
 * from the item's markups `found`. A number the item lacks, or a markup undone or deleted,
 * refuses the whole request (with the numbers at fault).
 */
export function citeMarkups(numbers: readonly number[], found: readonly Markup[]):
  { ok: true; cited: CitedMarkup[] } | { ok: false; code: CitationRefusal; numbers: number[] } {
  const wanted = [...new Set(numbers)].sort((a, b) => a - b);
  const byNumber = new Map(found.map((m) => [m.number, m]));
  const unknown = wanted.filter((n) => !byNumber.has(n));
  if (unknown.length) return { ok: false, code: 'unknown_markup', numbers: unknown };
  const deleted = wanted.filter((n) => byNumber.get(n)!.deletedAt !== null);
  if (deleted.length) return { ok: false, code: 'deleted_markup', numbers: deleted };
  return { ok: true, cited: wanted.map((n) => frozen(byNumber.get(n)!)) };
}

function frozen(m: Markup): CitedMarkup {
  return {
    markupId: m.id, number: m.number, kind: m.kind, color: m.color, page: m.page,
    documentId: m.documentId, documentVersionId: m.documentVersionId, documentSha256: m.documentSha256,
    points: m.points.map(([x, y]): PagePoint => [x, y]),
    ...(m.text === undefined ? {} : { text: m.text }),
    ...(m.measurement === undefined ? {} : { measurement: { ...m.measurement } }),
    authorName: { ...m.authorName }, drawnAt: m.createdAt,
  };
}

/** A page of a document version with the cited markups drawn on it (one marked-up page image). */
export interface CitedPage {
  documentVersionId: number;
  documentSha256: string;
  page: number;
  /** Numbers of the cited markups on this page. */
  numbers: number[];
}

/** The marked-up pages of a set of cited markups, in the order of their first markup. */
export function citedPages(cited: readonly CitedMarkup[]): CitedPage[] {
  const pages = new Map<string, CitedPage>();
  for (const m of [...cited].sort((a, b) => a.number - b.number)) {
    const key = `${m.documentVersionId}:${m.page}`;
    const page = pages.get(key) ?? { documentVersionId: m.documentVersionId, documentSha256: m.documentSha256, page: m.page, numbers: [] };
    page.numbers.push(m.number);
    pages.set(key, page);
  }
  return [...pages.values()];
}

/**
 * The word a condition cites a markup by, in each language of the product ("markup 3",
 * "annotation 3", "العلامة 3"): the chair's chips write it, and any of them in the
 * conditions, followed by a cited number, reads as a link.
 */
export const CITATION_WORDS = { en: 'markup', fr: 'annotation', ar: 'العلامة' } as const;

const CITATION = /(markup|annotation|العلامة|علامة)(\s*(?:n°|no\.?|#|رقم)?\s*)(\d{1,7})/giu;

export type ConditionSegment = { text: string } | { text: string; number: number };

/** The conditions cut into plain text and citations of the cited numbers (other numbers stay text). */
export function conditionSegments(text: string, cited: readonly number[]): ConditionSegment[] {
  const segments: ConditionSegment[] = [];
  let last = 0;
  const push = (s: string) => {
    if (!s) return;
    const prev = segments[segments.length - 1];
    if (prev && !('number' in prev)) prev.text += s;
    else segments.push({ text: s });
  };
  for (const match of text.matchAll(CITATION)) {
    const number = Number(match[3]);
    if (!cited.includes(number)) continue;
    push(text.slice(last, match.index));
    segments.push({ text: match[0], number });
    last = match.index + match[0].length;
  }
  push(text.slice(last));
  return segments;
}
