/**
 * The meeting chat as the minutes' annex: every message of the session with its author
 * and time, except that the secretary may exclude one with a reason. An excluded message
 * keeps its place, author and time in the annex, its text gives way to the reason, and an
 * exclusion is final (the record shows that something was said and why it is not printed).
 * Pure: no I/O.
 */
import type { ChatAnnexEntry } from '../../protocol/minutes';

export type ExclusionResult =
  | { ok: true; chat: ChatAnnexEntry[] }
  | { ok: false; code: 'not_found' | 'conflict'; message: string };

/** Excludes messages (by id, with their reasons) from the annex; an unknown or already excluded one refuses the whole edit. */
export function excludeFromAnnex(chat: readonly ChatAnnexEntry[], exclusions: Readonly<Record<number, string>>): ExclusionResult {
  const byId = new Map(chat.map((m) => [m.messageId, m]));
  for (const id of Object.keys(exclusions).map(Number)) {
    const message = byId.get(id);
    if (!message) return { ok: false, code: 'not_found', message: `no chat message ${id} in these minutes` };
    if (message.excluded) return { ok: false, code: 'conflict', message: `chat message ${id} is already excluded` };
  }
  return { ok: true, chat: chat.map((m) => (m.messageId in exclusions ? excluded(m, exclusions[m.messageId]!) : m)) };
}

/** The annex assembled again from the records, keeping the exclusions of the stored draft. */
export function withExclusions(assembled: readonly ChatAnnexEntry[], stored: readonly ChatAnnexEntry[] | undefined): ChatAnnexEntry[] {
  const reasons = new Map((stored ?? []).flatMap((m) => (m.excluded ? [[m.messageId, m.excluded.reason] as const] : [])));
  return assembled.map((m) => (reasons.has(m.messageId) ? excluded(m, reasons.get(m.messageId)!) : m));
}

const excluded = (m: ChatAnnexEntry, reason: string): ChatAnnexEntry => ({ ...m, text: '', excluded: { reason } });
