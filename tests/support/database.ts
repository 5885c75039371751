import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Sequelize } from 'sequelize';
import { openDatabase } from '../../db/connection';

/**
 * The engine the tests run on: PostgreSQL when TEST_POSTGRES_URL names a role that may create
 * databases (CI's second pass, `scripts/postgres.sh url`), else SQLite files.
 */
const adminUrl = process.env.TEST_POSTGRES_URL || undefined;
export const testDialect: 'postgres' | 'sqlite' = adminUrl ? 'postgres' : 'sqlite';

/** Where one test's data lives: a fresh folder (documents, and the SQLite file) and, on PostgreSQL, a fresh database. */
export interface TestStore {
  dataDir: string;
  /** The test's own database on PostgreSQL; undefined on SQLite (the file in dataDir). */
  databaseUrl: string | undefined;
  /** A new connection to the store, as the server opens it. */
  open(): Promise<Sequelize>;
  /** Deletes the folder and drops the database (connections still open to it are ended). */
  remove(): Promise<void>;
}

async function administer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestStore(prefix = 'lajna-test-'): Promise<TestStore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let databaseUrl: string | undefined;
  let database: string | undefined;
  if (adminUrl) {
    // Lower-case letters, digits and _ only: the name is safe to write into SQL as is.
    database = `lajna_test_${process.pid}_${crypto.randomBytes(5).toString('hex')}`;
    await administer(`CREATE DATABASE ${database}`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();
  }
  return {
    dataDir,
    databaseUrl,
    open: () => openDatabase({ dataDir, databaseUrl }),
    async remove() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (database) await administer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}
