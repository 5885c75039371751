import { z } from 'zod';
import type { DocumentVersionView, DossierStatus, DossierTypeName } from './dossiers';
import { SESSION_MODES, type SessionMode, type SessionStatus } from './enums';
import { Id } from './ids';
import { lineText } from './text';

export const CreateSessionBody = z.object({
  municipalityId: Id,
  /** Local date and time in ISO form, e.g. 2026-12-03T09:30:00+01:00. */
  startsAt: z.iso.datetime({ offset: true }),
  mode: z.enum(SESSION_MODES),
  location: lineText(300).default(''),
});
export type CreateSessionBody = z.input<typeof CreateSessionBody>;

export const AgendaBody = z.object({
  /** Dossier ids in the order they will be examined; replaces the whole agenda. */
  dossierIds: z.array(Id).max(200),
});
export type AgendaBody = z.input<typeof AgendaBody>;

/** A dossier on an agenda, as the office and the committee see it before the meeting: no applicant. */
export interface AgendaDossierView {
  id: number;
  reference: string | null;
  status: DossierStatus;
  type: DossierTypeName;
  address: string;
  parcelRef: string;
  coveredAreaM2: number;
  levels: number;
  /** Each checklist document in its current version, with its checklist item's names (what it is cited by, before its file name). */
  documents: { id: number; itemCode: string; labelAr: string; labelFr: string; labelEn: string; currentVersion: DocumentVersionView }[];
}

export interface AgendaEntryView {
  id: number;
  position: number;
  dossier: AgendaDossierView;
}

/** A committee session with its agenda in order (GET /api/sessions, /api/sessions/:id, and every change to it). */
export interface SessionView {
  id: number;
  startsAt: string;
  mode: SessionMode;
  location: string;
  status: SessionStatus;
  committee: { id: number; municipalityId: number; nameAr: string; nameFr: string };
  agenda: AgendaEntryView[];
  /** The convocations sent for it, or null before the secretary convenes. */
  convocation: ConvocationView | null;
}

/** What the office knows of a session's convocations: when they were last queued, to how many, how many went out. */
export interface ConvocationView {
  /** When the last convocation was queued. */
  lastAt: string;
  /** Members convened (each once however often sent). */
  recipients: number;
  /** Members whose latest convocation the mail server accepted; the others wait in the outbox (retried). */
  delivered: number;
  /** How many times the secretary convened (1, or more after "send again"). */
  rounds: number;
}

/** Convening: the first time with no body; once convened, only with `again: true` (a deliberate "send again"). */
export const ConveneBody = z.object({ again: z.boolean().default(false) }).strict();
export type ConveneBody = z.input<typeof ConveneBody>;

/** The answer to convening a session: how many convocations were queued, and the session's convocations since. */
export interface ConveneResult {
  queued: number;
  convocation: ConvocationView;
}

/** An upcoming session as the public reads it (GET /api/public/sessions): the agenda by dossier reference only. */
export interface PublicSessionView {
  id: number;
  startsAt: string;
  mode: SessionMode;
  status: SessionStatus;
  municipality: { code: string; nameAr: string; nameFr: string };
  agenda: { position: number; reference: string | null; type: DossierTypeName }[];
}
