import { sql } from 'kysely';
import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import { filterOf, type Params, type Shape, splitFilter } from '../../db/query-cache.ts';
import type {
  RiskAcceptanceSignatureTable,
  RiskAcceptanceTable,
  RiskTreatmentTable,
  TreatmentActionTable,
  TreatmentControlTable,
} from './risk-treatment.tables.ts';
import type { ListTreatmentsQuery } from './risk-treatment.schemas.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';

// ---------------------------------------------------------------- treatments

export type TreatmentRow = RiskTreatmentTable & { decided_by_name: string | null; decided_by_email: string | null };

export async function findTreatmentByRisk(db: Executor, scopeId: string, riskId: string): Promise<TreatmentRow | undefined> {
  return db
    .selectFrom('risk_treatment')
    .leftJoin('app_user as decider', 'decider.id', 'risk_treatment.decided_by')
    .selectAll('risk_treatment')
    .select(['decider.name as decided_by_name', 'decider.email as decided_by_email'])
    .where('risk_treatment.scope_id', '=', scopeId)
    .where('risk_treatment.risk_id', '=', riskId)
    .executeTakeFirst();
}

export async function insertTreatment(db: Executor, row: RiskTreatmentTable): Promise<void> {
  await db.insertInto('risk_treatment').values(row).execute();
}

export type TreatmentControlRow = TreatmentControlTable & {
  control_reference: string | null;
  control_title: string | null;
  control_status: string | null;
  control_owner_id: string | null;
  control_owner_name: string | null;
  control_owner_email: string | null;
  requirement_identifier: string | null;
  requirement_title: string | null;
  catalog_id: string | null;
  catalog_key: string | null;
  catalog_title: string | null;
};

export async function findTreatmentControls(db: Executor, treatmentId: string): Promise<TreatmentControlRow[]> {
  return db
    .selectFrom('treatment_control as tc')
    .leftJoin('control', 'control.id', 'tc.control_id')
    .leftJoin('app_user as owner', 'owner.id', 'control.owner_id')
    .leftJoin('catalog_requirement as req', 'req.id', 'tc.requirement_id')
    .leftJoin('catalog', 'catalog.id', 'req.catalog_id')
    .selectAll('tc')
    .select([
      'control.reference as control_reference',
      'control.title as control_title',
      'control.status as control_status',
      'control.owner_id as control_owner_id',
      'owner.name as control_owner_name',
      'owner.email as control_owner_email',
      'req.identifier as requirement_identifier',
      'req.title as requirement_title',
      'catalog.id as catalog_id',
      'catalog.key as catalog_key',
      'catalog.title as catalog_title',
    ])
    .where('tc.treatment_id', '=', treatmentId)
    .orderBy('tc.position')
    .execute();
}

export async function replaceTreatmentControls(db: Executor, treatmentId: string, rows: TreatmentControlTable[]): Promise<void> {
  await db.deleteFrom('treatment_control').where('treatment_id', '=', treatmentId).execute();
  if (rows.length > 0) await db.insertInto('treatment_control').values(rows).execute();
}

export async function setTreatmentControl(
  db: Executor,
  treatmentId: string,
  position: number,
  patch: Partial<Pick<TreatmentControlTable, 'control_id' | 'task_id'>>,
): Promise<void> {
  await db.updateTable('treatment_control').set(patch).where('treatment_id', '=', treatmentId).where('position', '=', position).execute();
}

export type ActionRow = TreatmentActionTable & { owner_name: string | null; owner_email: string | null };

export async function findActions(db: Executor, treatmentId: string): Promise<ActionRow[]> {
  return db
    .selectFrom('treatment_action')
    .leftJoin('app_user as owner', 'owner.id', 'treatment_action.owner_id')
    .selectAll('treatment_action')
    .select(['owner.name as owner_name', 'owner.email as owner_email'])
    .where('treatment_action.treatment_id', '=', treatmentId)
    .orderBy('treatment_action.position')
    .execute();
}

export async function insertActions(db: Executor, rows: TreatmentActionTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('treatment_action').values(rows).execute();
}

