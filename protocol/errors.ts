/**
 * Stable error codes, shared by the HTTP API and the socket.io events.
 * Clients branch on `code`; `message` is for people and logs.
 */
export const ERROR_CODES = [
  'invalid_payload',
  'bad_request',
  'request_timeout',
  'malformed_json',
  'payload_too_large',
  'unauthenticated',
  'invalid_credentials',
  'reauth_failed',
  /** A PKCS#12 import: not a PKCS#12 file, its password wrong, no key in it, or the key not the certificate's. */
  'not_pkcs12',
  'wrong_file_password',
  'no_key',
  'key_mismatch',
  /** A certificate imported to sign with: expired, not valid yet, or not issued for signatures. */
  'certificate_expired',
  'certificate_not_yet_valid',
  'key_usage',
  'record_mismatch',
  /** The timestamp authority (TSA_URL) failed, was late or answered no timestamp of the signature: nothing was signed (502). */
  'timestamp_unavailable',
  'csrf_failed',
  'forbidden',
  'not_found',
  'conflict',
  'too_many_attempts',
  /** A socket sent an event faster than its limit (429, details: event, retryAfterMs). */
  'rate_limited',
  /** A member has as many connections in a session's meeting as are allowed. */
  'too_many_connections',
  'invalid_transition',
  'already_convened',
  'unsupported_media_type',
  'unsupported_encoding',
  'invalid_pdf',
  'encrypted_pdf',
  'pdf_too_complex',
  'pdf_too_many_pages',
  'empty_file',
  'file_too_large',
  'invalid_image',
  'range_not_satisfiable',
  'quorum_not_met',
  'vote_closed',
  'recused',
  /** A member who is a party to the dossier (its applicant) may not vote on it: they recuse. */
  'must_recuse',
  'immutable',
  'out_of_order',
  'media_limit',
  'server_busy',
  /** The meeting is held by another app node (`details.node`): connect there. */
  'wrong_node',
  /** A mobile number that is not Tunisian (+216 and 8 digits), or SMS asked for without one. */
  'invalid_phone',
  /** A hearing link that is not one of ours (or mistyped). */
  'hearing_link_unknown',
  /** A hearing link past its session (closed, its end, or the hearing ended). */
  'hearing_link_expired',
  /** A hearing link followed once already: its guest login exists. */
  'hearing_link_used',
  /** A hearing link the office withdrew. */
  'hearing_link_revoked',
  /** An agenda item that is not on that session. */
  'item_not_in_session',
  /** A dossier that is not the one of that agenda item. */
  'dossier_not_item',
  /** A vote may not open while a guest is heard in the room. */
  'guest_present',
  /** A guest's connection asked for something outside their hearing. */
  'guest_not_allowed',
  /** The guest's agenda item is not the one under discussion. */
  'hearing_not_open',
  /** Markups: only the presenter and those the chair lets draw may draw or calibrate (403). */
  'no_drawing_rights',
  /** Markups: drawn on a document version that is not the one presented (409, details: presentedVersionId). */
  'not_presented',
  /** Markups: a distance or area on a page with no scale (neither the file's nor a calibration) (409). */
  'no_scale',
  /** A vote's conditions cite a markup number the item does not have (422, details: numbers). */
  'unknown_markup',
  /** A vote's conditions cite a markup that was undone or deleted (422, details: numbers). */
  'deleted_markup',
  /** A complaint's map point outside its municipality's outline (422, details: municipalityCode). */
  'point_outside_municipality',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error response and every failed socket acknowledgement. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** A refusal with its HTTP status and stable code: the server throws it (AppError), the client receives it (ApiError). */
export class CodedError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}
