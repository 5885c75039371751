import { hearingSchemas } from '../../../protocol/hearings';
import { AppError } from '../../errors';
import { request, type MeetingFeature } from '../feature';
import { guestsHeardIn, type HearingGuests } from '../HearingGuests';
import type { MeetingRoom } from '../MeetingRoom';

/** A vote is the committee's deliberation: never with a guest in the room (the chair ends the hearing first). */
export function refuseWhileGuestHeard(room: MeetingRoom): void {
  if (guestsHeardIn(room) > 0) throw new AppError(409, 'guest_present', 'end the hearing before opening the vote: a guest is in the room');
}

/**
 * The hearing, the committee's side: who waits in the lobby and who is heard (the join
 * snapshot and `hearing` events), the chair admitting a guest when their item is open and
 * ending the hearing. The guests' side is HearingGuests (the `/hearing` namespace).
 */
export function hearingFeature(guests: HearingGuests): MeetingFeature {
  const chairOnly = { seats: ['chair'], refusal: 'only the chair admits and dismisses a guest', inSession: true } as const;
  return {
    name: 'hearing',
    roomCreated: (room) => guests.roomCreated(room),
    snapshot: { name: 'hearing', of: (room) => guests.state(room.sessionId) },
    settled: () => guests.settled(),
    requests: [
      request('admitGuest', hearingSchemas.admitGuest, async ({ invitationId }, { room, userId, participant }) => {
        await guests.admit(room, participant.seat, userId, invitationId);
        return null;
      }, chairOnly),
      request('endHearing', hearingSchemas.endHearing, async ({ invitationId }, { room }) => {
        await guests.end(room, invitationId);
        return null;
      }, { ...chairOnly, settles: true }),
    ],
  };
}
