import type { Kysely } from 'kysely';
import { ensureAnnexACatalog } from '../../catalogs/catalog.repository.ts';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Evidence (ISO 27001 7.5 documented information, 9.1 monitoring results): content-addressed file blobs, evidence
// records (a stored file or a link) and their links to controls. Also seeds the built-in ISO/IEC 27001:2022 Annex A
// catalog, so that every database has it from the start.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  // One row per distinct content; the bytes live under PRAXIS_DATA_DIR/files/ab/cd/<sha256>.
  await db.schema
    .createTable('file_blob')
    .addColumn('sha256', t.text, (c) => c.primaryKey())
    .addColumn('size', t.bigint, (c) => c.notNull())
    .addColumn('media_type', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('evidence')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('sha256', t.text, (c) => c.references('file_blob.sha256'))
    .addColumn('file_name', t.text)
    .addColumn('media_type', t.text)
    .addColumn('size', t.bigint)
    .addColumn('url', t.text)
    .addColumn('evidence_date', t.date, (c) => c.notNull())
    .addColumn('valid_until', t.date)
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('evidence_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('evidence_scope_date_idx').on('evidence').columns(['scope_id', 'evidence_date']).execute();
  await db.schema.createIndex('evidence_scope_valid_idx').on('evidence').columns(['scope_id', 'valid_until']).execute();
  await db.schema.createIndex('evidence_sha256_idx').on('evidence').column('sha256').execute();

  await db.schema
    .createTable('evidence_control')
    .addColumn('evidence_id', t.id, (c) => c.notNull().references('evidence.id').onDelete('cascade'))
    .addColumn('control_id', t.id, (c) => c.notNull().references('control.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('evidence_control_pk', ['evidence_id', 'control_id'])
    .execute();
  await db.schema.createIndex('evidence_control_control_idx').on('evidence_control').columns(['control_id', 'evidence_id']).execute();

  // ISO/IEC 27001:2022 Annex A, available to every scope
  await ensureAnnexACatalog(db, new Date().toISOString());
}
