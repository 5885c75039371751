import type { ArreteAwaitingSignature, ArreteView } from '../../../protocol/signing';
import { apiPath, request } from './request';

/** /api/arretes: the arrêté of a dossier's decision, its PDFs, the president's signature. */
export const arretes = {
  /** The arrêtés the president has yet to sign. */
  awaitingSignature: () => request<ArreteAwaitingSignature[]>('GET', apiPath('/arretes', { awaiting: 'president' })),
  get: (dossierId: number) => request<ArreteView>('GET', apiPath(`/arretes/${dossierId}`)),
  sign: (dossierId: number, password: string) => request<ArreteView>('POST', apiPath(`/arretes/${dossierId}/signature`), { password }),
  /** The PDF as it stands (signed once the president has signed), for a download link. */
  pdfUrl: (dossierId: number, lang: 'ar' | 'fr') => apiPath(`/arretes/${dossierId}/pdf`, { lang }),
};
