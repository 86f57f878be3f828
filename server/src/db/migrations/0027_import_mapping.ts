import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Spreadsheet import: the column mapping a scope used last time, per kind of import ('assets', later 'risks' …), so
// that the wizard and the CLI offer it again. The mapping is a JSON object: source column header → field.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('import_mapping')
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('mapping', t.json, (c) => c.notNull())
    .addColumn('updated_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('import_mapping_pk', ['scope_id', 'kind'])
    .execute();
}
