import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// ISO 27001 10.2 b): a nonconformity closes only with its root cause. In the small profile a root cause that could not
// be determined may be recorded as such, with the reason why (null: not recorded).
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('nonconformity').addColumn('root_cause_not_determined', t.text).execute();
}
