import { minutesSchemas } from '../../../protocol/minutes';
import type { MinutesService } from '../../services/minutes';
import { request, type MeetingFeature } from '../feature';

/**
 * The minutes panel of the meeting room: the session's secretary reads the draft as the
 * records fill it and autosaves their text; nobody else sees or edits it here.
 */
export function minutesFeature(minutes: MinutesService): MeetingFeature {
  const secretaryOnly = { seats: ['secretary'], refusal: 'only the secretary keeps the minutes' } as const;
  return {
    name: 'minutes',
    snapshot: { name: 'minutes', of: (room, p) => (p.seat === 'secretary' ? minutes.view(room.sessionId) : null) },
    requests: [
      request('getMinutes', minutesSchemas.getMinutes, (_, { room }) => minutes.view(room.sessionId), secretaryOnly),
      request('editMinutes', minutesSchemas.editMinutes, (edit, { room, userId }) => minutes.editText(room.sessionId, userId, edit), secretaryOnly),
    ],
  };
}
