/**
 * The minutes of a session as data: assembling attendance, the canonical serialisation
 * and its hash, the rules for editing (never after finalize), for signing (secretary,
 * then chair, on the finalized hash) and for verifying a copy. Pure: no I/O.
 *
 * What is hashed is the canonical JSON of `MinutesContent` (sorted keys, no whitespace,
 * see auditChain.canonicalJson); the printed PDF shows that hash, and the exported PDFs'
 * own sha256 are kept beside it so a downloaded file can be checked byte for byte.
 */
import type { CitedMarkup } from '../../protocol/citations';
import type { Markup } from '../../protocol/markups';
import type {
  AttendanceMode, MinutesAttendance, MinutesContent, MinutesItem, MinutesMarkup, MinutesPerson, ShownDocument, PublishedSessionOpinions, SignatureRecord, SignerRole, VoteRecord,
} from '../../protocol/minutes';
import type { Opinion } from '../../protocol/voting';
import { canonicalJson, sha256Hex } from './auditChain';
import { excludeFromAnnex, withExclusions } from './chatAnnex';

export const minutesCanonical = (content: MinutesContent) => canonicalJson(content);
export const minutesHash = (content: MinutesContent) => sha256Hex(minutesCanonical(content));

/**
 * An item's markups for the minutes: the shown ones, with the cited ones as the vote froze
 * them (a cited markup deleted since stays, as cited), by number; undefined when there are
 * none, so an item without markups serialises, and hashes, as before markups existed.
 */
export function minutesMarkups(live: readonly Markup[], cited: readonly CitedMarkup[], documents: readonly ShownDocument[]): MinutesMarkup[] | undefined {
  const byNumber = new Map<number, MinutesMarkup>();
  const entry = (m: Markup | CitedMarkup, isCited: boolean): MinutesMarkup => ({
    number: m.number, kind: m.kind, page: m.page, documentSha256: m.documentSha256,
    fileName: documents.find((d) => d.sha256 === m.documentSha256)?.fileName ?? '',
    ...(m.measurement ? { measurement: { ...m.measurement } } : {}),
    authorName: { ar: m.authorName.ar, fr: m.authorName.fr }, cited: isCited,
  });
  for (const m of live) if (m.deletedAt === null) byNumber.set(m.number, entry(m, false));
  for (const m of cited) byNumber.set(m.number, entry(m, true));
  const list = [...byNumber.values()].sort((a, b) => a.number - b.number);
  return list.length ? list : undefined;
}

export interface PresenceInterval {
  userId: number;
  joinedAt: Date;
  leftAt: Date | null;
  mode: AttendanceMode;
}

const SEAT_ORDER = { chair: 0, voting: 1, consultative: 2, secretary: 3 } as const;

/**
 * Attendance for the minutes: every seated person, in seat order (chair, voting,
 * consultative, secretary) then by French name, with their stretches in time order.
 * A stretch recorded twice (a reconnect that replayed its join) appears once.
 */
export function attendanceFrom(people: readonly MinutesPerson[], intervals: readonly PresenceInterval[]): MinutesAttendance[] {
  return [...people]
    .sort((a, b) => SEAT_ORDER[a.seat] - SEAT_ORDER[b.seat] || a.nameFr.localeCompare(b.nameFr, 'fr'))
    .map((person) => {
      const seen = new Set<string>();
      const stretches = intervals
        .filter((i) => i.userId === person.userId)
        .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime())
        .map((i) => ({ joinedAt: i.joinedAt.toISOString(), leftAt: i.leftAt ? i.leftAt.toISOString() : null, mode: i.mode }))
        .filter((s) => {
          const key = `${s.joinedAt}|${s.leftAt}|${s.mode}`;
          return !seen.has(key) && seen.add(key);
        });
      return { ...person, stretches };
    });
}

/** The item's opinion: the outcome of its last vote that had a valid outcome, if any. */
export function itemOpinion(votes: readonly VoteRecord[]): Opinion | null {
  for (let i = votes.length - 1; i >= 0; i--) {
    const outcome = votes[i]!.outcome;
    if (outcome.valid) return outcome.opinion;
  }
  return null;
}

/** What the secretary writes; the rest of the minutes comes from what happened. */
export interface MinutesTextEdit {
  remarks?: string;
  /** Free text per item, by the item's position on the agenda. */
  notes?: Record<number, string>;
  /** Chat messages excluded from the annex, by message id, with the reason. */
  excludeChat?: Record<number, string>;
}

export type EditResult =
  | { ok: true; content: MinutesContent }
  | { ok: false; code: 'immutable' | 'not_found' | 'conflict'; message: string };

