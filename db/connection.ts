import fs from 'node:fs';
import path from 'node:path';
import { Sequelize } from 'sequelize';
import type { Logger } from '../server/log';

export interface DatabaseOptions {
  dataDir: string;
  databaseUrl?: string;
  log?: Logger;
}

/**
 * Opens the database: PostgreSQL when a URL is given, otherwise the SQLite file
 * DATA_DIR/lajna.sqlite in WAL mode with synchronous=FULL, so a committed record
 * survives a power cut.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Sequelize> {
  const logging = opts.log ? (sql: string) => opts.log!.trace({ sql }, 'sql') : false;
  if (opts.databaseUrl) {
    const sequelize = new Sequelize(opts.databaseUrl, { dialect: 'postgres', logging });
    await sequelize.authenticate();
    return sequelize;
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const sequelize = new Sequelize({
    dialect: 'sqlite',
    storage: path.join(opts.dataDir, 'lajna.sqlite'),
    logging,
  });
  // Sequelize opens a new SQLite connection per transaction: every one needs the pragmas.
  sequelize.addHook('afterConnect', async (connection: unknown) => {
    const db = connection as { exec(sql: string, cb: (err: Error | null) => void): void };
    await new Promise<void>((resolve, reject) =>
      db.exec(
        'PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;',
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  });
  await sequelize.authenticate();
  return sequelize;
}

export const isSqlite = (sequelize: Sequelize) => sequelize.getDialect() === 'sqlite';
