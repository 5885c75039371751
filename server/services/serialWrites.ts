import type { Sequelize, Transaction } from 'sequelize';
import { writeTransaction } from './dossiers';

const tails = new WeakMap<Sequelize, Promise<unknown>>();

/**
 * A write transaction that waits its turn in this process. SQLite has one writer at a
 * time anyway; letting many BEGIN IMMEDIATE wait on SQLite's busy handler parks
 * node-sqlite3's few threadpool threads in sleeps while the lock holder needs one to
 * finish, so a burst (15 ballots at once) ends in SQLITE_BUSY. Queuing here first means
 * SQLite never waits. (Several app processes on one SQLite file are not supported; with
 * PostgreSQL the queue only orders this process's writes.)
 */
export function serialWriteTransaction<T>(sequelize: Sequelize, fn: (t: Transaction) => Promise<T>): Promise<T> {
  const previous = tails.get(sequelize) ?? Promise.resolve();
  const run = previous.then(() => writeTransaction(sequelize, fn));
  tails.set(sequelize, run.catch(() => undefined));
  return run;
}
