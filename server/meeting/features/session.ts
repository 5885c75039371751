import { meetingSchemas } from '../../../protocol/meeting';
import type { SessionService } from '../../services/SessionService';
import { request, type MeetingFeature } from '../feature';

/**
 * The chair runs the session from the room: opens it (the waiting room becomes the
 * session) and ends it. Both are written by the sessions service, which publishes the
 * change; the meeting server applies it to the room (here or on another node).
 */
export function sessionFeature(sessions: SessionService): MeetingFeature {
  const chairOnly = { seats: ['chair'], refusal: 'only the chair runs the session' } as const;
  return {
    name: 'session',
    requests: [
      request('openSession', meetingSchemas.openSession, (_, { room, userId }) => sessions.open(room.sessionId, userId), { ...chairOnly, settles: true }),
      request('endSession', meetingSchemas.endSession, async (_, { room, userId }) => {
        await sessions.end(room.sessionId, userId);
        return null;
      }, { ...chairOnly, settles: true }),
    ],
  };
}
