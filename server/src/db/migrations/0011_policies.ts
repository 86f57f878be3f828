import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Security policy management (ISO/IEC 27001 5.2, 7.5, Annex A 5.1): documented information with versions, approval,
// distribution with read-and-acknowledge, review cadence, retention and disposal.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  // A document: its metadata; the content lives in its versions.
  await db.schema
    .createTable('document')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('doc_type', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('classification', t.text, (c) => c.notNull())
    // everyone | roles | people; roles as a JSON array, people in document_audience_user
    .addColumn('audience_kind', t.text, (c) => c.notNull())
    .addColumn('audience_roles', t.json, (c) => c.notNull())
    .addColumn('review_cadence_months', t.integer, (c) => c.notNull())
    .addColumn('retention_value', t.integer, (c) => c.notNull())
    .addColumn('retention_unit', t.text, (c) => c.notNull())
    // null: the scope profile decides (large → 2, small → 1)
    .addColumn('required_approvals', t.integer)
    .addColumn('ack_due_days', t.integer, (c) => c.notNull())
    // draft (never published) | published | retired | disposed
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('current_version_id', t.id)
    .addColumn('next_review_on', t.date)
    // the review date for which the review-due task was created (once per document and review date)
    .addColumn('review_task_for', t.date)
    .addColumn('retired_at', t.timestamp)
    .addColumn('disposed_at', t.timestamp)
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('document_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('document_scope_updated_idx').on('document').columns(['scope_id', 'updated_at']).execute();
  await db.schema.createIndex('document_scope_status_idx').on('document').columns(['scope_id', 'status']).execute();
  await db.schema.createIndex('document_scope_review_idx').on('document').columns(['scope_id', 'next_review_on']).execute();
  await db.schema.createIndex('document_owner_idx').on('document').column('owner_id').execute();

  await db.schema
    .createTable('document_audience_user')
    .addColumn('document_id', t.id, (c) => c.notNull().references('document.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('document_audience_user_pk', ['document_id', 'user_id'])
    .execute();
  await db.schema.createIndex('document_audience_user_user_idx').on('document_audience_user').column('user_id').execute();

  // Designated approvers (users of the scope with document:approve).
  await db.schema
    .createTable('document_approver')
    .addColumn('document_id', t.id, (c) => c.notNull().references('document.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('document_approver_pk', ['document_id', 'user_id'])
    .execute();
  await db.schema.createIndex('document_approver_user_idx').on('document_approver').column('user_id').execute();

  // Versions: draft → in_review → approved → published → superseded | retired. Content per version.
  await db.schema
    .createTable('document_version')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('document_id', t.id, (c) => c.notNull().references('document.id').onDelete('cascade'))
    .addColumn('version_no', t.integer, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('content_md', t.text)
    .addColumn('file_id', t.text)
    .addColumn('file_name', t.text)
    .addColumn('file_media_type', t.text)
    .addColumn('file_size', t.bigint)
    .addColumn('change_summary', t.text, (c) => c.notNull())
    .addColumn('material_change', t.boolean, (c) => c.notNull())
    .addColumn('change_request_id', t.id, (c) => c.references('change_request.id').onDelete('set null'))
    // counts submissions; approvals of earlier rounds do not count after a rejection
    .addColumn('review_round', t.integer, (c) => c.notNull())
    .addColumn('author_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('submitted_at', t.timestamp)
    .addColumn('approved_at', t.timestamp)
    .addColumn('published_at', t.timestamp)
    .addColumn('published_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('superseded_at', t.timestamp)
    .addColumn('content_disposed_at', t.timestamp)
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('document_version_doc_no_uq', ['document_id', 'version_no'])
    .execute();
  await db.schema.createIndex('document_version_scope_idx').on('document_version').columns(['scope_id', 'status']).execute();

  // Approval decisions (kept for every published version; rejection comments kept too).
  await db.schema
    .createTable('document_approval')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('document_version_id', t.id, (c) => c.notNull().references('document_version.id').onDelete('cascade'))
    .addColumn('document_id', t.id, (c) => c.notNull().references('document.id').onDelete('cascade'))
    .addColumn('review_round', t.integer, (c) => c.notNull())
    .addColumn('approver_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('decision', t.text, (c) => c.notNull())
    .addColumn('comment', t.text, (c) => c.notNull())
    .addColumn('decided_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('document_approval_version_idx')
    .on('document_approval')
    .columns(['document_version_id', 'review_round'])
    .execute();

  // Read-and-acknowledge: one row per person and published version (ISO/IEC 27001 7.3, A.5.1 "communicated to and
  // acknowledged by relevant personnel").
  await db.schema
    .createTable('document_acknowledgement')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('document_id', t.id, (c) => c.notNull().references('document.id').onDelete('cascade'))
    .addColumn('document_version_id', t.id, (c) => c.notNull().references('document_version.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('assigned_at', t.timestamp, (c) => c.notNull())
    .addColumn('due_on', t.date, (c) => c.notNull())
    .addColumn('acknowledged_at', t.timestamp)
    // set when an acknowledgement of an earlier version was carried over by a minor revision
    .addColumn('carried_over_from', t.id)
    .addColumn('reminded_at', t.timestamp)
    .addColumn('reminder_task_id', t.id, (c) => c.references('task.id').onDelete('set null'))
    .addUniqueConstraint('document_acknowledgement_version_user_uq', ['document_version_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('document_acknowledgement_user_idx')
    .on('document_acknowledgement')
    .columns(['user_id', 'acknowledged_at'])
    .execute();
  await db.schema
    .createIndex('document_acknowledgement_scope_due_idx')
    .on('document_acknowledgement')
    .columns(['scope_id', 'due_on'])
    .execute();
  await db.schema
    .createIndex('document_acknowledgement_document_idx')
    .on('document_acknowledgement')
    .columns(['document_id', 'user_id'])
    .execute();
}
