import type { Transaction } from 'sequelize';
import { AuditEntryRow } from '../../db/models';
import { exclusive } from '../../db/transactions';
import { canonicalJson, nextEntry, verifyChain, type AuditEntry, type AuditEvent, type ChainVerdict, type JsonValue } from '../domain/auditChain';

const toEntry = (row: AuditEntryRow): AuditEntry => ({
  seq: row.seq, at: row.at, actorId: row.actorId, action: row.action, subject: row.subject,
  payload: JSON.parse(row.payload) as JsonValue, prevHash: row.prevHash, hash: row.hash,
});

/**
 * Appends an entry to the audit chain inside the caller's write transaction
 * (db/transactions.ts), so the entry commits or rolls back with the change it records.
 * Reads the last entry and inserts the next, holding the chain meanwhile (other nodes'
 * appenders wait); `seq` is the primary key besides, so two transactions that read the
 * same last entry could never both commit and fork the chain.
 */
export async function appendAudit(
  transaction: Transaction,
  event: Omit<AuditEvent, 'at'> & { at?: Date },
): Promise<AuditEntry> {
  await exclusive(transaction, 'audit_chain');
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
