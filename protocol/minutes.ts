import { z } from 'zod';
import type { CommitteeRules, CommitteeSeatKind, SessionMode, SessionStatus } from './enums';
import type { AckFn } from './meeting';
import type { MarkupKind, Measurement, PersonNames } from './markups';
import type { DocumentState, SignatureCheck } from './signing';
import { SigningPassword } from './signing';
import { draftText, proseText } from './text';
import type { BallotChoice, Opinion, QuorumRecord, VoteRecordOutcome, VoteTally } from './voting';

/** How a person attended a stretch of the meeting (the meeting room's presence modes). */
export type AttendanceMode = 'video' | 'audio';

/** A person named in the minutes, in both languages of the record. */
export interface MinutesPerson {
  userId: number;
  nameAr: string;
  nameFr: string;
  seat: CommitteeSeatKind;
  titleAr: string;
  titleFr: string;
}

export interface AttendanceStretch {
  /** ISO 8601 instants. */
  joinedAt: string;
  leftAt: string | null;
  mode: AttendanceMode;
}

export interface MinutesAttendance extends MinutesPerson {
  stretches: AttendanceStretch[];
}

/** A document version shown for an item: the file the members saw, by its hash. */
export interface ShownDocument {
  itemCode: string;
  /** The checklist item's name, what the document is cited by (then its file name). */
  labelAr: string;
  labelFr: string;
  labelEn: string;
  fileName: string;
  version: number;
  sha256: string;
}

export interface Recusal {
  userId: number;
  nameAr: string;
  nameFr: string;
  reason: string;
}

/** A guest heard on an agenda item: who (as invited), from when to when (ISO 8601; leftAt null if the record shows no end). */
export interface HearingRecord {
  name: string;
  admittedAt: string;
  leftAt: string | null;
}

export interface NamedBallot {
  userId: number;
  nameAr: string;
  nameFr: string;
  choice: BallotChoice;
}

export interface VoteRecord {
  question: string;
  openedAt: string;
  closedAt: string;
  quorumAtOpen: QuorumRecord;
  quorumAtClose: QuorumRecord;
  ballots: NamedBallot[];
  tally: VoteTally;
  outcome: VoteRecordOutcome;
  /** The reasons the chair gave when closing the vote. */
  reasons: string;
}

/** A markup drawn on the item's plans (deleted ones left out), and whether the opinion's conditions cite it (then as the vote froze it). */
export interface MinutesMarkup {
  number: number;
  kind: MarkupKind;
  fileName: string;
  documentSha256: string;
  page: number;
  measurement?: Measurement;
  authorName: PersonNames;
  cited: boolean;
}

export interface MinutesItem {
  position: number;
  dossierReference: string;
  dossierTypeAr: string;
  dossierTypeFr: string;
  address: string;
  documents: ShownDocument[];
  recusals: Recusal[];
  /** The guests heard on the item (the applicant, their architect), as the chair admitted and dismissed them; absent from minutes made before hearings existed. */
  hearings?: HearingRecord[];
  votes: VoteRecord[];
  /** The markups drawn on the item, by number; absent when there are none (so minutes made before markups hash as they did). */
  markups?: MinutesMarkup[];
  /** The committee's opinion on the item (from its last valid vote); null when none was reached. */
  opinion: Opinion | null;
  conditions: string;
  reasons: string;
  /** The secretary's free text. */
  notes: string;
}

/**
 * A message of the meeting chat in the minutes' annex. One the secretary excluded keeps
 * its author and time; its text is gone and the reason stands in its place.
 */
export interface ChatAnnexEntry {
  messageId: number;
  userId: number;
  nameAr: string;
  nameFr: string;
  sentAt: string;
  text: string;
  excluded: { reason: string } | null;
}

/** The canonical content of a session's minutes: what is hashed, signed and printed. */
export interface MinutesContent {
  format: 1;
  municipality: { code: string; nameAr: string; nameFr: string };
  committee: { id: number; nameAr: string; nameFr: string; rules: CommitteeRules };
  session: { id: number; startsAt: string; mode: SessionMode; location: string };
  /** The session's day, YYYY-MM-DD (Africa/Tunis). */
  date: string;
  attendance: MinutesAttendance[];
  /** Quorum over the members who attended at some point (each vote records its own at open and close). */
  quorum: QuorumRecord;
  items: MinutesItem[];
  remarks: string;
  /** The meeting chat, oldest first (absent from minutes made before the chat existed). */
  chat?: ChatAnnexEntry[];
}

export const SIGNER_ROLES = ['secretary', 'chair'] as const;
export type SignerRole = (typeof SIGNER_ROLES)[number];

/**
 * How a signature was made. 'pades': a PAdES signature in the PDFs, with the signer's
 * certificate (`value`: JSON of the signed PDFs' sha256 by language and the certificate's).
 * 'session': the signer confirmed while logged in (before real signatures; kept for old records).
 */
