import type { Transaction } from 'sequelize';
import { AuditEntryRow } from '../../db/models';
import { canonicalJson, nextEntry, verifyChain, type AuditEntry, type AuditEvent, type ChainVerdict, type JsonValue } from '../domain/auditChain';

const toEntry = (row: AuditEntryRow): AuditEntry => ({
  seq: row.seq, at: row.at, actorId: row.actorId, action: row.action, subject: row.subject,
  payload: JSON.parse(row.payload) as JsonValue, prevHash: row.prevHash, hash: row.hash,
});

/**
 * Appends an entry to the audit chain inside the caller's transaction, so the entry
 * commits or rolls back with the change it records. Reads the last entry and inserts the
 * next; `seq` is the primary key, so two transactions that read the same last entry cannot
 * both commit: the second fails (a unique violation, or SQLite's busy snapshot) instead of
 * forking the chain. Callers should write through serialWriteTransaction (serialWrites.ts)
 * so that appenders queue instead of failing.
 */
export async function appendAudit(
  transaction: Transaction,
  event: Omit<AuditEvent, 'at'> & { at?: Date },
): Promise<AuditEntry> {
  const last = await AuditEntryRow.findOne({ order: [['seq', 'DESC']], attributes: ['seq', 'hash'], transaction });
  const entry = nextEntry(last, { ...event, at: (event.at ?? new Date()).toISOString() });
  await AuditEntryRow.create({ ...entry, payload: canonicalJson(entry.payload) }, { transaction });
  return entry;
}

/** The whole chain, in order. */
export async function auditEntries(transaction?: Transaction): Promise<AuditEntry[]> {
  return (await AuditEntryRow.findAll({ order: [['seq', 'ASC']], transaction })).map(toEntry);
}

/** Verifies the stored chain from the first entry. */
export async function verifyAuditLog(transaction?: Transaction): Promise<ChainVerdict> {
  return verifyChain(await auditEntries(transaction));
}
