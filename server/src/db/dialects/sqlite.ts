import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { LRUCache } from 'lru-cache';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  SqliteAdapter,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  type SqliteStatement,
} from 'kysely';

/*
 * Kysely ships a SQLite dialect for better-sqlite3's API. Node's built-in `node:sqlite` has nearly the same API,
 * so this file adapts it (a few lines) instead of adding a native dependency. No published adapter fits Kysely 0.29.
 */

function isReader(stmt: StatementSync, sql: string): boolean {
  // `columns()` exists from Node 22.16; fall back to the statement's text on older minors.
  const withColumns = stmt as StatementSync & { columns?: () => unknown[] };
  if (typeof withColumns.columns === 'function') return withColumns.columns().length > 0;
  return /^\s*(select|with|pragma|values)\b/i.test(sql) || /\breturning\b/i.test(sql);
}

export type SqlValue = null | number | bigint | string | Uint8Array;

export function toSqlite(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value;
  if (value instanceof Uint8Array) return value;
  return JSON.stringify(value);
}

export class NodeSqliteDatabase implements SqliteDatabase {
  readonly raw: DatabaseSync;
  constructor(raw: DatabaseSync) {
    this.raw = raw;
  }
  /**
   * Prepared statements by their SQL text, reused instead of prepared again on every call (Kysely asks for a statement
   * per query). Kysely runs one statement at a time on this single connection, so a cached statement is never in use
   * twice; `iterate` (a stream, which may stay open) gets a fresh one. SQLite re-prepares a statement by itself after
   * a schema change. Bounded, least recently used first out.
   */
  readonly #statements = new LRUCache<string, SqliteStatement>({ max: 1000 });

  close(): void {
    this.#statements.clear();
    if (this.raw.isOpen) this.raw.close();
  }
  prepare(sql: string): SqliteStatement {
    const cached = this.#statements.get(sql);
    if (cached) return cached;
    const stmt = this.raw.prepare(sql);
    const reader = isReader(stmt, sql);
    const statement: SqliteStatement = {
      reader,
      all: (params) => stmt.all(...bind(params)),
      run: (params) => {
        const r = stmt.run(...bind(params));
        return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
      },
      iterate: (params) => this.raw.prepare(sql).iterate(...bind(params)) as IterableIterator<unknown>,
    };
    this.#statements.set(sql, statement);
    return statement;
  }
}

const bind = (params: ReadonlyArray<unknown>) => params.map(toSqlite);

/** Write transactions take the write lock up front, so they wait on busy_timeout instead of failing with SQLITE_BUSY. */
class ImmediateSqliteDriver extends SqliteDriver implements Driver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** SQLite has transactional DDL; Kysely's adapter says otherwise to stay safe for all drivers. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class NodeSqliteDialect extends SqliteDialect implements Dialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
  override createAdapter() {
    return new TransactionalSqliteAdapter();
  }
}

/**
 * Opens (creating if needed) the SQLite file with WAL, busy_timeout and foreign keys on. `:memory:` is accepted.
 * `synchronous` (PRAXIS_SQLITE_SYNCHRONOUS): FULL, the default, syncs the WAL on every commit, so that an acknowledged
 * write survives a power loss; NORMAL syncs only at checkpoints (a killed process loses nothing, a power loss may lose
 * the last commits) and writes faster (`npm run bench` measures how much).
 */
export function createSqliteDialect(file: string, options: { synchronous?: 'FULL' | 'NORMAL' | 'EXTRA' } = {}): Dialect {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const raw = new DatabaseSync(file);
  raw.exec('pragma journal_mode = wal');
  raw.exec('pragma busy_timeout = 10000');
  raw.exec('pragma foreign_keys = on');
  raw.exec(`pragma synchronous = ${options.synchronous ?? 'FULL'}`);
  return new NodeSqliteDialect({ database: new NodeSqliteDatabase(raw) });
}
