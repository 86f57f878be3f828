import { sql } from 'kysely';
import { containsPattern, likeInsensitive } from '../db/column.ts';
import type { Executor } from '../db/database.ts';
import { cachedList } from '../db/paging.ts';
import type { Params, Shape } from '../db/query-cache.ts';
import type { HandoffTable, TaskTable } from '../db/schema.ts';

export async function insertTask(db: Executor, row: TaskTable): Promise<void> {
  await db.insertInto('task').values(row).execute();
}

export async function findTask(db: Executor, scopeId: string, id: string) {
  return db.selectFrom('task').selectAll().where('scope_id', '=', scopeId).where('id', '=', id).executeTakeFirst();
}

export interface TaskFilter {
  scopeIds?: string[];
  assigneeId?: string | undefined;
  status: TaskTable['status'] | 'active';
  processKey?: string | undefined;
  q?: string | undefined;
}

/** What changes the list's SQL: how many scopes, the status branch, which filters are given (values bound: TaskValues). */
interface TaskShape extends Shape {
  /** the number of scopes named (bound one by one: `scope0`, `scope1`, …) */
  scopes: number | 'any';
  status: 'active' | 'one';
  assignee: boolean;
  processKey: boolean;
  q: boolean;
}

interface TaskValues extends Params {
  status?: string;
  assigneeId?: string;
  processKey?: string;
  pattern?: string;
}

const scopeKey = (i: number) => `scope${i}`;

function filtered(db: Executor, s: TaskShape, v: TaskValues) {
  let q = db.selectFrom('task');
  // one scope is an equality, so that the scope's indexes give the order
  if (s.scopes === 1) q = q.where('task.scope_id', '=', v[scopeKey(0)] as string);
  else if (s.scopes !== 'any')
    q = q.where('task.scope_id', 'in', s.scopes ? Array.from({ length: s.scopes }, (_, i) => v[scopeKey(i)] as string) : ['-']);
  if (s.assignee) q = q.where('task.assignee_id', '=', v.assigneeId as string);
  // the statuses as literals: the partial index of active tasks (migration 0030) names them so, and a database uses a
  // partial index only when the statement's condition is the index's own
  if (s.status === 'active') q = q.where(sql<boolean>`"task"."status" in ('open', 'in_progress')`);
  else q = q.where('task.status', '=', v.status as TaskTable['status']);
  if (s.processKey) q = q.where('task.process_key', '=', v.processKey as string);
  if (s.q) {
    const pattern = v.pattern as string;
    q = q.where((eb) => eb.or([likeInsensitive(eb.ref('task.title'), pattern), likeInsensitive(eb.ref('task.reference'), pattern)]));
  }
  return q;
}

const taskPage = cachedList(
  'task.list',
  (db, s: TaskShape, v: TaskValues) =>
    filtered(db, s, v)
      .innerJoin('scope', 'scope.id', 'task.scope_id')
      .leftJoin('app_user', 'app_user.id', 'task.assignee_id')
      .selectAll('task')
      .select(['scope.name as scope_name', 'app_user.name as assignee_name', 'app_user.email as assignee_email'])
      // tasks without a due date come last on both dialects (false before true); the indexes hold the same expression
      .orderBy(sql`"task"."due_on" is null`)
      .orderBy('task.due_on')
      .orderBy('task.created_at')
      .orderBy('task.id'),
  filtered,
);

/**
 * A page of tasks with assignee and scope names, by due date (those without one last, then by creation), and the
 * capped count (countCapped): two statements whatever the page size, compiled once per shape (query-cache.ts). In one
 * scope the order is an index's (migration 0030: active tasks, or one status).
 */
export async function listTasks(db: Executor, f: TaskFilter, limit: number, offset: number) {
  const shape: TaskShape = {
    scopes: f.scopeIds ? f.scopeIds.length : 'any',
    status: f.status === 'active' ? 'active' : 'one',
    assignee: !!f.assigneeId,
    processKey: !!f.processKey,
    q: !!f.q,
  };
  const values: TaskValues = {};
  f.scopeIds?.forEach((id, i) => {
    values[scopeKey(i)] = id;
  });
  if (f.status !== 'active') values.status = f.status;
  if (f.assigneeId) values.assigneeId = f.assigneeId;
  if (f.processKey) values.processKey = f.processKey;
  if (f.q) values.pattern = containsPattern(f.q);
  return taskPage(db, shape, values, limit, offset);
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

const active = ['open', 'in_progress'] as const;

/**
 * Inserts a task that has a purpose unless an open task of the same origin record and purpose exists (the partial unique
 * index `task_open_purpose_uq`). Returns whether it was inserted: a concurrent writer that got there first makes this one
 * do nothing (PostgreSQL waits for it to commit) instead of failing the transaction.
 */
export async function insertTaskUnlessOpen(db: Executor, row: TaskTable): Promise<boolean> {
  const inserted = await db
    .insertInto('task')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['origin_record_type', 'origin_record_id', 'purpose'])
        .where(sql<boolean>`purpose is not null and status in ('open', 'in_progress')`)
        .doNothing(),
    )
    .returning('id')
    .execute();
  return inserted.length === 1;
}

