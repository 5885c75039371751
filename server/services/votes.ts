import { Op, type Sequelize, type Transaction } from 'sequelize';
import {
  AgendaItem, Ballot, Committee, CommitteeOpinion, CommitteeSeat, CommitteeSession, Dossier, Recusal, Vote,
} from '../../db/models';
import { forUpdate, writeTransaction } from '../../db/transactions';
import { citeMarkups } from '../../protocol/citations';
import type { ShownDocumentRecord } from '../../protocol/opinions';
import type { BallotChoice, ClosedVoteView, OpenVoteView, Opinion, RecusalView, VotingSnapshot } from '../../protocol/voting';
import { castEffect, mayVote, quorum, tally, tallyVisibleWhileOpen, voteOutcome, type Seat, type VoteOutcome } from '../domain/voting';
import { AppError, conflict, forbidden, notFound } from '../errors';
import { appendAudit } from './audit';
import { markupsByNumbers } from './markups';
import { BallotBox, type CastBallot } from './BallotBox';
import { notifyApplicant } from '../notifications/outbox';
import { transitionIn } from './dossiers';
import { shownDocumentsOf } from './presentation';

/** Who is in the meeting room right now (user ids; duplicates from reconnects are harmless). */
export type Presence = CastBallot['present'];

/** What the room may know of an open vote after each ballot: who voted, and the tally when the rules show it. */
export type VoteProgress = Pick<OpenVoteView, 'voted' | 'tally'> & { voteId: number };

export type CastEffect = 'record' | 'unchanged' | 'replace';

/** A closed vote with what closing it decided; `repeated` when it was already closed (a retried close). */
export interface ClosedVote {
  vote: Vote;
  outcome: VoteOutcome;
  ballots: Ballot[];
  opinion: CommitteeOpinion | null;
  repeated: boolean;
}

export interface CastResult {
  ballot: Ballot;
  effect: CastEffect;
  progress: VoteProgress;
}

/** What a batch of ballots reads once per vote. */
type BatchVote = { vote: Vote; ctx: ItemContext; ballots: Ballot[] } | null;
type BatchVotes = Map<number, Promise<BatchVote>>;

interface ItemContext {
  item: AgendaItem;
  session: CommitteeSession;
  committee: Committee;
  seats: Seat[];
  recused: number[];
  /** The people the item's dossier is about (its applicant): a member among them must recuse. */
  parties: number[];
}

const voteClosed = () => new AppError(409, 'vote_closed', 'the vote is closed');

// The applicant's email and timeline note name the opinion in both languages of the record.
const OPINION_WORDS: Record<Opinion, { fr: string; ar: string }> = {
  favourable: { fr: 'avis favorable', ar: 'رأي بالموافقة' },
  favourable_with_conditions: { fr: 'avis favorable sous conditions', ar: 'رأي بالموافقة بشروط' },
  unfavourable: { fr: 'avis défavorable', ar: 'رأي بالرفض' },
  deferred: { fr: 'dossier ajourné', ar: 'تأجيل الملف' },
};

/** The timeline note of the committee's opinion: the opinion, its conditions and reasons. */
function opinionNote(opinion: Opinion, conditions: string, reasons: string): string {
  const words = OPINION_WORDS[opinion];
  return [
    `${words.fr} — ${words.ar}`,
    ...(conditions ? [`Conditions — الشروط : ${conditions}`] : []),
    ...(reasons ? [`Motifs — الأسباب : ${reasons}`] : []),
  ].join('\n');
}

export const recusalView = (r: Recusal): RecusalView => ({ agendaItemId: r.agendaItemId, userId: r.userId, reason: r.reason, at: r.at.toISOString() });

const ballotOrder = (a: Ballot, b: Ballot) => a.id - b.id;

