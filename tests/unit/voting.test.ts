import { describe, expect, it } from 'vitest';
import type { CommitteeRules } from '../../protocol/enums';
import type { BallotChoice, Opinion, VoteDecidedBy } from '../../protocol/voting';
import { DEFAULT_RULES } from '../../server/demo/seed';
import { castEffect, mayVote, quorum, tally, voteOutcome, type Seat } from '../../server/domain/voting';

// The Aïn Draham committee: chair 1, secretary 2, voting 3–7 (5 holds the veto), consultative 8.
const SEATS: Seat[] = [
  { userId: 1, kind: 'chair', vetoHolder: false },
  { userId: 2, kind: 'secretary', vetoHolder: false },
  { userId: 3, kind: 'voting', vetoHolder: false },
  { userId: 4, kind: 'voting', vetoHolder: false },
  { userId: 5, kind: 'voting', vetoHolder: true },
  { userId: 6, kind: 'voting', vetoHolder: false },
  { userId: 7, kind: 'voting', vetoHolder: false },
  { userId: 8, kind: 'consultative', vetoHolder: false },
];
const ALL = [1, 2, 3, 4, 5, 6, 7, 8];
const rules = (over: Partial<CommitteeRules> = {}): CommitteeRules => ({ ...DEFAULT_RULES, ...over });
const F = 'favourable', FC = 'favourable_with_conditions', U = 'unfavourable', D = 'deferred', A = 'abstain';
/** Ballots by position: the n-th choice is cast by the n-th of users 1, 3, 4, 5, 6, 7. */
const VOTERS = [1, 3, 4, 5, 6, 7];
const ballots = (...choices: (BallotChoice | null)[]) =>
  choices.flatMap((choice, i) => (choice ? [{ userId: VOTERS[i]!, choice }] : []));

describe('quorum', () => {
  it.each<[string, CommitteeRules['quorum'], number[], number[], { required: number; present: number; met: boolean }]>([
    ['half of 6 voting members, all present', { kind: 'fraction', fraction: 0.5 }, ALL, [], { required: 3, present: 6, met: true }],
    ['half, exactly 3 present', { kind: 'fraction', fraction: 0.5 }, [1, 3, 4], [], { required: 3, present: 3, met: true }],
    ['half, 2 present', { kind: 'fraction', fraction: 0.5 }, [1, 3], [], { required: 3, present: 2, met: false }],
    ['secretary and consultative do not count', { kind: 'fraction', fraction: 0.5 }, [1, 3, 2, 8], [], { required: 3, present: 2, met: false }],
    ['a rejoin (duplicate presence) counts once', { kind: 'fraction', fraction: 0.5 }, [1, 3, 3, 3], [], { required: 3, present: 2, met: false }],
    ['two thirds rounds up (4 of 6)', { kind: 'fraction', fraction: 2 / 3 }, [1, 3, 4], [], { required: 4, present: 3, met: false }],
    ['a recused member does not make the quorum', { kind: 'fraction', fraction: 0.5 }, [1, 3, 4], [4], { required: 3, present: 2, met: false }],
    ['a count', { kind: 'count', count: 4 }, [1, 3, 4, 5], [], { required: 4, present: 4, met: true }],
    ['a count not reached', { kind: 'count', count: 4 }, [1, 3, 4, 99], [], { required: 4, present: 3, met: false }],
  ])('%s', (_n, q, present, recused, expected) => {
    expect(quorum(rules({ quorum: q }), SEATS, present, recused)).toEqual({ ...expected, votingMembers: 6 });
  });
});

describe('mayVote', () => {
  it.each<[string, number, number[], number[], ReturnType<typeof mayVote>]>([
    ['voting member present', 3, ALL, [], { ok: true }],
    ['chair present', 1, ALL, [], { ok: true }],
    ['consultative member', 8, ALL, [], { ok: false, reason: 'consultative' }],
    ['secretary', 2, ALL, [], { ok: false, reason: 'not_a_voting_member' }],
    ['someone without a seat (applicant, other committee)', 42, [...ALL, 42], [], { ok: false, reason: 'not_a_member' }],
    ['recused member', 4, ALL, [4], { ok: false, reason: 'recused' }],
    ['absent member', 6, [1, 3], [], { ok: false, reason: 'absent' }],
  ])('%s', (_n, userId, present, recused, expected) => {
    expect(mayVote(SEATS, present, recused, userId)).toEqual(expected);
  });

  it.each<[string, number, number[], number[], ReturnType<typeof mayVote>]>([
    ['a voting member who is the applicant must recuse', 3, ALL, [], { ok: false, reason: 'party' }],
    ['the chair who is the applicant must recuse too', 1, ALL, [], { ok: false, reason: 'party' }],
    ['once recused, the refusal is the recusal', 3, ALL, [3], { ok: false, reason: 'recused' }],
    ['a consultative applicant does not vote anyway', 8, ALL, [], { ok: false, reason: 'consultative' }],
    ['another member votes on the dossier', 4, ALL, [], { ok: true }],
  ])('%s (parties: the applicant)', (_n, userId, present, recused, expected) => {
    const applicant = userId === 4 ? 3 : userId;
    expect(mayVote(SEATS, present, recused, userId, [applicant])).toEqual(expected);
  });
});

