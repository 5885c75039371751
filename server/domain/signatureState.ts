/**
 * Where a signed document stands, from what its signatures say: not yet signed, signed by
 * some of its signers in order, signed by all, changed after its last signature, or carrying
 * a signature that does not hold. Pure: the signatures come already checked (pdfSignatures).
 */

export interface CheckedSignature {
  /** The role the signature states (null when it states none). */
  role: string | null;
  /** Cryptographically valid over the bytes it covers. */
  valid: boolean;
  /** The signature covers the file from its first byte up to the end of a revision of it. */
  coversRevision: boolean;
  /** Where the bytes it covers end. */
  coversUpTo: number;
}

export type DocumentState =
  /** Finalized, no signature yet. */
  | 'unsigned'
  /** The first signers have signed, in order; `awaiting` is next. */
  | 'partly_signed'
  /** Every signer has signed, in order, and nothing was added since. */
  | 'signed'
  /** Bytes were added after the last signature (another revision nobody signed). */
  | 'modified_after_signing'
  /** A signature does not verify or does not cover its revision: the file was altered. */
  | 'invalid_signature'
  /** Valid signatures, but not by the signers in the order the document requires. */
  | 'out_of_order';

export interface SignatureReport {
  state: DocumentState;
  /** The roles that have signed, in the file's order. */
  signedBy: string[];
  /** The role whose signature comes next (null once complete, or when the state is not an orderly one). */
  awaiting: string | null;
}

/**
 * The state of a document that `order` (e.g. secretary then chair) must sign, given its
 * signatures in the file's order and where its meaningful bytes end (trailing white space
 * after the last %%EOF does not count as a change).
 */
export function signatureState(order: readonly string[], signatures: readonly CheckedSignature[], contentEnd: number): SignatureReport {
  const signedBy = signatures.map((s) => s.role ?? '');
  if (signatures.some((s) => !s.valid || !s.coversRevision)) return { state: 'invalid_signature', signedBy, awaiting: null };
  if (!signatures.length) return { state: 'unsigned', signedBy, awaiting: order[0] ?? null };
  if (signedBy.length > order.length || signedBy.some((role, i) => role !== order[i])) return { state: 'out_of_order', signedBy, awaiting: null };
  if (signatures.at(-1)!.coversUpTo < contentEnd) return { state: 'modified_after_signing', signedBy, awaiting: null };
  const awaiting = order[signedBy.length] ?? null;
  return { state: awaiting ? 'partly_signed' : 'signed', signedBy, awaiting };
}
