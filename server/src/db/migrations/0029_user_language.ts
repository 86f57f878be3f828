import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// A user's language for the web client and for what the server words for them (exports, task titles, messages):
// 'en' or 'de'; null follows the browser's language.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('app_user').addColumn('language', t.text).execute();
}
