import { meetingSchemas } from '../../../protocol/meeting';
import { request, type MeetingFeature } from '../feature';
import type { MeetingRoom } from '../MeetingRoom';

/** The raised hands of one meeting, oldest first; a member who leaves for good is taken off. */
export class HandQueue {
  #queue: number[] = [];

  constructor(private readonly room: MeetingRoom) {
    room.on('participantleft', (userId) => this.lower(userId));
  }

  get queue(): readonly number[] {
    return this.#queue;
  }

  raise(userId: number): void {
    if (this.#queue.includes(userId)) return;
    this.#queue = [...this.#queue, userId];
    this.#announce();
  }

  lower(userId: number): void {
    if (!this.#queue.includes(userId)) return;
    this.#queue = this.#queue.filter((u) => u !== userId);
    this.#announce();
  }

  clear(): void {
    this.#queue = [];
    this.#announce();
  }

  #announce(): void {
    this.room.broadcast('hands', [...this.#queue]);
  }
}

const queues = new WeakMap<MeetingRoom, HandQueue>();

/** The room's hand queue. */
export function handsOf(room: MeetingRoom): HandQueue {
  let q = queues.get(room);
  if (!q) queues.set(room, (q = new HandQueue(room)));
  return q;
}

const s = meetingSchemas;

/**
 * How each member is present: video or audio-only, the link quality their client measures,
 * and the queue of raised hands that only the chair clears.
 */
export const presenceFeature: MeetingFeature = {
  name: 'presence',
  snapshot: { name: 'hands', of: (room) => [...handsOf(room).queue] },
  roomCreated: (room) => void handsOf(room),
  requests: [
    request('setMode', s.setMode, ({ mode }, { room, userId }) => {
      room.setMode(userId, mode);
      return null;
    }),
    request('setQuality', s.setQuality, ({ quality }, { room, userId }) => {
      room.setQuality(userId, quality);
      return null;
    }),
    request('raiseHand', s.raiseHand, (_, { room, userId }) => {
      handsOf(room).raise(userId);
      return null;
    }),
    request('lowerHand', s.lowerHand, (_, { room, userId }) => {
      handsOf(room).lower(userId);
      return null;
    }),
    request(
      'clearHands',
      s.clearHands,
      ({ userId }, { room }) => {
        if (userId === undefined) handsOf(room).clear();
        else handsOf(room).lower(userId);
        return null;
      },
      { seats: ['chair'], refusal: 'only the chair clears hands' },
    ),
  ],
};
