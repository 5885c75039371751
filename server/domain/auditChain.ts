/**
 * The audit log as a hash chain: every entry hashes its own content together with the
 * previous entry's hash, so changing, removing, reordering or inserting an entry breaks
 * the chain at a place `verifyChain` names. Pure: no I/O (hashing is computation).
 */
import crypto from 'node:crypto';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Canonical JSON: object keys sorted by code unit, no whitespace, strings and numbers as
 * JSON.stringify writes them, undefined object members left out (as JSON does). Values
 * JSON cannot carry faithfully (NaN, Infinity, bigint, functions, symbols) are refused, so
 * a hash never covers a lossy encoding.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const members = Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
  }
}

export const sha256Hex = (data: string | Uint8Array) => crypto.createHash('sha256').update(data).digest('hex');

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records. */
export interface AuditEvent {
  /** ISO 8601 instant, UTC. */
  at: string;
  /** User id of who did it; null for the system. */
  actorId: number | null;
  /** What was done, e.g. `vote.closed`, `minutes.finalized`. */
  action: string;
  /** What it was done to, e.g. `vote:12`, `minutes:3`. */
  subject: string;
  payload: JsonValue;
}

export interface AuditEntry extends AuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
  /**
   * HMAC-SHA256 of `hash` with a key the database does not hold (DATA_DIR/audit.key): whoever
   * can write the database can rewrite entries and recompute every hash, but not these.
   */
  mac?: string | null;
}

/** The authentication code of an entry (of its hash, which covers everything else). */
export const entryMac = (key: Uint8Array, hash: string) => crypto.createHmac('sha256', key).update(hash).digest('hex');

/** The hash of an entry: sha256 over the canonical JSON of everything but the hash. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actorId, action, subject, payload, prevHash } = entry;
  return sha256Hex(canonicalJson({ seq, at, actorId, action, subject, payload, prevHash }));
}

/** The entry that follows `last` (or starts the chain). */
export function nextEntry(last: Pick<AuditEntry, 'seq' | 'hash'> | null, event: AuditEvent): AuditEntry {
  const body = { ...event, seq: last ? last.seq + 1 : 1, prevHash: last ? last.hash : GENESIS_HASH };
  return { ...body, hash: entryHash(body) };
}

export type ChainProblem =
  /** The entry's content no longer matches its hash: it was changed. */
  | 'hash_mismatch'
  /** The entry does not point at the one before it: one was changed (and rehashed), removed or inserted. */
  | 'broken_link'
  /** Sequence numbers are not 1, 2, 3…: an entry was removed, inserted or moved. */
  | 'sequence'
  /** The entry's authentication code is missing or wrong: it was written (or rehashed) without the key. */
  | 'mac_mismatch';

export type ChainVerdict =
  | { ok: true; length: number; head: string }
  /** `index` is the position in the given list of the first entry found wrong. */
  | { ok: false; index: number; seq: number; problem: ChainProblem };

/**
 * Checks a whole chain, in the order given (ascending seq, from the first entry); with the
 * key, every entry's authentication code too.
 */
export function verifyChain(entries: readonly AuditEntry[], key?: Uint8Array): ChainVerdict {
  let prevHash = GENESIS_HASH;
  for (const [index, e] of entries.entries()) {
    const fail = (problem: ChainProblem): ChainVerdict => ({ ok: false, index, seq: e.seq, problem });
    if (e.seq !== index + 1) return fail('sequence');
    if (e.prevHash !== prevHash) return fail('broken_link');
    if (entryHash(e) !== e.hash) return fail('hash_mismatch');
    if (key && e.mac !== entryMac(key, e.hash)) return fail('mac_mismatch');
    prevHash = e.hash;
  }
  return { ok: true, length: entries.length, head: prevHash };
}
