import type { DocumentVerification } from '../../../protocol/verification';
import { apiPath, request } from './request';

/** /api/verify, public: is this PDF (or this sha256) of minutes or of an arrêté Lajna issued, and who signed it. */
export const verify = {
  hash: (hash: string) => request<DocumentVerification>('GET', apiPath('/verify', { hash })),
  /** Sends the PDF itself: the server hashes it as it arrives, so what is checked is the very file chosen. */
  file: (file: File) => request<DocumentVerification>('POST', apiPath('/verify'), new Blob([file], { type: 'application/pdf' })),
};
