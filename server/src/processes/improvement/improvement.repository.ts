import type { SelectQueryBuilder } from 'kysely';
import { containsInsensitive, containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import type { Params, Shape } from '../../db/query-cache.ts';
import type { DB } from '../../db/schema.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';
import type { ImprovementOpportunityTable, NonconformityTable } from './improvement.tables.ts';

export type NonconformityRow = NonconformityTable & { owner_name: string | null; owner_email: string | null };
export type OpportunityRow = ImprovementOpportunityTable & { owner_name: string | null; owner_email: string | null };

const owner = ['owner.name as owner_name', 'owner.email as owner_email'] as const;
const nonconformityWithOwner = (q: SelectQueryBuilder<DB, 'nonconformity', object>) =>
  q.leftJoin('app_user as owner', 'owner.id', 'nonconformity.owner_id').selectAll('nonconformity').select(owner);
const opportunityWithOwner = (q: SelectQueryBuilder<DB, 'improvement_opportunity', object>) =>
  q.leftJoin('app_user as owner', 'owner.id', 'improvement_opportunity.owner_id').selectAll('improvement_opportunity').select(owner);

export async function insertNonconformity(db: Executor, row: NonconformityTable): Promise<void> {
  await db.insertInto('nonconformity').values(row).execute();
}

export async function findNonconformity(db: Executor, scopeId: string, id: string): Promise<NonconformityRow | undefined> {
  return (await nonconformityWithOwner(db.selectFrom('nonconformity'))
    .where('nonconformity.scope_id', '=', scopeId)
    .where('nonconformity.id', '=', id)
    .executeTakeFirst()) as NonconformityRow | undefined;
}

/** What changes the list's SQL: the status branch and which filters are given (values bound: NonconformityValues). */
interface NonconformityShape extends Shape {
  status: 'active' | 'one' | undefined;
  kind: boolean;
  q: boolean;
}

interface NonconformityValues extends Params {
  scopeId: string;
  status?: string;
  kind?: string;
  pattern?: string;
}

function filteredNonconformities(db: Executor, s: NonconformityShape, v: NonconformityValues) {
  let q = db.selectFrom('nonconformity').where('nonconformity.scope_id', '=', v.scopeId);
  if (s.status === 'active') q = q.where('nonconformity.status', '!=', 'closed');
  else if (s.status) q = q.where('nonconformity.status', '=', v.status as NonconformityTable['status']);
  if (s.kind) q = q.where('nonconformity.kind', '=', v.kind as NonconformityTable['kind']);
  if (s.q) {
    const pattern = v.pattern as string;
    q = q.where((eb) =>
      eb.or([likeInsensitive(eb.ref('nonconformity.title'), pattern), likeInsensitive(eb.ref('nonconformity.reference'), pattern)]),
    );
  }
  return q;
}

const nonconformityPage = cachedList(
  'nonconformity.list',
  (db, s: NonconformityShape, v: NonconformityValues) =>
    nonconformityWithOwner(filteredNonconformities(db, s, v))
      .orderBy('nonconformity.created_at', 'desc')
      .orderBy('nonconformity.id', 'desc'),
  filteredNonconformities,
);

/** A page of nonconformities, newest first, and the total: two statements, compiled once per shape (query-cache.ts). */
export async function listNonconformities(db: Executor, scopeId: string, f: NonconformityFilter, limit: number, offset: number) {
  const shape: NonconformityShape = {
    status: f.status === 'active' ? 'active' : f.status ? 'one' : undefined,
    kind: !!f.kind,
    q: !!f.q,
  };
  const values: NonconformityValues = { scopeId };
  if (shape.status === 'one') values.status = f.status;
  if (f.kind) values.kind = f.kind;
  if (f.q) values.pattern = containsPattern(f.q);
  const { rows, total, capped } = await nonconformityPage(db, shape, values, limit, offset);
  return { rows: rows as NonconformityRow[], total, capped };
}

export async function insertCorrectiveAction(
  db: Executor,
  row: { id: string; nonconformity_id: string; task_id: string; created_at: string },
): Promise<void> {
  await db.insertInto('corrective_action').values(row).execute();
}

export async function findCorrectiveActions(db: Executor, nonconformityId: string) {
  return db
    .selectFrom('corrective_action')
    .innerJoin('task', 'task.id', 'corrective_action.task_id')
    .leftJoin('app_user', 'app_user.id', 'task.assignee_id')
    .select([
      'task.id as task_id',
      'task.reference',
      'task.title',
      'task.status',
      'task.due_on',
      'task.assignee_id',
      'app_user.name as assignee_name',
      'app_user.email as assignee_email',
    ])
    .where('corrective_action.nonconformity_id', '=', nonconformityId)
    .orderBy('task.reference')
    .execute();
}

export type NonconformityFilter = {
  status?: NonconformityTable['status'] | 'active' | undefined;
  kind?: NonconformityTable['kind'] | undefined;
  q?: string | undefined;
};

/**
 * Every matching finding in the order of its reference (unique in a scope, so its unique index serves the order), in
 * batches of `batch`: one ordered pass by keyset (each batch starts after the last reference of the one before), never
 * OFFSET. The event loop gets a turn between batches.
 */
export async function* iterateNonconformities(db: Executor, scopeId: string, f: NonconformityFilter, batch = 1000) {
  let after: string | undefined;
  for (;;) {
    let q = nonconformityWithOwner(db.selectFrom('nonconformity')).where('nonconformity.scope_id', '=', scopeId);
    if (f.status === 'active') q = q.where('nonconformity.status', '!=', 'closed');
    else if (f.status) q = q.where('nonconformity.status', '=', f.status);
    if (f.kind) q = q.where('nonconformity.kind', '=', f.kind);
    if (f.q) {
      const needle = f.q;
      q = q.where((eb) =>
        eb.or([containsInsensitive(eb.ref('nonconformity.title'), needle), containsInsensitive(eb.ref('nonconformity.reference'), needle)]),
      );
    }
    if (after !== undefined) q = q.where('nonconformity.reference', '>', after);
    const rows = (await q.orderBy('nonconformity.reference').limit(batch).execute()) as NonconformityRow[];
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.reference;
    await yieldToEventLoop();
  }
}

/** The corrective actions (their tasks) of some findings, by task reference: one statement. */
export async function findCorrectiveActionsOf(db: Executor, nonconformityIds: string[]) {
  const out = new Map<
    string,
    { reference: string; title: string; status: string; due_on: string | null; assignee_name: string | null }[]
  >();
  if (nonconformityIds.length === 0) return out;
  const rows = await db
    .selectFrom('corrective_action')
    .innerJoin('task', 'task.id', 'corrective_action.task_id')
    .leftJoin('app_user', 'app_user.id', 'task.assignee_id')
    .select([
      'corrective_action.nonconformity_id',
      'task.reference',
      'task.title',
      'task.status',
      'task.due_on',
      'app_user.name as assignee_name',
    ])
    .where('corrective_action.nonconformity_id', 'in', nonconformityIds)
    .orderBy('corrective_action.nonconformity_id')
    .orderBy('task.reference')
    .execute();
  for (const { nonconformity_id, ...r } of rows) out.set(nonconformity_id, [...(out.get(nonconformity_id) ?? []), r]);
  return out;
}

export async function insertOpportunity(db: Executor, row: ImprovementOpportunityTable): Promise<void> {
  await db.insertInto('improvement_opportunity').values(row).execute();
}

export async function findOpportunity(db: Executor, scopeId: string, id: string): Promise<OpportunityRow | undefined> {
  return (await opportunityWithOwner(db.selectFrom('improvement_opportunity'))
    .where('improvement_opportunity.scope_id', '=', scopeId)
    .where('improvement_opportunity.id', '=', id)
    .executeTakeFirst()) as OpportunityRow | undefined;
}

export interface OpportunityFilter {
  status?: ImprovementOpportunityTable['status'] | undefined;
  q?: string | undefined;
}

/** What changes the list's SQL: which filters are given (values bound: OpportunityValues). */
interface OpportunityShape extends Shape {
  status: boolean;
  q: boolean;
}

interface OpportunityValues extends Params {
  scopeId: string;
  status?: string;
  pattern?: string;
}

function filteredOpportunities(db: Executor, s: OpportunityShape, v: OpportunityValues) {
  let q = db.selectFrom('improvement_opportunity').where('improvement_opportunity.scope_id', '=', v.scopeId);
  if (s.status) q = q.where('improvement_opportunity.status', '=', v.status as ImprovementOpportunityTable['status']);
  if (s.q) {
    const pattern = v.pattern as string;
    q = q.where((eb) => likeInsensitive(eb.ref('improvement_opportunity.title'), pattern));
  }
  return q;
}

const opportunityPage = cachedList(
  'opportunity.list',
  (db, s: OpportunityShape, v: OpportunityValues) =>
    opportunityWithOwner(filteredOpportunities(db, s, v))
      .orderBy('improvement_opportunity.created_at', 'desc')
      .orderBy('improvement_opportunity.id', 'desc'),
  filteredOpportunities,
);

/** A page of opportunities, newest first, and the total: two statements, compiled once per shape (query-cache.ts). */
export async function listOpportunities(db: Executor, scopeId: string, f: OpportunityFilter, limit: number, offset: number) {
  const shape: OpportunityShape = { status: !!f.status, q: !!f.q };
  const values: OpportunityValues = { scopeId };
  if (f.status) values.status = f.status;
  if (f.q) values.pattern = containsPattern(f.q);
  const { rows, total, capped } = await opportunityPage(db, shape, values, limit, offset);
  return { rows: rows as OpportunityRow[], total, capped };
}
