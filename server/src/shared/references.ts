import { sql } from 'kysely';
import type { DialectName } from '../config.ts';
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

/**
 * Inserts `row` into `table` with the next reference for `prefix` in its scope (`row.scope_id`) in its `reference`
 * column, and answers the reference. On PostgreSQL this is one statement (the counter's upsert in a CTE of the insert),
 * so that the counter's row, locked until the commit, is taken with the record's insert and not a round trip before
 * it; on SQLite (one writer at a time, no round trips) the upsert and the insert.
 */
export async function insertWithNextReference(
  tx: Tx,
  dialect: DialectName,
  table: string,
  row: Record<string, string | number | null | undefined> & { scope_id: string },
  prefix: string,
): Promise<string> {
  const columns = Object.keys(row).filter((c) => row[c] !== undefined && c !== 'reference');
  if (dialect !== 'postgres') {
    const reference = await nextReference(tx, row.scope_id, prefix);
    await sql`insert into ${sql.table(table)} (${sql.join([...columns, 'reference'].map((c) => sql.ref(c)))})
      values (${sql.join([...columns.map((c) => row[c]), reference])})`.execute(tx);
    return reference;
  }
  const inserted = await sql<{ reference: string }>`
    with counter as (
      insert into reference_counter (scope_id, prefix, last_value) values (${row.scope_id}, ${prefix}, 1)
      on conflict (scope_id, prefix) do update set last_value = reference_counter.last_value + 1
      returning last_value)
    insert into ${sql.table(table)} (${sql.join([...columns, 'reference'].map((c) => sql.ref(c)))})
    values (${sql.join(columns.map((c) => row[c]))}, (
      select ${prefix}::text || '-' || case when last_value < 10000 then lpad(last_value::text, 4, '0') else last_value::text end
      from counter))
    returning reference`.execute(tx);
  return inserted.rows[0]!.reference;
}
