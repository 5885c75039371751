import { z } from 'zod';
import { SESSION_MODES } from './enums';

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

const text = (max: number) => z.string().trim().min(1).max(max);

export const DossierLocation = z.object({
  address: text(300),
  parcelRef: text(64),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
});

export const CreateDossierBody = z.object({
  municipalityId: z.number().int().positive(),
  typeCode: text(32),
  location: DossierLocation,
  coveredAreaM2: z.number().positive().max(1_000_000),
  levels: z.number().int().min(0).max(200),
  nearProtectedSite: z.boolean(),
  localPlanInDrafting: z.boolean().default(false),
});
export type CreateDossierBody = z.infer<typeof CreateDossierBody>;

/** A draft may be edited by its applicant; every field optional. */
export const UpdateDossierBody = CreateDossierBody.omit({ municipalityId: true }).partial();

export const MessageBody = z.object({ body: text(4000) });
export const RequestDocumentsBody = z.object({
  message: text(4000),
  /** Checklist items the applicant must (re)upload. */
  items: z.array(text(32)).max(50).default([]),
});

export const CreateSessionBody = z.object({
  municipalityId: z.number().int().positive(),
  /** Local date and time in ISO form, e.g. 2026-12-03T09:30:00+01:00. */
  startsAt: z.iso.datetime({ offset: true }),
  mode: z.enum(SESSION_MODES),
  location: z.string().trim().max(300).default(''),
});

export const AgendaBody = z.object({
  /** Dossier ids in the order they will be examined; replaces the whole agenda. */
  dossierIds: z.array(z.number().int().positive()).max(200),
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

export interface DossierEventView {
  id: number;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  note: string;
  at: string;
  by: { id: number; nameAr: string; nameFr: string } | null;
}
