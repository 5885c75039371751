import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sequelize, Transaction } from 'sequelize';
import { openDatabase } from '../../db/connection';
import { transactionsOf, writeTransaction } from '../../db/transactions';
import { Municipality } from '../../db/models';
import { createTestStore, testDialect, type TestStore } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

const onPostgres = testDialect === 'postgres';

async function setting(sequelize: Sequelize, sql: string, transaction?: Transaction): Promise<unknown> {
  const row = (await sequelize.query(sql, { plain: true, raw: true, transaction })) as Record<string, unknown>;
  return Object.values(row)[0];
}

describe.runIf(!onPostgres)('the SQLite connections of the app', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const expectSettings = async (sequelize: Sequelize, transaction?: Transaction) => {
    expect(await setting(sequelize, 'PRAGMA journal_mode', transaction)).toBe('wal');
    expect(await setting(sequelize, 'PRAGMA synchronous', transaction)).toBe(2); // FULL
    expect(await setting(sequelize, 'PRAGMA busy_timeout', transaction)).toBe(10_000);
    expect(await setting(sequelize, 'PRAGMA foreign_keys', transaction)).toBe(1);
  };

  it('run in WAL mode with synchronous=FULL, a 10 s busy timeout and foreign keys: the default connection, the writer, a transaction of its own', async () => {
    const { sequelize } = server.server;
    await expectSettings(sequelize);
    await writeTransaction(sequelize, (t) => expectSettings(sequelize, t));
    // Sequelize opens a new connection for a transaction outside the write path: set up the same.
    await sequelize.transaction((t) => expectSettings(sequelize, t));
  });

  it('give every serialised write the same connection: 40 writes, at once and one after the other, open none', async () => {
    const { sequelize } = server.server;
    const transactions = transactionsOf(sequelize);
    await writeTransaction(sequelize, async () => undefined);
    const before = transactions.connectionsOpened!;
    const rename = (i: number) => writeTransaction(sequelize, async (t) => {
      const m = (await Municipality.findOne({ where: { code: 'ADR' }, transaction: t }))!;
      await m.update({ nameFr: `Aïn Draham ${i}` }, { transaction: t });
    });
    await Promise.all(Array.from({ length: 20 }, (_, i) => rename(i)));
    for (let i = 20; i < 40; i++) await rename(i);
    expect(transactions.connectionsOpened).toBe(before);
    // Writes were applied in the order they were queued.
    expect((await Municipality.findOne({ where: { code: 'ADR' } }))!.nameFr).toBe('Aïn Draham 39');
  });

  it('refuses a write after close, and close waits for the queued ones', async () => {
    const db = await openDatabase({ dataDir: `${server.dataDir}/second` });
    const transactions = transactionsOf(db);
    await db.query('CREATE TABLE t (n INTEGER)');
    const queued = Array.from({ length: 5 }, (_, i) => transactions.write((t) => db.query(`INSERT INTO t VALUES (${i})`, { transaction: t })));
    await transactions.close();
    await Promise.all(queued);
    expect(await setting(db, 'SELECT count(*) FROM t')).toBe(5);
    await expect(transactions.write(async () => undefined)).rejects.toThrow(/closing/);
    await db.close();
  });
});

describe.runIf(!onPostgres)('the per-transaction connection (kept only for the benchmark comparing it)', () => {
  it('opens one connection per write, each with the same settings', async () => {
    const server = await startTestServer(() => {}, { transactions: { writeConnection: 'per-transaction' } });
    try {
      const { sequelize } = server.server;
      const transactions = transactionsOf(sequelize);
      const before = transactions.connectionsOpened!;
      for (let i = 0; i < 10; i++) {
        await writeTransaction(sequelize, async (t) => {
          expect(await setting(sequelize, 'PRAGMA synchronous', t)).toBe(2);
          expect(await setting(sequelize, 'PRAGMA busy_timeout', t)).toBe(10_000);
        });
      }
      expect(transactions.connectionsOpened).toBe(before + 10);
    } finally {
      await server.close();
    }
  });
});

describe.runIf(onPostgres)('the PostgreSQL connections of the app', () => {
  let store: TestStore;
  let sequelize: Sequelize;
  beforeAll(async () => {
    store = await createTestStore('lajna-database-');
    sequelize = await store.open();
  });
  afterAll(async () => {
    await sequelize.close();
    await store.remove();
  });

  const expectSettings = async (transaction?: Transaction) => {
    // A commit is acknowledged once it is on disk; a lock held elsewhere is waited for 10 s.
    expect(await setting(sequelize, 'SHOW synchronous_commit', transaction)).toBe('on');
    expect(await setting(sequelize, 'SHOW fsync', transaction)).toBe('on');
    expect(await setting(sequelize, 'SHOW lock_timeout', transaction)).toBe('10s');
    expect(await setting(sequelize, 'SHOW idle_in_transaction_session_timeout', transaction)).toBe('1min');
  };

  it('acknowledge commits once durable and bound lock waits, outside and inside a write (foreign keys are always enforced)', async () => {
    await expectSettings();
    await writeTransaction(sequelize, (t) => expectSettings(t));
    expect(transactionsOf(sequelize).dialect).toBe('postgres');
  });
});
