import { votingSchemas } from '../../protocol/voting';
import { conflict } from '../errors';
import { closedVoteView, recusalView, type VoteService } from '../services/votes';
import type { MeetingFeature } from './meeting';

/**
 * The live vote on the `/meeting` namespace: recusals, the chair opening and closing
 * votes on the session's agenda items, members casting ballots. Quorum and eligibility
 * come from the room's live presence (one entry per person, however many sockets); every
 * ballot is persisted before it is acknowledged, and the room's state is read back from
 * the database on each join, so a restarted server restores an open vote with its ballots.
 */
export function votingFeature(votes: VoteService): MeetingFeature {
  return {
    name: 'voting',

    snapshot: (room, userId) => votes.sessionSnapshot(room.sessionId, userId),

    attach(socket, ctx) {
      const s = votingSchemas;

      ctx.handle(socket, 'recuse', s.recuse, async ({ agendaItemId, reason }) => {
        const room = ctx.roomOf(socket);
        const { userId } = room.participant(socket);
        await votes.itemOfSession(room.sessionId, agendaItemId);
        const view = recusalView(await votes.recuse(agendaItemId, userId, reason));
        room.broadcast('recusal', view);
        room.emit('recordschanged', agendaItemId);
        return view;
      });

      ctx.handle(socket, 'openVote', s.openVote, async ({ agendaItemId, question, conditions }) => {
        const room = ctx.roomOf(socket);
        const { userId } = room.requireChair(socket);
        await votes.itemOfSession(room.sessionId, agendaItemId);
        const view = await votes.open(agendaItemId, userId, question, conditions, room.presentUserIds);
        room.broadcast('voteOpened', view);
        return view;
      });

      ctx.handle(socket, 'castBallot', s.castBallot, async ({ voteId, choice }) => {
        const room = ctx.roomOf(socket);
        const { userId } = room.participant(socket);
        await votes.assertVoteOfSession(room.sessionId, voteId);
        const { effect, progress } = await votes.cast(voteId, userId, choice, room.presentUserIds);
        if (effect !== 'unchanged') room.broadcast('voteProgress', progress);
        return { voteId, choice, effect };
      });

      ctx.handle(socket, 'closeVote', s.closeVote, async ({ voteId, reasons }) => {
        const room = ctx.roomOf(socket);
        const { userId } = room.requireChair(socket);
        await votes.assertVoteOfSession(room.sessionId, voteId);
        const { vote, ballots } = await votes.close(voteId, userId, room.presentUserIds, reasons);
        const view = closedVoteView(vote, ballots);
        room.broadcast('voteClosed', view);
        room.emit('recordschanged', vote.agendaItemId);
        return view;
      });
    },

    async beforeSessionEnd(room) {
      if (await votes.hasOpenVote(room.sessionId)) throw conflict('a vote is still open: close it before ending the session');
    },
  };
}
