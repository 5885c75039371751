import type { z } from 'zod';
import type { ImportCertificateForBody, MunicipalSigners } from '../../../protocol/signing';
import { apiPath, request } from './request';

/** /api/signing: the municipality's CA certificate, and for its admin, its signers and their certificates. */
export const signing = {
  /** The CA certificate (PEM) a PDF reader is told to trust, for a download link. */
  caUrl: (code: string) => apiPath(`/signing/ca/${code}`),
  signers: (municipalityId: number) => request<MunicipalSigners>('GET', apiPath(`/signing/municipalities/${municipalityId}/signers`)),
  importFor: (municipalityId: number, userId: number, body: z.input<typeof ImportCertificateForBody>) =>
    request<MunicipalSigners>('POST', apiPath(`/signing/municipalities/${municipalityId}/signers/${userId}/certificates`), body),
};
