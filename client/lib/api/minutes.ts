import type { z } from 'zod';
import type {
  MinutesListEntry, MinutesPdfLanguage, MinutesTextBody, MinutesView, SignMinutesBody,
} from '../../../protocol/minutes';
import { apiPath, request } from './request';

const of = (sessionId: number, step = '') => apiPath(`/minutes/${sessionId}${step}`);

/** /api/minutes: a session's minutes, edited, finalized and signed; their PDFs. */
export const minutes = {
  /** The user's recently closed sessions and where their minutes stand. */
  list: () => request<MinutesListEntry[]>('GET', apiPath('/minutes')),
  get: (sessionId: number) => request<MinutesView>('GET', of(sessionId)),
  editText: (sessionId: number, edit: MinutesTextBody) => request<MinutesView>('PATCH', of(sessionId), edit),
  finalize: (sessionId: number) => request<MinutesView>('POST', of(sessionId, '/finalize')),
  sign: (sessionId: number, body: z.input<typeof SignMinutesBody>) => request<MinutesView>('POST', of(sessionId, '/signatures'), body),
  /** A finalized PDF, for a download link. */
  pdfUrl: (sessionId: number, lang: MinutesPdfLanguage) => apiPath(`/minutes/${sessionId}/pdf`, { lang }),
};
