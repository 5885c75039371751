import { minutesSchemas } from '../../protocol/minutes';
import { forbidden } from '../errors';
import type { MinutesService } from '../services/minutes';
import type { MeetingFeature } from './meeting';
import type { MeetingRoom, MeetingSocket } from './MeetingRoom';

/**
 * The minutes panel of the meeting room: the session's secretary reads the draft as the
 * records fill it and autosaves their text; nobody else sees or edits it here.
 */
export function minutesFeature(minutes: MinutesService): MeetingFeature {
  return {
    name: 'minutes',
    snapshot: (room: MeetingRoom, userId: number) => (room.seatOf(userId) === 'secretary' ? minutes.view(room.sessionId) : null),
    attach(socket: MeetingSocket, ctx) {
      const secretarysRoom = () => {
        const room = ctx.roomOf(socket);
        if (room.participant(socket).seat !== 'secretary') throw forbidden('only the secretary keeps the minutes');
        return room;
      };
      ctx.handle(socket, 'getMinutes', minutesSchemas.getMinutes, () => minutes.view(secretarysRoom().sessionId));
      ctx.handle(socket, 'editMinutes', minutesSchemas.editMinutes, (edit) =>
        minutes.editText(secretarysRoom().sessionId, socket.data.principal.userId, edit),
      );
    },
  };
}