/** Applies the secretary's text to draft minutes; finalized minutes never change. */
export function editMinutes(content: MinutesContent, finalizedAt: string | null, edit: MinutesTextEdit): EditResult {
  if (finalizedAt) return { ok: false, code: 'immutable', message: `the minutes were finalized at ${finalizedAt}` };
  const notes = edit.notes ?? {};
  for (const position of Object.keys(notes).map(Number)) {
    if (!content.items.some((i) => i.position === position)) return { ok: false, code: 'not_found', message: `no agenda item at position ${position}` };
  }
  const items: MinutesItem[] = content.items.map((item) => (item.position in notes ? { ...item, notes: notes[item.position]! } : item));
  const chat = excludeFromAnnex(content.chat ?? [], edit.excludeChat ?? {});
  if (!chat.ok) return chat;
  return { ok: true, content: { ...content, items, remarks: edit.remarks ?? content.remarks, ...(content.chat && { chat: chat.chat }) } };
}

/**
 * Minutes re-assembled from the records, carrying over the secretary's text of the stored
 * draft: the remarks, each item's notes by agenda position (text of an item no longer on
 * the agenda is dropped with it), and the chat messages excluded from the annex.
 */
export function withSecretaryText(assembled: MinutesContent, stored: MinutesContent | null): MinutesContent {
  if (!stored) return assembled;
  const notes = new Map(stored.items.map((i) => [i.position, i.notes]));
  return {
    ...assembled,
    remarks: stored.remarks,
    items: assembled.items.map((item) => ({ ...item, notes: notes.get(item.position) ?? item.notes })),
    ...(assembled.chat && { chat: withExclusions(assembled.chat, stored.chat) }),
  };
}

/** The order the finalized minutes are signed in. */
export const SIGNING_ORDER: readonly SignerRole[] = ['secretary', 'chair'];

export interface SigningState {
  finalizedAt: string | null;
  /** The hash of the finalized content. */
  hash: string | null;
  signatures: readonly Pick<SignatureRecord, 'role'>[];
}

export type SignRefusal =
  | { code: 'invalid_transition'; reason: 'not_finalized' | 'complete' }
  | { code: 'out_of_order'; reason: 'waiting_for'; expected: SignerRole }
  | { code: 'conflict'; reason: 'hash_mismatch' | 'already_signed' };

/** Whose signature the minutes wait for; null before finalize and once all have signed. */
export function nextSigner(state: SigningState): SignerRole | null {
  if (!state.finalizedAt) return null;
  return SIGNING_ORDER.find((role) => !state.signatures.some((s) => s.role === role)) ?? null;
}

/** Whether `role` may sign `hash` now: only the finalized hash, each role once, in order. */
export function checkSignature(state: SigningState, role: SignerRole, hash: string): { ok: true } | ({ ok: false } & SignRefusal) {
  if (!state.finalizedAt || !state.hash) return { ok: false, code: 'invalid_transition', reason: 'not_finalized' };
  if (state.signatures.some((s) => s.role === role)) return { ok: false, code: 'conflict', reason: 'already_signed' };
  const expected = nextSigner(state);
  if (expected === null) return { ok: false, code: 'invalid_transition', reason: 'complete' };
  if (expected !== role) return { ok: false, code: 'out_of_order', reason: 'waiting_for', expected };
  if (hash !== state.hash) return { ok: false, code: 'conflict', reason: 'hash_mismatch' };
  return { ok: true };
}

/**
 * What the public page shows of finalized minutes: each item's dossier reference and the
 * committee's opinion, nothing about the applicant (Law 2004-63: no more than needed).
 */
export function publishedOpinions(content: MinutesContent): PublishedSessionOpinions {
  return {
    sessionId: content.session.id,
    date: content.date,
    municipality: content.municipality,
    items: content.items.map((i) => ({ dossierReference: i.dossierReference, opinion: i.opinion })),
  };
}

/** A finalized minutes record as far as verification needs it. */
export interface FinalizedMinutes {
  minutesId: number;
  sessionId: number;
  /** sha256 of the canonical content. */
  hash: string;
  /** sha256 of each exported PDF, by language. */
  pdfSha256: Partial<Record<'ar' | 'fr', string>>;
  finalizedAt: string;
}

export type VerificationResult =
  | { valid: true; minutesId: number; sessionId: number; finalizedAt: string; matched: 'content_hash' | 'pdf'; language?: 'ar' | 'fr' }
  | { valid: false };

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Does a hash match a finalized record? Accepts the content hash printed at the end of
 * the minutes, or the sha256 of a downloaded PDF (any single changed byte changes it).
 */
export function verifyMinutes(records: readonly FinalizedMinutes[], hash: string): VerificationResult {
  const h = hash.trim().toLowerCase();
  if (!HEX64.test(h)) return { valid: false };
  for (const r of records) {
    const base = { valid: true as const, minutesId: r.minutesId, sessionId: r.sessionId, finalizedAt: r.finalizedAt };
    if (r.hash === h) return { ...base, matched: 'content_hash' };
    for (const language of ['ar', 'fr'] as const) {
      if (r.pdfSha256[language] === h) return { ...base, matched: 'pdf', language };
    }
  }
  return { valid: false };
}

/** The same check for a PDF's bytes. */
export const verifyMinutesPdf = (records: readonly FinalizedMinutes[], pdf: Uint8Array) => verifyMinutes(records, sha256Hex(pdf));
