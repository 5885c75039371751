import { Municipality, User } from '../../db/models';
import { auditHead } from '../services/audit';
import { signatureAppearance } from './appearance';
import { signDetached, type Timestamper } from './cms';
import { appendSignature, type SignatureSlot } from './pdfSigner';
import type { SignerIdentity, SigningAuthority } from './SigningAuthority';

/** The languages a signed document is issued in, in the order its PDFs are signed. */
export const DOCUMENT_LANGUAGES = ['ar', 'fr'] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];

export interface SignPdfRequest {
  signer: SignerIdentity;
  /** The password the signer just typed (already checked against their account). */
  password: string;
  signedAt: Date;
  /** The field's name and the role as a code (`secretary`, `chair`, `president`). */
  role: string;
  /** The role in words, shown in the visible block. */
  roleAr: string;
  roleFr: string;
  reason: string;
  /** Where each PDF's visible block goes, one slot per PDF. */
  slots: readonly SignatureSlot[];
}

/**
 * Signs PDFs for people: unlocks (or issues) the signer's certificate with their password,
 * typesets the visible block (their names, the role, the time) and appends the PAdES
 * signature as an incremental update, with the municipality as location and the audit log's
 * head (`seq:hash`) pinned in it. Given a timestamp authority, each signature is PAdES B-T:
 * its token is asked for before any PDF is kept, so a TSA that fails leaves nothing signed.
 */
export class DocumentSigner {
  constructor(
    readonly authority: SigningAuthority,
    private readonly timestamp?: Timestamper,
  ) {}

  /** Signs each PDF with the same credential (the Arabic and the French document at once). */
  async sign(pdfs: readonly Buffer[], request: SignPdfRequest): Promise<{ pdfs: Buffer[]; certificateSha256: string; auditHead: string }> {
    const { signer, signedAt, role } = request;
    const [user, municipality, head] = await Promise.all([User.findByPk(signer.userId), Municipality.findByPk(signer.municipalityId), auditHead()]);
    const credential = await this.authority.signerFor(signer, request.password, signedAt);
    const text = { nameAr: user!.nameAr, nameFr: user!.nameFr, roleAr: request.roleAr, roleFr: request.roleFr, signedAt };
    const location = `${municipality!.nameFr} — ${municipality!.nameAr}`;
    const signed: Buffer[] = [];
    for (const [i, pdf] of pdfs.entries()) {
      const slot = request.slots[i]!;
      const [x1, y1, x2, y2] = slot.rect;
      signed.push(await appendSignature(pdf, {
        slot, fieldName: role, role, signedAt, name: user!.nameFr, reason: request.reason, location, auditHead: head,
        appearance: await signatureAppearance(x2 - x1, y2 - y1, text),
        sign: (bytes) => signDetached(bytes, credential, this.timestamp),
      }));
    }
    return { pdfs: signed, certificateSha256: credential.certificateSha256, auditHead: head };
  }
}
