import type { Db, Executor } from './database.ts';

/*
 * Where long reads run. On SQLite, a database opened on a file has a read pool (dialects/sqlite-read-pool.ts): worker
 * threads with their own read-only connections, so that an export's batches, a dashboard's aggregations or a report's
 * data do not hold the event loop while other requests wait. On PostgreSQL (pg is asynchronous) and on an in-memory
 * SQLite database (no file to share), long reads run where every other query runs.
 */

const readers = new WeakMap<Db, Db>();

/** Called by openDatabase: `reads` answers the long reads of `db`. */
export function registerLongReads(db: Db, reads: Db): void {
  readers.set(db, reads);
}

/**
 * The executor for a long read of committed data: the read pool of `db` if it has one, else `db` itself. An open
 * transaction is returned as it is: a read inside a transaction must see its own writes, which only its connection
 * holds. Reads only: the pool's connections are read-only and run no transactions.
 */
export function longReads(db: Db): Db;
export function longReads(db: Executor): Executor;
export function longReads(db: Executor): Executor {
  if (db.isTransaction) return db;
  return readers.get(db) ?? db;
}
