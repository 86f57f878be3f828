import { type ExpressionBuilder, type RawBuilder, sql } from 'kysely';
import { containsInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import { filterOf, type Params, type Shape, splitFilter } from '../../db/query-cache.ts';
import type { DB } from '../../db/schema.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';
import type { ControlTable } from './control-implementation.tables.ts';
import { doneStatuses, type ListControlsQuery } from './control.schemas.ts';

export type ControlFilter = Omit<ListControlsQuery, 'page' | 'pageSize' | 'sort' | 'order'>;

const sortColumns = {
  reference: 'control.reference',
  title: 'control.title',
  status: 'control.status',
  effectiveness: 'control.effectiveness',
  dueOn: 'control.due_on',
  updatedAt: 'control.updated_at',
} as const;

function filtered(db: Executor, scopeId: string, f: ControlFilter, today: string) {
  let q = db.selectFrom('control').where('control.scope_id', '=', scopeId);
  if (f.status) q = q.where('control.status', '=', f.status);
  if (f.effectiveness) q = q.where('control.effectiveness', '=', f.effectiveness);
  if (f.ownerId) q = q.where('control.owner_id', '=', f.ownerId);
  if (f.overdue === true) {
    q = q.where('control.due_on', '<', today).where('control.status', 'not in', [...doneStatuses]);
  } else if (f.overdue === false) {
    q = q.where((eb) =>
      eb.or([eb('control.due_on', 'is', null), eb('control.due_on', '>=', today), eb('control.status', 'in', [...doneStatuses])]),
    );
  }
  if (f.requirementId) {
    const id = f.requirementId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('control_requirement')
          .select('control_requirement.control_id')
          .whereRef('control_requirement.control_id', '=', 'control.id')
          .where('control_requirement.requirement_id', '=', id),
      ),
    );
  }
  if (f.catalogId) {
    const id = f.catalogId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('control_requirement')
          .innerJoin('catalog_requirement', 'catalog_requirement.id', 'control_requirement.requirement_id')
          .select('control_requirement.control_id')
          .whereRef('control_requirement.control_id', '=', 'control.id')
          .where('catalog_requirement.catalog_id', '=', id),
      ),
    );
  }
  if (f.riskId) {
    const id = f.riskId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('control_risk')
          .select('control_risk.control_id')
          .whereRef('control_risk.control_id', '=', 'control.id')
          .where('control_risk.risk_id', '=', id),
      ),
    );
  }
  if (f.q) {
    const needle = f.q;
    q = q.where((eb: ExpressionBuilder<DB, 'control'>) =>
      eb.or([
        containsInsensitive(eb.ref('control.title'), needle),
        containsInsensitive(eb.ref('control.reference'), needle),
        containsInsensitive(eb.ref('control.description'), needle),
      ]),
    );
  }
  return q;
}

/** The control with its owner and link counts (correlated subqueries: still one statement for a page). */
function withDetails(db: Executor, scopeId: string, f: ControlFilter, today: string) {
  return filtered(db, scopeId, f, today)
    .leftJoin('app_user as owner', 'owner.id', 'control.owner_id')
    .selectAll('control')
    .select((eb) => [
      'owner.name as owner_name',
      'owner.email as owner_email',
      eb
        .selectFrom('control_requirement')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('control_requirement.control_id', '=', 'control.id')
        .as('requirement_count'),
      eb
        .selectFrom('control_risk')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('control_risk.control_id', '=', 'control.id')
        .as('risk_count'),
      eb
        .selectFrom('evidence_control')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('evidence_control.control_id', '=', 'control.id')
        .as('evidence_count'),
    ]);
}

export type ControlRow = ControlTable & {
  owner_name: string | null;
  owner_email: string | null;
  requirement_count: number | string | null;
  risk_count: number | string | null;
  evidence_count: number | string | null;
};

type ControlListFilter = Omit<ListControlsQuery, 'page' | 'pageSize'> & { scopeId: string; today: string };

const controlPage = cachedList(
  'control.list',
  (db, shape: Shape, values: Params) => {
    const f = filterOf<ControlListFilter>(shape, values);
    // the reference is unique in a scope: no tie-breaker, so that its unique index gives the order (migration 0030)
    return withDetails(db, f.scopeId, f, f.today)
      .orderBy(sortColumns[f.sort], f.order)
      .$if(f.sort !== 'reference', (q) => q.orderBy('control.id', f.order));
  },
  (db, shape: Shape, values: Params) => {
    const f = filterOf<ControlListFilter>(shape, values);
    return filtered(db, f.scopeId, f, f.today);
  },
);

