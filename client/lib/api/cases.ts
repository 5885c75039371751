import type { z } from 'zod';
import type { CaseKind, CasePage } from '../../../protocol/cases';
import type {
  ComplaintCategory, ComplaintPhotoView, ComplaintRow, ComplaintStatus, ComplaintView, CreateComplaintBody,
} from '../../../protocol/complaints';
import type {
  CaseDocumentView, CaseMessageView, CreateInformationRequestBody, InformationRequestRow, InformationRequestView, RefusalGround,
} from '../../../protocol/informationRequests';
import type { MunicipalityView, SmsQuotaBody, SmsQuotaView } from '../../../protocol/municipalities';
import { apiPath, request, uploadFile } from './request';

const at = (id: number, step = '') => apiPath(`/complaints/${id}${step}`);

/** /api/complaints: the reporter's reports and the office's queue, and every step on one. */
export const complaints = {
  categories: (municipalityId: number) => request<ComplaintCategory[]>('GET', apiPath('/complaints/categories', { municipalityId })),
  list: (status?: ComplaintStatus) => request<ComplaintRow[]>('GET', apiPath('/complaints', { status })),
  create: (body: z.input<typeof CreateComplaintBody>) => request<ComplaintView>('POST', apiPath('/complaints'), body),
  get: (id: number) => request<ComplaintView>('GET', at(id)),
  addPhoto: (id: number, file: File, onProgress: (fraction: number) => void) => uploadFile<ComplaintPhotoView>('POST', at(id, '/photos'), file, onProgress),
  photoUrl: (id: number, photoId: number) => at(id, `/photos/${photoId}`),
  assign: (id: number, service: string) => request<ComplaintView>('POST', at(id, '/assign'), { service }),
  resolve: (id: number, note: string) => request<ComplaintView>('POST', at(id, '/resolve'), { note }),
  reject: (id: number, reason: string) => request<ComplaintView>('POST', at(id, '/reject'), { reason }),
  sendMessage: (id: number, body: string) => request<CaseMessageView[]>('POST', at(id, '/messages'), { body }),
};

/** /api/municipalities: every municipality (its code names its outline on the map picker). */
export const municipalities = {
  list: () => request<MunicipalityView[]>('GET', apiPath('/municipalities')),
  /** This month's SMS and the monthly quota, for the municipality's admin. */
  smsQuota: (id: number) => request<SmsQuotaView>('GET', apiPath(`/municipalities/${id}/sms-quota`)),
  setSmsQuota: (id: number, body: SmsQuotaBody) => request<SmsQuotaView>('PUT', apiPath(`/municipalities/${id}/sms-quota`), body),
};

const ir = (id: number, step = '') => apiPath(`/information-requests/${id}${step}`);

/** /api/information-requests: the requester's requests and the officer's queue, and every step on one (Law 2016-22). */
export const informationRequests = {
  list: () => request<InformationRequestRow[]>('GET', apiPath('/information-requests')),
  refusalGrounds: (municipalityId: number) => request<RefusalGround[]>('GET', apiPath('/information-requests/refusal-grounds', { municipalityId })),
  create: (body: z.input<typeof CreateInformationRequestBody>) => request<InformationRequestView>('POST', apiPath('/information-requests'), body),
  get: (id: number) => request<InformationRequestView>('GET', ir(id)),
  attach: (id: number, file: File, onProgress: (fraction: number) => void) => uploadFile<CaseDocumentView>('POST', ir(id, '/documents'), file, onProgress),
  documentUrl: (id: number, documentId: number) => ir(id, `/documents/${documentId}`),
  answer: (id: number, note: string) => request<InformationRequestView>('POST', ir(id, '/answer'), { note }),
  refuse: (id: number, ground: string, reasons: string) => request<InformationRequestView>('POST', ir(id, '/refuse'), { ground, reasons }),
  extend: (id: number, reason: string) => request<InformationRequestView>('POST', ir(id, '/extend'), { reason }),
  appeal: (id: number, grounds: string) => request<InformationRequestView>('POST', ir(id, '/appeal'), { grounds }),
  sendMessage: (id: number, body: string) => request<CaseMessageView[]>('POST', ir(id, '/messages'), { body }),
};

/** /api/me/cases and /api/office/cases: one list over every kind of case, a page at a time. */
export const caseLists = {
  mine: (q: { type?: CaseKind; limit?: number; offset?: number } = {}) => request<CasePage>('GET', apiPath('/me/cases', q)),
  office: (q: { type?: CaseKind | 'all'; status?: string; limit?: number; offset?: number } = {}) => request<CasePage>('GET', apiPath('/office/cases', q)),
};
