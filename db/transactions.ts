import { Transaction, type Sequelize } from 'sequelize';

/**
 * How the serialised writes reach SQLite: `long-lived` (the product) keeps one connection
 * open for all of them; `per-transaction` opens a new one per transaction, as Sequelize
 * does by default. The second exists only so a benchmark can compare both in one run.
 */
export type WriteConnection = 'long-lived' | 'per-transaction';

export interface TransactionsOptions {
  writeConnection?: WriteConnection;
}

/** What the write path needs from the SQLite connections (db/connection.ts provides it). */
export interface SqliteConnectionPool {
  /** Connections opened to the file so far, each with the README's settings. */
  readonly opened: number;
  /** The connection acquired for this transaction id stays open after the transaction, for the next one with the same id. */
  keepOpen(transactionId: string): void;
}

/** The transaction's own start: Sequelize's managed `transaction()` does the same, with an id of its own choosing. */
interface StartableTransaction {
  prepareEnvironment(useCls: boolean): Promise<void>;
  finished?: string;
}

/** The id of the writer's transactions, under which SQLite's connection manager keeps its connection. */
const WRITER_ID = 'lajna-writer';

const registry = new WeakMap<Sequelize, Transactions>();

/**
 * The one serialised write path of a process: every write transaction waits its turn here,
 * then runs as a read-then-write transaction that cannot fail halfway through on a lock.
 *
 * - SQLite has one writer at a time anyway. Writes queue here rather than on SQLite's busy
 *   handler (which parks node-sqlite3's few threadpool threads in sleeps while the lock
 *   holder needs one to finish), and each is `BEGIN IMMEDIATE`: a deferred transaction that
 *   read first fails its upgrade with SQLITE_BUSY_SNAPSHOT when another wrote meanwhile.
 *   All of them run on one long-lived connection: Sequelize would open (and set up, and read
 *   the schema on) a new connection per transaction.
 * - PostgreSQL runs them on its pool; rows read to be changed are locked (`forUpdate`),
 *   work queues skip the rows another node holds (`claimable`), and a chain that every
 *   writer extends (the audit log) is taken in turn across nodes (`exclusive`). The queue
 *   here only orders this process's writes.
 *
 * A write must not wait for another write (it would wait for itself): pass the transaction down.
 */
export class Transactions {
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #writerId: string | undefined;

  private constructor(
    readonly sequelize: Sequelize,
    private readonly sqlite: SqliteConnectionPool | undefined,
    options: TransactionsOptions,
  ) {
    if (sqlite && (options.writeConnection ?? 'long-lived') === 'long-lived') {
      this.#writerId = WRITER_ID;
      sqlite.keepOpen(WRITER_ID);
    }
  }

  /** The write path of `sequelize` (one per database handle); `sqlite` when it is a SQLite file. */
  static attach(sequelize: Sequelize, options: TransactionsOptions = {}, sqlite?: SqliteConnectionPool): Transactions {
    const transactions = new Transactions(sequelize, sqlite, options);
    registry.set(sequelize, transactions);
    return transactions;
  }

  get dialect(): 'sqlite' | 'postgres' {
    return this.sqlite ? 'sqlite' : 'postgres';
  }

  /** SQLite connections opened since the database was opened (undefined on PostgreSQL, whose pool is its own). */
  get connectionsOpened(): number | undefined {
    return this.sqlite?.opened;
  }

  /** Runs `fn` in the next write transaction: committed when it resolves, rolled back when it throws. */
  write<T>(fn: (t: Transaction) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the database is closing; no further writes'));
    const run = this.#tail.then(() => this.#run(fn));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Refuses new writes and waits for the queued ones (before the database closes). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#tail;
  }

  async #run<T>(fn: (t: Transaction) => Promise<T>): Promise<T> {
    const transaction = new Transaction(this.sequelize, this.sqlite ? { type: Transaction.TYPES.IMMEDIATE } : {});
    if (this.#writerId) Object.assign(transaction, { id: this.#writerId, name: this.#writerId });
    const startable = transaction as unknown as StartableTransaction;
    await startable.prepareEnvironment(false);
    let result: T;
    try {
      result = await fn(transaction);
    } catch (error) {
      if (!startable.finished) await transaction.rollback().catch(() => undefined);
      throw error;
    }
    await transaction.commit();
    return result;
  }
}

/** The write path of the database `sequelize` is open on. */
export function transactionsOf(sequelize: Sequelize): Transactions {
  const transactions = registry.get(sequelize);
  if (!transactions) throw new Error('the database was not opened with openDatabase (no write path)');
  return transactions;
}

/** Runs `fn` in the process's next write transaction on `sequelize`'s database. */
export function writeTransaction<T>(sequelize: Sequelize, fn: (t: Transaction) => Promise<T>): Promise<T> {
  return transactionsOf(sequelize).write(fn);
}

const onPostgres = (t: Transaction) => (t as unknown as { sequelize: Sequelize }).sequelize.getDialect() === 'postgres';

/**
 * Find options that read rows to change them: locked `FOR UPDATE` on PostgreSQL, so another
 * node's writer waits for this commit; SQLite's IMMEDIATE transaction already holds the
 * database's write lock. (Not with includes: PostgreSQL refuses to lock an outer join's nullable side.)
 */
export function forUpdate(t: Transaction): { transaction: Transaction; lock?: Transaction['LOCK']['UPDATE'] } {
  return onPostgres(t) ? { transaction: t, lock: t.LOCK.UPDATE } : { transaction: t };
}

/**
 * Find options that claim rows of a work queue (the outbox): on PostgreSQL locked and
 * skipping the rows another node has claimed, so each is worked on by one node at a time.
 */
export function claimable(t: Transaction): { transaction: Transaction; lock?: Transaction['LOCK']['UPDATE']; skipLocked?: boolean } {
  return onPostgres(t) ? { transaction: t, lock: t.LOCK.UPDATE, skipLocked: true } : { transaction: t };
}

/**
 * Takes `name` for the rest of the transaction: writers of the same name (the audit chain,
 * which every writer extends from its last entry) go one after the other across nodes.
 * PostgreSQL: a transaction-scoped advisory lock. SQLite: the IMMEDIATE transaction is
 * already the only writer.
 */
export async function exclusive(t: Transaction, name: string): Promise<void> {
  if (!onPostgres(t)) return;
  await (t as unknown as { sequelize: Sequelize }).sequelize.query('SELECT pg_advisory_xact_lock(hashtext(:name))', { replacements: { name }, transaction: t });
}