/**
 * The open task of a record for one purpose (at most one, by the unique index). With `lock` (PostgreSQL), the row stays
 * locked until the caller commits, so that concurrent triggers update it one after the other; SQLite writers are
 * serialised anyway.
 */
export async function findOpenTaskForPurpose(db: Executor, recordType: string, recordId: string, purpose: string, lock = false) {
  let q = db
    .selectFrom('task')
    .selectAll()
    .where('origin_record_type', '=', recordType)
    .where('origin_record_id', '=', recordId)
    .where('purpose', '=', purpose)
    .where('status', 'in', active);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The open tasks of a record with a purpose: all of them, those of the given purposes, or those whose purpose starts so. */
export async function findOpenTasksForPurposes(
  db: Executor,
  recordType: string,
  recordId: string,
  purposes: { in?: readonly string[] | undefined; prefix?: string | undefined },
  lock = false,
) {
  let q = db
    .selectFrom('task')
    .selectAll()
    .where('origin_record_type', '=', recordType)
    .where('origin_record_id', '=', recordId)
    .where('purpose', 'is not', null)
    .where('status', 'in', active);
  if (purposes.in || purposes.prefix !== undefined) {
    const list = purposes.in ?? [];
    const prefix = purposes.prefix;
    q = q.where((eb) =>
      eb.or([
        ...(list.length ? [eb('purpose', 'in', list)] : []),
        ...(prefix !== undefined ? [eb(sql<string>`substr(purpose, 1, ${sql.lit(prefix.length)})`, '=', prefix)] : []),
      ]),
    );
  }
  q = q.orderBy('created_at').orderBy('id');
  return (lock ? q.forUpdate() : q).execute();
}

// ---------------------------------------------------------------- the hand-off ledger

export async function insertHandoff(db: Executor, row: HandoffTable): Promise<void> {
  await db.insertInto('handoff').values(row).execute();
}

/** A note as stored: its English rendering, and its key with parameters when Praxis wrote it from the catalog. */
export interface StoredNote {
  note: string | null;
  note_key: string | null;
  note_params: string | null;
}

/** Marks the open ledger rows of a piece of work done or cancelled; returns how many. */
export async function settleHandoffs(
  db: Executor,
  work: { type: string; id: string },
  done: { at: string; outcome: 'done' | 'cancelled' } & StoredNote,
): Promise<number> {
  const r = await db
    .updateTable('handoff')
    .set({ done_at: done.at, outcome: done.outcome, note: done.note, note_key: done.note_key, note_params: done.note_params })
    .where('work_record_type', '=', work.type)
    .where('work_record_id', '=', work.id)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Reopens the settled ledger rows of a piece of work that was reopened (a task set back to open by hand). */
export async function reopenHandoffs(db: Executor, work: { type: string; id: string }): Promise<void> {
  await db
    .updateTable('handoff')
    .set({ done_at: null, outcome: null, note: null, note_key: null, note_params: null })
    .where('work_record_type', '=', work.type)
    .where('work_record_id', '=', work.id)
    .where('done_at', 'is not', null)
    .execute();
}

export async function findOpenHandoffOfWork(db: Executor, work: { type: string; id: string }) {
  return db
    .selectFrom('handoff')
    .selectAll()
    .where('work_record_type', '=', work.type)
    .where('work_record_id', '=', work.id)
    .where('done_at', 'is', null)
    .executeTakeFirst();
}

/** Keeps the open ledger row of a task in step with the task it created (title, assignee, due date). */
export async function updateOpenHandoffsOfWork(
  db: Executor,
  work: { type: string; id: string },
  patch: Partial<Pick<HandoffTable, 'title' | 'assignee_id' | 'due_on'>>,
): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db
    .updateTable('handoff')
    .set(patch)
    .where('work_record_type', '=', work.type)
    .where('work_record_id', '=', work.id)
    .where('done_at', 'is', null)
    .execute();
}

export async function findOpenTasksOfRecords(db: Executor, recordType: string, recordIds: readonly string[], purpose: string) {
  if (recordIds.length === 0) return [];
  return db
    .selectFrom('task')
    .selectAll()
    .where('origin_record_type', '=', recordType)
    .where('origin_record_id', 'in', recordIds)
    .where('purpose', '=', purpose)
    .where('status', 'in', active)
    .execute();
}

/** The open tasks of a scope with exactly this purpose, whatever record they came from (e.g. "implement:<control id>"). */
export async function findOpenTasksWithPurpose(db: Executor, scopeId: string, purpose: string, lock = false) {
  const q = db
    .selectFrom('task')
    .selectAll()
    .where('scope_id', '=', scopeId)
    .where('status', 'in', active)
    .where('purpose', '=', purpose)
    .orderBy('created_at')
    .orderBy('id');
  return (lock ? q.forUpdate() : q).execute();
}
