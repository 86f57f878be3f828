import { AppError, errorText } from '../shared/errors.ts';
import type { Executor } from './database.ts';
import type { DB } from './schema.ts';

export type VersionedTable = { [T in keyof DB]: DB[T] extends { id: string; version: number } ? T : never }[keyof DB];

/**
 * Optimistic concurrency for any record with `id` and `version`: the update applies only if the stored version is still
 * the one the caller read, and bumps it. If someone else saved in between (possible under READ COMMITTED even after the
 * caller's own check), it throws 409 instead of silently writing nothing.
 */
export async function updateVersioned<T extends VersionedTable>(
  db: Executor,
  table: T,
  id: string,
  version: number,
  patch: Partial<DB[T]>,
): Promise<void> {
  // Kysely cannot narrow a generic table name; the constraint above keeps callers honest.
  const r = await db
    .updateTable(table as 'asset')
    .set({ ...(patch as object), version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) {
    throw new AppError('version_conflict', errorText('recordChangedReload'));
  }
}