/** One page of controls and the total: two statements whatever the page size, compiled once per shape. */
export async function listControls(db: Executor, scopeId: string, query: ListControlsQuery, today: string) {
  const { page, pageSize, ...f } = query;
  // today is bound only where the overdue filter reads it
  const { shape, values, cache } = splitFilter(
    { ...f, scopeId, ...(f.overdue !== undefined && { today }) },
    { branches: ['sort', 'order'], wrapped: ['q'] },
  );
  const { rows, total, capped } = await controlPage(db, shape, values, pageSize, (page - 1) * pageSize, { cache });
  return { rows: rows as ControlRow[], total, capped };
}

/**
 * Every matching control in export order, in batches: one ordered pass by keyset (each batch starts after the last row of
 * the one before: its sort value, then its id), never OFFSET, so an export reads its rows once; between batches the event
 * loop gets a turn. A control without a due date sorts after every date (before them when descending), on both databases.
 */
export async function* iterateControls(
  db: Executor,
  scopeId: string,
  query: Omit<ListControlsQuery, 'page' | 'pageSize'>,
  today: string,
  batch = 1000,
) {
  const key: RawBuilder<string> =
    query.sort === 'dueOn' ? sql<string>`coalesce(control.due_on, '9999-12-31')` : sql<string>`${sql.ref(sortColumns[query.sort])}`;
  const beyond = query.order === 'asc' ? '>' : '<';
  let after: { key: string; id: string } | undefined;
  for (;;) {
    let q = withDetails(db, scopeId, query, today).select(key.as('sort_key'));
    if (after) {
      const last = after;
      q = q.where((eb) => eb.or([eb(key, beyond, last.key), eb.and([eb(key, '=', last.key), eb('control.id', beyond, last.id)])]));
    }
    const rows = (await q.orderBy(key, query.order).orderBy('control.id', query.order).limit(batch).execute()) as (ControlRow & {
      sort_key: string;
    })[];
    if (rows.length === 0) return;
    yield rows as ControlRow[];
    if (rows.length < batch) return;
    const last = rows[rows.length - 1]!;
    after = { key: last.sort_key, id: last.id };
    await yieldToEventLoop();
  }
}

export async function findControl(db: Executor, scopeId: string, id: string, today: string): Promise<ControlRow | undefined> {
  return (await withDetails(db, scopeId, {}, today).where('control.id', '=', id).executeTakeFirst()) as ControlRow | undefined;
}

export async function findLinks(db: Executor, controlId: string) {
  const [requirements, risks, evidence] = await Promise.all([
    db
      .selectFrom('control_requirement')
      .innerJoin('catalog_requirement', 'catalog_requirement.id', 'control_requirement.requirement_id')
      .innerJoin('catalog', 'catalog.id', 'catalog_requirement.catalog_id')
      .select([
        'catalog_requirement.id',
        'catalog_requirement.catalog_id',
        'catalog.key as catalog_key',
        'catalog.title as catalog_title',
        'catalog_requirement.identifier',
        'catalog_requirement.label',
        'catalog_requirement.title',
        'catalog_requirement.withdrawn',
      ])
      .where('control_requirement.control_id', '=', controlId)
      .orderBy('catalog.title')
      .orderBy('catalog_requirement.sort_order')
      .execute(),
    db
      .selectFrom('control_risk')
      .innerJoin('risk', 'risk.id', 'control_risk.risk_id')
      .select(['risk.id', 'risk.reference', 'risk.title', 'risk.status', 'risk.current_level'])
      .where('control_risk.control_id', '=', controlId)
      .orderBy('risk.reference')
      .execute(),
    db
      .selectFrom('evidence_control')
      .innerJoin('evidence', 'evidence.id', 'evidence_control.evidence_id')
      .select(['evidence.id', 'evidence.reference', 'evidence.title', 'evidence.kind', 'evidence.evidence_date', 'evidence.valid_until'])
      .where('evidence_control.control_id', '=', controlId)
      .orderBy('evidence.evidence_date', 'desc')
      .orderBy('evidence.reference')
      .execute(),
  ]);
  return { requirements, risks, evidence };
}

