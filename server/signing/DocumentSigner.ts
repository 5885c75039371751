import { signatureAppearance, type AppearanceText } from './appearance';
import { signDetached } from './cms';
import { appendSignature, type SignatureSlot } from './pdfSigner';
import type { SignerIdentity, SigningAuthority } from './SigningAuthority';

export interface SignPdfRequest extends AppearanceText {
  signer: SignerIdentity;
  /** The password the signer just typed (already checked against their account). */
  password: string;
  slot: SignatureSlot;
  /** The field's name and the role as a code (`secretary`, `chair`, `president`). */
  role: string;
  reason: string;
  location: string;
  /** The audit log's head (`seq:hash`), pinned in the signature. */
  auditHead?: string;
}

/**
 * Signs PDFs for people: unlocks (or issues) the signer's certificate with their password,
 * typesets the visible block and appends the PAdES signature as an incremental update.
 */
export class DocumentSigner {
  constructor(readonly authority: SigningAuthority) {}

  /** Signs each PDF with the same credential (the Arabic and the French minutes at once). */
  async sign(pdfs: readonly Buffer[], request: Omit<SignPdfRequest, 'slot'> & { slots: readonly SignatureSlot[] }): Promise<{ pdfs: Buffer[]; certificateSha256: string }> {
    const credential = await this.authority.signerFor(request.signer, request.password, request.signedAt);
    const signed: Buffer[] = [];
    for (const [i, pdf] of pdfs.entries()) {
      const slot = request.slots[i]!;
      const [x1, y1, x2, y2] = slot.rect;
      signed.push(await appendSignature(pdf, {
        slot, fieldName: request.role, role: request.role, signedAt: request.signedAt,
        name: request.nameFr, reason: request.reason, location: request.location, auditHead: request.auditHead,
        appearance: await signatureAppearance(x2 - x1, y2 - y1, request),
        sign: (bytes) => signDetached(bytes, credential),
      }));
    }
    return { pdfs: signed, certificateSha256: credential.certificateSha256 };
  }
}
