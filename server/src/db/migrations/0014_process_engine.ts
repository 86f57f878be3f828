import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// The process engine: work that follows its records, the hand-off ledger, and the outbox for hand-offs that run after
// their sender's commit.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  // A task made for a record in a state names its purpose (e.g. "triage", "approve:<user>"); at most one open task per
  // record and purpose, so that a second trigger updates the open task instead of adding a twin. The note says what
  // completed or cancelled it ("INC-0004 was triaged").
  await db.schema.alterTable('task').addColumn('purpose', t.text).execute();
  await db.schema.alterTable('task').addColumn('completion_note', t.text).execute();
  // Generated task titles are an i18n key with parameters, rendered in the reader's language; `title` keeps the English
  // rendering for search and for older rows.
  await db.schema.alterTable('task').addColumn('title_key', t.text).execute();
  await db.schema.alterTable('task').addColumn('title_params', t.json).execute();
  await db.schema
    .createIndex('task_open_purpose_uq')
    .on('task')
    .columns(['origin_record_type', 'origin_record_id', 'purpose'])
    .unique()
    .where(sql.raw<boolean>("purpose is not null and status in ('open', 'in_progress')"))
    .execute();

  // The hand-off ledger: one row per delivery along an edge of the process model, written in the sender's transaction.
  // It is where "what waits where, for how long" comes from.
  await db.schema
    .createTable('handoff')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    // "<from>><to>", e.g. "incident-management>improvement"
    .addColumn('edge', t.text, (c) => c.notNull())
    .addColumn('from_process', t.text, (c) => c.notNull())
    .addColumn('to_process', t.text, (c) => c.notNull())
    .addColumn('event', t.text, (c) => c.notNull())
    .addColumn('source_record_type', t.text, (c) => c.notNull())
    .addColumn('source_record_id', t.text, (c) => c.notNull())
    .addColumn('source_record_ref', t.text)
    // the work the delivery created: a task, a nonconformity, a change request, a risk…
    .addColumn('work_record_type', t.text, (c) => c.notNull())
    .addColumn('work_record_id', t.text, (c) => c.notNull())
    .addColumn('work_record_ref', t.text)
    .addColumn('title', t.text, (c) => c.notNull())
    .addColumn('assignee_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('due_on', t.date)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('done_at', t.timestamp)
    // done | cancelled, once done_at is set
    .addColumn('outcome', t.text)
    .addColumn('note', t.text)
    .execute();
  await db.schema.createIndex('handoff_scope_open_idx').on('handoff').columns(['scope_id', 'done_at', 'edge', 'created_at']).execute();
  await db.schema.createIndex('handoff_work_idx').on('handoff').columns(['work_record_type', 'work_record_id']).execute();
  await db.schema.createIndex('handoff_source_idx').on('handoff').columns(['source_record_type', 'source_record_id']).execute();
  await db.schema.createIndex('handoff_assignee_idx').on('handoff').column('assignee_id').execute();

  // The outbox: a hand-off that must run after its sender's commit is committed with the record as a row here, and
  // delivered (retried until done) exactly once per event and record, by whichever instance claims it.
  await db.schema
    .createTable('outbox')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('event', t.text, (c) => c.notNull())
    .addColumn('record_id', t.text, (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    // the user whose action emitted the event, if any
    .addColumn('actor_id', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('available_at', t.timestamp, (c) => c.notNull())
    .addColumn('attempts', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('delivered_at', t.timestamp)
    .addColumn('last_error', t.text)
    .addUniqueConstraint('outbox_event_record_uq', ['event', 'record_id'])
    .execute();
  await db.schema.createIndex('outbox_pending_idx').on('outbox').columns(['delivered_at', 'available_at']).execute();
  await db.schema.createIndex('outbox_scope_idx').on('outbox').column('scope_id').execute();
  await db.schema.createIndex('outbox_actor_idx').on('outbox').column('actor_id').execute();
}
