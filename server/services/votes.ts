import { UniqueConstraintError, type Sequelize, type Transaction } from 'sequelize';
import { AgendaItem, Ballot, Committee, CommitteeSeat, CommitteeSession, Recusal, Vote } from '../../db/models';
import type { BallotChoice } from '../../protocol/voting';
import { castEffect, mayVote, quorum, voteOutcome, type Seat, type VoteOutcome } from '../domain/voting';
import { AppError, conflict, forbidden, notFound } from '../errors';
import { appendAudit } from './audit';
import { serialWriteTransaction } from './serialWrites';

/** Who is in the meeting room right now (user ids; duplicates from reconnects are harmless). */
export type Presence = readonly number[];

interface ItemContext {
  item: AgendaItem;
  committee: Committee;
  seats: Seat[];
  recused: number[];
}

const voteClosed = () => new AppError(409, 'vote_closed', 'the vote is closed');

/**
 * The persisted side of a vote: recusals, opening with quorum, ballots as they are cast,
 * closing with the outcome computed by the committee's rules (server/domain/voting.ts) and
 * an audit entry. Presence comes from the caller (the meeting room); everything else from
 * the database, so a restarted server finds an open vote with its ballots.
 */
export class VoteService {
  constructor(private readonly sequelize: Sequelize) {}

  private async context(agendaItemId: number, transaction: Transaction): Promise<ItemContext> {
    const item = await AgendaItem.findByPk(agendaItemId, { transaction });
    const session = item && await CommitteeSession.findByPk(item.sessionId, { transaction });
    const committee = session && await Committee.findByPk(session.committeeId, { transaction });
    if (!item || !committee) throw notFound('agenda item');
    const seats = (await CommitteeSeat.findAll({ where: { committeeId: committee.id }, transaction }))
      .map((s) => ({ userId: s.userId, kind: s.kind, vetoHolder: s.vetoHolder }));
    const recused = (await Recusal.findAll({ where: { agendaItemId }, transaction })).map((r) => r.userId);
    return { item, committee, seats, recused };
  }

  private static requireChair(ctx: ItemContext, userId: number) {
    if (!ctx.seats.some((s) => s.userId === userId && s.kind === 'chair')) throw forbidden('only the chair runs the votes');
  }

  /** A member declares a conflict of interest on an item; declaring it again changes nothing. */
  async recuse(agendaItemId: number, userId: number, reason: string, at = new Date()): Promise<Recusal> {
    return serialWriteTransaction(this.sequelize, async (transaction) => {
      const ctx = await this.context(agendaItemId, transaction);
      if (!ctx.seats.some((s) => s.userId === userId)) throw forbidden('only a member of the committee recuses');
      if (await Vote.findOne({ where: { agendaItemId, status: 'open' }, transaction })) throw conflict('a vote is open on this item; recuse before it opens');
      const existing = await Recusal.findOne({ where: { agendaItemId, userId }, transaction });
      if (existing) return existing;
      const recusal = await Recusal.create({ agendaItemId, userId, reason, at }, { transaction });
      await appendAudit(transaction, { at, actorId: userId, action: 'item.recusal', subject: `agenda_item:${agendaItemId}`, payload: { reason } });
      return recusal;
    });
  }

  /** The chair opens a vote on an item; refused without quorum or while another vote on it is open. */
  async open(agendaItemId: number, chairId: number, question: string, conditions: string, present: Presence, at = new Date()): Promise<Vote> {
    return serialWriteTransaction(this.sequelize, async (transaction) => {
      const ctx = await this.context(agendaItemId, transaction);
      VoteService.requireChair(ctx, chairId);
      const q = quorum(ctx.committee.rules, ctx.seats, present, ctx.recused);
      if (!q.met) throw new AppError(409, 'quorum_not_met', `quorum not met: ${q.present} of ${q.required} required`, q);
      if (await Vote.findOne({ where: { agendaItemId, status: 'open' }, transaction })) throw conflict('a vote is already open on this item');
      const vote = await Vote.create({ agendaItemId, question, conditions, openedById: chairId, openedAt: at, quorumAtOpen: q }, { transaction });
      await appendAudit(transaction, { at, actorId: chairId, action: 'vote.opened', subject: `vote:${vote.id}`, payload: { agendaItemId, question, conditions, quorum: { ...q } } });
      return vote;
    });
  }

