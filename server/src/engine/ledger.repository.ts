import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';

/**
 * Reads of the hand-off ledger (rows are written in the sender's transaction by the work API in `work/`). What waits
 * on which edge, for how long, and what is overdue: two grouped statements over the open rows of one scope, served by
 * the index (scope_id, done_at, edge, created_at).
 */
export async function waitingByEdge(db: Executor, scopeId: string, today: string) {
  const [groups, medians] = await Promise.all([
    db
      .selectFrom('handoff')
      .select((eb) => [
        'edge',
        eb.fn.countAll<number>().as('waiting'),
        eb.fn.min('created_at').as('oldest_at'),
        eb.fn.sum<number>(eb.case().when('due_on', '<', today).then(1).else(0).end()).as('overdue'),
      ])
      .where('scope_id', '=', scopeId)
      .where('done_at', 'is', null)
      .groupBy('edge')
      .execute(),
    // the median waiting item per edge: the middle row of the edge's open rows ordered by age (window functions run
    // on both dialects)
    db
      .selectFrom(
        db
          .selectFrom('handoff')
          .select([
            'edge',
            'created_at',
            sql<number>`row_number() over (partition by edge order by created_at)`.as('rn'),
            sql<number>`count(*) over (partition by edge)`.as('n'),
          ])
          .where('scope_id', '=', scopeId)
          .where('done_at', 'is', null)
          .as('open_rows'),
      )
      .select(['edge', 'created_at'])
      .where(sql<boolean>`rn = (n + 1) / 2`)
      .execute(),
  ]);
  const median = new Map(medians.map((m) => [m.edge, m.created_at]));
  return groups.map((g) => ({
    edge: g.edge,
    waiting: Number(g.waiting),
    overdue: Number(g.overdue ?? 0),
    oldestAt: g.oldest_at as string,
    medianAt: median.get(g.edge) ?? (g.oldest_at as string),
  }));
}

export interface TransitFilter {
  edge?: string | undefined;
  toProcess?: string | undefined;
  /** open (in transit, the default), done, or all */
  state: 'open' | 'done' | 'all';
}

function filtered(db: Executor, scopeId: string, f: TransitFilter) {
  let q = db.selectFrom('handoff').where('handoff.scope_id', '=', scopeId);
  if (f.edge) q = q.where('handoff.edge', '=', f.edge);
  if (f.toProcess) q = q.where('handoff.to_process', '=', f.toProcess);
  if (f.state === 'open') q = q.where('handoff.done_at', 'is', null);
  else if (f.state === 'done') q = q.where('handoff.done_at', 'is not', null);
  return q;
}

/** A page of ledger rows with the assignee's name, oldest first: two statements whatever the page size. */
export async function listHandoffs(db: Executor, scopeId: string, f: TransitFilter, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    filtered(db, scopeId, f)
      .leftJoin('app_user', 'app_user.id', 'handoff.assignee_id')
      .leftJoin('task', (join) => join.onRef('task.id', '=', 'handoff.work_record_id').on('handoff.work_record_type', '=', 'task'))
      .selectAll('handoff')
      .select([
        'app_user.name as assignee_name',
        'task.version as task_version',
        'task.status as task_status',
        // the task's title as a key, so that the list words it for its reader
        'task.title as task_title',
        'task.title_key as task_title_key',
        'task.title_params as task_title_params',
      ])
      .orderBy('handoff.created_at')
      .orderBy('handoff.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered(db, scopeId, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
