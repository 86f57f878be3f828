import { type Kysely, sql } from 'kysely';
import { ANNEX_A_KEY, annexAThemes } from '../../catalogs/iso27001-annex-a.ts';
import { newId } from '../../shared/ids.ts';
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

  // ISO/IEC 27001:2022 Annex A, available to every scope: 4 themes (A.5–A.8) and their 93 controls, titles only.
  // Written out here rather than through the catalog repository, so that this migration stays as it is when the
  // repository changes with later schemas.
  const exists = await db
    .selectFrom('catalog')
    .select('id')
    .where('key', '=', ANNEX_A_KEY)
    .where('scope_id', 'is', null)
    .executeTakeFirst();
  if (exists) return;
  const catalogId = newId();
  const now = new Date().toISOString();
  const no = sql.lit(dialect === 'postgres' ? false : 0);
  const rows: Record<string, unknown>[] = [];
  for (const theme of annexAThemes) {
    const group = `A.${theme.id}`;
    rows.push({ identifier: group, parent_identifier: null, kind: 'group', title: theme.title, depth: 0 });
    theme.controls.forEach((title, i) => {
      rows.push({ identifier: `${group}.${i + 1}`, parent_identifier: group, kind: 'control', title, depth: 1 });
    });
  }
  await db
    .insertInto('catalog')
    .values({
      id: catalogId,
      scope_id: null,
      key: ANNEX_A_KEY,
      title: 'ISO/IEC 27001:2022 Annex A',
      version: '2022',
      source: 'builtin',
      oscal_uuid: null,
      published: '2022-10-25',
      requirement_count: rows.filter((r) => r.kind === 'control').length,
      withdrawn_count: 0,
      imported_by: null,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('catalog_requirement')
    .values(
      rows.map((r, sortOrder) => ({
        id: newId(),
        catalog_id: catalogId,
        identifier: r.identifier,
        parent_identifier: r.parent_identifier,
        kind: r.kind,
        label: r.identifier,
        title: r.title,
        statement: '',
        guidance: null,
        withdrawn: no,
        depth: r.depth,
        sort_order: sortOrder,
        params: null,
      })),
    )
    .execute();
}
