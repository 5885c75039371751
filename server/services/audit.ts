import crypto from 'node:crypto';
import path from 'node:path';
import type { Sequelize, Transaction } from 'sequelize';
import { AuditEntryRow } from '../../db/models';
import { exclusive, writeTransaction } from '../../db/transactions';
import { readOrCreateSecret } from '../secretFile';
import { canonicalJson, entryMac, nextEntry, verifyChain, type AuditEntry, type AuditEvent, type ChainVerdict, type JsonValue } from '../domain/auditChain';

const toEntry = (row: AuditEntryRow): AuditEntry => ({
  seq: row.seq, at: row.at, actorId: row.actorId, action: row.action, subject: row.subject,
  payload: JSON.parse(row.payload) as JsonValue, prevHash: row.prevHash, hash: row.hash, mac: row.mac,
});

/** The key each database's entries are authenticated with (set at start by useAuditKey). */
const keys = new WeakMap<Sequelize, Buffer>();

/**
 * The audit key, DATA_DIR/audit.key (32 random bytes in hex, mode 0600), made on first start.
 * It lives outside the database on purpose: someone who can write the database but not this
 * file cannot make an entry that verifies.
 */
export async function loadAuditKey(dataDir: string): Promise<{ key: Buffer; created: boolean }> {
  const file = path.join(dataDir, 'audit.key');
  const { text, created } = await readOrCreateSecret(file, () => crypto.randomBytes(32).toString('hex'));
  const key = Buffer.from(text.trim(), 'hex');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key in hexadecimal`);
  return { key, created };
}

/**
 * Authenticates the entries of this database with `key` from now on. When the key was just
 * made (`created`: the first start with one), the entries written before it get their codes
 * now, provided the chain verifies; returns how many. Never later: an entry without a code
 * (its code removed, or written without the key) is then named by verification, not blessed.
 */
export async function useAuditKey(sequelize: Sequelize, { key, created }: { key: Buffer; created: boolean }): Promise<number> {
  keys.set(sequelize, key);
  if (!created) return 0;
  const legacy = await AuditEntryRow.findAll({ order: [['seq', 'ASC']] });
  if (!legacy.length || !verifyChain(legacy.map(toEntry)).ok) return 0;
  await writeTransaction(sequelize, async (transaction) => {
    for (const row of legacy) await row.update({ mac: entryMac(key, row.hash) }, { transaction });
  });
  return legacy.length;
}

/**
 * Appends an entry to the audit chain inside the caller's write transaction
 * (db/transactions.ts), so the entry commits or rolls back with the change it records.
 * Reads the last entry and inserts the next, holding the chain meanwhile (other nodes'
 * appenders wait); `seq` is the primary key besides, so two transactions that read the
 * same last entry could never both commit and fork the chain. With the key, the entry's
 * authentication code is written with it.
 */
export async function appendAudit(
  transaction: Transaction,
  event: Omit<AuditEvent, 'at'> & { at?: Date },
): Promise<AuditEntry> {
  await exclusive(transaction, 'audit_chain');
  const entry = nextEntry(await lastEntry(transaction), { ...event, at: (event.at ?? new Date()).toISOString() });
  const key = keys.get(AuditEntryRow.sequelize!);
  const mac = key ? entryMac(key, entry.hash) : null;
  await AuditEntryRow.create({ ...entry, payload: canonicalJson(entry.payload), mac }, { transaction });
  return { ...entry, mac };
}

const lastEntry = (transaction?: Transaction) => AuditEntryRow.findOne({ order: [['seq', 'DESC']], attributes: ['seq', 'hash'], transaction });

/** The log's head as a signed document pins it: `seq:hash` of the last entry, `0:` while there is none. */
export async function auditHead(): Promise<string> {
  const head = await lastEntry();
  return head ? `${head.seq}:${head.hash}` : '0:';
}

/** The whole chain, in order. */
export async function auditEntries(transaction?: Transaction): Promise<AuditEntry[]> {
  return (await AuditEntryRow.findAll({ order: [['seq', 'ASC']], transaction })).map(toEntry);
}

/** Verifies the stored chain from the first entry, each entry's authentication code too once the database has its key. */
export async function verifyAuditLog(transaction?: Transaction): Promise<ChainVerdict> {
  return verifyChain(await auditEntries(transaction), keys.get(AuditEntryRow.sequelize!));
}
