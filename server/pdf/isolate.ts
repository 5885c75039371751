/**
 * User text (an address, a file name, a vote's question, conditions typed in French in an
 * Arabic session) is set in its own direction: wrapped in a first-strong isolate (FSI … PDI,
 * Unicode bidi rule X5c), so its final period and its brackets stay at its own end and do
 * not pull the surrounding sentence around. The typesetter draws no bidi control character.
 */

const FSI = '\u2068';
const PDI = '\u2069';

/** Embeddings, overrides and isolates: a user's own would break out of the isolate or reverse the text (a spoofing trick). */
const EXPLICIT_BIDI = /[\u202A-\u202E\u2066-\u2069]/g;
/** Control characters other than line breaks and tabs. */
const CONTROLS = /(?![\t\n\r])\p{Cc}/gu;

/** Every bidi control, drawn by nobody: the marks too (LRM, RLM, ALM). */
export const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** `text` as an isolate of its own direction, line by line (each line of a note keeps its direction). */
export function isolate(text: string): string {
  const clean = text.replace(EXPLICIT_BIDI, '').replace(CONTROLS, '');
  if (!clean.trim()) return '';
  return clean.split(/\r?\n/).map((line) => (line.trim() ? `${FSI}${line}${PDI}` : line)).join('\n');
}
