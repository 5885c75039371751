import type { z } from 'zod';
import type {
  CreateDossierBody, DocumentVersionDetail, DossierListRow, DossierMessageView, DossierStatus, DossierTypeView, DossierView, RequestDocumentsBody,
} from '../../../protocol/dossiers';
import type { RecordDecisionBody } from '../../../protocol/opinions';
import { apiPath, request, uploadFile } from './request';

const at = (id: number, step = '') => apiPath(`/dossiers/${id}${step}`);

/** /api/dossiers: the applicant's dossiers and the office's queue, and every step on one dossier. */
export const dossiers = {
  /** The applicant's own dossiers, or the office's queue (optionally of one status). */
  list: (status?: DossierStatus) => request<DossierListRow[]>('GET', apiPath('/dossiers', { status })),
  types: (municipalityId: number) => request<DossierTypeView[]>('GET', apiPath('/dossiers/types', { municipalityId })),
  create: (body: z.input<typeof CreateDossierBody>) => request<DossierView>('POST', apiPath('/dossiers'), body),
  get: (id: number) => request<DossierView>('GET', at(id)),
  /** Submits a draft, or resubmits an incomplete dossier. */
  submit: (id: number) => request<DossierView>('POST', at(id, '/submit')),
  requestDocuments: (id: number, body: z.input<typeof RequestDocumentsBody>) => request<DossierView>('POST', at(id, '/request-documents'), body),
  markComplete: (id: number) => request<DossierView>('POST', at(id, '/complete')),
  withdraw: (id: number) => request<DossierView>('POST', at(id, '/withdraw')),
  recordDecision: (id: number, body: z.input<typeof RecordDecisionBody>) => request<DossierView>('POST', at(id, '/decision'), body),
  /** Sends a message on the dossier; answers the whole thread. */
  sendMessage: (id: number, body: string) => request<DossierMessageView[]>('POST', at(id, '/messages'), { body }),
  /** Uploads the PDF for a checklist item (a new version when one exists), reporting progress 0..1; `signal` cancels it. */
  upload: (id: number, itemCode: string, file: File, onProgress: (fraction: number) => void, signal?: AbortSignal) =>
    uploadFile<DocumentVersionDetail>('PUT', at(id, `/documents/${encodeURIComponent(itemCode)}`), file, onProgress, signal),
  /** The submission receipt (PDF), for a link. */
  receiptUrl: (id: number) => at(id, '/receipt'),
};
