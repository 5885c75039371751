/**
 * Quorum, who may vote, tally and outcome of a committee vote: pure functions of the
 * committee's rules, its seats, who is present, who is recused, and the ballots.
 *
 * Decisions written down here, so the chair, the tests and the minutes agree:
 * - Voting members are the chair and the `voting` seats; the secretary and the
 *   consultative members attend without a vote.
 * - Quorum counts the voting members present and not recused on the item: a recused
 *   member must not make a deliberation valid that they take no part in. A fraction is
 *   taken of all voting seats and rounded up; a person present twice counts once.
 * - Quorum is checked when the vote opens and again when it closes; lost at close means
 *   the vote has no valid outcome (the item must be voted again).
 * - A ballot cast while present stays counted if its author leaves before close.
 *   Ballots from people without a vote on the item are ignored (the cast path refuses
 *   them already).
 * - "favourable" and "favourable with conditions" are one side when counting a majority:
 *   both approve the project. If that side wins, the opinion carries the conditions when
 *   at least half of its ballots asked for them (a tie leans to the prudent reading).
 * - The base of the majority: simple and two_thirds take the ballots cast (abstentions
 *   included only when `abstentionsInBase`); absolute takes all voting members not
 *   recused on the item, present or not.
 * - The side with the most ballots wins when it reaches the majority (simple and absolute:
 *   more than half of the base; two_thirds: at least two thirds of it).
 * - A tie between the top sides, no side having the majority: the chair's casting vote
 *   decides when the rules give one and the chair voted for one of the tied sides (not
 *   with two_thirds, where a tie never reaches the threshold). Otherwise no majority:
 *   the item is deferred.
 * - An unfavourable ballot of the veto holder makes the opinion unfavourable whatever
 *   the count, unless the rules say `veto: 'none'`.
 */
import { VOTING_SEAT_KINDS, type CommitteeRules, type CommitteeSeatKind } from '../../protocol/enums';
import type { BallotChoice, Opinion, QuorumRecord, VoteDecidedBy, VoteRefusal, VoteTally } from '../../protocol/voting';

export interface Seat {
  userId: number;
  kind: CommitteeSeatKind;
  vetoHolder: boolean;
}

export interface Ballot {
  userId: number;
  choice: BallotChoice;
}

export type Side = 'favourable' | 'unfavourable' | 'deferred';

export type VoteOutcome =
  | { valid: true; opinion: Opinion; decidedBy: VoteDecidedBy; tally: VoteTally; base: number; quorum: QuorumRecord }
  | { valid: false; reason: 'quorum_lost'; tally: VoteTally; quorum: QuorumRecord };

export interface VoteInput {
  rules: CommitteeRules;
  seats: readonly Seat[];
  recused: readonly number[];
  /** People present when the chair closes (duplicates from rejoins allowed). */
  presentAtClose: readonly number[];
  ballots: readonly Ballot[];
}

const votesOnCommittee = (seat: Seat) => VOTING_SEAT_KINDS.includes(seat.kind);

function votingSeats(seats: readonly Seat[]): Seat[] {
  // One entry per person: a person never holds two votes even if seated twice by mistake.
  const byUser = new Map<number, Seat>();
  for (const seat of seats) if (votesOnCommittee(seat) && !byUser.has(seat.userId)) byUser.set(seat.userId, seat);
  return [...byUser.values()];
}

/** Quorum figures for an item from live presence. */
export function quorum(rules: CommitteeRules, seats: readonly Seat[], present: readonly number[], recused: readonly number[] = []): QuorumRecord {
  const voting = votingSeats(seats);
  const here = new Set(present);
  const out = new Set(recused);
  const required = rules.quorum.kind === 'count' ? rules.quorum.count : Math.ceil(rules.quorum.fraction * voting.length - 1e-9);
  const presentVoting = voting.filter((s) => here.has(s.userId) && !out.has(s.userId)).length;
  return { required, present: presentVoting, votingMembers: voting.length, met: presentVoting >= required };
}

/**
 * Whether a person may cast a ballot on an item; the reason when not. `parties`: the people
 * the dossier is about (its applicant): a member among them judges their own case, so they
 * must recuse rather than vote.
 */
export function mayVote(
  seats: readonly Seat[],
  present: readonly number[],
  recused: readonly number[],
  userId: number,
  parties: readonly number[] = [],
): { ok: true } | { ok: false; reason: VoteRefusal } {
  const own = seats.filter((s) => s.userId === userId);
  if (own.length === 0) return { ok: false, reason: 'not_a_member' };
  if (!own.some(votesOnCommittee)) {
    return { ok: false, reason: own.some((s) => s.kind === 'consultative') ? 'consultative' : 'not_a_voting_member' };
  }
  if (recused.includes(userId)) return { ok: false, reason: 'recused' };
  if (parties.includes(userId)) return { ok: false, reason: 'party' };
  if (!present.includes(userId)) return { ok: false, reason: 'absent' };
  return { ok: true };
}

