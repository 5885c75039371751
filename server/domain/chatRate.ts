/**
 * How fast one person may write in a meeting's chat: a short burst (people answer each
 * other quickly), and a ceiling over minutes (a chat is not where the session happens; a
 * stuck key or a script must not flood everyone's screen and the minutes' annex). Pure.
 */
export interface ChatWindow {
  /** Messages allowed … */
  max: number;
  /** … within this many milliseconds. */
  ms: number;
}

export const CHAT_LIMITS: readonly ChatWindow[] = [
  { max: 5, ms: 10_000 },
  { max: 30, ms: 5 * 60_000 },
];

export type ChatAllowance = { ok: true } | { ok: false; retryAfterMs: number; window: ChatWindow };

/**
 * Whether one more message may be sent at `now`, given the times (ms, any order) of the
 * author's earlier messages. Refused: how long until the fullest window has room again.
 */
export function chatAllowance(sent: readonly number[], now: number, limits: readonly ChatWindow[] = CHAT_LIMITS): ChatAllowance {
  let refusal: ChatAllowance = { ok: true };
  for (const window of limits) {
    const inWindow = sent.filter((t) => t > now - window.ms && t <= now).sort((a, b) => a - b);
    if (inWindow.length < window.max) continue;
    // Room again once the oldest message that makes the window full has left it.
    const retryAfterMs = inWindow[inWindow.length - window.max]! + window.ms - now;
    if (refusal.ok || retryAfterMs > refusal.retryAfterMs) refusal = { ok: false, retryAfterMs, window };
  }
  return refusal;
}

/** The times still worth keeping for `chatAllowance` (the longest window's). */
export function recentSends(sent: readonly number[], now: number, limits: readonly ChatWindow[] = CHAT_LIMITS): number[] {
  const longest = Math.max(...limits.map((w) => w.ms));
  return sent.filter((t) => t > now - longest);
}
