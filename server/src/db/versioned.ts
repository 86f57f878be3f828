import type { Executor } from './database.ts';
import type { DB } from './schema.ts';

export type VersionedTable = { [T in keyof DB]: DB[T] extends { id: string; version: number } ? T : never }[keyof DB];

/**
 * Optimistic concurrency for any record with `id` and `version`: the update applies only if the stored version is the
 * one the caller read, and bumps it. Returns false when someone else saved in between.
 */
export async function updateVersioned<T extends VersionedTable>(
  db: Executor,
  table: T,
  id: string,
  version: number,
  patch: Partial<DB[T]>,
): Promise<boolean> {
  // Kysely cannot narrow a generic table name; the constraint above keeps callers honest.
  const r = await (db as Executor)
    .updateTable(table as 'asset')
    .set({ ...(patch as object), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
