import fs from 'node:fs';
import path from 'node:path';
import { Sequelize } from 'sequelize';
import { Transactions, type SqliteConnectionPool, type TransactionsOptions } from './transactions';

/** Where the statements are traced: the server's logger, at level trace (db/ knows no more of it). */
export interface StatementLog {
  trace(fields: { sql: string }, message: string): void;
}

export interface DatabaseOptions {
  dataDir: string;
  databaseUrl?: string;
  log?: StatementLog;
  /** How the write path reaches the database (benchmarks compare; the product keeps the default). */
  transactions?: TransactionsOptions;
}

/** How long a statement waits for a lock another connection holds before it fails (SQLite's busy timeout, PostgreSQL's lock_timeout). */
export const LOCK_WAIT_MS = 10_000;

/**
 * Per connection on SQLite: every commit synced to disk before it is acknowledged, foreign
 * keys enforced, a lock held elsewhere waited for. (WAL is a property of the file, set once.)
 */
const SQLITE_CONNECTION_SETTINGS = `PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=${LOCK_WAIT_MS};`;

/**
 * Opens the database: PostgreSQL when a URL is given, otherwise the SQLite file
 * DATA_DIR/lajna.sqlite in WAL mode with synchronous=FULL, so a committed record
 * survives a power cut. Its write path (db/transactions.ts) is attached to it.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Sequelize> {
  const logging = opts.log ? (sql: string) => opts.log!.trace({ sql }, 'sql') : false;
  if (opts.databaseUrl) {
    const sequelize = new Sequelize(opts.databaseUrl, {
      dialect: 'postgres',
      logging,
      dialectOptions: {
        application_name: 'lajna',
        // A commit is acknowledged once it is on disk, whatever the cluster's default.
        options: '-c synchronous_commit=on',
        lock_timeout: LOCK_WAIT_MS,
        // A transaction left open by a stuck request must not hold its row locks for ever.
        idle_in_transaction_session_timeout: 60_000,
      },
    });
    await sequelize.authenticate();
    Transactions.attach(sequelize, opts.transactions);
    return sequelize;
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const sequelize = new Sequelize({
    dialect: 'sqlite',
    storage: path.join(opts.dataDir, 'lajna.sqlite'),
    logging,
  });
  const connections = new SqliteConnections(sequelize);
  const [mode] = (await sequelize.query('PRAGMA journal_mode=WAL', { raw: true, plain: false })) as [{ journal_mode: string }[], unknown];
  if (mode[0]?.journal_mode !== 'wal') throw new Error(`SQLite refused WAL mode on ${opts.dataDir} (journal_mode=${mode[0]?.journal_mode})`);
  Transactions.attach(sequelize, opts.transactions, connections);
  return sequelize;
}

interface SqliteDatabase {
  uuid?: string;
  exec(sql: string, cb: (err: Error | null) => void): void;
  close(cb?: (err: Error | null) => void): void;
}

/** The parts of Sequelize's SQLite connection manager wrapped here. */
interface SqliteConnectionManager {
  connections: Record<string, SqliteDatabase>;
  getConnection(options?: { uuid?: string }): Promise<SqliteDatabase>;
  releaseConnection(connection: SqliteDatabase, force?: boolean): void;
  destroyConnection(connection: SqliteDatabase): Promise<void>;
}

/**
 * Sequelize's SQLite dialect opens a connection per transaction (and one default connection)
 * and never runs `afterConnect` hooks, so settings given there are silently lost. Every
 * connection it opens is set up here before its first use, and counted; the connections of
 * the transaction ids marked `keepOpen` are not closed when their transaction ends.
 */
class SqliteConnections implements SqliteConnectionPool {
  opened = 0;
  readonly #kept = new Set<string>();
  readonly #ready = new WeakMap<SqliteDatabase, Promise<void>>();

  constructor(sequelize: Sequelize) {
    const manager = sequelize.connectionManager as unknown as SqliteConnectionManager;
    const acquire = manager.getConnection.bind(manager);
    const release = manager.releaseConnection.bind(manager);
    manager.getConnection = async (options) => {
      const connection = await acquire(options);
      let ready = this.#ready.get(connection);
      if (!ready) {
        this.opened++;
        ready = new Promise<void>((resolve, reject) => connection.exec(SQLITE_CONNECTION_SETTINGS, (err) => (err ? reject(err) : resolve())));
        this.#ready.set(connection, ready);
      }
      await ready;
      return connection;
    };
    manager.releaseConnection = (connection, force) => {
      if (connection.uuid !== undefined && this.#kept.has(connection.uuid)) return;
      release(connection, force);
    };
    // After a failed COMMIT or ROLLBACK the connection's state is unknown: closed, and the
    // next transaction with its id opens a fresh one. (The dialect's own version expects a pool it does not use.)
    manager.destroyConnection = async (connection) => {
      if (connection.uuid !== undefined && manager.connections[connection.uuid] === connection) delete manager.connections[connection.uuid];
      await new Promise<void>((resolve) => connection.close(() => resolve()));
    };
  }

  keepOpen(transactionId: string): void {
    this.#kept.add(transactionId);
  }
}