function openVoteView(vote: Vote, progress: VoteProgress): OpenVoteView {
  return {
    id: vote.id, agendaItemId: vote.agendaItemId, question: vote.question, conditions: vote.conditions, markups: vote.citedMarkups,
    openedAt: vote.openedAt.toISOString(),
    quorumAtOpen: vote.quorumAtOpen, voted: progress.voted, tally: progress.tally,
  };
}

/** A closed vote as everyone sees it at once, with the named ballots. */
export function closedVoteView(vote: Vote, ballots: readonly Ballot[]): ClosedVoteView {
  return {
    id: vote.id, agendaItemId: vote.agendaItemId, question: vote.question, conditions: vote.conditions, markups: vote.citedMarkups, reasons: vote.reasons,
    openedAt: vote.openedAt.toISOString(), closedAt: vote.closedAt!.toISOString(),
    quorumAtClose: vote.quorumAtClose!, tally: vote.tally!, outcome: vote.outcome!,
    ballots: [...ballots].sort(ballotOrder).map((b) => ({ userId: b.userId, choice: b.choice })),
  };
}

function progressOf(ctx: Pick<ItemContext, 'committee' | 'seats' | 'recused'>, voteId: number, ballots: readonly Ballot[]): VoteProgress {
  const sorted = [...ballots].sort(ballotOrder);
  return {
    voteId,
    voted: sorted.map((b) => b.userId),
    tally: tallyVisibleWhileOpen(ctx.committee.rules) ? tally(ctx.seats, ctx.recused, sorted) : null,
  };
}

/**
 * The persisted side of a vote: recusals, opening with quorum, ballots as they are cast,
 * closing with the outcome computed by the committee's rules (server/domain/voting.ts),
 * the committee's opinion written to the dossier and an audit entry, all in one
 * transaction. Presence comes from the caller (the meeting room); everything else from
 * the database, so a restarted server finds an open vote with its ballots.
 */
export class VoteService {
  readonly #ballotBox: BallotBox<CastResult, BatchVotes>;
  /** The session of each vote looked up so far (see assertVoteOfSession). */
  readonly #voteSessions = new Map<number, number>();

  constructor(private readonly sequelize: Sequelize) {
    this.#ballotBox = new BallotBox(sequelize, (t, ballot, votes) => this.castIn(t, ballot, votes), () => new Map());
  }

  private async context(agendaItemId: number, transaction: Transaction): Promise<ItemContext> {
    const item = await AgendaItem.findByPk(agendaItemId, { transaction });
    const session = item && await CommitteeSession.findByPk(item.sessionId, { transaction });
    const committee = session && await Committee.findByPk(session.committeeId, { transaction });
    if (!item || !session || !committee) throw notFound('agenda item');
    const seats = (await CommitteeSeat.findAll({ where: { committeeId: committee.id }, transaction }))
      .map((s) => ({ userId: s.userId, kind: s.kind, vetoHolder: s.vetoHolder }));
    const recused = (await Recusal.findAll({ where: { agendaItemId }, transaction })).map((r) => r.userId);
    const dossier = await Dossier.findByPk(item.dossierId, { attributes: ['id', 'applicantId'], transaction });
    return { item, session, committee, seats, recused, parties: dossier ? [dossier.applicantId] : [] };
  }

  private static requireChair(ctx: ItemContext, userId: number) {
    if (!ctx.seats.some((s) => s.userId === userId && s.kind === 'chair')) throw forbidden('only the chair runs the votes');
  }

  /** The agenda item if it is on this session's agenda; otherwise not_found (a meeting acts only on its own items). */
  async itemOfSession(sessionId: number, agendaItemId: number): Promise<AgendaItem> {
    const item = await AgendaItem.findByPk(agendaItemId);
    if (!item || item.sessionId !== sessionId) throw notFound('agenda item');
    return item;
  }

