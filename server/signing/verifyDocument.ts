import crypto from 'node:crypto';
import { commonName, type SignatureCheck } from '../../protocol/signing';
import { sha256Hex } from '../domain/auditChain';
import { signatureState, type SignatureReport } from '../domain/signatureState';
import { pdfSignatures, revisionEnds } from './pdfSignatures';

export interface DocumentCheck extends SignatureReport {
  signatures: SignatureCheck[];
}

/** sha256 of the document's first revision: the file as it was finalized, before any signature. */
export function firstRevisionSha256(pdf: Buffer): string {
  return sha256Hex(pdf.subarray(0, revisionEnds(pdf)[0] ?? pdf.length));
}

/**
 * Everything a reader checks in a signed PDF, for documents that `order` signs: each
 * signature's validity over the revision it covers, its certificate and whether `caPem`
 * (the municipality's CA) issued it, and the state of the whole (signatureState).
 */
export function checkDocument(pdf: Buffer, order: readonly string[], caPem: string | null): DocumentCheck {
  const ends = revisionEnds(pdf);
  const ca = caPem ? new crypto.X509Certificate(caPem) : null;
  const found = pdfSignatures(pdf);
  const signatures: SignatureCheck[] = found.map((s) => {
    const cert = s.certificate;
    return {
      role: s.role,
      signer: commonName(cert?.subject),
      name: s.name,
      issuer: commonName(cert?.issuer),
      signedBy: null,
      signedAt: s.signedAt?.toISOString() ?? null,
      valid: s.cryptographicallyValid,
      coversRevision: s.byteRange[0] === 0 && ends.includes(s.coversUpTo),
      issuedByMunicipality: !!(cert && ca && cert.checkIssued(ca) && cert.verify(ca.publicKey)),
      certificateSha256: cert ? sha256Hex(cert.raw) : null,
      auditHead: s.auditHead,
      timestamp: s.timestamp && {
        time: s.timestamp.time?.toISOString() ?? null, authority: s.timestamp.authority, matchesSignature: s.timestamp.imprintMatches, valid: s.timestamp.valid,
      },
    };
  });
  // White space after the last %%EOF is not a change.
  let contentEnd = pdf.length;
  while (contentEnd > 0 && [0x0a, 0x0d, 0x20, 0x00].includes(pdf[contentEnd - 1]!)) contentEnd--;
  const report = signatureState(order, signatures.map((s, i) => ({ ...s, coversUpTo: found[i]!.coversUpTo })), contentEnd);
  return { ...report, signatures };
}
