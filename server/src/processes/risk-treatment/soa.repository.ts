import { type ExpressionBuilder, sql } from 'kysely';
import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import { filterOf, type Params, type Shape, splitFilter } from '../../db/query-cache.ts';
import type { SoaEntryTable, SoaTable, SoaVersionTable } from './risk-treatment.tables.ts';
import type { ListSoaEntriesQuery } from './soa.schemas.ts';

export async function insertSoa(db: Executor, row: SoaTable): Promise<void> {
  await db.insertInto('soa').values(row).execute();
}

/** Entries in chunks: one statement per 200 rows, not one per row. */
export async function insertEntries(db: Executor, rows: SoaEntryTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('soa_entry')
      .values(rows.slice(i, i + 200))
      .execute();
}

export type SoaRow = SoaTable & {
  catalog_key: string;
  catalog_title: string;
  catalog_version: string;
  submitter_name: string | null;
  submitter_email: string | null;
};

const soaWithNames = (db: Executor) =>
  db
    .selectFrom('soa')
    .innerJoin('catalog', 'catalog.id', 'soa.catalog_id')
    .leftJoin('app_user as submitter', 'submitter.id', 'soa.submitted_by')
    .selectAll('soa')
    .select([
      'catalog.key as catalog_key',
      'catalog.title as catalog_title',
      'catalog.version as catalog_version',
      'submitter.name as submitter_name',
      'submitter.email as submitter_email',
    ]);

export async function findSoa(db: Executor, scopeId: string, id: string): Promise<SoaRow | undefined> {
  return (await soaWithNames(db).where('soa.scope_id', '=', scopeId).where('soa.id', '=', id).executeTakeFirst()) as SoaRow | undefined;
}

export async function findSoaByCatalog(db: Executor, scopeId: string, catalogId: string) {
  return db
    .selectFrom('soa')
    .select(['id', 'reference'])
    .where('scope_id', '=', scopeId)
    .where('catalog_id', '=', catalogId)
    .executeTakeFirst();
}

const soaPage = cachedList(
  'soa.list',
  (db, _s: Shape, v: { scopeId: string }) =>
    soaWithNames(db).where('soa.scope_id', '=', v.scopeId).orderBy('soa.created_at').orderBy('soa.id'),
  (db, _s: Shape, v: { scopeId: string }) => db.selectFrom('soa').where('scope_id', '=', v.scopeId),
);

/** A page of the scope's SoAs, oldest first, and the total: two statements, compiled once (query-cache.ts). */
export async function listSoas(db: Executor, scopeId: string, limit: number, offset: number) {
  const { rows, total, capped } = await soaPage(db, {}, { scopeId }, limit, offset);
  return { rows: rows as SoaRow[], total, capped };
}

export interface EntryCounts {
  soa_id: string;
  total: number;
  applicable: number;
  excluded: number;
  undecided: number;
  unjustified: number;
  unjustifiedInclusions: number;
}