/** What a cast does to an open vote: record it, nothing (a retry), replace, or refuse. */
export function castEffect(
  rules: Pick<CommitteeRules, 'allowBallotChange'>,
  previous: BallotChoice | undefined,
  choice: BallotChoice,
): 'record' | 'unchanged' | 'replace' | 'refuse_change' {
  if (previous === undefined) return 'record';
  if (previous === choice) return 'unchanged';
  return rules.allowBallotChange ? 'replace' : 'refuse_change';
}

const emptyTally = (): VoteTally => ({ favourable: 0, favourable_with_conditions: 0, unfavourable: 0, deferred: 0, abstain: 0, cast: 0 });

/** Counts the ballots of those who may vote on the item; one per person, the last wins. */
export function tally(seats: readonly Seat[], recused: readonly number[], ballots: readonly Ballot[]): VoteTally {
  const eligible = new Set(votingSeats(seats).map((s) => s.userId).filter((id) => !recused.includes(id)));
  const last = new Map<number, BallotChoice>();
  for (const b of ballots) if (eligible.has(b.userId)) last.set(b.userId, b.choice);
  const t = emptyTally();
  for (const choice of last.values()) {
    t[choice] += 1;
    t.cast += 1;
  }
  return t;
}

const sideOf = (choice: BallotChoice): Side | null =>
  choice === 'abstain' ? null : choice === 'favourable_with_conditions' ? 'favourable' : choice;

function sideCounts(t: VoteTally): Record<Side, number> {
  return { favourable: t.favourable + t.favourable_with_conditions, unfavourable: t.unfavourable, deferred: t.deferred };
}

function opinionOf(side: Side, t: VoteTally): Opinion {
  if (side !== 'favourable') return side;
  return t.favourable_with_conditions >= t.favourable ? 'favourable_with_conditions' : 'favourable';
}

/** The base the majority is counted on. */
export function majorityBase(rules: CommitteeRules, seats: readonly Seat[], recused: readonly number[], t: VoteTally): number {
  if (rules.majority === 'absolute') return votingSeats(seats).filter((s) => !recused.includes(s.userId)).length;
  return rules.abstentionsInBase ? t.cast : t.cast - t.abstain;
}

const reaches = (rules: CommitteeRules, votes: number, base: number) =>
  base > 0 && (rules.majority === 'two_thirds' ? 3 * votes >= 2 * base : 2 * votes > base);

/** The outcome when the chair closes the vote. */
export function voteOutcome(input: VoteInput): VoteOutcome {
  const { rules, seats, recused, ballots } = input;
  const t = tally(seats, recused, ballots);
  const q = quorum(rules, seats, input.presentAtClose, recused);
  if (!q.met) return { valid: false, reason: 'quorum_lost', tally: t, quorum: q };
  const base = majorityBase(rules, seats, recused, t);
  const result = (opinion: Opinion, decidedBy: VoteDecidedBy): VoteOutcome => ({ valid: true, opinion, decidedBy, tally: t, base, quorum: q });

  const eligible = new Set(votingSeats(seats).map((s) => s.userId).filter((id) => !recused.includes(id)));
  const lastChoice = (userId: number) => ballots.filter((b) => b.userId === userId && eligible.has(userId)).at(-1)?.choice;

  if ((rules.veto ?? 'binding') === 'binding') {
    const vetoed = seats.some((s) => s.vetoHolder && votesOnCommittee(s) && lastChoice(s.userId) === 'unfavourable');
    if (vetoed) return result('unfavourable', 'veto');
  }

  const counts = sideCounts(t);
  const ranked = (Object.keys(counts) as Side[]).sort((a, b) => counts[b] - counts[a]);
  const top = ranked[0]!;
  if (counts[top] > counts[ranked[1]!] && reaches(rules, counts[top], base)) return result(opinionOf(top, t), 'majority');

  const tied = ranked.filter((s) => counts[s] === counts[top] && counts[s] > 0);
  if (tied.length > 1 && rules.chairCastingVote && rules.majority !== 'two_thirds') {
    const chair = seats.find((s) => s.kind === 'chair');
    const chairChoice = chair ? lastChoice(chair.userId) : undefined;
    const chairSide = chairChoice ? sideOf(chairChoice) : null;
    if (chairSide && tied.includes(chairSide)) return result(opinionOf(chairSide, t), 'casting_vote');
  }
  return result('deferred', 'no_majority');
}

/** Whether the running tally may be shown to the room while the vote is open. */
export const tallyVisibleWhileOpen = (rules: Pick<CommitteeRules, 'tallyHiddenUntilClose'>) => !rules.tallyHiddenUntilClose;
