import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Controls and catalogs (ISO/IEC 27001 6.1.3, 8.3, Annex A): catalogs of requirements (built-in ISO/IEC 27001:2022
// Annex A, imported OSCAL catalogs), the scope's control library, and the links controls → requirements, controls → risks.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  // A catalog without a scope is available to every scope (built-in, or imported by the installation administrator).
  await db.schema
    .createTable('catalog')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.references('scope.id').onDelete('cascade'))
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('version', t.text, (c) => c.notNull())
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('oscal_uuid', t.text)
    .addColumn('published', t.text)
    .addColumn('requirement_count', t.integer, (c) => c.notNull())
    .addColumn('withdrawn_count', t.integer, (c) => c.notNull())
    .addColumn('imported_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('catalog_scope_key_uq', ['scope_id', 'key'])
    .execute();
  await db.schema
    .createIndex('catalog_global_key_uq')
    .on('catalog')
    .column('key')
    .unique()
    .where(sql.ref('scope_id'), 'is', null)
    .execute();

  // Groups and controls (and enhancements) flattened in document order; parent_identifier keeps the tree.
  await db.schema
    .createTable('catalog_requirement')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('catalog_id', t.id, (c) => c.notNull().references('catalog.id').onDelete('cascade'))
    .addColumn('identifier', t.text, (c) => c.notNull())
    .addColumn('parent_identifier', t.text)
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('label', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('statement', t.text, (c) => c.notNull())
    .addColumn('guidance', t.text)
    .addColumn('withdrawn', t.boolean, (c) => c.notNull())
    .addColumn('depth', t.integer, (c) => c.notNull())
    .addColumn('sort_order', t.integer, (c) => c.notNull())
    .addColumn('params', t.json)
    .addUniqueConstraint('catalog_requirement_identifier_uq', ['catalog_id', 'identifier'])
    .execute();
  await db.schema.createIndex('catalog_requirement_order_idx').on('catalog_requirement').columns(['catalog_id', 'sort_order']).execute();

  // The scope's control library: applied controls (ISO 27001 6.1.3 b, 8.3).
  await db.schema
    .createTable('control')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('effectiveness', t.text, (c) => c.notNull())
    .addColumn('cost_estimate', t.numeric)
    .addColumn('due_on', t.date)
    .addColumn('implemented_on', t.date)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('control_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('control_scope_updated_idx').on('control').columns(['scope_id', 'updated_at']).execute();
  await db.schema.createIndex('control_scope_status_idx').on('control').columns(['scope_id', 'status']).execute();
  await db.schema.createIndex('control_owner_idx').on('control').column('owner_id').execute();

  await db.schema
    .createTable('control_requirement')
    .addColumn('control_id', t.id, (c) => c.notNull().references('control.id').onDelete('cascade'))
    .addColumn('requirement_id', t.id, (c) => c.notNull().references('catalog_requirement.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('control_requirement_pk', ['control_id', 'requirement_id'])
    .execute();
  await db.schema
    .createIndex('control_requirement_requirement_idx')
    .on('control_requirement')
    .columns(['requirement_id', 'control_id'])
    .execute();

  await db.schema
    .createTable('control_risk')
    .addColumn('control_id', t.id, (c) => c.notNull().references('control.id').onDelete('cascade'))
    .addColumn('risk_id', t.id, (c) => c.notNull().references('risk.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('control_risk_pk', ['control_id', 'risk_id'])
    .execute();
  await db.schema.createIndex('control_risk_risk_idx').on('control_risk').columns(['risk_id', 'control_id']).execute();
}
