import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Internal audit (ISO 27001 9.2): audits per ISMS cycle with their criteria (clauses, catalog requirements, processes),
// lead and team, the checklist with results and sampled evidence, and the justifications recorded where an auditor
// audits what they own (small profile). External audit reports (certification body, customer, supplier) are audits too.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('internal_audit')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('cycle_id', t.id, (c) => c.references('isms_cycle.id').onDelete('set null'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('scope_text', t.text, (c) => c.notNull())
    // internal | external
    .addColumn('source', t.text, (c) => c.notNull())
    // certification_body | customer | supplier, for external audits
    .addColumn('external_party', t.text)
    .addColumn('external_organisation', t.text, (c) => c.notNull())
    // planned | prepared | fieldwork | reporting | closed
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('lead_auditor_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('planned_start', t.date, (c) => c.notNull())
    .addColumn('planned_end', t.date, (c) => c.notNull())
    .addColumn('conclusion', t.text, (c) => c.notNull())
    .addColumn('closed_at', t.timestamp)
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('internal_audit_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema
    .createIndex('internal_audit_scope_status_idx')
    .on('internal_audit')
    .columns(['scope_id', 'status', 'closed_at'])
    .execute();
  await db.schema.createIndex('internal_audit_cycle_idx').on('internal_audit').column('cycle_id').execute();
  await db.schema.createIndex('internal_audit_lead_idx').on('internal_audit').column('lead_auditor_id').execute();
  await db.schema.createIndex('internal_audit_created_by_idx').on('internal_audit').column('created_by').execute();

  await db.schema
    .createTable('internal_audit_member')
    .addColumn('audit_id', t.id, (c) => c.notNull().references('internal_audit.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('internal_audit_member_pk', ['audit_id', 'user_id'])
    .execute();
  await db.schema.createIndex('internal_audit_member_user_idx').on('internal_audit_member').column('user_id').execute();

  await db.schema
    .createTable('internal_audit_criterion')
    .addColumn('audit_id', t.id, (c) => c.notNull().references('internal_audit.id').onDelete('cascade'))
    // clause (ref: "9.2") | requirement (ref: catalog_requirement.id) | process (ref: process key)
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('ref', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('internal_audit_criterion_pk', ['audit_id', 'kind', 'ref'])
    .execute();

  await db.schema
    .createTable('internal_audit_item')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('audit_id', t.id, (c) => c.notNull().references('internal_audit.id').onDelete('cascade'))
    .addColumn('position', t.integer, (c) => c.notNull())
    // clause | requirement | follow_up | finding
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('clause', t.text)
    .addColumn('requirement_id', t.id, (c) => c.references('catalog_requirement.id').onDelete('set null'))
    // the nonconformity an earlier audit raised whose effectiveness this row verifies
    .addColumn('follow_up_of', t.id, (c) => c.references('nonconformity.id').onDelete('set null'))
    .addColumn('title', t.text, (c) => c.notNull())
    // conforming | major_nonconformity | minor_nonconformity | observation | opportunity, null until recorded
    .addColumn('result', t.text)
    .addColumn('notes', t.text, (c) => c.notNull())
    // JSON array of evidence ids
    .addColumn('sampled_evidence', t.json, (c) => c.notNull())
    .addColumn('recorded_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('recorded_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('internal_audit_item_position_uq', ['audit_id', 'position'])
    .execute();
  await db.schema.createIndex('internal_audit_item_requirement_idx').on('internal_audit_item').column('requirement_id').execute();
  await db.schema.createIndex('internal_audit_item_follow_up_idx').on('internal_audit_item').column('follow_up_of').execute();
  await db.schema.createIndex('internal_audit_item_recorded_by_idx').on('internal_audit_item').column('recorded_by').execute();

  await db.schema
    .createTable('internal_audit_independence')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('audit_id', t.id, (c) => c.notNull().references('internal_audit.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    // what the auditor owns, in words ("owns the process Risk assessment", "owns control CTL-0003 Backups")
    .addColumn('conflict', t.text, (c) => c.notNull())
    .addColumn('justification', t.text, (c) => c.notNull())
    .addColumn('recorded_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('internal_audit_independence_audit_idx').on('internal_audit_independence').column('audit_id').execute();
  await db.schema.createIndex('internal_audit_independence_user_idx').on('internal_audit_independence').column('user_id').execute();
  await db.schema.createIndex('internal_audit_independence_by_idx').on('internal_audit_independence').column('recorded_by').execute();
}
