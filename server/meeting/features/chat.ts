import { chatSchemas } from '../../../protocol/chat';
import { chatAllowance, recentSends } from '../../domain/chatRate';
import { AppError } from '../../errors';
import type { ChatService } from '../../services/chat';
import { request, type MeetingFeature } from '../feature';
import type { MeetingRoom } from '../MeetingRoom';

/** When each member of one room last wrote, for the rate rule (server/domain/chatRate.ts). */
class ChatPace {
  readonly #sent = new Map<number, number[]>();

  /** Counts a message of `userId` at `now`, or refuses it with 429 and how long to wait. */
  take(userId: number, now: number): void {
    const sent = recentSends(this.#sent.get(userId) ?? [], now);
    const allowance = chatAllowance(sent, now);
    if (!allowance.ok) {
      const retryAfterSeconds = Math.ceil(allowance.retryAfterMs / 1000);
      throw new AppError(429, 'too_many_attempts', 'too many messages; wait a moment', {
        limit: 'chat', max: allowance.window.max, windowSeconds: allowance.window.ms / 1000, retryAfterSeconds,
      });
    }
    this.#sent.set(userId, [...sent, now]);
  }
}

/**
 * The meeting chat: a message to everyone in the session, persisted with its author and
 * time before it is sent, so it is part of the session's record (the minutes' annex) and
 * a late joiner's snapshot carries what was said. Only once the chair has opened the
 * session: the waiting room makes no record.
 */
export function chatFeature(chat: ChatService): MeetingFeature {
  const paces = new WeakMap<MeetingRoom, ChatPace>();
  return {
    name: 'chat',
    roomCreated: (room) => void paces.set(room, new ChatPace()),
    snapshot: { name: 'chat', of: (room) => chat.history(room.sessionId) },
    requests: [
      request('sendChat', chatSchemas.sendChat, async ({ text }, { room, userId }) => {
        paces.get(room)!.take(userId, Date.now());
        const message = await chat.post(room.sessionId, userId, text);
        room.broadcast('chatMessage', message);
        return message;
      }, { inSession: true }),
    ],
  };
}