  /**
   * Refuses (not_found) a vote not opened on an item of this session. A vote never moves to
   * another session: its session is read once, not on every ballot cast.
   */
  async assertVoteOfSession(sessionId: number, voteId: number): Promise<void> {
    let owner = this.#voteSessions.get(voteId);
    if (owner === undefined) {
      const vote = await Vote.findByPk(voteId, { attributes: ['id'], include: [{ model: AgendaItem, attributes: ['sessionId'] }] });
      if (!vote) throw notFound('vote');
      owner = (vote as Vote & { AgendaItem: AgendaItem }).AgendaItem.sessionId;
      this.#voteSessions.set(voteId, owner);
    }
    if (owner !== sessionId) throw notFound('vote');
  }

  /** A member declares a conflict of interest on an item; declaring it again changes nothing. */
  async recuse(agendaItemId: number, userId: number, reason: string, at = new Date()): Promise<Recusal> {
    return writeTransaction(this.sequelize, async (transaction) => {
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

  /**
   * The chair opens a vote on an item of a live session whose dossier awaits the
   * committee's opinion; refused without quorum or while another vote on it is open.
   * The conditions may cite markups of the item by number: a copy of each is kept as drawn
   * now (unknown numbers refused 422 unknown_markup, undone or deleted ones 422 deleted_markup).
   * Gives the vote as the room sees it (nobody has voted yet).
   */
  async open(agendaItemId: number, chairId: number, question: string, conditions: string, present: Presence, at = new Date(), markupNumbers: readonly number[] = []): Promise<OpenVoteView> {
    return writeTransaction(this.sequelize, async (transaction) => {
      const ctx = await this.context(agendaItemId, transaction);
      VoteService.requireChair(ctx, chairId);
      // The session row locked (PostgreSQL): ending the session and opening a vote cannot both succeed.
      const session = (await CommitteeSession.findByPk(ctx.session.id, forUpdate(transaction)))!;
      if (session.status !== 'live') throw new AppError(409, 'invalid_transition', `votes are held in a live session; this one is ${session.status}`);
      const dossier = await Dossier.findByPk(ctx.item.dossierId, { transaction });
      if (dossier?.status !== 'scheduled') {
        throw new AppError(409, 'invalid_transition', `the dossier is ${dossier?.status}: only a scheduled dossier is voted on`, { dossierId: ctx.item.dossierId, status: dossier?.status });
      }
      const q = quorum(ctx.committee.rules, ctx.seats, present, ctx.recused);
      if (!q.met) throw new AppError(409, 'quorum_not_met', `quorum not met: ${q.present} of ${q.required} required`, q);
      if (await Vote.findOne({ where: { agendaItemId, status: 'open' }, transaction })) throw conflict('a vote is already open on this item');
      const cited = citeMarkups(markupNumbers, await markupsByNumbers(agendaItemId, markupNumbers, transaction));
      if (!cited.ok) throw new AppError(422, cited.code, `the item has no markup ${cited.numbers.join(', ')} to cite${cited.code === 'deleted_markup' ? ' (deleted)' : ''}`, { numbers: cited.numbers });
      const vote = await Vote.create({ agendaItemId, question, conditions, citedMarkups: cited.cited, openedById: chairId, openedAt: at, quorumAtOpen: q }, { transaction });
      await appendAudit(transaction, {
        at, actorId: chairId, action: 'vote.opened', subject: `vote:${vote.id}`,
        payload: { agendaItemId, question, conditions, quorum: { ...q }, markups: cited.cited.map((m) => ({ number: m.number, markupId: m.markupId, sha256: m.documentSha256 })) },
      });
      return openVoteView(vote, progressOf(ctx, vote.id, []));
    });
  }

  /**
   * Records a ballot, persisted before this resolves. A retry of the same ballot is a
   * no-op; a different choice replaces the ballot when the rules allow it. Also gives the
   * vote's progress as of this ballot (written and read in order, so progress reports
   * follow the order of the ballots). Ballots cast at once are written together (BallotBox).
   */
  cast(voteId: number, userId: number, choice: BallotChoice, present: Presence, at = new Date()): Promise<CastResult> {
    return this.#ballotBox.cast({ voteId, userId, choice, present, at });
  }

  private async castIn(transaction: Transaction, b: CastBallot, contexts: BatchVotes): Promise<CastResult> {
    // One batch is one moment: a vote, its item's context and its ballots are read once for
    // all the batch's ballots on it; the list is then kept current as they are written.
    if (!contexts.has(b.voteId)) {
      contexts.set(b.voteId, Vote.findByPk(b.voteId, { transaction }).then(async (vote) => vote && {
        vote,
        ctx: await this.context(vote.agendaItemId, transaction),
        ballots: await Ballot.findAll({ where: { voteId: vote.id }, transaction }),
      }));
    }
    const batchVote = await contexts.get(b.voteId)!;
    if (!batchVote) throw notFound('vote');
    const { vote, ctx, ballots } = batchVote;
    if (vote.status !== 'open') throw voteClosed();
    const may = mayVote(ctx.seats, b.present, ctx.recused, b.userId, ctx.parties);
    if (!may.ok) {
      if (may.reason === 'recused') throw new AppError(403, 'recused', 'you recused yourself on this item');
      if (may.reason === 'party') throw new AppError(403, 'must_recuse', 'you are the applicant of this dossier: recuse yourself on this item instead of voting');
      throw forbidden(`you cannot vote: ${may.reason.replace(/_/g, ' ')}`);
    }
    const previous = ballots.find((x) => x.userId === b.userId);
    const effect = castEffect(ctx.committee.rules, previous?.choice, b.choice);
    if (effect === 'refuse_change') throw conflict('this committee does not allow changing a ballot');
    const ballot = effect === 'unchanged' ? previous!
      : previous ? await previous.update({ choice: b.choice, castAt: b.at }, { transaction })
      : await Ballot.create({ voteId: vote.id, userId: b.userId, choice: b.choice, castAt: b.at }, { transaction });
    if (!previous) ballots.push(ballot);
    return { ballot, effect, progress: progressOf(ctx, vote.id, ballots) };
  }

  /**
   * The chair closes the vote: quorum checked again, outcome computed, and in one
   * transaction the vote's record, and when the outcome is valid the committee's opinion
   * (citing the documents shown for the item), the dossier's status with its timeline
   * entry, the applicant's email; then the audit entry. Quorum lost: the vote is closed
   * without an opinion and the dossier stays scheduled, to be voted again.
   */
  async close(voteId: number, chairId: number, present: Presence, reasons = '', at = new Date()): Promise<ClosedVote> {
    return writeTransaction(this.sequelize, async (transaction) => {
      const vote = await Vote.findByPk(voteId, forUpdate(transaction));
      if (!vote) throw notFound('vote');
      const ctx = await this.context(vote.agendaItemId, transaction);
      VoteService.requireChair(ctx, chairId);
      const ballots = await Ballot.findAll({ where: { voteId }, order: [['id', 'ASC']], transaction });
      if (vote.status !== 'open') {
        // The chair's retry of a close whose answer was lost: the vote as it was closed, nothing written again.
        const outcome = { ...vote.outcome!, tally: vote.tally!, quorum: vote.quorumAtClose! } as VoteOutcome;
        return { vote, outcome, ballots, opinion: await CommitteeOpinion.findOne({ where: { voteId }, transaction }), repeated: true };
      }
      const outcome = voteOutcome({
        rules: ctx.committee.rules, seats: ctx.seats, recused: ctx.recused, presentAtClose: present,
        ballots: ballots.map((b) => ({ userId: b.userId, choice: b.choice })),
      });
      let opinion: CommitteeOpinion | null = null;
      let documents: ShownDocumentRecord[] = [];
      if (outcome.valid) {
        documents = await shownDocumentsOf(vote.agendaItemId, transaction);
        const withConditions = outcome.opinion === 'favourable_with_conditions';
        const conditions = withConditions ? vote.conditions : '';
        opinion = await CommitteeOpinion.create({
          dossierId: ctx.item.dossierId, agendaItemId: vote.agendaItemId, voteId, opinion: outcome.opinion, conditions,
          markups: withConditions ? vote.citedMarkups : [], reasons, documents, givenAt: at,
        }, { transaction });
        const note = opinionNote(outcome.opinion, conditions, reasons);
        await transitionIn(transaction, { userId: chairId }, ctx.item.dossierId, 'committee', {
          action: 'record_opinion', outcome: outcome.opinion, note,
          also: (d, t) => notifyApplicant(d, { kind: 'opinion', reference: d.reference ?? String(d.id), opinion: outcome.opinion, conditions, reasons, givenAt: at }, t),
        });
      }
      await vote.update({
        status: 'closed', closedAt: at, quorumAtClose: outcome.quorum, tally: outcome.tally,
        ...(outcome.valid ? { reasons } : {}),
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
          opinion: opinion && { id: opinion.id, dossierId: opinion.dossierId, opinion: opinion.opinion, conditions: opinion.conditions },
          reasons: vote.reasons,
          documents: documents.map((d) => ({ documentVersionId: d.documentVersionId, sha256: d.sha256 })),
        },
      });
      return { vote, outcome, ballots, opinion, repeated: false };
    });
  }

  /** An item's open vote with its ballots (what a restarted server or a reconnecting client needs). */
  async openVote(agendaItemId: number): Promise<{ vote: Vote; ballots: Ballot[] } | null> {
    const vote = await Vote.findOne({ where: { agendaItemId, status: 'open' } });
    if (!vote) return null;
    return { vote, ballots: await Ballot.findAll({ where: { voteId: vote.id }, order: [['id', 'ASC']] }) };
  }

  /**
   * The session's votes as a member sees them on (re)join, all from the database:
   * recusals, open votes with who voted (and the tally when shown), closed votes with
   * their named ballots, and the member's own ballots in the open votes.
   */
  async sessionSnapshot(sessionId: number, userId: number): Promise<VotingSnapshot> {
    const session = await CommitteeSession.findByPk(sessionId, { include: [Committee] });
    if (!session) throw notFound('session');
    const committee = (session as CommitteeSession & { Committee: Committee }).Committee;
    const items = (await AgendaItem.findAll({ where: { sessionId }, attributes: ['id'] })).map((i) => i.id);
    const [seats, recusals, votes] = await Promise.all([
      CommitteeSeat.findAll({ where: { committeeId: committee.id } }),
      Recusal.findAll({ where: { agendaItemId: { [Op.in]: items } }, order: [['at', 'ASC'], ['id', 'ASC']] }),
      Vote.findAll({ where: { agendaItemId: { [Op.in]: items } }, order: [['id', 'ASC']] }),
    ]);
    const ballots = await Ballot.findAll({ where: { voteId: { [Op.in]: votes.map((v) => v.id) } }, order: [['id', 'ASC']] });
    const ballotsOf = (voteId: number) => ballots.filter((b) => b.voteId === voteId);
    const seatList = seats.map((s) => ({ userId: s.userId, kind: s.kind, vetoHolder: s.vetoHolder }));
    const recusedOn = (agendaItemId: number) => recusals.filter((r) => r.agendaItemId === agendaItemId).map((r) => r.userId);
    const open = votes.filter((v) => v.status === 'open');
    const myBallots: Record<number, BallotChoice> = {};
    for (const b of ballots) if (b.userId === userId && open.some((v) => v.id === b.voteId)) myBallots[b.voteId] = b.choice;
    return {
      recusals: recusals.map(recusalView),
      open: open.map((v) => openVoteView(v, progressOf({ committee, seats: seatList, recused: recusedOn(v.agendaItemId) }, v.id, ballotsOf(v.id)))),
      closed: votes.filter((v) => v.status === 'closed').map((v) => closedVoteView(v, ballotsOf(v.id))),
      myBallots,
      ballotChange: committee.rules.allowBallotChange,
    };
  }
}