export async function updateAction(db: Executor, id: string, patch: Partial<TreatmentActionTable>): Promise<void> {
  await db.updateTable('treatment_action').set(patch).where('id', '=', id).execute();
}

export async function deleteActions(db: Executor, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('treatment_action').where('id', 'in', ids).execute();
}

export async function findTasksOfTreatment(db: Executor, treatmentId: string) {
  return db
    .selectFrom('task')
    .leftJoin('app_user as assignee', 'assignee.id', 'task.assignee_id')
    .select([
      'task.id',
      'task.reference',
      'task.title',
      'task.process_key',
      'task.status',
      'task.due_on',
      'task.assignee_id',
      'assignee.name as assignee_name',
      'assignee.email as assignee_email',
    ])
    .where('task.origin_record_type', '=', 'risk_treatment')
    .where('task.origin_record_id', '=', treatmentId)
    .orderBy('task.created_at')
    .orderBy('task.reference')
    .execute();
}

export async function findChangesOfRisk(db: Executor, scopeId: string, riskId: string) {
  return db
    .selectFrom('change_request')
    .select(['id', 'reference', 'title', 'status'])
    .where('scope_id', '=', scopeId)
    .where('source', '=', 'risk_treatment')
    .where('source_record_type', '=', 'risk')
    .where('source_record_id', '=', riskId)
    .orderBy('created_at')
    .orderBy('reference')
    .execute();
}

// ---------------------------------------------------------------- controls and catalog requirements

/** Documents of the scope that a change may still revise (a draft or a published document). */
export async function findRevisableDocuments(db: Executor, scopeId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('document')
    .select(['id', 'reference', 'title'])
    .where('scope_id', '=', scopeId)
    .where('id', 'in', ids)
    .where('status', 'in', ['draft', 'published'])
    .execute();
}

export async function findControlsInScope(db: Executor, scopeId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('control')
    .select(['id', 'reference', 'title', 'owner_id', 'status', 'due_on'])
    .where('scope_id', '=', scopeId)
    .where('id', 'in', ids)
    .execute();
}

/** Requirements (controls, not groups) of catalogs the scope may use: its own and those without a scope. */
export async function findVisibleRequirements(db: Executor, scopeId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('catalog_requirement as req')
    .innerJoin('catalog', 'catalog.id', 'req.catalog_id')
    .select([
      'req.id',
      'req.identifier',
      'req.label',
      'req.title',
      'req.statement',
      'req.kind',
      'catalog.title as catalog_title',
      'catalog.key as catalog_key',
    ])
    .where('req.id', 'in', ids)
    .where((eb) => eb.or([eb('catalog.scope_id', 'is', null), eb('catalog.scope_id', '=', scopeId)]))
    .execute();
}

/** The scope's control already linked to a requirement (the oldest, when several are). */
export async function findControlForRequirement(db: Executor, scopeId: string, requirementId: string) {
  return db
    .selectFrom('control_requirement as cr')
    .innerJoin('control', 'control.id', 'cr.control_id')
    .select(['control.id', 'control.reference', 'control.title', 'control.owner_id', 'control.status', 'control.due_on'])
    .where('cr.requirement_id', '=', requirementId)
    .where('control.scope_id', '=', scopeId)
    .orderBy('control.created_at')
    .orderBy('control.id')
    .executeTakeFirst();
}

export async function linkControlsToRisk(db: Executor, riskId: string, controlIds: string[]): Promise<void> {
  if (controlIds.length === 0) return;
  await db
    .insertInto('control_risk')
    .values(controlIds.map((control_id) => ({ control_id, risk_id: riskId })))
    .onConflict((oc) => oc.columns(['control_id', 'risk_id']).doNothing())
    .execute();
}

// ---------------------------------------------------------------- treatment list

/** What the treatment list and its export filter by. */
export type TreatmentFilter = Pick<ListTreatmentsQuery, 'option' | 'status' | 'ownerId' | 'q'>;

