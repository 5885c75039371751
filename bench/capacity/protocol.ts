/** The messages between the capacity benchmark (the server's process) and its load process. */

/** A session's eight members: the chair first, then the five voting members, the secretary and the consultative member. */
export const MEMBERS = ['chair', 'architect', 'engineer', 'urbanism', 'steg', 'protection', 'secretary', 'sonede'].map((who) => `${who}@ain-draham.tn`);
/** The first six of MEMBERS vote. */
export const VOTERS = 6;
export const PAGE_EVERY_MS = 10_000;
export const VOTE_EVERY_MS = 120_000;

export interface SessionSpec {
  index: number;
  url: string;
  sessionId: number;
  itemId: number;
  versionId: number;
  pages: number;
  /** Cookie header of each member's login, by email. */
  cookies: Record<string, string>;
}

/** One member's PlainTransport (the SFU's port) and the SSRCs of their two streams. */
export interface Senders {
  port: number;
  audioSsrc: number;
  videoSsrc: number;
}

export type ToLoad =
  | { type: 'session'; spec: SessionSpec }
  | { type: 'media'; index: number; senders: Senders[] }
  /**
   * A measuring window starts: the sessions in `voting` re-cast their ballots once within it
   * (a session named k times, k times); `together`, the sessions' k-th re-casts fall at the same moment.
   */
  | { type: 'window'; window: number; durationMs: number; voting: number[]; together?: boolean; url: string }
  | { type: 'collect' }
  | { type: 'stop' };

export type FromLoad =
  | { type: 'started' }
  | { type: 'ready'; index: number; sinkPort: number }
  | { type: 'samples'; ackMs: number[]; fanoutMs: number[]; healthMs: number[]; errors: number; forwarded: number }
  | { type: 'failed'; message: string };