describe('castEffect', () => {
  it.each<[string, boolean, BallotChoice | undefined, BallotChoice, ReturnType<typeof castEffect>]>([
    ['first ballot', true, undefined, F, 'record'],
    ['retry of the same ballot is idempotent', false, F, F, 'unchanged'],
    ['change allowed', true, F, U, 'replace'],
    ['change refused', false, F, U, 'refuse_change'],
  ])('%s', (_n, allowBallotChange, previous, choice, expected) => {
    expect(castEffect({ allowBallotChange }, previous, choice)).toBe(expected);
  });
});

describe('tally', () => {
  it('keeps the last ballot per member and ignores those who have no vote on the item', () => {
    const t = tally(SEATS, [4], [
      { userId: 3, choice: F }, { userId: 3, choice: U }, { userId: 4, choice: F }, { userId: 8, choice: F },
      { userId: 2, choice: F }, { userId: 1, choice: A }, { userId: 6, choice: FC },
    ]);
    expect(t).toEqual({ favourable: 0, favourable_with_conditions: 1, unfavourable: 1, deferred: 0, abstain: 1, cast: 3 });
  });
});

describe('voteOutcome', () => {
  const veto = { veto: 'binding' } as const;
  it.each<[string, Partial<CommitteeRules>, (BallotChoice | null)[], number[], { opinion: Opinion; decidedBy: VoteDecidedBy; base: number }]>([
    // simple majority of votes cast
    ['simple: clear favourable', {}, [F, F, F, U, U, null], [], { opinion: F, decidedBy: 'majority', base: 5 }],
    ['simple: favourable and with conditions count together, conditions carried', {}, [F, FC, FC, U, U, null], [], { opinion: FC, decidedBy: 'majority', base: 5 }],
    ['simple: conditions carried on an even split of the favourable side', {}, [F, FC, U, null, null, null], [], { opinion: FC, decidedBy: 'majority', base: 3 }],
    ['simple: more plain favourable → no conditions', {}, [F, F, FC, U, null, null], [], { opinion: F, decidedBy: 'majority', base: 4 }],
    ['simple: unfavourable majority', {}, [U, U, U, F, null, null], [], { opinion: U, decidedBy: 'majority', base: 4 }],
    ['simple: deferred majority', {}, [D, D, D, F, null, null], [], { opinion: D, decidedBy: 'majority', base: 4 }],
    ['simple: abstentions out of the base', {}, [F, F, U, A, A, A], [], { opinion: F, decidedBy: 'majority', base: 3 }],
    ['simple: abstentions in the base defeat a relative majority', { abstentionsInBase: true }, [F, F, U, A, A, A], [], { opinion: D, decidedBy: 'no_majority', base: 6 }],
    ['simple: three-way split without majority', {}, [F, F, U, U, D, D], [], { opinion: F, decidedBy: 'casting_vote', base: 6 }],
    ['simple: relative majority only → deferred', {}, [F, F, U, D, null, null], [], { opinion: D, decidedBy: 'no_majority', base: 4 }],
    // ties and the casting vote (the chair is the first voter)
    ['tie, chair favourable, casting vote', {}, [F, F, U, U, null, null], [], { opinion: F, decidedBy: 'casting_vote', base: 4 }],
    ['tie, chair unfavourable, casting vote', {}, [U, F, F, U, null, null], [], { opinion: U, decidedBy: 'casting_vote', base: 4 }],
    ['tie without casting vote → deferred', { chairCastingVote: false }, [F, F, U, U, null, null], [], { opinion: D, decidedBy: 'no_majority', base: 4 }],
    ['tie, chair abstained → deferred', {}, [A, F, F, U, U, null], [], { opinion: D, decidedBy: 'no_majority', base: 4 }],
    ['tie, chair did not vote → deferred', {}, [null, F, F, U, U, null], [], { opinion: D, decidedBy: 'no_majority', base: 4 }],
    ['tie, chair with conditions: conditions carried', {}, [FC, F, U, U, null, null], [], { opinion: FC, decidedBy: 'casting_vote', base: 4 }],
    ['tie under two thirds: no casting vote', { majority: 'two_thirds' }, [F, F, U, U, null, null], [], { opinion: D, decidedBy: 'no_majority', base: 4 }],
    ['no ballots → deferred', {}, [null, null, null, null, null, null], [], { opinion: D, decidedBy: 'no_majority', base: 0 }],
    // absolute majority of voting members (6, minus the recused)
    ['absolute: 3 of 6 is not enough', { majority: 'absolute' }, [F, F, F, U, null, null], [], { opinion: D, decidedBy: 'no_majority', base: 6 }],
    ['absolute: 4 of 6', { majority: 'absolute' }, [F, F, F, F, U, null], [], { opinion: F, decidedBy: 'majority', base: 6 }],
    ['absolute: a recusal lowers the base (3 of 5)', { majority: 'absolute' }, [F, F, null, F, U, null], [4], { opinion: F, decidedBy: 'majority', base: 5 }],
    // two thirds of votes cast
    ['two thirds: 4 of 6 reached', { majority: 'two_thirds' }, [F, F, F, F, U, U], [], { opinion: F, decidedBy: 'majority', base: 6 }],
    ['two thirds: 3 of 5 not reached', { majority: 'two_thirds' }, [F, F, F, U, U, null], [], { opinion: D, decidedBy: 'no_majority', base: 5 }],
    // recusals: the recused member's ballot never counts
    ['a recused member\'s ballot is ignored', {}, [F, U, U, null, F, null], [3], { opinion: F, decidedBy: 'majority', base: 3 }],
    // veto by the veto holder (user 5, fourth voter)
    ['veto overrides a favourable majority', veto, [F, F, F, U, F, F], [], { opinion: U, decidedBy: 'veto', base: 6 }],
    ['veto holder favourable: no veto', veto, [F, F, F, F, U, U], [], { opinion: F, decidedBy: 'majority', base: 6 }],
    ['veto disabled by the rules', {}, [F, F, F, U, F, F], [], { opinion: F, decidedBy: 'majority', base: 6 }],
    ['binding by default when the rules do not say', { veto: undefined }, [F, F, F, U, F, F], [], { opinion: U, decidedBy: 'veto', base: 6 }],
    ['a recused veto holder has no veto', veto, [F, F, F, U, F, F], [5], { opinion: F, decidedBy: 'majority', base: 5 }],
  ])('%s', (_n, over, choices, recused, expected) => {
    // The veto is off unless a row turns it on, so the counting rows stay about counting.
    const outcome = voteOutcome({ rules: rules({ veto: 'none', ...over }), seats: SEATS, recused, presentAtClose: ALL, ballots: ballots(...choices) });
    expect(outcome.valid).toBe(true);
    expect(outcome).toMatchObject(expected);
  });

  // Every combination of majority, abstentions in the base and casting vote, on two ballot sets (chair first).
  const combos = (['simple', 'absolute', 'two_thirds'] as const).flatMap((majority) =>
    [false, true].flatMap((abstentionsInBase) => [false, true].map((chairCastingVote) => ({ majority, abstentionsInBase, chairCastingVote }))));
  const TIE_WITH_ABSTENTION: (BallotChoice | null)[] = [F, F, U, U, A, null];
  const CLEAR_WITH_ABSTENTIONS: (BallotChoice | null)[] = [F, F, F, U, A, A];
  const expectedTie = (r: (typeof combos)[number]) => {
    const base = r.majority === 'absolute' ? 6 : r.abstentionsInBase ? 5 : 4;
    return r.chairCastingVote && r.majority !== 'two_thirds'
      ? { opinion: F, decidedBy: 'casting_vote' as const, base }
      : { opinion: D, decidedBy: 'no_majority' as const, base };
  };
  const expectedClear = (r: (typeof combos)[number]) => {
    // 3 favourable of: 4 cast without abstentions, 6 with them, 6 members (absolute).
    const base = r.majority === 'absolute' || r.abstentionsInBase ? 6 : 4;
    const reached = r.majority === 'two_thirds' ? 3 * 3 >= 2 * base : 2 * 3 > base;
    return reached ? { opinion: F, decidedBy: 'majority' as const, base } : { opinion: D, decidedBy: 'no_majority' as const, base };
  };
  it.each(combos.flatMap((r) => [
    [`tie 2–2 with an abstention: ${JSON.stringify(r)}`, r, TIE_WITH_ABSTENTION, expectedTie(r)] as const,
    [`3–1 with two abstentions: ${JSON.stringify(r)}`, r, CLEAR_WITH_ABSTENTIONS, expectedClear(r)] as const,
  ]))('%s', (_n, over, choices, expected) => {
    const outcome = voteOutcome({ rules: rules({ veto: 'none', ...over }), seats: SEATS, recused: [], presentAtClose: ALL, ballots: ballots(...choices) });
    expect(outcome).toMatchObject({ valid: true, ...expected });
  });

  it.each<[string, Partial<CommitteeRules>, { userId: number; choice: BallotChoice }[], { opinion: Opinion; decidedBy: VoteDecidedBy; base: number }]>([
    ['veto binds under an absolute majority', { majority: 'absolute' }, ballots(F, F, F, U, F, F), { opinion: U, decidedBy: 'veto', base: 6 }],
    ['veto binds under two thirds', { majority: 'two_thirds' }, ballots(F, F, F, U, F, F), { opinion: U, decidedBy: 'veto', base: 6 }],
    ['veto holder abstains: no veto', {}, ballots(F, F, F, A, U, null), { opinion: F, decidedBy: 'majority', base: 4 }],
    ['veto holder did not vote: no veto', {}, ballots(F, F, U, null, null, null), { opinion: F, decidedBy: 'majority', base: 3 }],
    ['veto holder changed to favourable: the last ballot counts', {}, [...ballots(F, F, U, U), { userId: 5, choice: F }], { opinion: F, decidedBy: 'majority', base: 4 }],
    ['a consultative member\'s and the secretary\'s ballots are ignored', { veto: 'none' },
      [...ballots(F, U, U, null, null, null), { userId: 8, choice: F }, { userId: 2, choice: F }], { opinion: U, decidedBy: 'majority', base: 3 }],
    ['a consultative member cannot break a tie', { veto: 'none', chairCastingVote: false },
      [...ballots(F, F, U, U, null, null), { userId: 8, choice: F }], { opinion: D, decidedBy: 'no_majority', base: 4 }],
  ])('%s', (_n, over, cast, expected) => {
    const outcome = voteOutcome({ rules: rules({ veto: 'binding', ...over }), seats: SEATS, recused: [], presentAtClose: ALL, ballots: cast });
    expect(outcome).toMatchObject({ valid: true, ...expected });
  });

  it.each<[string, Partial<CommitteeRules>, number[], number[], { required: number; present: number }]>([
    ['members left: 2 of 3 at close', {}, [1, 3, 2, 8], [], { required: 3, present: 2 }],
    ['a rejoined member counts once at close', {}, [1, 1, 3, 3, 3], [], { required: 3, present: 2 }],
    ['a count quorum lost at close', { quorum: { kind: 'count', count: 5 } }, [1, 3, 4, 5], [], { required: 5, present: 4 }],
    ['recused members present do not hold the quorum', {}, [1, 3, 4, 5], [4, 5], { required: 3, present: 2 }],
  ])('quorum lost at close: %s', (_n, over, presentAtClose, recused, expected) => {
    const outcome = voteOutcome({ rules: rules(over), seats: SEATS, recused, presentAtClose, ballots: ballots(F, F, F, F) });
    expect(outcome).toMatchObject({ valid: false, reason: 'quorum_lost', quorum: { ...expected, met: false } });
  });

  it('quorum lost between open and close gives no valid outcome', () => {
    const outcome = voteOutcome({ rules: rules(), seats: SEATS, recused: [], presentAtClose: [1, 3, 2, 8], ballots: ballots(F, F, F) });
    expect(outcome).toMatchObject({ valid: false, reason: 'quorum_lost', quorum: { required: 3, present: 2, met: false } });
  });

  it('a member who voted then left is still counted while the quorum holds', () => {
    const outcome = voteOutcome({ rules: rules({ veto: 'none' }), seats: SEATS, recused: [], presentAtClose: [1, 3, 4], ballots: ballots(F, F, F, U, U, U) });
    // 3 against 3, the chair (who voted favourable) decides; the veto holder's U binds only when on.
    expect(outcome).toMatchObject({ valid: true, opinion: F, decidedBy: 'casting_vote', base: 6 });
  });
});
