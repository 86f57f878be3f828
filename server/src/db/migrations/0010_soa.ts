import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Statement of Applicability (ISO/IEC 27001 6.1.3 d): one per scope and catalog; its working entries (one per
// control-kind requirement of the catalog) and the approved versions, each frozen as a snapshot of all entries.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('soa')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('catalog_id', t.id, (c) => c.notNull().references('catalog.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    // draft | submitted | approved: the state of the working copy
    .addColumn('status', t.text, (c) => c.notNull())
    // the number the working copy gets when approved; approved_number is the latest approved one
    .addColumn('draft_number', t.integer, (c) => c.notNull())
    .addColumn('approved_number', t.integer)
    .addColumn('submitted_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('submitted_at', t.timestamp)
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('soa_scope_catalog_uq', ['scope_id', 'catalog_id'])
    .addUniqueConstraint('soa_scope_reference_uq', ['scope_id', 'reference'])
    .execute();

  await db.schema
    .createTable('soa_entry')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('soa_id', t.id, (c) => c.notNull().references('soa.id').onDelete('cascade'))
    .addColumn('requirement_id', t.id, (c) => c.notNull().references('catalog_requirement.id').onDelete('cascade'))
    // the nearest enclosing group of the catalog (for headings and the group filter)
    .addColumn('group_identifier', t.text)
    .addColumn('sort_order', t.integer, (c) => c.notNull())
    // null: not decided yet
    .addColumn('applicable', t.boolean)
    .addColumn('justification', t.text, (c) => c.notNull())
    // who decided: treatment | control | catalog (pre-filled) | user (a human decision, never overwritten by a refresh)
    .addColumn('decision_source', t.text)
    .addColumn('decided_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('decided_at', t.timestamp)
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('soa_entry_requirement_uq', ['soa_id', 'requirement_id'])
    .execute();
  await db.schema.createIndex('soa_entry_order_idx').on('soa_entry').columns(['soa_id', 'sort_order']).execute();
  await db.schema.createIndex('soa_entry_requirement_idx').on('soa_entry').column('requirement_id').execute();

  await db.schema
    .createTable('soa_version')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('soa_id', t.id, (c) => c.notNull().references('soa.id').onDelete('cascade'))
    .addColumn('number', t.integer, (c) => c.notNull())
    .addColumn('submitted_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('submitted_at', t.timestamp)
    .addColumn('approved_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('approved_at', t.timestamp, (c) => c.notNull())
    .addColumn('entry_count', t.integer, (c) => c.notNull())
    .addColumn('applicable_count', t.integer, (c) => c.notNull())
    .addColumn('excluded_count', t.integer, (c) => c.notNull())
    // every entry as it was approved (JSON array), with the derived implementation status and linked controls
    .addColumn('entries', t.json, (c) => c.notNull())
    .addUniqueConstraint('soa_version_number_uq', ['soa_id', 'number'])
    .execute();
}
