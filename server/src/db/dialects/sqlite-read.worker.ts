/**
 * A read worker's thread (see sqlite-read-pool.ts): its own read-only connection to the SQLite file runs the statements
 * that the main thread sends and answers with their rows. WAL lets it read while the main connection writes; every
 * statement reads the last committed state. Loaded by Node itself (type stripping), so it imports nothing of the app.
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { LRUCache } from 'lru-cache';

export interface ReadWorkerData {
  file: string;
  busyTimeout: number;
}

/** A statement to run, its parameters already in SQLite's types (the main thread binds them). */
export interface ReadRequest {
  id: number;
  sql: string;
  parameters: SQLInputValue[];
}

export interface ReadFailure {
  message: string;
  code?: string;
  errcode?: number;
  errstr?: string;
}

export type ReadReply = { id: number; rows: unknown[] } | { id: number; error: ReadFailure };

const port = parentPort;
if (!port) throw new Error('sqlite-read.worker.ts runs as a worker thread');
const { file, busyTimeout } = workerData as ReadWorkerData;

const db = new DatabaseSync(file, { readOnly: true });
db.exec(`pragma busy_timeout = ${Number(busyTimeout)}`);
// prepared once per SQL text, like the main connection's cache; SQLite re-prepares one itself after a schema change
const statements = new LRUCache<string, StatementSync>({ max: 500 });

function run(request: ReadRequest): unknown[] {
  let stmt = statements.get(request.sql);
  if (!stmt) {
    stmt = db.prepare(request.sql);
    statements.set(request.sql, stmt);
  }
  // `all` runs any statement; a write fails, since the connection is read-only
  return stmt.all(...request.parameters);
}

function failure(err: unknown): ReadFailure {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & { code?: unknown; errcode?: unknown; errstr?: unknown };
  return {
    message: e.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.errcode === 'number' ? { errcode: e.errcode } : {}),
    ...(typeof e.errstr === 'string' ? { errstr: e.errstr } : {}),
  };
}

port.on('message', (message: ReadRequest | 'close') => {
  if (message === 'close') {
    statements.clear();
    db.close();
    port.close();
    return;
  }
  let reply: ReadReply;
  try {
    reply = { id: message.id, rows: run(message) };
  } catch (err) {
    reply = { id: message.id, error: failure(err) };
  }
  port.postMessage(reply);
});
