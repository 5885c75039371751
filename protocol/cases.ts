import { z } from 'zod';
import { COMPLAINT_STATUSES, type ComplaintCategory, type ComplaintStatus } from './complaints';
import { DOSSIER_STATUSES, type DossierStatus, type DossierTypeName, type PersonName } from './dossiers';
import { INFORMATION_STATUSES, type InformationStatus } from './informationRequests';

/** The kinds of case a person files and the office works: permit dossiers, requests for information (Law 2016-22), complaints. */
export const CASE_KINDS = ['dossier', 'information_request', 'complaint'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** Rows a page of a case list holds at most. */
export const MAX_CASE_PAGE = 100;

const page = {
  limit: z.coerce.number().int().min(1).max(MAX_CASE_PAGE).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
};

/** GET /api/me/cases: one type or all, a page at a time. */
export const MyCasesQuery = z.object({ type: z.enum(CASE_KINDS).optional(), ...page }).strict();
/** Each kind's statuses: a queue of one kind may be filtered by one of them. */
export const CASE_STATUSES: Record<CaseKind, readonly string[]> = {
  dossier: DOSSIER_STATUSES, information_request: INFORMATION_STATUSES, complaint: COMPLAINT_STATUSES,
};

/** GET /api/office/cases: `all` (the default) is every kind the asker's roles give them; `status` only with one kind, one of its statuses. */
export const OfficeCasesQuery = z.object({ type: z.enum([...CASE_KINDS, 'all']).default('all'), status: z.string().max(32).optional(), ...page }).strict()
  .refine((q) => q.status === undefined || (q.type !== 'all' && CASE_STATUSES[q.type].includes(q.status)), { message: 'not a status of this kind of case', path: ['status'] });
export type OfficeCasesQuery = z.infer<typeof OfficeCasesQuery>;

/**
 * What is due next on a case by its legal clock: a permit's 45/60/90 days (CATU), a
 * request's 20 days, 10 days or 48 hours (Law 2016-22). Complaints have no legal clock: null.
 */
export interface CaseDue {
  /** The legal delay in days (for the 48 hours: 2). */
  days: number;
  dueOn: string | null;
  daysRemaining: number | null;
  /** For the 48 hours: hours left. */
  hoursRemaining: number | null;
  paused: boolean;
  overdue: boolean;
}

interface CaseRowBase {
  id: number;
  reference: string | null;
  /** The last time something happened on it: a step, an edit, a message. */
  lastActivityAt: string;
  due: CaseDue | null;
  /** Who filed it, for the office; null on one's own list and for an anonymous report. */
  person: Pick<PersonName, 'nameAr' | 'nameFr'> | null;
}

/** A row of a case list: its kind says how to read its status and what it is about. */
export type CaseRow =
  | (CaseRowBase & { kind: 'dossier'; status: DossierStatus; what: DossierTypeName; detail: string })
  | (CaseRowBase & { kind: 'information_request'; status: InformationStatus; what: null; detail: string })
  | (CaseRowBase & { kind: 'complaint'; status: ComplaintStatus; what: ComplaintCategory; detail: string });

export interface CasePage {
  rows: CaseRow[];
  /** How many rows the whole list has. */
  total: number;
}
