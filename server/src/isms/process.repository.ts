import type { Executor } from '../db/database.ts';
import type { ScopeProcessTable } from '../db/schema.ts';

export async function insertScopeProcesses(db: Executor, rows: ScopeProcessTable[]): Promise<void> {
  if (rows.length) await db.insertInto('scope_process').values(rows).execute();
}

export async function listScopeProcesses(db: Executor, scopeId: string) {
  return db
    .selectFrom('scope_process')
    .leftJoin('app_user', 'app_user.id', 'scope_process.owner_id')
    .selectAll('scope_process')
    .select(['app_user.name as owner_name', 'app_user.email as owner_email'])
    .where('scope_process.scope_id', '=', scopeId)
    .execute();
}

export async function findScopeProcess(db: Executor, scopeId: string, key: string) {
  return db.selectFrom('scope_process').selectAll().where('scope_id', '=', scopeId).where('process_key', '=', key).executeTakeFirst();
}

/** Open and overdue task counts per process of a scope, in one grouped query. */
export async function countTasksByProcess(db: Executor, scopeId: string, today: string) {
  return db
    .selectFrom('task')
    .select((eb) => [
      'process_key',
      eb.fn.countAll<number>().as('open'),
      eb.fn.sum<number>(eb.case().when('due_on', '<', today).then(1).else(0).end()).as('overdue'),
    ])
    .where('scope_id', '=', scopeId)
    .where('status', 'in', ['open', 'in_progress'])
    .groupBy('process_key')
    .execute();
}
