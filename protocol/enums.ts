/** Roles a user can hold in a municipality; the information officer answers the access-to-information requests (Law 2016-22). */
export const ROLES = ['applicant', 'secretary', 'member', 'chair', 'admin', 'information_officer'] as const;
export type Role = (typeof ROLES)[number];

/** Seats on a committee: the chair and voting members vote, consultative members only advise. */
export const COMMITTEE_SEAT_KINDS = ['chair', 'secretary', 'voting', 'consultative'] as const;
export type CommitteeSeatKind = (typeof COMMITTEE_SEAT_KINDS)[number];
/** The seats that hold a vote. */
export const VOTING_SEAT_KINDS: readonly CommitteeSeatKind[] = ['chair', 'voting'];

export const LOCALES = ['ar', 'fr', 'en'] as const;

/** Sessions, deadlines and records are in the municipality's legal time, whatever a device's own zone. */
export const MUNICIPAL_TIME_ZONE = 'Africa/Tunis';
export type Locale = (typeof LOCALES)[number];

/** How a committee decides; set per committee by the applicable order. */
export interface CommitteeRules {
  /** Members who must be present: a count, or a fraction of the voting members (rounded up). */
  quorum: { kind: 'count'; count: number } | { kind: 'fraction'; fraction: number };
  /** simple: more for than against among votes cast; absolute: more than half of voting members; two_thirds: of votes cast. */
  majority: 'simple' | 'absolute' | 'two_thirds';
  abstentionsInBase: boolean;
  chairCastingVote: boolean;
  allowBallotChange: boolean;
  tallyHiddenUntilClose: boolean;
  /**
   * What an unfavourable ballot of the seat marked vetoHolder does (art. 69: the urbanism
   * representative's unfavourable opinion binds). 'binding' unless set to 'none'.
   */
  veto?: 'binding' | 'none';
}

/** A committee session: planned by the secretary, live while the meeting runs, closed after. */
export const SESSION_STATUSES = ['planned', 'live', 'closed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const SESSION_MODES = ['remote', 'hybrid'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];
