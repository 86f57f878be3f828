import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Risk treatment (ISO/IEC 27001 6.1.3, 8.3; ISO/IEC 27005): one current treatment per risk (option, rationale, control
// objectives, selected controls, treatment plan), and residual-risk acceptances with their signatures.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('risk_treatment')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('risk_id', t.id, (c) => c.notNull().unique().references('risk.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('option', t.text, (c) => c.notNull())
    .addColumn('rationale', t.text, (c) => c.notNull())
    .addColumn('objectives', t.json, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('decided_at', t.timestamp)
    .addColumn('decided_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('risk_treatment_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('risk_treatment_scope_updated_idx').on('risk_treatment').columns(['scope_id', 'updated_at']).execute();
  await db.schema.createIndex('risk_treatment_scope_status_idx').on('risk_treatment').columns(['scope_id', 'status']).execute();

  // The selected controls, in the order chosen: a control of the library, or a catalog requirement for which a control
  // is created (or an existing one of the scope reused) when the treatment is decided.
  await db.schema
    .createTable('treatment_control')
    .addColumn('treatment_id', t.id, (c) => c.notNull().references('risk_treatment.id').onDelete('cascade'))
    .addColumn('position', t.integer, (c) => c.notNull())
    .addColumn('control_id', t.id, (c) => c.references('control.id').onDelete('cascade'))
    .addColumn('requirement_id', t.id, (c) => c.references('catalog_requirement.id').onDelete('cascade'))
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('task_id', t.id, (c) => c.references('task.id').onDelete('set null'))
    .addPrimaryKeyConstraint('treatment_control_pk', ['treatment_id', 'position'])
    .execute();
  await db.schema.createIndex('treatment_control_control_idx').on('treatment_control').column('control_id').execute();

  // The treatment plan (ISO 27001 6.1.3 e): actions with owner, due date, cost estimate and status.
  await db.schema
    .createTable('treatment_action')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('treatment_id', t.id, (c) => c.notNull().references('risk_treatment.id').onDelete('cascade'))
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('position', t.integer, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('due_on', t.date)
    .addColumn('cost_estimate', t.numeric)
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('task_id', t.id, (c) => c.references('task.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('treatment_action_treatment_idx').on('treatment_action').columns(['treatment_id', 'position']).execute();
  await db.schema.createIndex('treatment_action_owner_idx').on('treatment_action').column('owner_id').execute();

  // Residual-risk acceptance (ISO 27001 6.1.3 f, 8.3): the level accepted, by which method version, until when.
  await db.schema
    .createTable('risk_acceptance')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('risk_id', t.id, (c) => c.notNull().references('risk.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('basis', t.text, (c) => c.notNull())
    .addColumn('level', t.text, (c) => c.notNull())
    .addColumn('level_label', t.text, (c) => c.notNull())
    .addColumn('likelihood', t.integer, (c) => c.notNull())
    .addColumn('impact', t.integer, (c) => c.notNull())
    .addColumn('method_id', t.id, (c) => c.references('risk_method.id'))
    .addColumn('method_version', t.integer, (c) => c.notNull())
    .addColumn('authority', t.text, (c) => c.notNull())
    .addColumn('requires_management', t.boolean, (c) => c.notNull())
    .addColumn('justification', t.text, (c) => c.notNull())
    .addColumn('expires_on', t.date, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('effective_at', t.timestamp)
    .addColumn('ended_at', t.timestamp)
    .addColumn('end_reason', t.text)
    .addColumn('review_task_id', t.id, (c) => c.references('task.id').onDelete('set null'))
    .addColumn('review_started_at', t.timestamp)
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('risk_acceptance_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('risk_acceptance_risk_idx').on('risk_acceptance').columns(['risk_id', 'created_at']).execute();
  // per risk at most one acceptance in force and one in progress (a renewal signed while the current one expires)
  await db.schema
    .createIndex('risk_acceptance_active_uq')
    .on('risk_acceptance')
    .columns(['risk_id', 'status'])
    .unique()
    .where(sql.ref('status'), 'in', [sql.lit('pending'), sql.lit('effective')])
    .execute();
  await db.schema.createIndex('risk_acceptance_status_expiry_idx').on('risk_acceptance').columns(['status', 'expires_on']).execute();

  await db.schema
    .createTable('risk_acceptance_signature')
    .addColumn('acceptance_id', t.id, (c) => c.notNull().references('risk_acceptance.id').onDelete('cascade'))
    .addColumn('role', t.text, (c) => c.notNull())
    .addColumn('signer_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('signer_name', t.text, (c) => c.notNull())
    .addColumn('signer_email', t.text, (c) => c.notNull())
    .addColumn('justification', t.text, (c) => c.notNull())
    .addColumn('signed_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('risk_acceptance_signature_pk', ['acceptance_id', 'role'])
    .execute();
}
