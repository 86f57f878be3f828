import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// The ISMS cycle (ISO 27001 4.4, 9.3, 10): per scope a numbered cycle of Plan / Do / Check / Act, by default one year,
// whose phase status the cockpit computes from the readiness checks of the process modules. Past cycles are kept.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('isms_cycle')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    // 1, 2, 3… per scope
    .addColumn('number', t.integer, (c) => c.notNull())
    .addColumn('starts_on', t.date, (c) => c.notNull())
    .addColumn('ends_on', t.date, (c) => c.notNull())
    // set when the next cycle starts; the cycle without it is the scope's current one
    .addColumn('closed_at', t.timestamp)
    .addColumn('created_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('version', t.integer, (c) => c.notNull())
    .addUniqueConstraint('isms_cycle_scope_number_uq', ['scope_id', 'number'])
    .execute();
  // at most one current cycle per scope, whatever two managers do at the same time
  await db.schema
    .createIndex('isms_cycle_current_uq')
    .on('isms_cycle')
    .column('scope_id')
    .unique()
    .where(sql.raw<boolean>('closed_at is null'))
    .execute();
  await db.schema.createIndex('isms_cycle_created_by_idx').on('isms_cycle').column('created_by').execute();

  // The cockpit's readiness checks count over the registers of dataset L (50k risks) with these covering indexes:
  // risks by status with their assessment time and level, open tasks by process with their due date.
  await db.schema
    .createIndex('risk_scope_readiness_idx')
    .on('risk')
    .columns(['scope_id', 'status', 'current_level', 'assessed_at'])
    .execute();
  await db.schema.createIndex('task_scope_process_due_idx').on('task').columns(['scope_id', 'status', 'process_key', 'due_on']).execute();
}
