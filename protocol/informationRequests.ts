import { z } from 'zod';
import type { DossierMessageView, PersonName } from './dossiers';
import { Id } from './ids';
import { lineText, proseText } from './text';

/** How the requester wants the information (Law 2016-22 art. 10): consulting it on site, a paper copy, an electronic copy, extracts. */
export const ACCESS_FORMS = ['on_site', 'paper_copy', 'electronic_copy', 'extracts'] as const;
export type AccessForm = (typeof ACCESS_FORMS)[number];

/**
 * A request's life: received (the clock runs), possibly extended once; then answered
 * (documents or on-site access given), refused with a legal ground, or redirected to the
 * body that holds the information. A refusal (given or implied by silence) may be appealed
 * to the head of the body, who decides. The implied refusal is not a status: it is what the
 * clock says of a request still received or extended past its delay.
 */
export const INFORMATION_STATUSES = ['received', 'extended', 'answered', 'refused', 'redirected', 'appealed', 'appeal_decided'] as const;
export type InformationStatus = (typeof INFORMATION_STATUSES)[number];

export const APPEAL_OUTCOMES = ['upheld', 'overturned'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];

const line = (max: number) => lineText(max).min(1);

export const CreateInformationRequestBody = z.object({
  municipalityId: Id,
  subject: line(300),
  description: proseText(4000).min(1),
  accessForm: z.enum(ACCESS_FORMS),
  lifeOrLiberty: z.boolean().default(false),
  /** A request made at the desk and entered by the office: who asked, and how to reach them. */
  desk: z.object({ name: line(200), contact: line(200) }).strict().optional(),
}).strict();
export type CreateInformationRequestBody = z.infer<typeof CreateInformationRequestBody>;

export const ExtendBody = z.object({ reason: proseText(4000).min(1) }).strict();
export const RedirectBody = z.object({ referredTo: line(300), note: proseText(4000).default('') }).strict();
export const AnswerBody = z.object({ note: proseText(4000).default('') }).strict();
export const RefuseBody = z.object({ ground: line(32), reasons: proseText(4000).min(1) }).strict();
export const AppealBody = z.object({ grounds: proseText(4000).min(1) }).strict();
export const DecideAppealBody = z.object({ outcome: z.enum(APPEAL_OUTCOMES), reasons: proseText(4000).min(1) }).strict();

/** What the law's clock says of a request (server/domain/informationDelays.ts). Instants are ISO strings. */
export interface InformationClockView {
  delay: { unit: 'hours' | 'days'; amount: number };
  /** The instant the delay runs out (extension included). */
  dueAt: string;
  /** The last calendar day (Tunis) of the delay. */
  dueOn: string;
  /** Calendar days left while the request waits for its answer; null once answered or refused. */
  daysRemaining: number | null;
  /** For the 48 hours: hours left. */
  hoursRemaining: number | null;
  overdue: boolean;
  answeredInTime: boolean;
  answeredLate: boolean;
  /** No answer within the delay: the law takes it as a refusal. */
  impliedRefusal: boolean;
  /** By when the requester must be told the body does not hold the information. */
  redirectDueAt: string;
  /** By when an internal appeal may be filed (after a refusal, given or implied). */
  appealFileBy: string | null;
  appealOpen: boolean;
  appealDecideBy: string | null;
  /** The head did not decide the appeal within its 10 days. */
  appealImpliedRejection: boolean;
  /** By when the requester may appeal to the INAI. */
  inaiAppealBy: string | null;
}

/** A legal exception a refusal may rely on (Law 2016-22 art. 24–25); the list is configurable per municipality. */
export interface RefusalGround {
  code: string;
  nameAr: string;
  nameFr: string;
  nameEn: string;
}

export interface CaseEventView {
  id: number;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  note: string;
  at: string;
  by: PersonName | null;
}

/** A message in a case's thread: the same as in a dossier's. */
export type CaseMessageView = DossierMessageView;

export interface CaseDocumentView {
  id: number;
  fileName: string;
  sha256: string;
  size: number;
  pageCount: number;
  createdAt: string;
}

/** How someone sees a request: its requester, or the municipality's information officer. */
export type InformationViewer = 'requester' | 'officer';

export interface InformationRequestView {
  id: number;
  reference: string;
  status: InformationStatus;
  municipality: { id: number; code: string; nameAr: string; nameFr: string };
  /** The requester (an account, or the person at the desk); null in the public register. */
  requester: { name: string; contact: string };
  subject: string;
  description: string;
  accessForm: AccessForm;
  lifeOrLiberty: boolean;
  receivedAt: string;
  clock: InformationClockView;
  extensionReason: string | null;
  referredTo: string | null;
  answerNote: string | null;
  refusal: { ground: RefusalGround; reasons: string } | null;
  appeal: { grounds: string; filedAt: string; outcome: AppealOutcome | null; reasons: string | null; decidedAt: string | null } | null;
  documents: CaseDocumentView[];
  timeline: CaseEventView[];
  messages: CaseMessageView[];
  viewer: InformationViewer;
}

/** A row of the officer's queue or the requester's list. */
export interface InformationRequestRow {
  id: number;
  reference: string;
  status: InformationStatus;
  subject: string;
  requesterName: string;
  lifeOrLiberty: boolean;
  clock: InformationClockView;
  receivedAt: string;
}

/** A request as the public register shows it: what was asked and answered, never who asked. */
export interface InformationRegisterRow {
  reference: string;
  subject: string;
  accessForm: AccessForm;
  receivedOn: string;
  status: InformationStatus;
  impliedRefusal: boolean;
  answeredOn: string | null;
  answerNote: string | null;
  refusalGround: string | null;
}

/** The annual report's figures (Law 2016-22 art. 37: each body reports yearly). */
export interface InformationStatistics {
  year: number;
  received: number;
  answeredInTime: number;
  answeredLate: number;
  impliedRefusals: number;
  refusedByGround: Record<string, number>;
  redirected: number;
  appealed: number;
  pending: number;
}
