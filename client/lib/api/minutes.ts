import type { z } from 'zod';
import type {
  MinutesListEntry, MinutesPdfLanguage, MinutesTextBody, MinutesVerification, MinutesView, SignMinutesBody,
} from '../../../protocol/minutes';
import { apiPath, request } from './request';

const of = (sessionId: number, step = '') => apiPath(`/minutes/${sessionId}${step}`);

/** /api/minutes: a session's minutes, edited, finalized and signed; their PDFs; the public verification. */
export const minutes = {
  /** The user's recently closed sessions and where their minutes stand. */
  list: () => request<MinutesListEntry[]>('GET', apiPath('/minutes')),
  get: (sessionId: number) => request<MinutesView>('GET', of(sessionId)),
  editText: (sessionId: number, edit: MinutesTextBody) => request<MinutesView>('PATCH', of(sessionId), edit),
  finalize: (sessionId: number) => request<MinutesView>('POST', of(sessionId, '/finalize')),
  sign: (sessionId: number, body: z.input<typeof SignMinutesBody>) => request<MinutesView>('POST', of(sessionId, '/signatures'), body),
  /** A finalized PDF, for a download link. */
  pdfUrl: (sessionId: number, lang: MinutesPdfLanguage) => apiPath(`/minutes/${sessionId}/pdf`, { lang }),
  verifyHash: (hash: string) => request<MinutesVerification>('GET', apiPath('/minutes/verify', { hash })),
  /** Sends the PDF itself: the server hashes it as it arrives, so what is checked is the very file chosen. */
  verifyFile: (file: File) => request<MinutesVerification>('POST', apiPath('/minutes/verify'), new Blob([file], { type: 'application/pdf' })),
};
