import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('app_user')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('email', t.text, (c) => c.notNull().unique())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('password_hash', t.text)
    .addColumn('is_admin', t.boolean, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('scope')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('profile', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('membership')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('role', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('membership_scope_user_uq', ['scope_id', 'user_id'])
    .execute();
  await db.schema.createIndex('membership_user_idx').on('membership').column('user_id').execute();

  await db.schema
    .createTable('invitation')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('role', t.text, (c) => c.notNull())
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('accepted_at', t.timestamp)
    .execute();

  await db.schema
    .createTable('session')
    .addColumn('id', t.text, (c) => c.primaryKey()) // sha256 of the cookie value
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('csrf_token', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('session_user_idx').on('session').column('user_id').execute();

  await db.schema
    .createTable('api_token')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('prefix', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .execute();

  await db.schema
    .createTable('reference_counter')
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('prefix', t.text, (c) => c.notNull())
    .addColumn('last_value', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('reference_counter_pk', ['scope_id', 'prefix'])
    .execute();

  // The audit trail: append-only, hash-chained. No foreign keys: entries outlive the records they describe.
  await db.schema
    .createTable('audit_entry')
    .addColumn('seq', t.bigint, (c) => c.primaryKey())
    .addColumn('id', t.id, (c) => c.notNull().unique())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_id', t.id)
    .addColumn('actor_label', t.text, (c) => c.notNull())
    .addColumn('scope_id', t.id)
    .addColumn('action', t.text, (c) => c.notNull())
    .addColumn('record_type', t.text, (c) => c.notNull())
    .addColumn('record_id', t.text, (c) => c.notNull())
    .addColumn('record_ref', t.text)
    .addColumn('changes', t.json, (c) => c.notNull())
    .addColumn('prev_hash', t.text, (c) => c.notNull())
    .addColumn('hash', t.text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_entry_record_idx').on('audit_entry').columns(['record_type', 'record_id']).execute();
  await db.schema.createIndex('audit_entry_scope_idx').on('audit_entry').columns(['scope_id', 'seq']).execute();
  await db.schema.createIndex('audit_entry_actor_idx').on('audit_entry').columns(['actor_id', 'seq']).execute();

  // The process model per scope (definitions live in code: isms/process-model.ts).
  await db.schema
    .createTable('scope_process')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('process_key', t.text, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('cadence', t.text, (c) => c.notNull())
    .addColumn('next_review_on', t.date)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('scope_process_uq', ['scope_id', 'process_key'])
    .execute();

  // Work items: follow-up work created by people or by hand-offs between processes.
  await db.schema
    .createTable('task')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('process_key', t.text, (c) => c.notNull())
    .addColumn('origin_process_key', t.text)
    .addColumn('origin_record_type', t.text)
    .addColumn('origin_record_id', t.text)
    .addColumn('origin_record_ref', t.text)
    .addColumn('assignee_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('due_on', t.date)
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('completed_at', t.timestamp)
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('task_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('task_assignee_idx').on('task').columns(['assignee_id', 'status', 'due_on']).execute();
  await db.schema.createIndex('task_scope_status_idx').on('task').columns(['scope_id', 'status', 'due_on']).execute();
  await db.schema.createIndex('task_origin_idx').on('task').columns(['origin_record_type', 'origin_record_id']).execute();

  // Asset register.
  await db.schema
    .createTable('asset')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('reference', t.text, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('type', t.text, (c) => c.notNull())
    .addColumn('owner_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('lifecycle_status', t.text, (c) => c.notNull())
    .addColumn('confidentiality', t.text, (c) => c.notNull())
    .addColumn('integrity', t.text, (c) => c.notNull())
    .addColumn('availability', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('asset_scope_reference_uq', ['scope_id', 'reference'])
    .execute();
  await db.schema.createIndex('asset_scope_name_idx').on('asset').columns(['scope_id', 'name']).execute();
  await db.schema.createIndex('asset_scope_updated_idx').on('asset').columns(['scope_id', 'updated_at']).execute();
  await db.schema.createIndex('asset_scope_type_idx').on('asset').columns(['scope_id', 'type', 'name']).execute();
  await db.schema.createIndex('asset_owner_idx').on('asset').column('owner_id').execute();

  await db.schema
    .createTable('asset_tag')
    .addColumn('asset_id', t.id, (c) => c.notNull().references('asset.id').onDelete('cascade'))
    .addColumn('tag', t.text, (c) => c.notNull())
    .addPrimaryKeyConstraint('asset_tag_pk', ['asset_id', 'tag'])
    .execute();
  await db.schema.createIndex('asset_tag_tag_idx').on('asset_tag').columns(['tag', 'asset_id']).execute();

  await db.schema
    .createTable('asset_dependency')
    .addColumn('asset_id', t.id, (c) => c.notNull().references('asset.id').onDelete('cascade'))
    .addColumn('depends_on_id', t.id, (c) => c.notNull().references('asset.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('asset_dependency_pk', ['asset_id', 'depends_on_id'])
    .execute();
  await db.schema.createIndex('asset_dependency_rev_idx').on('asset_dependency').columns(['depends_on_id']).execute();
}
