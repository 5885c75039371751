import { z } from 'zod';

/**
 * Text that cannot lie. Whatever a person types reaches other people's screens and the
 * PDFs of the record (receipt, minutes), so it must show what it is:
 *
 * - Unicode format characters (category Cf) are removed: the bidi embeddings, overrides and
 *   isolates (U+202A–U+202E, U+2066–U+2069) that can make "plan.pdf" display as "fdp.nalp"
 *   or reverse a printed sha256; the marks LRM, RLM and ALM (U+200E, U+200F, U+061C), whose
 *   only effect is to move neighbouring text (each screen and PDF sets a field's direction
 *   itself); invisible ones that make two different strings look the same (soft hyphen,
 *   zero-width space, word joiner, BOM, the tag characters of U+E0000 …).
 *   Kept: ZWNJ and ZWJ (U+200C, U+200D). They change how letters join, never their order,
 *   and written Arabic-script text and emoji sequences need them.
 * - Control characters are removed, except line breaks and tabs where a text has lines;
 *   CR LF, CR and the Unicode line and paragraph separators become LF.
 * - A lone UTF-16 surrogate (valid JSON, invalid text) becomes U+FFFD.
 * - The result is in Unicode normalisation form C, so equal text is stored the same way.
 */
const FORMAT = /(?![\u200C\u200D])\p{Cf}/gu;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const common = (s: string) => s.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC').replace(FORMAT, '');

/** One line (a name, an address, a reference, a file name): line breaks and tabs become spaces. */
export function cleanLine(s: string): string {
  return common(s)
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, ' ')
    .replace(/\p{Cc}/gu, '');
}

/** Free text with lines (a message, reasons, conditions, minutes). */
export function cleanProse(s: string): string {
  return common(s)
    .replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n')
    .replace(/(?![\t\n])\p{Cc}/gu, '');
}

/** A single-line text field, cleaned then trimmed; at most `max` characters once cleaned. */
export const lineText = (max: number) => z.string().overwrite(cleanLine).trim().max(max);

/** A multi-line text field, cleaned then trimmed; at most `max` characters once cleaned. */
export const proseText = (max: number) => z.string().overwrite(cleanProse).trim().max(max);

/** Text being typed and autosaved (the minutes): cleaned but not trimmed, so a space typed at the end stays. */
export const draftText = (max: number) => z.string().overwrite(cleanProse).max(max);
