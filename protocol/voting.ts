/** What a member may answer when the chair opens a vote on an agenda item. */
export const BALLOT_CHOICES = ['favourable', 'favourable_with_conditions', 'unfavourable', 'deferred', 'abstain'] as const;
export type BallotChoice = (typeof BALLOT_CHOICES)[number];

/** The committee's opinion on a dossier (the municipality's decision is a separate record). */
export const OPINIONS = ['favourable', 'favourable_with_conditions', 'unfavourable', 'deferred'] as const;
export type Opinion = (typeof OPINIONS)[number];

/** Why a person may not vote on an item. */
export const VOTE_REFUSALS = ['not_a_member', 'not_a_voting_member', 'consultative', 'recused', 'absent'] as const;
export type VoteRefusal = (typeof VOTE_REFUSALS)[number];
