/**
 * Recognises a unique-constraint violation on either dialect: PostgreSQL's SQLSTATE 23505, SQLite's
 * SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555) as raised by node:sqlite.
 * Services check for duplicates first; this catches the writer that lost a race between that check and its insert
 * (PostgreSQL runs READ COMMITTED, so two transactions can both pass the check).
 */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; errcode?: unknown; message?: unknown };
  if (e.code === '23505') return true;
  if (e.errcode === 2067 || e.errcode === 1555) return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed/.test(e.message);
}

/**
 * PostgreSQL gave up one of two transactions that waited on each other (deadlock_detected 40P01, or
 * serialization_failure 40001). The transaction was rolled back whole, so nothing was written and the request can be
 * repeated. SQLite cannot deadlock: its writers queue behind one lock (BEGIN IMMEDIATE).
 */
export function isTransactionAborted(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  return code === '40P01' || code === '40001';
}