function filtered(db: Executor, scopeId: string, q: TreatmentFilter & { pattern?: string }) {
  let query = db.selectFrom('risk_treatment as t').innerJoin('risk', 'risk.id', 't.risk_id').where('t.scope_id', '=', scopeId);
  if (q.option) query = query.where('t.option', '=', q.option);
  if (q.status) query = query.where('t.status', '=', q.status);
  if (q.ownerId) {
    const ownerId = q.ownerId;
    query = query.where((eb) =>
      eb.or([
        eb('risk.owner_id', '=', ownerId),
        eb.exists(
          eb.selectFrom('treatment_action as a').select('a.id').whereRef('a.treatment_id', '=', 't.id').where('a.owner_id', '=', ownerId),
        ),
      ]),
    );
  }
  // the list binds a search as its LIKE pattern (query-cache.ts binds values as they are)
  const pattern = q.pattern ?? (q.q ? containsPattern(q.q) : undefined);
  if (pattern !== undefined) {
    query = query.where((eb) =>
      eb.or([
        likeInsensitive(eb.ref('t.reference'), pattern),
        likeInsensitive(eb.ref('risk.reference'), pattern),
        likeInsensitive(eb.ref('risk.title'), pattern),
        likeInsensitive(eb.ref('t.rationale'), pattern),
      ]),
    );
  }
  return query;
}

const sortColumns = {
  reference: 't.reference',
  risk: 'risk.reference',
  status: 't.status',
  decidedAt: 't.decided_at',
  updatedAt: 't.updated_at',
} as const;

type TreatmentListFilter = TreatmentFilter & {
  scopeId: string;
  sort: ListTreatmentsQuery['sort'];
  order: 'asc' | 'desc';
  pattern?: string;
};

const treatmentPage = cachedList(
  'risk-treatment.list',
  (db, shape: Shape, values: Params) => {
    const f = filterOf<TreatmentListFilter>(shape, values);
    return filtered(db, f.scopeId, f)
      .leftJoin('app_user as owner', 'owner.id', 'risk.owner_id')
      .selectAll('t')
      .select([
        'risk.reference as risk_reference',
        'risk.title as risk_title',
        'risk.owner_id as risk_owner_id',
        'risk.current_level as risk_current_level',
        'risk.target_level as risk_target_level',
        'owner.name as owner_name',
        'owner.email as owner_email',
      ])
      .orderBy(sortColumns[f.sort], f.order)
      .orderBy('t.id', f.order);
  },
  (db, shape: Shape, values: Params) => {
    const f = filterOf<TreatmentListFilter>(shape, values);
    return filtered(db, f.scopeId, f);
  },
);

/**
 * One page of treatments with their risk and its owner, and the total: two statements, compiled once per shape
 * (query-cache.ts; a search binds its pattern).
 */
export async function listTreatments(db: Executor, scopeId: string, q: ListTreatmentsQuery) {
  const order = q.order ?? (q.sort === 'updatedAt' || q.sort === 'decidedAt' ? 'desc' : 'asc');
  const { shape, values } = splitFilter(
    {
      option: q.option,
      status: q.status,
      ownerId: q.ownerId,
      pattern: q.q ? containsPattern(q.q) : undefined,
      scopeId,
      sort: q.sort,
      order,
    },
    { branches: ['sort', 'order'] },
  );
  return treatmentPage(db, shape, values, q.pageSize, (q.page - 1) * q.pageSize);
}

/** Per treatment of a page: number of actions, done ones, cost and the next due date (one grouped statement). */
export async function summariseActions(db: Executor, treatmentIds: string[]) {
  const out = new Map<string, { actions: number; done: number; cost: number; nextDueOn: string | null }>();
  if (treatmentIds.length === 0) return out;
  const rows = await db
    .selectFrom('treatment_action')
    .select((eb) => [
      'treatment_id',
      eb.fn.countAll<number | string>().as('actions'),
      sql<number | string>`sum(case when status = 'done' then 1 else 0 end)`.as('done'),
      sql<number | string | null>`sum(case when status <> 'cancelled' then cost_estimate end)`.as('cost'),
      sql<string | null>`min(case when status in ('open', 'in_progress') then due_on end)`.as('next_due_on'),
    ])
    .where('treatment_id', 'in', treatmentIds)
    .groupBy('treatment_id')
    .execute();
  for (const r of rows) {
    out.set(r.treatment_id, {
      actions: Number(r.actions),
      done: Number(r.done),
      cost: r.cost === null ? 0 : Number(r.cost),
      nextDueOn: r.next_due_on,
    });
  }
  return out;
}

