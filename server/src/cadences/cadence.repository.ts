import type { Executor } from '../db/database.ts';
import type { CadenceEscalationTable, CadenceOccurrenceTable, CadenceTable } from '../db/schema.ts';

// -- cadences

export async function findCadence(db: Executor, scopeId: string, source: string, subject: string) {
  return db
    .selectFrom('cadence')
    .selectAll()
    .where('scope_id', '=', scopeId)
    .where('source', '=', source)
    .where('subject', '=', subject)
    .executeTakeFirst();
}

/** The cadences of one source in several scopes (a sweep batch), in one query. */
export async function listCadencesOfSource(db: Executor, source: string, scopeIds: string[]) {
  if (scopeIds.length === 0) return [];
  return db.selectFrom('cadence').selectAll().where('source', '=', source).where('scope_id', 'in', scopeIds).execute();
}

export async function listScopeCadences(db: Executor, scopeId: string) {
  return db.selectFrom('cadence').selectAll().where('scope_id', '=', scopeId).execute();
}

export async function findCadenceById(db: Executor, id: string) {
  return db.selectFrom('cadence').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCadences(db: Executor, rows: CadenceTable[]): Promise<void> {
  if (rows.length) await db.insertInto('cadence').values(rows).execute();
}

// -- occurrences

/** Inserts an occurrence unless one exists for the same source, record and date: true if this call inserted it. */
export async function insertOccurrence(db: Executor, row: CadenceOccurrenceTable): Promise<boolean> {
  const r = await db
    .insertInto('cadence_occurrence')
    .values(row)
    .onConflict((oc) => oc.columns(['source', 'record_id', 'occurs_on']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function setOccurrenceTask(db: Executor, id: string, taskId: string, assigneeId: string | null): Promise<void> {
  await db.updateTable('cadence_occurrence').set({ task_id: taskId, assignee_id: assigneeId }).where('id', '=', id).execute();
}

/** Open occurrences whose task was completed, cancelled or deleted: to be closed and followed by the next date. */
export async function findSettledOpenOccurrences(db: Executor, limit: number) {
  return db
    .selectFrom('cadence_occurrence as o')
    .leftJoin('task', 'task.id', 'o.task_id')
    .selectAll('o')
    .select(['task.status as task_status', 'task.completed_at as task_completed_at'])
    .where('o.state', '=', 'open')
    .where((eb) => eb.or([eb('task.status', 'in', ['done', 'cancelled']), eb('task.id', 'is', null)]))
    .orderBy('o.occurs_on')
    .limit(limit)
    .execute();
}

/** Open occurrences of a source (a sweep batch after `afterId`), to check that their records still call for them. */
export async function listOpenOccurrencesOfSource(db: Executor, source: string, afterId: string | null, limit: number) {
  let q = db.selectFrom('cadence_occurrence').selectAll().where('source', '=', source).where('state', '=', 'open');
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(limit).execute();
}

/** Claims the closing of an occurrence: true for exactly one caller. */
export async function claimClose(db: Executor, id: string, state: 'done' | 'cancelled', at: string): Promise<boolean> {
  const r = await db
    .updateTable('cadence_occurrence')
    .set({ state, completed_at: at, escalate_on: null })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Other open occurrences of a record (an earlier date that the record has moved past). */
export async function findOpenOccurrencesOfRecord(db: Executor, source: string, recordId: string) {
  return db
    .selectFrom('cadence_occurrence')
    .selectAll()
    .where('source', '=', source)
    .where('record_id', '=', recordId)
    .where('state', '=', 'open')
    .execute();
}

/** Open occurrences whose next escalation step is due, with their cadence's escalation days. */
export async function findEscalationsDue(db: Executor, today: string, limit: number) {
  return db
    .selectFrom('cadence_occurrence as o')
    .leftJoin('cadence as c', 'c.id', 'o.cadence_id')
    .leftJoin('task', 'task.id', 'o.task_id')
    .selectAll('o')
    .select([
      'c.escalation_days',
      'task.title as task_title',
      'task.title_key as task_title_key',
      'task.title_params as task_title_params',
      'task.reference as task_reference',
    ])
    .where('o.state', '=', 'open')
    .where('o.escalate_on', 'is not', null)
    .where('o.escalate_on', '<=', today)
    .orderBy('o.escalate_on')
    .limit(limit)
    .execute();
}

/** Claims one escalation step: true for exactly one caller, whatever instance runs the sweep. */
export async function claimEscalation(db: Executor, id: string, fromLevel: number, escalateOn: string | null): Promise<boolean> {
  const r = await db
    .updateTable('cadence_occurrence')
    .set({ escalation_level: fromLevel + 1, escalate_on: escalateOn })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .where('escalation_level', '=', fromLevel)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertEscalation(db: Executor, row: CadenceEscalationTable): Promise<void> {
  await db.insertInto('cadence_escalation').values(row).execute();
}

export async function listEscalations(db: Executor, occurrenceId: string) {
  return db.selectFrom('cadence_escalation').selectAll().where('occurrence_id', '=', occurrenceId).execute();
}

/** The last closed occurrence of a record: counted-from-completion rules start from it. */
export async function findLastClosedOccurrence(db: Executor, source: string, recordId: string) {
  return db
    .selectFrom('cadence_occurrence')
    .selectAll()
    .where('source', '=', source)
    .where('record_id', '=', recordId)
    .where('state', '!=', 'open')
    .orderBy('completed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The open occurrences of a scope with their task and assignee: the "upcoming" list's known part. */
export async function listScopeOpenOccurrences(db: Executor, scopeId: string) {
  return db
    .selectFrom('cadence_occurrence as o')
    .leftJoin('task', 'task.id', 'o.task_id')
    .leftJoin('app_user as u', 'u.id', 'o.assignee_id')
    .selectAll('o')
    .select([
      'task.reference as task_reference',
      'task.status as task_status',
      'task.title as task_title',
      'task.title_key as task_title_key',
      'task.title_params as task_title_params',
      'u.name as assignee_name',
      'u.email as assignee_email',
    ])
    .where('o.scope_id', '=', scopeId)
    .where('o.state', '=', 'open')
    .execute();
}

// -- people and tasks the sweep works with

/** Process owners of the given scopes, in one query. */
export async function listProcessOwners(db: Executor, scopeIds: string[]) {
  if (scopeIds.length === 0) return [];
  return db.selectFrom('scope_process').select(['id', 'scope_id', 'process_key', 'owner_id']).where('scope_id', 'in', scopeIds).execute();
}

export async function listManagerIds(db: Executor, scopeId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('membership')
    .select('user_id')
    .where('scope_id', '=', scopeId)
    .where('role', '=', 'manager')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function findUserNames(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('app_user').select(['id', 'name', 'email']).where('id', 'in', ids).execute();
}

export async function findTaskById(db: Executor, id: string) {
  return db.selectFrom('task').selectAll().where('id', '=', id).executeTakeFirst();
}
