import { votingSchemas } from '../../../protocol/voting';
import { closedVoteView, recusalView, type VoteService } from '../../services/votes';
import { request, type MeetingFeature } from '../feature';
import { refuseWhileGuestHeard } from './hearing';

/**
 * The live vote: recusals, the chair opening and closing votes on the session's agenda
 * items, members casting ballots. Quorum and eligibility come from the room's live
 * presence (one entry per person, however many connections); every ballot is persisted
 * before it is acknowledged, and the state is read back from the database on each join,
 * so a restarted server restores an open vote with its ballots.
 */
export function votingFeature(votes: VoteService): MeetingFeature {
  const s = votingSchemas;
  const chairOnly = { seats: ['chair'], refusal: 'only the chair runs the votes', inSession: true } as const;
  const inSession = { inSession: true } as const;
  return {
    name: 'voting',

    snapshot: { name: 'voting', of: (room, p) => votes.sessionSnapshot(room.sessionId, p.userId) },

    requests: [
      request('recuse', s.recuse, async ({ agendaItemId, reason }, { room, userId }) => {
        await votes.itemOfSession(room.sessionId, agendaItemId);
        const view = recusalView(await votes.recuse(agendaItemId, userId, reason));
        room.broadcast('recusal', view);
        room.emit('recordschanged', agendaItemId);
        return view;
      }, inSession),
      request('openVote', s.openVote, async ({ agendaItemId, question, conditions, markups }, { room, userId }) => {
        await votes.itemOfSession(room.sessionId, agendaItemId);
        refuseWhileGuestHeard(room);
        const view = await votes.open(agendaItemId, userId, question, conditions, room.presentUserIds, new Date(), markups);
        room.broadcast('voteOpened', view);
        return view;
      }, chairOnly),
      request('castBallot', s.castBallot, async ({ voteId, choice }, { room, userId }) => {
        await votes.assertVoteOfSession(room.sessionId, voteId);
        const { effect, progress } = await votes.cast(voteId, userId, choice, room.presentUserIds);
        if (effect !== 'unchanged') room.broadcast('voteProgress', progress);
        return { voteId, choice, effect };
      }, inSession),
      request('closeVote', s.closeVote, async ({ voteId, reasons }, { room, userId }) => {
        await votes.assertVoteOfSession(room.sessionId, voteId);
        const { vote, ballots, repeated } = await votes.close(voteId, userId, room.presentUserIds, reasons);
        const view = closedVoteView(vote, ballots);
        // A retried close (its answer lost) gets the closed vote; the room was told the first time.
        if (repeated) return view;
        room.broadcast('voteClosed', view);
        room.emit('recordschanged', vote.agendaItemId);
        return view;
      }, chairOnly),
    ],

  };
}
