import { z } from 'zod';
import { CitedNumbers, type CitedMarkup } from './citations';
import { Id } from './ids';
import type { AckFn } from './meeting';
import { proseText } from './text';

/** What a member may answer when the chair opens a vote on an agenda item. */
export const BALLOT_CHOICES = ['favourable', 'favourable_with_conditions', 'unfavourable', 'deferred', 'abstain'] as const;
export type BallotChoice = (typeof BALLOT_CHOICES)[number];

/** The committee's opinion on a dossier (the municipality's decision is a separate record). */
export const OPINIONS = ['favourable', 'favourable_with_conditions', 'unfavourable', 'deferred'] as const;
export type Opinion = (typeof OPINIONS)[number];

/** How a valid outcome was reached. */
export const VOTE_DECIDED_BY = ['majority', 'casting_vote', 'veto', 'no_majority'] as const;
export type VoteDecidedBy = (typeof VOTE_DECIDED_BY)[number];

/** The quorum of an item at a moment (vote open or close), from live presence. */
export interface QuorumRecord {
  /** Voting members that must be present. */
  required: number;
  /** Voting members present and not recused on the item. */
  present: number;
  /** All voting seats of the committee. */
  votingMembers: number;
  met: boolean;
}

/** Ballots counted per choice. */
export type VoteTally = Record<BallotChoice, number> & {
  /** Ballots counted (abstentions included). */
  cast: number;
};

/** What closing a vote gave: an opinion and how it was reached, or nothing when quorum was lost. */
export type VoteRecordOutcome =
  | { valid: true; opinion: Opinion; decidedBy: VoteDecidedBy; base: number }
  | { valid: false; reason: 'quorum_lost' };

/** Why a person may not vote on an item (`party`: the member is the dossier's applicant, and must recuse). */
export const VOTE_REFUSALS = ['not_a_member', 'not_a_voting_member', 'consultative', 'recused', 'party', 'absent'] as const;
export type VoteRefusal = (typeof VOTE_REFUSALS)[number];

// ---- The vote on the `/meeting` namespace ---------------------------------------------

const voteId = Id;

export const votingSchemas = {
  /** A member declares a conflict of interest on an item before its vote opens (reason recorded). */
  recuse: z.object({ agendaItemId: voteId, reason: proseText(1000).min(1) }).strict(),
  /**
   * Chair only, with quorum: the question, and the conditions proposed for "favourable with
   * conditions", which may cite markups of the item by number (unknown or deleted: refused).
   */
  openVote: z.object({ agendaItemId: voteId, question: proseText(1000).min(1), conditions: proseText(4000).default(''), markups: CitedNumbers.default([]) }).strict(),
  /** A voting member present and not recused; a retry is idempotent, a change allowed until close when the rules say so. */
  castBallot: z.object({ voteId, choice: z.enum(BALLOT_CHOICES) }).strict(),
  /** Chair only: closes, computes the outcome by the committee's rules, writes the opinion to the dossier. */
  closeVote: z.object({ voteId, reasons: proseText(4000).default('') }).strict(),
} as const;
export type VotingRequest<K extends keyof typeof votingSchemas> = z.input<(typeof votingSchemas)[K]>;

export interface RecusalView {
  agendaItemId: number;
  userId: number;
  reason: string;
  at: string;
}

/** An open vote as the room sees it: who has voted, never what, unless the rules show the tally. */
export interface OpenVoteView {
  id: number;
  agendaItemId: number;
  question: string;
  conditions: string;
  /** The markups the conditions cite, as drawn when the vote opened. */
  markups: CitedMarkup[];
  openedAt: string;
  quorumAtOpen: QuorumRecord;
  /** Members who have cast a ballot. */
  voted: number[];
  /** The running tally, only when the committee's rules show it before close. */
  tally: VoteTally | null;
}

/** A closed vote, the same for everyone at once: named ballots, tally, quorum, outcome. */
export interface ClosedVoteView {
  id: number;
  agendaItemId: number;
  question: string;
  conditions: string;
  markups: CitedMarkup[];
  reasons: string;
  openedAt: string;
  closedAt: string;
  quorumAtClose: QuorumRecord;
  tally: VoteTally;
  outcome: VoteRecordOutcome;
  ballots: { userId: number; choice: BallotChoice }[];
}

/** The feature's part of the join snapshot: `MeetingSnapshot.features.voting`. */
export interface VotingSnapshot {
  recusals: RecusalView[];
  open: OpenVoteView[];
  closed: ClosedVoteView[];
  /** This member's ballots in the open votes, by vote id. */
  myBallots: Record<number, BallotChoice>;
  /** Whether the committee's rules let a member change their ballot until close. */
  ballotChange: boolean;
}

declare module './meeting' {
  interface MeetingFeatureSnapshots {
    voting: VotingSnapshot;
  }
  interface MeetingClientEvents {
    recuse(p: VotingRequest<'recuse'>, ack: AckFn<RecusalView>): void;
    openVote(p: VotingRequest<'openVote'>, ack: AckFn<OpenVoteView>): void;
    castBallot(p: VotingRequest<'castBallot'>, ack: AckFn<{ voteId: number; choice: BallotChoice; effect: 'record' | 'unchanged' | 'replace' }>): void;
    closeVote(p: VotingRequest<'closeVote'>, ack: AckFn<ClosedVoteView>): void;
  }
  interface MeetingServerEvents {
    recusal(r: RecusalView): void;
    voteOpened(v: OpenVoteView): void;
    /** After each ballot: who has voted (and the tally when visible). */
    voteProgress(p: { voteId: number; voted: number[]; tally: VoteTally | null }): void;
    voteClosed(v: ClosedVoteView): void;
  }
}
