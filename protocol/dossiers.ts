import { z } from 'zod';
import { Id } from './ids';
import type { OpinionView, DecisionView } from './opinions';
import { lineText, proseText } from './text';

/**
 * A dossier's life: the applicant drafts and submits it; the secretary finds it
 * incomplete (clock paused) or complete (T0, the legal clock runs); it is put on a
 * session's agenda (scheduled); the committee then gives its opinion (a deferred dossier
 * goes on a later agenda); the municipality's president issues the decision, recorded by
 * the secretary. The applicant may withdraw it until the committee has spoken.
 */
export const DOSSIER_STATUSES = [
  'draft',
  'submitted',
  'incomplete',
  'complete',
  'scheduled',
  'favourable',
  'favourable_with_conditions',
  'unfavourable',
  'deferred',
  'permit_granted',
  'permit_refused',
  'withdrawn',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** What can happen to a dossier; each is one transition in the lifecycle. */
export const DOSSIER_ACTIONS = [
  'submit', 'request_documents', 'resubmit', 'mark_complete', 'schedule', 'unschedule', 'record_opinion', 'record_decision', 'withdraw',
] as const;
export type DossierAction = (typeof DOSSIER_ACTIONS)[number];

/** A required one-line field (cleaned: protocol/text). */
const line = (max: number) => lineText(max).min(1);

export const DossierLocation = z.object({
  address: line(300),
  parcelRef: line(64),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
});

export const CreateDossierBody = z.object({
  municipalityId: Id,
  typeCode: line(32),
  location: DossierLocation,
  coveredAreaM2: z.number().positive().max(1_000_000),
  levels: z.number().int().min(0).max(200),
  nearProtectedSite: z.boolean(),
  localPlanInDrafting: z.boolean().default(false),
});
export type CreateDossierBody = z.infer<typeof CreateDossierBody>;

/** A draft may be edited by its applicant; every field optional. */
export const UpdateDossierBody = CreateDossierBody.omit({ municipalityId: true }).partial();

export const MessageBody = z.object({ body: proseText(4000).min(1) });
/** An optional note with a step of the office or the applicant (mark complete, withdraw). */
export const NoteBody = z.object({ note: proseText(4000).default('') }).strict().default({ note: '' });
export const RequestDocumentsBody = z.object({
  message: proseText(4000).min(1),
  /** Checklist items the applicant must (re)upload. */
  items: z.array(line(32)).max(50).default([]),
});

/** The legal deadline as shown everywhere. */
export interface DeadlineView {
  days: number;
  /** ISO date (yyyy-mm-dd) the decision is due by, when the clock has started. */
  dueOn: string | null;
  daysRemaining: number | null;
  paused: boolean;
  overdue: boolean;
}

export interface DocumentVersionView {
  id: number;
  version: number;
  sha256: string;
  size: number;
  pageCount: number;
  fileName: string;
  createdAt: string;
}

export interface DossierDocumentView {
  id: number;
  itemCode: string;
  currentVersion: DocumentVersionView;
  versions: DocumentVersionView[];
}

export interface ChecklistItemView {
  code: string;
  labelAr: string;
  labelFr: string;
  labelEn: string;
  required: boolean;
  documentId: number | null;
}

/** What a step was about, as data: the checklist items a request for documents names, the session of a (un)scheduling. */
export interface DossierEventDetails {
  items?: string[];
  sessionId?: number;
}

export interface DossierEventView {
  id: number;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  /** What the person typed (a message, a reason); empty for most steps. */
  note: string;
  /** Checklist item codes the step names (the page shows their names). */
  items: string[];
  /** The session the step is about, with its start (the page shows its date). */
  session: { id: number; startsAt: string } | null;
  at: string;
  by: { id: number; nameAr: string; nameFr: string } | null;
}

/** How someone sees a dossier: as its applicant, as the municipality's office, or as a committee member examining it. */
export type DossierViewer = 'applicant' | 'office' | 'committee';

/** A dossier type's name in the three languages, with its code. */
export interface DossierTypeName {
  code: string;
  nameAr: string;
  nameFr: string;
  nameEn: string;
}

/** A person as other people see them: a name in both languages of the record. */
export interface PersonName {
  id: number;
  nameAr: string;
  nameFr: string;
}

/** An item of a dossier type's checklist, before any dossier exists (GET /api/dossiers/types). */
export interface ChecklistTemplateItem {
  code: string;
  labelAr: string;
  labelFr: string;
  labelEn: string;
  /** Required only above this covered area (m²); null: always required. */
  requiredAboveAreaM2: number | null;
}

export interface DossierTypeView extends DossierTypeName {
  checklist: ChecklistTemplateItem[];
}

/** A dossier in a list: the applicant's own, or the office's queue (GET /api/dossiers). */
export interface DossierListRow {
  id: number;
  reference: string | null;
  status: DossierStatus;
  address: string;
  parcelRef: string;
  type: DossierTypeName;
  applicant: PersonName;
  deadline: DeadlineView;
  updatedAt: string;
}

/** A stored document version with where it belongs (GET /api/documents/versions/:id, and the answer to an upload). */
export interface DocumentVersionDetail extends DocumentVersionView {
  documentId: number;
  dossierId: number;
  itemCode: string;
}

export interface DossierMessageView {
  id: number;
  body: string;
  at: string;
  author: PersonName;
}

/** A session whose agenda has (or had) the dossier. */
export interface DossierAgendaEntry {
  sessionId: number;
  /** The dossier's item on that agenda (what a hearing invitation names). */
  agendaItemId: number;
  startsAt: string;
  position: number;
}

/** Everything the dossier page shows (GET /api/dossiers/:id and every step on it). */
export interface DossierView {
  id: number;
  reference: string | null;
  status: DossierStatus;
  municipality: { id: number; code: string; nameAr: string; nameFr: string };
  type: DossierTypeName;
  /** The applicant and their contact; null for the committee. */
  applicant: (PersonName & { email: string }) | null;
  location: { address: string; parcelRef: string; lat: number | null; lng: number | null };
  coveredAreaM2: number;
  levels: number;
  nearProtectedSite: boolean;
  localPlanInDrafting: boolean;
  deadline: DeadlineView;
  checklist: ChecklistItemView[];
  documents: DossierDocumentView[];
  timeline: DossierEventView[];
  /** Empty for the committee. */
  messages: DossierMessageView[];
  sessions: DossierAgendaEntry[];
  /** The committee's opinions, oldest first (a deferred dossier may get another). */
  opinions: OpinionView[];
  decision: DecisionView | null;
  viewer: DossierViewer;
  createdAt: string;
  updatedAt: string;
}
