import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Incident management, ISMS change management and improvement (ISO 27001 6.3, 10.1, 10.2; Annex A 5.24–5.28).
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  const record = (name: string) =>
    db.schema
      .createTable(name)
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
      .addColumn('reference', t.text, (c) => c.notNull());

  await record('incident')
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('affected', t.text, (c) => c.notNull())
    .addColumn('reported_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('reported_at', t.timestamp, (c) => c.notNull())
    .addColumn('noticed_at', t.timestamp, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('category', t.text)
    .addColumn('severity', t.text)
    .addColumn('impact_confidentiality', t.boolean, (c) => c.notNull())
    .addColumn('impact_integrity', t.boolean, (c) => c.notNull())
    .addColumn('impact_availability', t.boolean, (c) => c.notNull())
    .addColumn('personal_data', t.boolean, (c) => c.notNull())
    .addColumn('nis2_significant', t.boolean, (c) => c.notNull())
    .addColumn('aware_at', t.timestamp)
    .addColumn('handler_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('resolved_at', t.timestamp)
    .addColumn('closed_at', t.timestamp)
    .addColumn('lessons_learned', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('incident_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('incident_scope_status_idx').on('incident').columns(['scope_id', 'status', 'reported_at']).execute();
  await db.schema.createIndex('incident_reporter_idx').on('incident').columns(['reported_by', 'reported_at']).execute();

  await db.schema
    .createTable('incident_asset')
    .addColumn('incident_id', t.id, (c) => c.notNull().references('incident.id').onDelete('cascade'))
    .addColumn('asset_id', t.id, (c) => c.notNull().references('asset.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('incident_asset_pk', ['incident_id', 'asset_id'])
    .execute();
  await db.schema.createIndex('incident_asset_asset_idx').on('incident_asset').column('asset_id').execute();

  // The timeline: append-only, timestamped entries of who did what.
  await db.schema
    .createTable('incident_event')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('incident_id', t.id, (c) => c.notNull().references('incident.id').onDelete('cascade'))
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('actor_name', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('measure', t.text)
    .addColumn('text', t.text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incident_event_incident_idx').on('incident_event').columns(['incident_id', 'at']).execute();

  await db.schema
    .createTable('incident_notification')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('incident_id', t.id, (c) => c.notNull().references('incident.id').onDelete('cascade'))
    .addColumn('regime', t.text, (c) => c.notNull())
    .addColumn('sent_at', t.timestamp, (c) => c.notNull())
    .addColumn('recipient', t.text, (c) => c.notNull())
    .addColumn('external_reference', t.text, (c) => c.notNull())
    .addColumn('late_reason', t.text)
    .addColumn('recorded_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('incident_notification_uq', ['incident_id', 'regime'])
    .execute();

  await record('change_request')
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('source_record_type', t.text)
    .addColumn('source_record_id', t.text)
    .addColumn('source_record_ref', t.text)
    .addColumn('planned_on', t.date)
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('change_risk', t.text, (c) => c.notNull())
    .addColumn('consequences', t.text, (c) => c.notNull())
    .addColumn('requested_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('decision_reason', t.text)
    .addColumn('decided_at', t.timestamp)
    .addColumn('verification', t.text)
    .addColumn('verified_at', t.timestamp)
    .addColumn('closed_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('change_request_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema
    .createIndex('change_request_scope_status_idx')
    .on('change_request')
    .columns(['scope_id', 'status', 'created_at'])
    .execute();

  // What a change touches: documents, controls, processes, assets (by type and reference, so that later modules fit in).
  await db.schema
    .createTable('change_target')
    .addColumn('change_id', t.id, (c) => c.notNull().references('change_request.id').onDelete('cascade'))
    .addColumn('record_type', t.text, (c) => c.notNull())
    .addColumn('record_id', t.text, (c) => c.notNull())
    .addColumn('label', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('change_target_pk', ['change_id', 'record_type', 'record_id'])
    .execute();

  // Named approvers (the change board in the large profile) and their decisions.
  await db.schema
    .createTable('change_approval')
    .addColumn('change_id', t.id, (c) => c.notNull().references('change_request.id').onDelete('cascade'))
    .addColumn('approver_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('decision', t.text)
    .addColumn('comment', t.text, (c) => c.notNull())
    .addColumn('decided_at', t.timestamp)
    .addPrimaryKeyConstraint('change_approval_pk', ['change_id', 'approver_id'])
    .execute();

  await record('nonconformity')
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('source_record_type', t.text)
    .addColumn('source_record_id', t.text)
    .addColumn('source_record_ref', t.text)
    .addColumn('requirement', t.text, (c) => c.notNull())
    .addColumn('severity', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('immediate_correction', t.text, (c) => c.notNull())
    .addColumn('root_cause', t.json, (c) => c.notNull())
    .addColumn('effectiveness_due_on', t.date)
    .addColumn('effectiveness_result', t.text)
    .addColumn('effectiveness_checked_at', t.timestamp)
    .addColumn('closed_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('nonconformity_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('nonconformity_scope_status_idx').on('nonconformity').columns(['scope_id', 'status', 'created_at']).execute();

  await db.schema
    .createTable('corrective_action')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('nonconformity_id', t.id, (c) => c.notNull().references('nonconformity.id').onDelete('cascade'))
    .addColumn('task_id', t.id, (c) => c.notNull().references('task.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('corrective_action_nc_idx').on('corrective_action').column('nonconformity_id').execute();

  await record('improvement_opportunity')
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('source', t.text, (c) => c.notNull())
    .addColumn('source_record_type', t.text)
    .addColumn('source_record_id', t.text)
    .addColumn('source_record_ref', t.text)
    .addColumn('benefit', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('improvement_opportunity_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
}
