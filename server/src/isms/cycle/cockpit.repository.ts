import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/*
 * The cockpit's views of work and flow, each one grouped statement whatever the number of tasks or hand-offs:
 * open tasks past their due date per process (with the longest overdue), the hand-off ledger's waiting items per edge,
 * and the actor's own overdue tasks. Open = open or in progress; overdue = due before today.
 */
const openStatuses = ['open', 'in_progress'];

export interface OverdueByProcessRow {
  process_key: string;
  count: number;
  reference: string;
  title: string;
  due_on: string;
}

/** Per process: how many open tasks are overdue, and the one overdue longest (earliest due date, then reference). */
export async function overdueByProcess(db: Executor, scopeId: string, today: string): Promise<OverdueByProcessRow[]> {
  const ranked = db
    .selectFrom('task')
    .select([
      'process_key',
      'reference',
      'title',
      'due_on',
      sql<number>`count(*) over (partition by process_key)`.as('count'),
      sql<number>`row_number() over (partition by process_key order by due_on, reference)`.as('rank'),
    ])
    .where('scope_id', '=', scopeId)
    .where('status', 'in', openStatuses)
    .where('due_on', '<', today)
    .as('ranked');
  const rows = await db
    .selectFrom(ranked)
    .select(['process_key', 'count', 'reference', 'title', 'due_on'])
    .where('rank', '=', 1)
    .orderBy('count', 'desc')
    .orderBy('process_key')
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count), due_on: r.due_on ?? '' }));
}

export interface WaitingByEdgeRow {
  edge: string;
  from_process: string;
  to_process: string;
  count: number;
  oldest_at: string;
  overdue: number;
}

/** The hand-off ledger's items still in transit (not done), per edge: how many, since when, how many overdue. */
export async function waitingHandoffsByEdge(db: Executor, scopeId: string, today: string): Promise<WaitingByEdgeRow[]> {
  const rows = await db
    .selectFrom('handoff')
    .select([
      'edge',
      'from_process',
      'to_process',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.min('created_at').as('oldest_at'),
      sql<number>`coalesce(sum(case when due_on < ${today} then 1 else 0 end), 0)`.as('overdue'),
    ])
    .where('scope_id', '=', scopeId)
    .where('done_at', 'is', null)
    .groupBy(['edge', 'from_process', 'to_process'])
    .orderBy('oldest_at')
    .execute();
  return rows.map((r) => ({ ...r, count: Number(r.count), overdue: Number(r.overdue), oldest_at: String(r.oldest_at) }));
}

/** The actor's own open tasks in the scope that are overdue, longest overdue first. */
export async function overdueTasksOf(db: Executor, scopeId: string, userId: string, today: string, limit: number) {
  const rows = await db
    .selectFrom('task')
    .select(['reference', 'title', 'process_key', 'due_on'])
    .where('assignee_id', '=', userId)
    .where('status', 'in', openStatuses)
    .where('due_on', '<', today)
    .where('scope_id', '=', scopeId)
    .orderBy('due_on')
    .orderBy('reference')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, due_on: r.due_on ?? '' }));
}