export async function countRisksInScope(db: Executor, scopeId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .selectFrom('risk')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope_id', '=', scopeId)
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countControlsInScope(db: Executor, scopeId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .selectFrom('control')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope_id', '=', scopeId)
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertControl(db: Executor, row: ControlTable): Promise<void> {
  await db.insertInto('control').values(row).execute();
}

export async function deleteControl(db: Executor, id: string, version: number): Promise<boolean> {
  const r = await db.deleteFrom('control').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function replaceRequirements(db: Executor, controlId: string, requirementIds: string[]): Promise<void> {
  await db.deleteFrom('control_requirement').where('control_id', '=', controlId).execute();
  if (requirementIds.length)
    await db
      .insertInto('control_requirement')
      .values(requirementIds.map((requirement_id) => ({ control_id: controlId, requirement_id })))
      .execute();
}

export async function replaceRisks(db: Executor, controlId: string, riskIds: string[]): Promise<void> {
  await db.deleteFrom('control_risk').where('control_id', '=', controlId).execute();
  if (riskIds.length)
    await db
      .insertInto('control_risk')
      .values(riskIds.map((risk_id) => ({ control_id: controlId, risk_id })))
      .execute();
}

/** Adds links that do not exist yet (keeps the others). */
export async function addRequirementLinks(db: Executor, controlId: string, requirementIds: string[]): Promise<void> {
  if (requirementIds.length === 0) return;
  await db
    .insertInto('control_requirement')
    .values(requirementIds.map((requirement_id) => ({ control_id: controlId, requirement_id })))
    .onConflict((oc) => oc.columns(['control_id', 'requirement_id']).doNothing())
    .execute();
}

export async function addRiskLinks(db: Executor, controlId: string, riskIds: string[]): Promise<void> {
  if (riskIds.length === 0) return;
  await db
    .insertInto('control_risk')
    .values(riskIds.map((risk_id) => ({ control_id: controlId, risk_id })))
    .onConflict((oc) => oc.columns(['control_id', 'risk_id']).doNothing())
    .execute();
}

/**
 * For the CSV export, the names the control import reads back: the labels and identifiers of the control requirements
 * the scope may link (built-in catalogs and its own), each with its catalog's key. One statement.
 */
export async function findLinkableRequirementNames(db: Executor, scopeId: string) {
  return db
    .selectFrom('catalog_requirement')
    .innerJoin('catalog', 'catalog.id', 'catalog_requirement.catalog_id')
    .select(['catalog_requirement.id', 'catalog_requirement.identifier', 'catalog_requirement.label', 'catalog.key'])
    .where('catalog_requirement.kind', '=', 'control')
    .where((eb) => eb.or([eb('catalog.scope_id', 'is', null), eb('catalog.scope_id', '=', scopeId)]))
    .execute();
}

/** The linked requirements and risks of some controls, for the CSV export: two statements. */
export async function findExportLinks(db: Executor, controlIds: string[]) {
  const requirements = new Map<string, { id: string; label: string }[]>();
  const risks = new Map<string, string[]>();
  if (controlIds.length === 0) return { requirements, risks };
  const [reqRows, riskRows] = [
    await db
      .selectFrom('control_requirement')
      .innerJoin('catalog_requirement', 'catalog_requirement.id', 'control_requirement.requirement_id')
      .innerJoin('catalog', 'catalog.id', 'catalog_requirement.catalog_id')
      .select(['control_requirement.control_id', 'control_requirement.requirement_id', 'catalog_requirement.label'])
      .where('control_requirement.control_id', 'in', controlIds)
      .orderBy('control_requirement.control_id')
      .orderBy('catalog.title')
      .orderBy('catalog_requirement.sort_order')
      .execute(),
    await db
      .selectFrom('control_risk')
      .innerJoin('risk', 'risk.id', 'control_risk.risk_id')
      .select(['control_risk.control_id', 'risk.reference'])
      .where('control_risk.control_id', 'in', controlIds)
      .orderBy('control_risk.control_id')
      .orderBy('risk.reference')
      .execute(),
  ];
  for (const r of reqRows)
    requirements.set(r.control_id, [...(requirements.get(r.control_id) ?? []), { id: r.requirement_id, label: r.label }]);
  for (const r of riskRows) risks.set(r.control_id, [...(risks.get(r.control_id) ?? []), r.reference]);
  return { requirements, risks };
}
