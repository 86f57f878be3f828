import type { Executor } from '../db/database.ts';
import type { TaskTable } from '../db/schema.ts';
import { containsInsensitive } from '../db/column.ts';

export async function insertTask(db: Executor, row: TaskTable): Promise<void> {
  await db.insertInto('task').values(row).execute();
}

export async function findTask(db: Executor, scopeId: string, id: string) {
  return db.selectFrom('task').selectAll().where('scope_id', '=', scopeId).where('id', '=', id).executeTakeFirst();
}

export interface TaskFilter {
  scopeIds?: string[];
  assigneeId?: string | undefined;
  status: string;
  processKey?: string | undefined;
  q?: string | undefined;
}

function filtered(db: Executor, f: TaskFilter) {
  let q = db.selectFrom('task');
  if (f.scopeIds) q = q.where('task.scope_id', 'in', f.scopeIds.length ? f.scopeIds : ['-']);
  if (f.assigneeId) q = q.where('task.assignee_id', '=', f.assigneeId);
  if (f.status === 'active') q = q.where('task.status', 'in', ['open', 'in_progress']);
  else q = q.where('task.status', '=', f.status);
  if (f.processKey) q = q.where('task.process_key', '=', f.processKey);
  if (f.q) {
    const needle = f.q;
    q = q.where((eb) => eb.or([containsInsensitive(eb.ref('task.title'), needle), containsInsensitive(eb.ref('task.reference'), needle)]));
  }
  return q;
}

/** A page of tasks with assignee and scope names: two statements whatever the page size. */
export async function listTasks(db: Executor, f: TaskFilter, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    filtered(db, f)
      .innerJoin('scope', 'scope.id', 'task.scope_id')
      .leftJoin('app_user', 'app_user.id', 'task.assignee_id')
      .selectAll('task')
      .select(['scope.name as scope_name', 'app_user.name as assignee_name', 'app_user.email as assignee_email'])
      // tasks without a due date come last on both dialects
      .orderBy((eb) => eb.case().when('task.due_on', 'is', null).then(1).else(0).end())
      .orderBy('task.due_on')
      .orderBy('task.created_at')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered(db, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function findTaskWithNames(db: Executor, scopeId: string, id: string) {
  return db
    .selectFrom('task')
    .innerJoin('scope', 'scope.id', 'task.scope_id')
    .leftJoin('app_user', 'app_user.id', 'task.assignee_id')
    .selectAll('task')
    .select(['scope.name as scope_name', 'app_user.name as assignee_name', 'app_user.email as assignee_email'])
    .where('task.scope_id', '=', scopeId)
    .where('task.id', '=', id)
    .executeTakeFirst();
}

/** Open tasks that a record handed to someone (e.g. "decide on change CHG-0003" for one approver). */
export async function findOpenTasksOfOrigin(db: Executor, recordType: string, recordId: string, assigneeId: string) {
  return db
    .selectFrom('task')
    .selectAll()
    .where('origin_record_type', '=', recordType)
    .where('origin_record_id', '=', recordId)
    .where('assignee_id', '=', assigneeId)
    .where('status', 'in', ['open', 'in_progress'])
    .execute();
}
