import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { formatReference } from './ids.ts';

/**
 * Next human reference for a record type in a scope (AST-0001, TSK-0042), allocated inside the caller's transaction.
 * One upsert statement: safe under concurrency on both dialects.
 */
export async function nextReference(tx: Tx, scopeId: string, prefix: string): Promise<string> {
  const row = await sql<{ last_value: number }>`
    insert into reference_counter (scope_id, prefix, last_value) values (${scopeId}, ${prefix}, 1)
    on conflict (scope_id, prefix) do update set last_value = reference_counter.last_value + 1
    returning last_value`.execute(tx);
  return formatReference(prefix, Number(row.rows[0]!.last_value));
}

/**
 * `count` consecutive references for a record type in a scope (a bulk import), allocated in one upsert inside the
 * caller's transaction: the counter moves by `count` at once, so no other writer can take one in between.
 */
export async function nextReferences(tx: Tx, scopeId: string, prefix: string, count: number): Promise<string[]> {
  if (count <= 0) return [];
  const row = await sql<{ last_value: number }>`
    insert into reference_counter (scope_id, prefix, last_value) values (${scopeId}, ${prefix}, ${count})
    on conflict (scope_id, prefix) do update set last_value = reference_counter.last_value + ${count}
    returning last_value`.execute(tx);
  const last = Number(row.rows[0]!.last_value);
  return Array.from({ length: count }, (_, i) => formatReference(prefix, last - count + 1 + i));
}
