import type { Sequelize } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrations';
import { AuditEntryRow, defineModels } from '../../db/models';
import { appendAudit, auditEntries, verifyAuditLog } from '../../server/services/audit';
import { createTestStore, type TestStore } from '../support/database';

let sequelize: Sequelize;
let store: TestStore;

beforeAll(async () => {
  store = await createTestStore('lajna-audit-');
  sequelize = await store.open();
  defineModels(sequelize);
  await migrate(sequelize);
});

afterAll(async () => {
  await sequelize.close();
  await store?.remove();
});

describe('appendAudit on a real database', () => {
  it('appends linked entries inside the caller\'s transaction and reads them back verifiable', async () => {
    for (const n of [1, 2, 3]) {
      await sequelize.transaction((transaction) =>
        appendAudit(transaction, { actorId: n, action: 'vote.closed', subject: `vote:${n}`, payload: { opinion: 'favourable', ballots: { 'ليلى': 'favourable' }, n } }),
      );
    }
    const entries = await auditEntries();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[2]!.payload).toEqual({ ballots: { 'ليلى': 'favourable' }, n: 3, opinion: 'favourable' });
    expect(await verifyAuditLog()).toEqual({ ok: true, length: 3, head: entries[2]!.hash });
  });

  it('rolls back with the caller\'s transaction', async () => {
    await expect(sequelize.transaction(async (transaction) => {
      await appendAudit(transaction, { actorId: 1, action: 'minutes.finalized', subject: 'minutes:1', payload: {} });
      throw new Error('the change being recorded failed');
    })).rejects.toThrow('the change being recorded failed');
    expect(await AuditEntryRow.count()).toBe(3);
  });

  it('refuses a second entry with the same sequence number', async () => {
    const last = (await auditEntries()).at(-1)!;
    await expect(AuditEntryRow.create({ ...last, hash: 'f'.repeat(64), payload: '{}' })).rejects.toThrow();
  });

  it('concurrent appenders never fork the chain: each either links to the last entry or fails', async () => {
    const before = await AuditEntryRow.count();
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) =>
      sequelize.transaction((transaction) =>
        appendAudit(transaction, { actorId: i, action: 'ballot.cast', subject: `vote:9`, payload: { i } }),
      ),
    ));
    const appended = results.filter((r) => r.status === 'fulfilled').length;
    expect(appended).toBeGreaterThan(0);
    expect(await AuditEntryRow.count()).toBe(before + appended);
    expect(await verifyAuditLog()).toMatchObject({ ok: true, length: before + appended });
  });

  it('detects an entry changed or removed in the table, and says where', async () => {
    await sequelize.query(`UPDATE audit_entries SET payload = '{"n":2,"opinion":"unfavourable"}' WHERE seq = 2`);
    expect(await verifyAuditLog()).toEqual({ ok: false, index: 1, seq: 2, problem: 'hash_mismatch' });
    await sequelize.query('DELETE FROM audit_entries WHERE seq = 2');
    expect(await verifyAuditLog()).toEqual({ ok: false, index: 1, seq: 3, problem: 'sequence' });
  });
});
