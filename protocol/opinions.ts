import { z } from 'zod';
import type { CitedMarkup } from './citations';
import type { ShownDocument } from './minutes';
import { lineText, proseText } from './text';
import type { Opinion } from './voting';

/** A document version the committee was shown for an item, as cited by its opinion (the minutes cite the same, without the id). */
export interface ShownDocumentRecord extends ShownDocument {
  documentVersionId: number;
}

/** The committee's opinion on a dossier, as its applicant and the office read it. */
export interface OpinionView {
  id: number;
  opinion: Opinion;
  conditions: string;
  /** The markups the conditions cite, frozen as drawn (with their document version's id and sha256). */
  markups: CitedMarkup[];
  reasons: string;
  givenAt: string;
  sessionId: number;
  documents: ShownDocumentRecord[];
}

/** The municipality's decision (the president's arrêté): a record separate from the committee's opinion. */
export const PERMIT_OUTCOMES = ['granted', 'refused'] as const;
export type PermitOutcome = (typeof PERMIT_OUTCOMES)[number];

export const RecordDecisionBody = z
  .object({
    outcome: z.enum(PERMIT_OUTCOMES),
    arreteNumber: lineText(64).min(1),
    signedOn: z.iso.date(),
    notes: proseText(4000).default(''),
  })
  .strict();

export interface DecisionView {
  id: number;
  outcome: PermitOutcome;
  arreteNumber: string;
  signedOn: string;
  notes: string;
  recordedAt: string;
}
