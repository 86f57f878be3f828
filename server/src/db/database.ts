import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { Kysely, sql, type Transaction, type TransactionBuilder } from 'kysely';
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
const afterCommitting = new AsyncLocalStorage<true>();

/** Work that a transaction runs as its last statements before its commit (the audit trail's entries: audit.service.ts). */
export type BeforeCommit = (tx: Tx) => Promise<void>;

/** The transactions that are open, each with the work it still has to do before it commits. */
const beforeCommitWork = new WeakMap<Transaction<DB>, BeforeCommit[]>();

/**
 * Asks the transaction to run `work` just before it commits (once, however often it is asked before then; asked again
 * after it ran, it runs again). Fails loudly for a transaction that was not opened by `db.transaction()` of a database
 * from openDatabase (a copy made by `withPlugin`, a controlled transaction) or that has already finished, so that the
 * work cannot be lost silently.
 */
export function beforeCommit(tx: Tx, work: BeforeCommit): void {
  const pending = beforeCommitWork.get(tx);
  if (!pending) {
    throw new Error(
      'This transaction cannot run work before its commit: it was not opened by db.transaction() of openDatabase, or it has finished',
    );
  }
  if (!pending.includes(work)) pending.push(work);
}

/** Work that runs once a transaction has committed, on the database (the audit trail's sealing: audit/audit-seal.ts). */
export type AfterCommit = (db: Db) => Promise<void>;

/** The open transactions' work to run after their commit. */
const afterCommitWork = new WeakMap<Transaction<DB>, AfterCommit[]>();

/**
 * Asks the transaction to run `work` once it has committed (once, however often it is asked); the caller of
 * `db.transaction().execute(…)` gets its result when that work has finished. The work must not throw: the change it
 * follows is committed. Not run when the transaction rolls back. Fails loudly like beforeCommit for a transaction not
 * opened by `db.transaction()` of openDatabase.
 */
export function afterCommit(tx: Tx, work: AfterCommit): void {
  const pending = afterCommitWork.get(tx);
  if (!pending) {
    throw new Error(
      'This transaction cannot run work after its commit: it was not opened by db.transaction() of openDatabase, or it has finished',
    );
  }
  if (!pending.includes(work)) pending.push(work);
}

/** Runs the transaction's before-commit work now: for a reader inside the transaction that must see what it writes. */
export async function runBeforeCommitWork(tx: Tx): Promise<void> {
  const pending = beforeCommitWork.get(tx);
  while (pending?.length) await pending.shift()!(tx);
}

/** The statements each open transaction sent as its last and has not waited for (commitBehind). */
const sentUnanswered = new WeakMap<Transaction<DB>, Promise<unknown>[]>();
/** The transactions running their before-commit work as their last step, right before the commit. */
const committing = new WeakSet<Transaction<DB>>();

/**
 * Whether the transaction is running its before-commit work as its last step: nothing it runs after this work can
 * roll back to a savepoint, so that work may leave its last statement to travel with the commit (commitBehind).
 */
export function isCommitting(tx: Tx): boolean {
  return committing.has(tx);
}

/**
 * Leaves `statement`, the transaction's last, unanswered: the commit is sent right behind it instead of after its
 * answer (PostgreSQL's connections are pipelined, db/dialects/postgres.ts: both travel together, one round trip less).
 * When the statement failed, PostgreSQL answers the commit with a rollback and `execute` fails with the statement's
 * error, as if it had been waited for. Only on PostgreSQL (SQLite would commit past a failed statement), and only for a
 * statement after which nothing rolls back to a savepoint (isCommitting, or a transaction without savepoints). Fails
 * loudly like beforeCommit for a transaction not opened by `db.transaction()` of openDatabase.
 */
export function commitBehind(tx: Tx, statement: Promise<unknown>): void {
  const sent = sentUnanswered.get(tx);
  if (!sent) {
    throw new Error(
      'This transaction cannot commit behind a statement: it was not opened by db.transaction() of openDatabase, or it has finished',
    );
  }
  statement.catch(() => {}); // waited for at the commit
  sent.push(statement);
}

/** The error of the first statement that failed among those sent unanswered, if one did. */
async function firstFailure(sent: Promise<unknown>[]): Promise<{ error: unknown } | null> {
  for (const statement of sent) {
    try {
      await statement;
    } catch (error) {
      return { error };
    }
  }
  return null;
}

/**
 * State a transaction keeps outside the database until its commit (the audit entries asked for): a savepoint that is
 * rolled back must put it back as it was, like the rows.
 */
export interface TransactionState {
  mark(tx: Tx): unknown;
  rewind(tx: Tx, mark: unknown): void;
}

const transactionStates: TransactionState[] = [];

export function registerTransactionState(state: TransactionState): void {
  transactionStates.push(state);
}

/**
 * Runs `fn` inside a savepoint of the transaction: when it throws, its rows and the state kept on the transaction
 * (audit entries it asked for) are rolled back and the error goes on; the transaction itself stays usable. A bare
 * `rollback to savepoint` would leave such entries to be written at the commit: use this instead.
 */
