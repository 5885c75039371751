import type { z } from 'zod';
import type { ConveneBody, ConveneResult, CreateSessionBody, SessionView } from '../../../protocol/sessions';
import { apiPath, request } from './request';

/** /api/sessions: the committee's sessions, their agenda and convocation. */
export const sessions = {
  /** Upcoming sessions of the committees the user staffs or sits on. */
  list: () => request<SessionView[]>('GET', apiPath('/sessions')),
  get: (id: number) => request<SessionView>('GET', apiPath(`/sessions/${id}`)),
  create: (body: z.input<typeof CreateSessionBody>) => request<SessionView>('POST', apiPath('/sessions'), body),
  /** Replaces the agenda with these dossiers, in this order. */
  setAgenda: (id: number, dossierIds: number[]) => request<SessionView>('PUT', apiPath(`/sessions/${id}/agenda`), { dossierIds }),
  /** Queues the convocations; once convened, only with `again` (409 already_convened otherwise). */
  convene: (id: number, body: ConveneBody = {}) => request<ConveneResult>('POST', apiPath(`/sessions/${id}/convene`), body),
};
