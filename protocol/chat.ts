import { z } from 'zod';
import type { AckFn } from './meeting';
import { proseText } from './text';

/** Longest chat message, in characters once cleaned. */
export const CHAT_MAX_CHARS = 2000;

/**
 * The meeting chat: messages to everyone in the session, kept as part of its record (the
 * minutes print them as an annex). A message is plain text: clients show it isolated in
 * its own direction and never turn what looks like a link into one.
 */
export const chatSchemas = {
  sendChat: z.object({ text: proseText(CHAT_MAX_CHARS).min(1, 'an empty message') }).strict(),
} as const;

export interface ChatMessageView {
  id: number;
  authorId: number;
  nameAr: string;
  nameFr: string;
  text: string;
  /** ISO 8601. */
  sentAt: string;
}

declare module './meeting' {
  interface MeetingFeatureSnapshots {
    /** The session's messages so far, oldest first (a late joiner reads what was said). */
    chat: ChatMessageView[];
  }
  interface MeetingClientEvents {
    sendChat(p: z.input<typeof chatSchemas.sendChat>, ack: AckFn<ChatMessageView>): void;
  }
  interface MeetingServerEvents {
    /** A message was written (persisted before it is sent). */
    chatMessage(message: ChatMessageView): void;
  }
}