export async function withSavepoint<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  savepointCount += 1;
  const name = sql.id(`praxis_sp_${savepointCount}`);
  const marks = transactionStates.map((s) => s.mark(tx));
  await sql`savepoint ${name}`.execute(tx);
  try {
    const result = await fn();
    await sql`release savepoint ${name}`.execute(tx);
    return result;
  } catch (e) {
    await sql`rollback to savepoint ${name}`.execute(tx);
    await sql`release savepoint ${name}`.execute(tx);
    for (const [i, state] of transactionStates.entries()) state.rewind(tx, marks[i]);
    throw e;
  }
}

let savepointCount = 0;

/** A transaction builder whose transactions run their before-commit work as the callback's last step. */
function finishing(builder: TransactionBuilder<DB>, db: Db): TransactionBuilder<DB> {
  const wrapped = {
    setAccessMode: (mode: Parameters<TransactionBuilder<DB>['setAccessMode']>[0]) => finishing(builder.setAccessMode(mode), db),
    setIsolationLevel: (level: Parameters<TransactionBuilder<DB>['setIsolationLevel']>[0]) =>
      finishing(builder.setIsolationLevel(level), db),
    execute: async <T>(callback: (tx: Transaction<DB>) => Promise<T>): Promise<T> => {
      let after: AfterCommit[] = [];
      const sent: Promise<unknown>[] = [];
      let result: T;
      try {
        result = await builder.execute(async (tx) => {
          beforeCommitWork.set(tx, []);
          afterCommitWork.set(tx, after);
          sentUnanswered.set(tx, sent);
          try {
            const result = await callback(tx);
            committing.add(tx);
            await runBeforeCommitWork(tx);
            return result;
          } catch (e) {
            after = [];
            throw e;
          } finally {
            beforeCommitWork.delete(tx);
            afterCommitWork.delete(tx);
            sentUnanswered.delete(tx);
            committing.delete(tx);
          }
        });
      } catch (e) {
        // a statement the commit was sent behind failed: the commit rolled back, and that statement says why
        const failed = await firstFailure(sent);
        throw failed ? failed.error : e;
      }
      // committed: every statement sent before the commit has answered; none failed, or the commit would have rolled
      // back (unless one was misused: on SQLite, or before a savepoint rolled back): then say so rather than nothing
      const failed = await firstFailure(sent);
      if (failed) throw failed.error;
      // committed: its statements are counted apart (queryCounter.afterCommit), as work shared by many transactions
      if (after.length)
        await afterCommitting.run(true, async () => {
          for (const work of after) await work(db);
        });
      return result;
    },
  };
  return wrapped as unknown as TransactionBuilder<DB>;
}

/**
 * The application's Kysely: every `db.transaction().execute(fn)` runs the work its statements asked to be done before
 * the commit (beforeCommit) after `fn` and before the commit, so that work is done once per transaction, at its end.
 */
class PraxisKysely extends Kysely<DB> {
  override transaction(): TransactionBuilder<DB> {
    return finishing(super.transaction(), this);
  }
}

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
   * on the actor cache (auth/actor-cache.ts), not on the request. Statements of the work run after a commit
   * (afterCommit: sealing the audit trail, one batch for the entries of every transaction that committed meanwhile)
   * are counted apart in `afterCommit`.
   */
  queryCounter: { count: number; auth: number; afterCommit: number };
  /** Long reads of committed data (db/long-reads.ts): worker threads on a SQLite file, else `db` itself. */
  reads: Db;
  destroy(): Promise<void>;
}

export function openDatabase(
  config: Pick<Config, 'dialect' | 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'sqliteSynchronous'>>,
  options: { sqliteFile?: string; poolSize?: number } = {},
): Database {
  const queryCounter = { count: 0, auth: 0, afterCommit: 0 };
  const log = (event: { level: string }) => {
    if (event.level !== 'query') return;
    if (authenticating.getStore()) queryCounter.auth += 1;
    else if (afterCommitting.getStore()) queryCounter.afterCommit += 1;
    else queryCounter.count += 1;
  };
  // counts writes to the tables an actor is built from, so that cached actors know when to resolve again
  const authWrites = new AuthWriteWatch();
  const plugins = [authWrites];
  if (config.dialect === 'postgres') {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is required for PostgreSQL');
    const db = new PraxisKysely({ dialect: createPostgresDialect(config.databaseUrl, options.poolSize), log, plugins });
    registerAuthWrites(db, authWrites);
    registerLongReads(db, db);
    return { db, dialect: 'postgres', queryCounter, reads: db, destroy: () => db.destroy() };
  }
  const file = options.sqliteFile ?? path.join(config.dataDir, 'praxis.sqlite');
  const db = new PraxisKysely({ dialect: createSqliteDialect(file, { synchronous: config.sqliteSynchronous }), log, plugins });
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