export async function countControls(db: Executor, treatmentIds: string[]): Promise<Map<string, number>> {
  if (treatmentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('treatment_control')
    .select((eb) => ['treatment_id', eb.fn.countAll<number | string>().as('n')])
    .where('treatment_id', 'in', treatmentIds)
    .groupBy('treatment_id')
    .execute();
  return new Map(rows.map((r) => [r.treatment_id, Number(r.n)]));
}

export type TreatmentPlanRow = RiskTreatmentTable & {
  risk_reference: string;
  risk_title: string;
  decided_by_name: string | null;
};

/**
 * Every matching treatment in the order of its reference (unique in a scope, so its unique index serves the order), in
 * batches of `batch`: one ordered pass by keyset (each batch starts after the last reference of the one before), never
 * OFFSET. The event loop gets a turn between batches.
 */
export async function* iterateTreatmentPlan(db: Executor, scopeId: string, f: TreatmentFilter, batch = 1000) {
  let after: string | undefined;
  for (;;) {
    const rows = await filtered(db, scopeId, f)
      .leftJoin('app_user as decider', 'decider.id', 't.decided_by')
      .selectAll('t')
      .select(['risk.reference as risk_reference', 'risk.title as risk_title', 'decider.name as decided_by_name'])
      .$if(after !== undefined, (q) => q.where('t.reference', '>', after!))
      .orderBy('t.reference')
      .limit(batch)
      .execute();
    if (rows.length === 0) return;
    yield rows as TreatmentPlanRow[];
    if (rows.length < batch) return;
    after = rows[rows.length - 1]!.reference;
    await yieldToEventLoop();
  }
}

/** The selected controls (or requirements) of some treatments, in their order: one statement. */
export async function findControlsOfTreatments(db: Executor, treatmentIds: string[]) {
  const out = new Map<string, { control_reference: string | null; requirement_identifier: string | null }[]>();
  if (treatmentIds.length === 0) return out;
  const rows = await db
    .selectFrom('treatment_control as tc')
    .leftJoin('control', 'control.id', 'tc.control_id')
    .leftJoin('catalog_requirement as req', 'req.id', 'tc.requirement_id')
    .select(['tc.treatment_id', 'control.reference as control_reference', 'req.identifier as requirement_identifier'])
    .where('tc.treatment_id', 'in', treatmentIds)
    .orderBy('tc.treatment_id')
    .orderBy('tc.position')
    .execute();
  for (const { treatment_id, ...r } of rows) out.set(treatment_id, [...(out.get(treatment_id) ?? []), r]);
  return out;
}

/** The actions of some treatments with their owners, in their order: one statement. */
export async function findActionsOfTreatments(db: Executor, treatmentIds: string[]): Promise<Map<string, ActionRow[]>> {
  const out = new Map<string, ActionRow[]>();
  if (treatmentIds.length === 0) return out;
  const rows = await db
    .selectFrom('treatment_action')
    .leftJoin('app_user as owner', 'owner.id', 'treatment_action.owner_id')
    .selectAll('treatment_action')
    .select(['owner.name as owner_name', 'owner.email as owner_email'])
    .where('treatment_action.treatment_id', 'in', treatmentIds)
    .orderBy('treatment_action.treatment_id')
    .orderBy('treatment_action.position')
    .execute();
  for (const r of rows) out.set(r.treatment_id, [...(out.get(r.treatment_id) ?? []), r]);
  return out;
}

// ---------------------------------------------------------------- acceptances

export async function insertAcceptance(db: Executor, row: RiskAcceptanceTable): Promise<void> {
  await db.insertInto('risk_acceptance').values(row).execute();
}

/** The acceptances of a risk in progress or in force (at most one of each), the pending one first. */
export async function findActiveAcceptances(db: Executor, scopeId: string, riskId: string) {
  return db
    .selectFrom('risk_acceptance')
    .selectAll()
    .where('scope_id', '=', scopeId)
    .where('risk_id', '=', riskId)
    .where('status', 'in', ['pending', 'effective'])
    .orderBy('status', 'desc')
    .execute();
}

export async function findActiveAcceptancesOfRisk(db: Executor, riskId: string) {
  return db
    .selectFrom('risk_acceptance')
    .selectAll()
    .where('risk_id', '=', riskId)
    .where('status', 'in', ['pending', 'effective'])
    .execute();
}

export async function listAcceptances(db: Executor, scopeId: string, riskId: string) {
  return db
    .selectFrom('risk_acceptance')
    .selectAll()
    .where('scope_id', '=', scopeId)
    .where('risk_id', '=', riskId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function findSignatures(db: Executor, acceptanceIds: string[]): Promise<RiskAcceptanceSignatureTable[]> {
  if (acceptanceIds.length === 0) return [];
  return db.selectFrom('risk_acceptance_signature').selectAll().where('acceptance_id', 'in', acceptanceIds).orderBy('signed_at').execute();
}

export async function insertSignature(db: Executor, row: RiskAcceptanceSignatureTable): Promise<void> {
  await db.insertInto('risk_acceptance_signature').values(row).execute();
}

/**
 * Moves an acceptance from one status to another only if it still has it (a concurrent sweep or revocation loses
 * cleanly): returns whether this caller made the change.
 */
export async function transitionAcceptance(
  db: Executor,
  id: string,
  from: RiskAcceptanceTable['status'][],
  patch: Partial<RiskAcceptanceTable>,
): Promise<boolean> {
  const r = await db
    .updateTable('risk_acceptance')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('status', 'in', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Effective acceptances whose expiry date is within `until` and that have no re-review yet. */
export async function findAcceptancesToReview(db: Executor, until: string) {
  return db
    .selectFrom('risk_acceptance')
    .innerJoin('risk', 'risk.id', 'risk_acceptance.risk_id')
    .select([
      'risk_acceptance.id',
      'risk_acceptance.scope_id',
      'risk_acceptance.reference',
      'risk_acceptance.expires_on',
      'risk_acceptance.level',
      'risk_acceptance.level_label',
      'risk.id as risk_id',
      'risk.reference as risk_reference',
      'risk.title as risk_title',
      'risk.owner_id as risk_owner_id',
    ])
    .where('risk_acceptance.status', '=', 'effective')
    .where('risk_acceptance.review_started_at', 'is', null)
    .where('risk_acceptance.expires_on', '<=', until)
    .orderBy('risk_acceptance.expires_on')
    .limit(500)
    .execute();
}

/** Claims the re-review of an acceptance: true for the one caller that set the mark. */
export async function claimReview(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('risk_acceptance')
    .set({ review_started_at: at })
    .where('id', '=', id)
    .where('review_started_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setReviewTask(db: Executor, id: string, taskId: string): Promise<void> {
  await db.updateTable('risk_acceptance').set({ review_task_id: taskId }).where('id', '=', id).execute();
}

/** Acceptances (pending or effective) whose expiry date has arrived. */
export async function findExpiredAcceptances(db: Executor, today: string) {
  return db
    .selectFrom('risk_acceptance')
    .innerJoin('risk', 'risk.id', 'risk_acceptance.risk_id')
    .selectAll('risk_acceptance')
    .select('risk.reference as risk_reference')
    .where('risk_acceptance.status', 'in', ['pending', 'effective'])
    .where('risk_acceptance.expires_on', '<=', today)
    .orderBy('risk_acceptance.expires_on')
    .limit(500)
    .execute();
}
