import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { TaskTable } from '../../db/schema.ts';

/*
 * The cockpit's views of work and flow, each one grouped statement whatever the number of tasks or hand-offs:
 * open tasks past their due date per process (with the longest overdue), the hand-off ledger's waiting items per edge,
 * and the actor's own overdue tasks. Open = open or in progress; overdue = due before today.
 */
const openStatuses: TaskTable['status'][] = ['open', 'in_progress'];

export interface OverdueByProcessRow {
  process_key: string;
  count: number;
  reference: string;
  /** the oldest task's title as stored, with its key and parameters when it was generated */
  title: string;
  title_key: string | null;
  title_params: string | null;
  due_on: string;
}

/**
 * Per process: how many open tasks are overdue, and the one overdue longest (earliest due date, then reference). The
 * counts come from the covering index task_scope_process_due_idx; the oldest task of each process is then one seek.
 */
export async function overdueByProcess(db: Executor, scopeId: string, today: string): Promise<OverdueByProcessRow[]> {
  const grouped = db
    .selectFrom('task')
    .select(['process_key', (eb) => eb.fn.countAll<number>().as('count'), (eb) => eb.fn.min('due_on').as('oldest_on')])
    .where('scope_id', '=', scopeId)
    .where('status', 'in', openStatuses)
    .where('due_on', '<', today)
    .groupBy('process_key')
    .as('g');
  // the oldest task of each process, by a seek per process (at most one per process of the model)
  const rows = await db
    .selectFrom(grouped)
    .select((eb) => {
      const oldest = (column: 'reference' | 'title' | 'title_key' | 'title_params') =>
        eb
          .selectFrom('task as t')
          .select(`t.${column}`)
          .where('t.scope_id', '=', scopeId)
          .where('t.status', 'in', openStatuses)
          .whereRef('t.process_key', '=', 'g.process_key')
          .whereRef('t.due_on', '=', 'g.oldest_on')
          .orderBy('t.reference')
          .limit(1);
      return [
        'g.process_key',
        'g.count',
        'g.oldest_on',
        oldest('reference').as('reference'),
        oldest('title').as('title'),
        oldest('title_key').as('title_key'),
        oldest('title_params').as('title_params'),
      ];
    })
    .orderBy('g.count', 'desc')
    .orderBy('g.process_key')
    .execute();
  return rows.map((r) => ({
    process_key: r.process_key,
    count: Number(r.count),
    reference: r.reference ?? '',
    title: r.title ?? '',
    title_key: r.title_key ?? null,
    title_params: r.title_params ?? null,
    due_on: String(r.oldest_on ?? ''),
  }));
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
    .select(['reference', 'title', 'title_key', 'title_params', 'process_key', 'due_on'])
    .where('assignee_id', '=', userId)
    .where('status', 'in', openStatuses)
    .where('due_on', '<', today)
    // the scope as a plain filter (`|| ''` keeps it off the index), so that the assignee's index is the one read
    .where(sql<string>`scope_id || ''`, '=', scopeId)
    .orderBy('due_on')
    .orderBy('reference')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, due_on: r.due_on ?? '' }));
}