  /**
   * Records a ballot. A retry of the same ballot is a no-op; a different choice replaces
   * the ballot when the rules allow it. Two casts racing for the same member meet the
   * unique key: the loser's cast is answered as the retry it is.
   */
  async cast(voteId: number, userId: number, choice: BallotChoice, present: Presence, at = new Date()): Promise<{ ballot: Ballot; effect: 'record' | 'unchanged' | 'replace' }> {
    try {
      return await this.castOnce(voteId, userId, choice, present, at);
    } catch (error) {
      if (!(error instanceof UniqueConstraintError)) throw error;
      return this.castOnce(voteId, userId, choice, present, at);
    }
  }

  private castOnce(voteId: number, userId: number, choice: BallotChoice, present: Presence, at: Date) {
    return serialWriteTransaction(this.sequelize, async (transaction) => {
      const vote = await Vote.findByPk(voteId, { transaction });
      if (!vote) throw notFound('vote');
      if (vote.status !== 'open') throw voteClosed();
      const ctx = await this.context(vote.agendaItemId, transaction);
      const may = mayVote(ctx.seats, present, ctx.recused, userId);
      if (!may.ok) {
        if (may.reason === 'recused') throw new AppError(403, 'recused', 'you recused yourself on this item');
        throw forbidden(`you cannot vote: ${may.reason.replace(/_/g, ' ')}`);
      }
      const previous = await Ballot.findOne({ where: { voteId, userId }, transaction });
      const effect = castEffect(ctx.committee.rules, previous?.choice, choice);
      if (effect === 'refuse_change') throw conflict('this committee does not allow changing a ballot');
      if (effect === 'unchanged') return { ballot: previous!, effect };
      const ballot = previous
        ? await previous.update({ choice, castAt: at }, { transaction })
        : await Ballot.create({ voteId, userId, choice, castAt: at }, { transaction });
      return { ballot, effect };
    });
  }

  /** The chair closes the vote: quorum checked again, outcome computed, everything recorded at once. */
  async close(voteId: number, chairId: number, present: Presence, at = new Date()): Promise<{ vote: Vote; outcome: VoteOutcome }> {
    return serialWriteTransaction(this.sequelize, async (transaction) => {
      const vote = await Vote.findByPk(voteId, { transaction });
      if (!vote) throw notFound('vote');
      if (vote.status !== 'open') throw voteClosed();
      const ctx = await this.context(vote.agendaItemId, transaction);
      VoteService.requireChair(ctx, chairId);
      const ballots = await Ballot.findAll({ where: { voteId }, order: [['id', 'ASC']], transaction });
      const outcome = voteOutcome({
        rules: ctx.committee.rules, seats: ctx.seats, recused: ctx.recused, presentAtClose: present,
        ballots: ballots.map((b) => ({ userId: b.userId, choice: b.choice })),
      });
      await vote.update({
        status: 'closed', closedAt: at, quorumAtClose: outcome.quorum, tally: outcome.tally,
        outcome: outcome.valid
          ? { valid: true, opinion: outcome.opinion, decidedBy: outcome.decidedBy, base: outcome.base }
          : { valid: false, reason: outcome.reason },
      }, { transaction });
      await appendAudit(transaction, {
        at, actorId: chairId, action: 'vote.closed', subject: `vote:${vote.id}`,
        payload: {
          agendaItemId: vote.agendaItemId, question: vote.question, conditions: vote.conditions,
          ballots: ballots.map((b) => ({ userId: b.userId, choice: b.choice })),
          recused: ctx.recused, quorum: { ...outcome.quorum }, tally: { ...outcome.tally }, outcome: { ...vote.outcome! },
        },
      });
      return { vote, outcome };
    });
  }

  /** An item's open vote with its ballots (what a restarted server or a reconnecting client needs). */
  async openVote(agendaItemId: number): Promise<{ vote: Vote; ballots: Ballot[] } | null> {
    const vote = await Vote.findOne({ where: { agendaItemId, status: 'open' } });
    if (!vote) return null;
    return { vote, ballots: await Ballot.findAll({ where: { voteId: vote.id }, order: [['id', 'ASC']] }) };
  }
}
