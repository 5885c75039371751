import { z } from 'zod';
import type { PersonName } from './dossiers';
import { Id } from './ids';
import type { CaseEventView, CaseMessageView } from './informationRequests';
import { lineText, proseText } from './text';

/** A complaint or problem report: received, taken in hand by a service, then resolved or rejected with a reason. */
export const COMPLAINT_STATUSES = ['received', 'in_progress', 'resolved', 'rejected'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** Photos a report may carry. */
export const MAX_COMPLAINT_PHOTOS = 3;

const line = (max: number) => lineText(max).min(1);

export const CreateComplaintBody = z.object({
  municipalityId: Id,
  category: line(32),
  description: proseText(4000).min(1),
  /** A point picked on the municipality's map (WGS 84). */
  point: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180) }).strict().optional(),
  address: lineText(300).optional(),
  neighbourhood: lineText(100).optional(),
  /** The office does not see who reported it; the reporter still follows it from their account. */
  anonymous: z.boolean().default(false),
}).strict().refine((b) => b.point !== undefined || (b.address ?? '') !== '', { message: 'give a map point or an address', path: ['point'] });
export type CreateComplaintBody = z.infer<typeof CreateComplaintBody>;

export const AssignComplaintBody = z.object({ service: line(100) }).strict();
export const ResolveComplaintBody = z.object({ note: proseText(4000).default('') }).strict();
export const RejectComplaintBody = z.object({ reason: proseText(4000).min(1) }).strict();

/** A category of report, configurable per municipality. */
export interface ComplaintCategory {
  code: string;
  nameAr: string;
  nameFr: string;
  nameEn: string;
}

export interface ComplaintPhotoView {
  id: number;
  width: number;
  height: number;
  size: number;
}

/** How someone sees a report: its reporter, or the municipality's office. */
export type ComplaintViewer = 'reporter' | 'office';

export interface ComplaintView {
  id: number;
  reference: string;
  status: ComplaintStatus;
  municipality: { id: number; code: string; nameAr: string; nameFr: string };
  category: ComplaintCategory;
  description: string;
  point: { lat: number; lng: number } | null;
  address: string;
  neighbourhood: string;
  anonymous: boolean;
  /** Null for the office when the report is anonymous. */
  reporter: PersonName | null;
  service: string | null;
  rejectionReason: string | null;
  resolvedAt: string | null;
  photos: ComplaintPhotoView[];
  timeline: CaseEventView[];
  messages: CaseMessageView[];
  viewer: ComplaintViewer;
  createdAt: string;
}

export interface ComplaintRow {
  id: number;
  reference: string;
  status: ComplaintStatus;
  category: string;
  neighbourhood: string;
  description: string;
  service: string | null;
  createdAt: string;
}

/** A report as the public sees it: what and where (the neighbourhood), never who nor their words. */
export interface PublicComplaintRow {
  reference: string;
  category: string;
  neighbourhood: string;
  status: ComplaintStatus;
  receivedOn: string;
  closedOn: string | null;
}

export interface ComplaintCategoryStatistics {
  category: string;
  open: number;
  resolved: number;
  rejected: number;
  /** Median days from receipt to resolution; null before the first is resolved. */
  medianDaysToResolve: number | null;
}