/** Decision counts of several SoAs in one grouped statement. */
export async function countEntries(db: Executor, soaIds: string[]): Promise<Map<string, EntryCounts>> {
  if (soaIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('soa_entry')
    .where('soa_id', 'in', soaIds)
    .groupBy('soa_id')
    .select((eb) => [
      'soa_id',
      eb.fn.countAll<number>().as('total'),
      sql<number>`sum(case when ${eb.ref('applicable')} = ${true} then 1 else 0 end)`.as('applicable'),
      sql<number>`sum(case when ${eb.ref('applicable')} = ${false} then 1 else 0 end)`.as('excluded'),
      sql<number>`sum(case when ${eb.ref('applicable')} is null then 1 else 0 end)`.as('undecided'),
      sql<number>`sum(case when ${eb.ref('applicable')} = ${false} and trim(${eb.ref('justification')}) = '' then 1 else 0 end)`.as(
        'unjustified',
      ),
      sql<number>`sum(case when ${eb.ref('applicable')} = ${true} and trim(${eb.ref('justification')}) = '' then 1 else 0 end)`.as(
        'unjustified_inclusions',
      ),
    ])
    .execute();
  return new Map(
    rows.map((r) => [
      r.soa_id,
      {
        soa_id: r.soa_id,
        total: Number(r.total),
        applicable: Number(r.applicable ?? 0),
        excluded: Number(r.excluded ?? 0),
        undecided: Number(r.undecided ?? 0),
        unjustified: Number(r.unjustified ?? 0),
        unjustifiedInclusions: Number(r.unjustified_inclusions ?? 0),
      },
    ]),
  );
}

/** Bumps the SoA's version (and applies a patch) after a change to its entries or workflow state. */
export async function touchSoa(db: Executor, id: string, patch: Partial<SoaTable>): Promise<void> {
  await db
    .updateTable('soa')
    .set({ ...patch, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .execute();
}

/** The control-kind requirements of a catalog in document order, for creating the entries. */
export async function findCatalogRequirements(db: Executor, catalogId: string) {
  return db
    .selectFrom('catalog_requirement')
    .select(['id', 'identifier', 'parent_identifier', 'kind', 'withdrawn', 'sort_order'])
    .where('catalog_id', '=', catalogId)
    .orderBy('sort_order')
    .execute();
}

/** A catalog the scope sees (its own, or one available to every scope), by id or by key; the scope's own first. */
export async function findVisibleCatalog(db: Executor, scopeId: string, by: { id?: string | undefined; key?: string | undefined }) {
  let q = db
    .selectFrom('catalog')
    .select(['id', 'key', 'title', 'version'])
    .where((eb) => eb.or([eb('scope_id', '=', scopeId), eb('scope_id', 'is', null)]));
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  if (by.key !== undefined) q = q.where('key', '=', by.key);
  return q.orderBy(sql`case when scope_id is null then 1 else 0 end`).limit(1).executeTakeFirst();
}

/**
 * What the treatment decisions say about every requirement of a catalog in this scope: the scope's controls linked to
 * each requirement, and the risks each of those controls treats. One statement.
 */
export async function findTreatmentLinks(db: Executor, scopeId: string, catalogId: string) {
  return db
    .selectFrom('control_requirement as cr')
    .innerJoin('control as c', 'c.id', 'cr.control_id')
    .innerJoin('catalog_requirement as r', 'r.id', 'cr.requirement_id')
    .leftJoin('control_risk as ck', 'ck.control_id', 'c.id')
    .leftJoin('risk as rk', 'rk.id', 'ck.risk_id')
    .select(['cr.requirement_id', 'c.reference as control_ref', 'rk.reference as risk_ref'])
    .where('c.scope_id', '=', scopeId)
    .where('r.catalog_id', '=', catalogId)
    .execute();
}

export async function findEntriesForRefresh(db: Executor, soaId: string) {
  return db
    .selectFrom('soa_entry as e')
    .innerJoin('catalog_requirement as r', 'r.id', 'e.requirement_id')
    .select(['e.id', 'e.requirement_id', 'e.applicable', 'e.justification', 'e.decision_source', 'e.version', 'r.withdrawn'])
    .where('e.soa_id', '=', soaId)
    .execute();
}

export async function updateEntryUnchecked(db: Executor, id: string, patch: Partial<SoaEntryTable>): Promise<void> {
  await db
    .updateTable('soa_entry')
    .set({ ...patch, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .execute();
}

/** control status → rank for "the weakest linked control" (see soa.rules.ts controlStatusRank) */
const rankOf = (eb: ExpressionBuilder<any, any>) =>
  sql<
    number | null
  >`case ${eb.ref('c.status')} when 'verified' then 4 when 'implemented' then 3 when 'in_progress' then 2 when 'not_applicable' then null else 1 end`;

export interface EntryRow {
  id: string;
  requirement_id: string;
  identifier: string;
  label: string;
  title: string;
  parent_identifier: string | null;
  depth: number;
  withdrawn: boolean | number;
  group_identifier: string | null;
  sort_order: number;
  applicable: boolean | number | null;
  justification: string;
  decision_source: string | null;
  decided_by: string | null;
  decider_name: string | null;
  decider_email: string | null;
  decided_at: string | null;
  version: number;
  control_count: number | string;
  weakest_rank: number | string | null;
  implementation_status: string;
}

/** Entries with what the list needs, the implementation status computed in SQL so that it can filter and sort. */
function entriesOf(db: Executor, scopeId: string, soaId: string) {
  // per requirement of this SoA: how many of the scope's controls implement it, and the weakest of their statuses
  const linked = db
    .selectFrom('control_requirement as cr')
    .innerJoin('control as c', 'c.id', 'cr.control_id')
    .innerJoin('soa_entry as se', 'se.requirement_id', 'cr.requirement_id')
    .where('se.soa_id', '=', soaId)
    .where('c.scope_id', '=', scopeId)
    .groupBy('cr.requirement_id')
    .select((eb) => ['cr.requirement_id', eb.fn.countAll<number>().as('n'), eb.fn.min(rankOf(eb)).as('m')]);
  const inner = db
    .selectFrom('soa_entry as e')
    .innerJoin('catalog_requirement as r', 'r.id', 'e.requirement_id')
    .leftJoin(linked.as('k'), 'k.requirement_id', 'e.requirement_id')
    .leftJoin('app_user as u', 'u.id', 'e.decided_by')
    .where('e.soa_id', '=', soaId)
    .select([
      'e.id',
      'e.requirement_id',
      'r.identifier',
      'r.label',
      'r.title',
      'r.parent_identifier',
      'r.depth',
      'r.withdrawn',
      'e.group_identifier',
      'e.sort_order',
      'e.applicable',
      'e.justification',
      'e.decision_source',
      'e.decided_by',
      'u.name as decider_name',
      'u.email as decider_email',
      'e.decided_at',
      'e.version',
      sql<number>`coalesce(k.n, 0)`.as('control_count'),
      'k.m as weakest_rank',
    ]);
  return db
    .selectFrom(inner.as('x'))
    .selectAll('x')
    .select(
      sql<string>`case when x.applicable = ${false} then 'not_applicable' when x.control_count = 0 then 'not_started' when x.weakest_rank is null then 'not_applicable' when x.weakest_rank = 1 then 'planned' when x.weakest_rank = 2 then 'in_progress' when x.weakest_rank = 3 then 'implemented' else 'verified' end`.as(
        'implementation_status',
      ),
    );
}

/** `pattern`: a search as the list binds it, its LIKE pattern (query-cache.ts binds values as they are). */
type EntryFilters = Pick<ListSoaEntriesQuery, 'applicable' | 'status' | 'group' | 'q' | 'justification'> & { pattern?: string };

function filtered(db: Executor, scopeId: string, soaId: string, f: EntryFilters) {
  let q = db.selectFrom(entriesOf(db, scopeId, soaId).as('y'));
  if (f.applicable === 'yes') q = q.where('y.applicable', '=', true);
  else if (f.applicable === 'no') q = q.where('y.applicable', '=', false);
  else if (f.applicable === 'undecided') q = q.where('y.applicable', 'is', null);
  if (f.status) q = q.where('y.implementation_status', '=', f.status);
  if (f.group) q = q.where('y.group_identifier', '=', f.group);
  if (f.justification === 'missing') q = q.where(sql<string>`trim(y.justification)`, '=', '');
  const pattern = f.pattern ?? (f.q ? containsPattern(f.q) : undefined);
  if (pattern !== undefined) {
    q = q.where((eb) =>
      eb.or([
        likeInsensitive(eb.ref('y.label'), pattern),
        likeInsensitive(eb.ref('y.title'), pattern),
        likeInsensitive(eb.ref('y.identifier'), pattern),
        likeInsensitive(eb.ref('y.justification'), pattern),
      ]),
    );
  }
  return q;
}

/** Sort keys the same on both dialects: statuses by progress, applicability undecided → excluded → applicable. */
const sortKey = {
  order: sql`y.sort_order`,
  label: sql`y.label`,
  title: sql`y.title`,
  status: sql`case y.implementation_status when 'not_started' then 0 when 'planned' then 1 when 'in_progress' then 2 when 'implemented' then 3 when 'verified' then 4 else 5 end`,
  applicable: sql`case when y.applicable is null then 0 when y.applicable = ${false} then 1 else 2 end`,
} as const;

type EntryListFilter = EntryFilters & Pick<ListSoaEntriesQuery, 'sort' | 'order'> & { scopeId: string; soaId: string };

const entryPage = cachedList(
  'soa-entry.list',
  (db, shape: Shape, values: Params) => {
    const f = filterOf<EntryListFilter>(shape, values);
    return filtered(db, f.scopeId, f.soaId, f).selectAll('y').orderBy(sortKey[f.sort], f.order).orderBy('y.sort_order');
  },
  (db, shape: Shape, values: Params) => {
    const f = filterOf<EntryListFilter>(shape, values);
    return filtered(db, f.scopeId, f.soaId, f);
  },
);

/**
 * One page of entries and the total: two statements whatever the page size, compiled once per shape (query-cache.ts;
 * a search binds its pattern).
 */
export async function listEntries(db: Executor, scopeId: string, soaId: string, q: ListSoaEntriesQuery) {
  const { shape, values } = splitFilter(
    {
      applicable: q.applicable,
      status: q.status,
      group: q.group,
      justification: q.justification,
      pattern: q.q ? containsPattern(q.q) : undefined,
      sort: q.sort,
      order: q.order,
      scopeId,
      soaId,
    },
    { branches: ['applicable', 'justification', 'sort', 'order'] },
  );
  const { rows, total, capped } = await entryPage(db, shape, values, q.pageSize, (q.page - 1) * q.pageSize);
  return { rows: rows as unknown as EntryRow[], total, capped };
}

/** Every entry in document order (exports, approval snapshot). */
export async function findAllEntries(db: Executor, scopeId: string, soaId: string): Promise<EntryRow[]> {
  return (await filtered(db, scopeId, soaId, {}).selectAll('y').orderBy('y.sort_order').execute()) as unknown as EntryRow[];
}

export async function findEntry(db: Executor, scopeId: string, soaId: string, entryId: string): Promise<EntryRow | undefined> {
  return (await filtered(db, scopeId, soaId, {}).selectAll('y').where('y.id', '=', entryId).executeTakeFirst()) as unknown as
    | EntryRow
    | undefined;
}

/** The scope's controls linked to the given requirements (or to every requirement of an SoA). One statement. */
export async function findLinkedControls(db: Executor, scopeId: string, on: { requirementIds: string[] } | { soaId: string }) {
  if ('requirementIds' in on && on.requirementIds.length === 0) return [];
  return db
    .selectFrom('control_requirement as cr')
    .innerJoin('control as c', 'c.id', 'cr.control_id')
    .select(['cr.requirement_id', 'c.id', 'c.reference', 'c.title', 'c.status'])
    .where('c.scope_id', '=', scopeId)
    .where(
      'cr.requirement_id',
      'in',
      'requirementIds' in on
        ? on.requirementIds
        : db.selectFrom('soa_entry').select('soa_entry.requirement_id').where('soa_entry.soa_id', '=', on.soaId),
    )
    .orderBy('c.reference')
    .execute();
}

export async function insertVersion(db: Executor, row: SoaVersionTable): Promise<void> {
  await db.insertInto('soa_version').values(row).execute();
}

const versionColumns = [
  'v.number',
  'v.submitted_by',
  'v.submitted_at',
  'v.approved_by',
  'v.approved_at',
  'v.entry_count',
  'v.applicable_count',
  'v.excluded_count',
  'sub.name as submitter_name',
  'sub.email as submitter_email',
  'app.name as approver_name',
  'app.email as approver_email',
] as const;

const versionsOf = (db: Executor, soaId: string) =>
  db
    .selectFrom('soa_version as v')
    .leftJoin('app_user as sub', 'sub.id', 'v.submitted_by')
    .leftJoin('app_user as app', 'app.id', 'v.approved_by')
    .where('v.soa_id', '=', soaId);

export async function listVersions(db: Executor, soaId: string) {
  return versionsOf(db, soaId).select(versionColumns).orderBy('v.number', 'desc').execute();
}
export type VersionRow = Awaited<ReturnType<typeof listVersions>>[number];

export async function findVersion(db: Executor, soaId: string, number: number) {
  return versionsOf(db, soaId).select(versionColumns).select('v.entries').where('v.number', '=', number).executeTakeFirst();
}

/** The open approval tasks an SoA gave before tasks named their purpose (whoever they are assigned to). */
export async function findOpenApprovalTasks(db: Executor, soaId: string) {
  return db
    .selectFrom('task')
    .select(['id', 'scope_id', 'reference', 'status', 'version'])
    .where('origin_record_type', '=', 'soa')
    .where('origin_record_id', '=', soaId)
    .where('purpose', 'is', null)
    .where('status', 'in', ['open', 'in_progress'])
    .execute();
}

/** The groups of a catalog (headings of the SoA), one statement. */
export async function findGroups(db: Executor, catalogId: string) {
  return db
    .selectFrom('catalog_requirement')
    .select(['identifier', 'label', 'title'])
    .where('catalog_id', '=', catalogId)
    .where('kind', '=', 'group')
    .execute();
}
