import { z } from 'zod';

/** The RFC 3161 timestamp a signature carries (PAdES B-T), checked. */
export interface SignatureTimestamp {
  /** When the timestamp authority says the signature existed; null when the token cannot be read. */
  time: string | null;
  /** The common name of the timestamp authority's certificate. */
  authority: string | null;
  /** The token is over this signature's value (its message imprint is the value's hash). */
  matchesSignature: boolean;
  /** The token is signed by the certificate it carries, a time-stamping one. */
  valid: boolean;
}

/** One signature of a PDF as /verify reports it. */
export interface SignatureCheck {
  /** The role it was made in (`secretary`, `chair`, `president`), as the signature states it. */
  role: string | null;
  /** The certificate's common name. */
  signer: string | null;
  /** The name the signature dictionary gives. */
  name: string | null;
  /** The issuer's common name. */
  issuer: string | null;
  /**
   * The person the municipality's records name for it, in both languages, so each page names
   * them in its own: the holder of its certificate (for a fingerprint alone, the signer on
   * record); null when the records do not know the certificate.
   */
  signedBy: { nameAr: string; nameFr: string } | null;
  signedAt: string | null;
  /** Cryptographically valid over the bytes it covers. */
  valid: boolean;
  /** Covers the document from its first byte to the end of a revision (nothing left out). */
  coversRevision: boolean;
  /** The certificate was issued by the municipality's own signing CA. */
  issuedByMunicipality: boolean;
  certificateSha256: string | null;
  /** The audit log's head the signature pins (`seq:hash`), when it carries one. */
  auditHead: string | null;
  /** Its timestamp (PAdES B-T), when it carries one; for a hash alone, null. */
  timestamp: SignatureTimestamp | null;
}

export type DocumentState = 'unsigned' | 'partly_signed' | 'signed' | 'modified_after_signing' | 'invalid_signature' | 'out_of_order';

/** The password typed to sign: the signer proves again, at that moment, that they are who signs. */
export const SigningPassword = z.string().min(1).max(1024);

/** The arrêté of a dossier's decision (GET /api/arretes/:dossierId). */
export interface ArreteView {
  decisionId: number;
  outcome: 'granted' | 'refused';
  arreteNumber: string;
  signedOn: string;
  /** For a permit: the last day it holds, and the last day its one extension may be requested. */
  validity: { validUntil: string; extensionRequestBy: string } | null;
  /** Signed by the municipality's president. */
  signed: boolean;
  signedAt: string | null;
  signedBy: { nameAr: string; nameFr: string } | null;
  /** The PDFs as they stand. */
  pdfSha256: { ar: string; fr: string };
}

/** GET /api/arretes?awaiting=president: the arrêtés the caller, a municipality's president, has yet to sign. */
export const ArreteListQuery = z.object({ awaiting: z.literal('president') }).strict();

/** An arrêté issued and not yet signed, in the president's list. */
export interface ArreteAwaitingSignature {
  dossierId: number;
  reference: string;
  arreteNumber: string;
  outcome: 'granted' | 'refused';
  /** yyyy-mm-dd, the date the decision bears. */
  signedOn: string;
  /** When the arrêté was issued (the decision recorded). */
  issuedAt: string;
  municipality: { nameAr: string; nameFr: string };
}

/** The president's signature on an arrêté: their password typed again. */
export const SignArreteBody = z.object({ password: SigningPassword }).strict();
export const ArretePdfQuery = z.object({ lang: z.enum(['ar', 'fr']) }).strict();

/** What /verify answers for an arrêté: the decision it is, and the president's signature checked. */
export interface ArreteVerification {
  recognised: true;
  kind: 'arrete';
  /** Signed by the president, with nothing changed since. */
  valid: boolean;
  state: DocumentState;
  awaiting: 'president' | null;
  dossierId: number;
  reference: string;
  arreteNumber: string;
  outcome: 'granted' | 'refused';
  /** yyyy-mm-dd. */
  signedOn: string;
  municipality: { code: string; nameAr: string; nameFr: string };
  /** A PDF of the arrêté (or its sha256, as issued or as signed), in that language. */
  matched: 'pdf';
  language: 'ar' | 'fr';
  /** sha256 of the arrêté as issued, before its signature: its first revision. */
  issuedSha256: string;
  /** Each signature found in the PDF, checked (for a hash alone: the signature on record, not checked). */
  signatures: SignatureCheck[];
}

/** Largest PKCS#12 file imported: a key and a chain of a few certificates are a few kilobytes. */
export const PKCS12_MAX_BYTES = 64 * 1024;

/** A PKCS#12 file in base64; longer than PKCS12_MAX_BYTES once decoded: 413 (the JSON body's own limit is 256 kB). */
const Pkcs12File = z.string().min(1).max(240_000).regex(/^[A-Za-z0-9+/=\s]*$/, 'base64');

/**
 * A person imports their own PKCS#12 (e.g. TunTrust's) to sign for a municipality with: the
 * file (base64), the file's password, and their account password, under which its key is kept.
 */
export const ImportCertificateBody = z.object({
  municipalityId: z.number().int().min(1).max(2 ** 31 - 1),
  file: Pkcs12File,
  filePassword: z.string().max(1024),
  password: SigningPassword,
}).strict();

/** The municipality's admin imports a PKCS#12 for one of its signers: the file and the file's password. */
export const ImportCertificateForBody = z.object({ file: Pkcs12File, filePassword: z.string().max(1024) }).strict();

/** A certificate a person signs with (GET/POST /api/signing/certificates). */
export interface SigningCertificateView {
  sha256: string;
  municipalityId: number;
  /** `municipal_ca`: issued by the municipality's own CA; `pkcs12`: imported. */
  source: 'municipal_ca' | 'pkcs12';
  subject: string;
  issuer: string;
  notAfter: string;
  /** The one used at the next signature for this municipality. */
  current: boolean;
  /** Imported by an admin: its key is locked with the server's passphrase until its holder's next signature locks it with their password. */
  awaitingSignerPassword: boolean;
}

/** Who signs a municipality's documents, with their certificates (GET /api/signing/municipalities/:id/signers, its admin). */
export interface MunicipalSigners {
  municipality: { id: number; code: string; nameAr: string; nameFr: string };
  signers: {
    userId: number;
    nameAr: string;
    nameFr: string;
    email: string;
    /** Its secretary (signs the minutes), its president (the committee's chair: the minutes and the arrêtés). */
    roles: ('secretary' | 'chair')[];
    /** Newest first, for this municipality. */
    certificates: SigningCertificateView[];
  }[];
}

/** The common name of a distinguished name as Node writes it (`C=TN\nO=…\nCN=…`); the whole when it has none. */
export const commonName = (dn: string | undefined): string | null => dn?.split('\n').find((l) => l.startsWith('CN='))?.slice(3) ?? dn ?? null;
