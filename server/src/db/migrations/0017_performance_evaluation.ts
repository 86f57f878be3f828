import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Performance evaluation (ISO 27001 9.1, ISO/IEC 27004): measures with their information need, formula, target and
// decision thresholds, owners and links; each definition version kept; measurements appended (never changed) and
// stamped with the definition version they were evaluated against; the analysis of a measurement in breach.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('measure')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('information_need', t.text, (c) => c.notNull())
    .addColumn('object', t.text, (c) => c.notNull())
    .addColumn('attribute', t.text, (c) => c.notNull())
    .addColumn('base_measures', t.text, (c) => c.notNull())
    .addColumn('derived_measure', t.text, (c) => c.notNull())
    .addColumn('formula', t.text, (c) => c.notNull())
    .addColumn('unit', t.text, (c) => c.notNull())
    // higher | lower (is better)
    .addColumn('direction', t.text, (c) => c.notNull())
    .addColumn('target', t.numeric, (c) => c.notNull())
    // at or beyond it (in the worse direction) a value is a breach; between it and the target a warning
    .addColumn('breach_at', t.numeric, (c) => c.notNull())
    .addColumn('collection_frequency', t.text, (c) => c.notNull())
    .addColumn('analysis_frequency', t.text, (c) => c.notNull())
    .addColumn('measured_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('analysed_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('reported_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    // live | manual | api
    .addColumn('source_kind', t.text, (c) => c.notNull())
    // the live computation (catalogue key) and its parameter (e.g. a process key), for live measures
    .addColumn('live_key', t.text)
    .addColumn('live_param', t.text)
    // active | retired
    .addColumn('status', t.text, (c) => c.notNull())
    // the date the next value is due (live measures are computed by the measures-due sweep on it)
    .addColumn('next_due_on', t.date)
    .addColumn('definition_version', t.integer, (c) => c.notNull())
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('measure_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('measure_scope_status_idx').on('measure').columns(['scope_id', 'status', 'name']).execute();
  await db.schema.createIndex('measure_due_idx').on('measure').columns(['status', 'source_kind', 'next_due_on']).execute();
  for (const col of ['measured_by', 'analysed_by', 'reported_by', 'created_by']) {
    await db.schema.createIndex(`measure_${col}_idx`).on('measure').column(col).execute();
  }

  // every definition version: formula, target and thresholds as they were
  await db.schema
    .createTable('measure_version')
    .addColumn('measure_id', t.id, (c) => c.notNull().references('measure.id').onDelete('cascade'))
    .addColumn('definition_version', t.integer, (c) => c.notNull())
    .addColumn('formula', t.text, (c) => c.notNull())
    .addColumn('unit', t.text, (c) => c.notNull())
    .addColumn('direction', t.text, (c) => c.notNull())
    .addColumn('target', t.numeric, (c) => c.notNull())
    .addColumn('breach_at', t.numeric, (c) => c.notNull())
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('measure_version_pk', ['measure_id', 'definition_version'])
    .execute();
  await db.schema.createIndex('measure_version_created_by_idx').on('measure_version').column('created_by').execute();

  // what a measure evaluates: a control (id), a process (key) or an objective (text)
  await db.schema
    .createTable('measure_link')
    .addColumn('measure_id', t.id, (c) => c.notNull().references('measure.id').onDelete('cascade'))
    .addColumn('target_type', t.text, (c) => c.notNull())
    .addColumn('target_key', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('measure_link_pk', ['measure_id', 'target_type', 'target_key'])
    .execute();
  await db.schema.createIndex('measure_link_target_idx').on('measure_link').columns(['target_type', 'target_key']).execute();

  await db.schema
    .createTable('measurement')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('measure_id', t.id, (c) => c.notNull().references('measure.id').onDelete('cascade'))
    .addColumn('definition_version', t.integer, (c) => c.notNull())
    .addColumn('value', t.numeric, (c) => c.notNull())
    // on_target | warning | breach, by the thresholds of its definition version
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('measured_at', t.timestamp, (c) => c.notNull())
    // live | manual | api
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('comment', t.text, (c) => c.notNull())
    .addColumn('evidence_url', t.text)
    .addColumn('recorded_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  // the latest value per measure and the trend read this index
  await db.schema.createIndex('measurement_measure_at_idx').on('measurement').columns(['measure_id', 'measured_at']).execute();
  await db.schema.createIndex('measurement_scope_at_idx').on('measurement').columns(['scope_id', 'measured_at']).execute();
  await db.schema.createIndex('measurement_recorded_by_idx').on('measurement').column('recorded_by').execute();

  // the analysis of a measurement in breach: a nonconformity, an opportunity, or no action (with a note)
  await db.schema
    .createTable('measure_analysis')
    .addColumn('measurement_id', t.id, (c) => c.primaryKey().references('measurement.id').onDelete('cascade'))
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('measure_id', t.id, (c) => c.notNull().references('measure.id').onDelete('cascade'))
    .addColumn('outcome', t.text, (c) => c.notNull())
    .addColumn('note', t.text, (c) => c.notNull())
    .addColumn('analysed_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('analysed_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('measure_analysis_measure_idx').on('measure_analysis').column('measure_id').execute();
  await db.schema.createIndex('measure_analysis_scope_idx').on('measure_analysis').column('scope_id').execute();
  await db.schema.createIndex('measure_analysis_analysed_by_idx').on('measure_analysis').column('analysed_by').execute();
}
