import { sql } from 'kysely';
import type { DialectName } from '../config.ts';
import type { Tx } from './database.ts';

/**
 * Serialises writers that must not interleave (the audit chain, first-run setup).
 * PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, because every write transaction
 * begins IMMEDIATE and so already holds the database's single write lock.
 */
export const lockKeys = { auditChain: 7_201_001, setup: 7_201_002 } as const;

export async function lockForTransaction(tx: Tx, dialect: DialectName, key: number): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${key})`.execute(tx);
}