export const SIGNATURE_METHODS = ['pades', 'session'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

/** What a 'pades' signature record keeps: the PDFs as they are after it, and the certificate used. */
export interface PadesEvidence {
  pdfSha256: { ar: string; fr: string };
  certificateSha256: string;
  /** The audit log's head pinned in the signature (`seq:hash`). */
  auditHead: string;
}

export interface SignatureRecord {
  role: SignerRole;
  userId: number;
  signedAt: string;
  /** The sha256 of the canonical minutes content that was signed. */
  minutesHash: string;
  method: SignatureMethod;
  /** Opaque evidence of the method (null for 'session'). */
  value: string | null;
}

// ---- Editing, signing and verifying, over HTTP and on the `/meeting` namespace ----------

const hex64 = z.string().trim().toLowerCase().regex(/^[0-9a-f]{64}$/, 'a sha256 in hexadecimal (64 characters)');

/** The secretary's text: general remarks and free text per agenda item (keyed by position). Absent fields stay as they are. */
export const MinutesTextBody = z
  .object({
    remarks: draftText(20_000).optional(),
    notes: z.record(z.string().regex(/^[1-9][0-9]{0,3}$/, 'an agenda position'), draftText(20_000)).optional(),
    /** Chat messages taken out of the annex, by message id, each with its reason (final: recorded and audited). */
    excludeChat: z.record(z.string().regex(/^[1-9][0-9]{0,9}$/, 'a message id'), proseText(500).min(1, 'a reason is required')).optional(),
  })
  .strict();
export type MinutesTextBody = z.infer<typeof MinutesTextBody>;

/** A signature on the finalized minutes: the signer's role, the hash they saw, and their password typed again. */
export const SignMinutesBody = z.object({ role: z.enum(SIGNER_ROLES), hash: hex64, password: SigningPassword }).strict();
export const VerifyHashQuery = z.object({ hash: hex64 }).strict();
/** The languages the minutes are printed in (GET /api/minutes/:sessionId/pdf?lang=). */
export const MinutesPdfQuery = z.object({ lang: z.enum(['ar', 'fr']) }).strict();
export type MinutesPdfLanguage = z.infer<typeof MinutesPdfQuery>['lang'];

export interface SignatureView extends SignatureRecord {
  nameAr: string;
  nameFr: string;
}

/** A session's minutes as the secretary, the chair and the committee read them. */
export interface MinutesView {
  sessionId: number;
  status: 'draft' | 'finalized';
  content: MinutesContent;
  /** sha256 of the canonical content, once finalized. */
  hash: string | null;
  finalizedAt: string | null;
  pdfSha256: { ar: string; fr: string } | null;
  signatures: SignatureView[];
  /** Whose signature is awaited (null before finalize and once complete). */
  nextSigner: SignerRole | null;
}

/** What the verification endpoints answer: does a PDF (or a hash) belong to finalized minutes, and who signed it. */
export type MinutesVerification =
  | {
      /** The file (or hash) is of finalized minutes. */
      recognised: true;
      kind: 'minutes';
      /** Recognised and signed by everyone who must sign, with nothing changed since. */
      valid: boolean;
      state: DocumentState;
      /** Whose signature is still missing. */
      awaiting: SignerRole | null;
      minutesId: number;
      sessionId: number;
      finalizedAt: string;
      /** The content hash printed in the minutes. */
      contentHash: string;
      /** The printed content hash, or a PDF of the minutes (then in which language). */
      matched: 'content_hash' | 'pdf';
      language?: 'ar' | 'fr';
      /** The session's day, YYYY-MM-DD. */
      date: string;
      municipality: { code: string; nameAr: string; nameFr: string };
      /** Each signature found in the PDF, checked (for a hash alone: the signatures on record, not checked). */
      signatures: SignatureCheck[];
    }
  | { recognised: false; valid: false; state: DocumentState | null; signatures: SignatureCheck[] };

/** A session's minutes in the lists of the office and the committee (GET /api/minutes). */
export interface MinutesListEntry {
  sessionId: number;
  startsAt: string;
  sessionStatus: SessionStatus;
  committee: { nameAr: string; nameFr: string };
  /** null while no draft exists yet. */
  status: 'draft' | 'finalized' | null;
  nextSigner: SignerRole | null;
}

/** The opinions of one session's finalized minutes as the public reads them: by dossier reference, no personal data. */
export interface PublishedSessionOpinions {
  sessionId: number;
  date: string;
  municipality: { code: string; nameAr: string; nameFr: string };
  items: { dossierReference: string; opinion: Opinion | null }[];
}

export const minutesSchemas = {
  /** Secretary only: the draft as the records say the session went, with the secretary's text. */
  getMinutes: z.object({}).strict(),
  /** Secretary only: autosaved text; refused once finalized. */
  editMinutes: MinutesTextBody,
} as const;

declare module './meeting' {
  interface MeetingFeatureSnapshots {
    /** The live draft, for the session's secretary only (null for everyone else). */
    minutes: MinutesView | null;
  }
  interface MeetingClientEvents {
    getMinutes(p: z.input<typeof minutesSchemas.getMinutes>, ack: AckFn<MinutesView>): void;
    editMinutes(p: z.input<typeof minutesSchemas.editMinutes>, ack: AckFn<MinutesView>): void;
  }
}
