import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { Kysely, type Transaction } from 'kysely';
import type { Config, DialectName } from '../config.ts';
import { createPostgresDialect } from './dialects/postgres.ts';
import { createSqliteDialect } from './dialects/sqlite.ts';
import { createSqliteReadDialect, SqliteReadPool } from './dialects/sqlite-read-pool.ts';
import { registerLongReads } from './long-reads.ts';
import type { DB } from './schema.ts';
import { AuthWriteWatch, registerAuthWrites } from './write-watch.ts';

export type Db = Kysely<DB>;
export type Tx = Transaction<DB>;
/** What repositories take: the database or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

const authenticating = new AsyncLocalStorage<true>();

/** Runs the resolution of a request's actor; its statements are counted in `queryCounter.auth`. */
export function whileAuthenticating<T>(resolve: () => Promise<T>): Promise<T> {
  return authenticating.run(true, resolve);
}

export interface Database {
  db: Db;
  dialect: DialectName;
  /**
   * Counts executed SQL statements; tests use it to prove list requests run a fixed number of queries. Statements that
   * authenticate a request (`whileAuthenticating`) are counted apart in `auth`: whether a request pays for them depends
   * on the actor cache (auth/actor-cache.ts), not on the request.
   */
  queryCounter: { count: number; auth: number };
  /** Long reads of committed data (db/long-reads.ts): worker threads on a SQLite file, else `db` itself. */
  reads: Db;
  destroy(): Promise<void>;
}

export function openDatabase(
  config: Pick<Config, 'dialect' | 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'sqliteSynchronous'>>,
  options: { sqliteFile?: string; poolSize?: number } = {},
): Database {
  const queryCounter = { count: 0, auth: 0 };
  const log = (event: { level: string }) => {
    if (event.level !== 'query') return;
    if (authenticating.getStore()) queryCounter.auth += 1;
    else queryCounter.count += 1;
  };
  // counts writes to the tables an actor is built from, so that cached actors know when to resolve again
  const authWrites = new AuthWriteWatch();
  const plugins = [authWrites];
  if (config.dialect === 'postgres') {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is required for PostgreSQL');
    const db = new Kysely<DB>({ dialect: createPostgresDialect(config.databaseUrl, options.poolSize), log, plugins });
    registerAuthWrites(db, authWrites);
    registerLongReads(db, db);
    return { db, dialect: 'postgres', queryCounter, reads: db, destroy: () => db.destroy() };
  }
  const file = options.sqliteFile ?? path.join(config.dataDir, 'praxis.sqlite');
  const db = new Kysely<DB>({ dialect: createSqliteDialect(file, { synchronous: config.sqliteSynchronous }), log, plugins });
  registerAuthWrites(db, authWrites);
  // long reads in worker threads with their own read-only connections (an in-memory database has no file to share)
  const reads = file === ':memory:' ? db : new Kysely<DB>({ dialect: createSqliteReadDialect(new SqliteReadPool(file)), log });
  registerLongReads(db, reads);
  const destroy = async () => {
    if (reads !== db) await reads.destroy();
    await db.destroy();
  };
  return { db, dialect: 'sqlite', queryCounter, reads, destroy };
}
