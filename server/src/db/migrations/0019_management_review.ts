import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Management review (ISO 27001 9.3): reviews with chair, attendees and quorum, the period they look back on, the inputs
// compiled from live records and frozen (with their SHA-256) when the review is held, the commentary per input, the
// minutes' discussion, and the decisions (9.3.3) with owner, due date and the record each created.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('management_review')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    // planned | compiled | held | approved | closed
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('chair_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('planned_on', t.date, (c) => c.notNull())
    .addColumn('period_from', t.date, (c) => c.notNull())
    .addColumn('period_to', t.date, (c) => c.notNull())
    // the minimum number of attendees present to hold it (required in the large profile)
    .addColumn('quorum', t.integer)
    // the compiled inputs (JSON), frozen when held, and the SHA-256 of that text
    .addColumn('inputs', t.json)
    .addColumn('inputs_hash', t.text)
    .addColumn('compiled_at', t.timestamp)
    // the owner's commentary per input section (JSON object: section key → text)
    .addColumn('commentary', t.json, (c) => c.notNull())
    .addColumn('discussion', t.text, (c) => c.notNull())
    .addColumn('held_at', t.timestamp)
    .addColumn('approved_at', t.timestamp)
    .addColumn('approved_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    // the minutes' entry in the records register (records control)
    .addColumn('minutes_record_id', t.id)
    .addColumn('minutes_record_ref', t.text)
    .addColumn('closed_at', t.timestamp)
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('management_review_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema
    .createIndex('management_review_scope_status_idx')
    .on('management_review')
    .columns(['scope_id', 'status', 'held_at'])
    .execute();
  await db.schema.createIndex('management_review_chair_idx').on('management_review').column('chair_id').execute();
  await db.schema.createIndex('management_review_approved_by_idx').on('management_review').column('approved_by').execute();
  await db.schema.createIndex('management_review_created_by_idx').on('management_review').column('created_by').execute();

  await db.schema
    .createTable('management_review_attendee')
    .addColumn('review_id', t.id, (c) => c.notNull().references('management_review.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('present', t.boolean, (c) => c.notNull())
    .addPrimaryKeyConstraint('management_review_attendee_pk', ['review_id', 'user_id'])
    .execute();
  await db.schema.createIndex('management_review_attendee_user_idx').on('management_review_attendee').column('user_id').execute();

  await db.schema
    .createTable('management_review_decision')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('review_id', t.id, (c) => c.notNull().references('management_review.id').onDelete('cascade'))
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('position', t.integer, (c) => c.notNull())
    // corrective_action | opportunity | change_request | risk_acceptance | policy_revision | resource | objective
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('due_on', t.date, (c) => c.notNull())
    // the record the decision created: nonconformity | improvement_opportunity | change_request | task
    .addColumn('record_type', t.text, (c) => c.notNull())
    .addColumn('record_id', t.id, (c) => c.notNull())
    .addColumn('record_ref', t.text, (c) => c.notNull())
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('management_review_decision_review_idx')
    .on('management_review_decision')
    .columns(['review_id', 'position'])
    .execute();
  await db.schema
    .createIndex('management_review_decision_scope_idx')
    .on('management_review_decision')
    .columns(['scope_id', 'created_at'])
    .execute();
  await db.schema.createIndex('management_review_decision_owner_idx').on('management_review_decision').column('owner_id').execute();
  await db.schema.createIndex('management_review_decision_created_by_idx').on('management_review_decision').column('created_by').execute();
}
