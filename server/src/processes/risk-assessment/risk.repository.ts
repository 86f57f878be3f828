import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import { containsInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedCount, countCap } from '../../db/paging.ts';
import { cachedQuery, filterOf, type Params, type Shape, splitFilter } from '../../db/query-cache.ts';
import type { DB } from '../../db/schema.ts';
import type { RiskTable } from './risk-assessment.tables.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';
import type { HeatmapQuery, ListRisksQuery, RiskBasis, RiskFilter } from './risk.schemas.ts';

export type RiskRow = RiskTable & {
  owner_name: string | null;
  owner_email: string | null;
  threat_code: string | null;
  threat_title: string | null;
};

export const basisColumns = {
  inherent: { likelihood: 'risk.inherent_likelihood', impact: 'risk.inherent_impact', level: 'risk.inherent_level' },
  current: { likelihood: 'risk.current_likelihood', impact: 'risk.current_impact', level: 'risk.current_level' },
  target: { likelihood: 'risk.target_likelihood', impact: 'risk.target_impact', level: 'risk.target_level' },
} as const satisfies Record<RiskBasis, { likelihood: string; impact: string; level: string }>;

type Filter = Partial<Omit<RiskFilter, 'basis'>> & { basis?: RiskBasis | undefined };

function filtered(db: Executor, scopeId: string, f: Filter) {
  const cols = basisColumns[f.basis ?? 'current'];
  let q = db.selectFrom('risk').where('risk.scope_id', '=', scopeId);
  if (f.status) q = q.where('risk.status', '=', f.status);
  if (f.ownerId) q = q.where('risk.owner_id', '=', f.ownerId);
  if (f.threatId) q = q.where('risk.threat_id', '=', f.threatId);
  if (f.level) q = q.where(cols.level, '=', f.level);
  if (f.likelihood) q = q.where(cols.likelihood, '=', f.likelihood);
  if (f.impact) q = q.where(cols.impact, '=', f.impact);
  if (f.assetId) {
    const assetId = f.assetId;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('risk_asset')
          .select('risk_asset.risk_id')
          .whereRef('risk_asset.risk_id', '=', 'risk.id')
          .where('risk_asset.asset_id', '=', assetId),
      ),
    );
  }
  if (f.q) {
    const needle = f.q;
    q = q.where((eb) =>
      eb.or([
        containsInsensitive(eb.ref('risk.title'), needle),
        containsInsensitive(eb.ref('risk.reference'), needle),
        containsInsensitive(eb.ref('risk.description'), needle),
      ]),
    );
  }
  return q;
}

function withNames(db: Executor, scopeId: string, f: Filter) {
  return filtered(db, scopeId, f)
    .leftJoin('app_user as owner', 'owner.id', 'risk.owner_id')
    .leftJoin('threat', 'threat.id', 'risk.threat_id')
    .selectAll('risk')
    .select(['owner.name as owner_name', 'owner.email as owner_email', 'threat.code as threat_code', 'threat.title as threat_title']);
}

type Direction = 'asc' | 'desc';
type SortColumn = 'priority_rank' | 'current_rank' | 'inherent_rank' | 'reference' | 'title' | 'updated_at' | 'id';

/**
 * The list order, on stored columns only (risk-rank.ts), each sort served by an index of migration 0025 or 0006.
 * Default (no sort): prioritised — current level most severe first, then inherent level, then current score
 * (likelihood × impact), all in `priority_rank`; then reference. Always ends with the id so that pages never overlap.
 */
function orderTerms(sort: ListRisksQuery['sort'], order: ListRisksQuery['order']): [SortColumn, Direction][] {
  switch (sort) {
    case undefined:
      return [
        ['priority_rank', 'desc'],
        ['reference', 'asc'],
        ['id', 'asc'],
      ];
    case 'currentLevel':
    case 'inherentLevel': {
      const dir = order ?? 'desc';
      return [
        [sort === 'currentLevel' ? 'current_rank' : 'inherent_rank', dir],
        ['reference', dir],
        ['id', dir],
      ];
    }
    case 'updatedAt':
      return [
        ['updated_at', order ?? 'desc'],
        ['id', order ?? 'desc'],
      ];
    case 'title':
    case 'reference':
      return [
        [sort, order ?? 'asc'],
        ['id', order ?? 'asc'],
      ];
  }
}

type SortQuery = Filter & Pick<ListRisksQuery, 'sort' | 'order'>;

/**
 * Matching risks in list order with owner and threat names, from `after` (a keyset: the sort values of the last row
 * read) on. One statement; the order is an index's order, so a page reads only its own rows.
 */
export function riskPageQuery(db: Executor, scopeId: string, query: SortQuery, limit: number, offset = 0, after?: RiskRow) {
  const terms = orderTerms(query.sort, query.order);
  let q = withNames(db, scopeId, query);
  if (after) q = q.where((eb) => keysetAfter(eb, terms, after));
  if (offset !== 0) {
    // a later page: the rows before it are skipped in the sort's index alone (a subquery that reads ids only), so that
    // the owner and threat are joined for the page's rows only, not for every row skipped
    let ids = filtered(db, scopeId, query).select('risk.id');
    if (after) ids = ids.where((eb) => keysetAfter(eb, terms, after));
    for (const [c, d] of terms) ids = ids.orderBy(`risk.${c}`, d);
    q = q.where('risk.id', 'in', ids.limit(limit).offset(offset));
  }
  for (const [c, d] of terms) q = q.orderBy(`risk.${c}`, d);
  return q.limit(limit);
}

/** `(a, b, c) > (x, y, z)` in the given directions: a > x or (a = x and (b > y or (b = y and c > z))). */
function keysetAfter(eb: ExpressionBuilder<DB, 'risk'>, terms: [SortColumn, Direction][], row: RiskRow): Expression<SqlBool> {
  const [[column, dir], ...rest] = terms as [[SortColumn, Direction], ...[SortColumn, Direction][]];
  const ref = eb.ref(`risk.${column}`);
  const beyond = eb(ref, dir === 'asc' ? '>' : '<', row[column]);
  return rest.length === 0 ? beyond : eb.or([beyond, eb.and([eb(ref, '=', row[column]), keysetAfter(eb, rest, row)])]);
}

/**
 * One page of risks and the total: two statements whatever the page size (assets are a third, see findRiskAssets).
 * The count reads at most `countCap + 1` index entries (db/paging.ts: past the cap `total` is the cap and `capped` says
 * so), so a huge scope's count stays as cheap as its page.
 */
export async function listRisks(db: Executor, scopeId: string, query: ListRisksQuery, cap = countCap) {
  const { page, pageSize, ...f } = query;
  const offset = (page - 1) * pageSize;
  // a later page's SQL differs from the first's (riskPageQuery): the offset is given only when it is not 0
  const { shape, values, cache } = splitFilter(
    { ...f, scopeId, limit: pageSize, ...(offset !== 0 && { offset }) },
    { branches: ['sort', 'order', 'basis'], wrapped: ['q'] },
  );
  const counting = splitFilter({ ...f, scopeId }, { branches: ['sort', 'order', 'basis'], wrapped: ['q'] });
  const [rows, count] = await Promise.all([
    riskPage.execute(db, shape, values, { cache }),
    riskCount(db, { ...counting.shape, cap }, counting.values, { cache }),
  ]);
  return { rows: rows as RiskRow[], ...count };
}

type RiskListFilter = SortQuery & { scopeId: string; limit: number; offset?: number };

const riskPage = cachedQuery('risk.page', (db, shape: Shape, values: Params) => {
  const f = filterOf<RiskListFilter>(shape, values);
  return riskPageQuery(db, f.scopeId, f, f.limit, f.offset ?? 0);
});

const riskCount = cachedCount('risk.list', (db, shape: Shape, values: Params) => {
  const f = filterOf<RiskListFilter>(shape, values);
  return filtered(db, f.scopeId, f);
});

/**
 * Every matching risk, in list order, in batches of `batch` rows: one ordered pass by keyset (each batch starts after
 * the last row of the one before, served by the sort's index), never OFFSET, so a 50k-row export costs its rows once.
 * Between batches it gives the event loop a turn (setImmediate), so that other requests are answered meanwhile — on
 * SQLite every statement runs on the main thread.
 */
export async function* iterateRisks(db: Executor, scopeId: string, query: Omit<ListRisksQuery, 'page' | 'pageSize'>, batch = 1000) {
  let after: RiskRow | undefined;
  for (;;) {
    const rows = (await riskPageQuery(db, scopeId, query, batch, 0, after).execute()) as RiskRow[];
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1];
    await yieldToEventLoop();
  }
}

/** A method change re-maps level keys to severities: every risk of the scope is ranked again, in one statement. */
export async function rerankRisks(db: Executor, scopeId: string, severities: ReadonlyMap<string, number>): Promise<void> {
  const severityOf = (column: 'risk.current_level' | 'risk.inherent_level'): RawBuilder<number> => {
    if (severities.size === 0) return sql<number>`0`;
    const whens = [...severities].map(([key, order]) => sql`when ${key} then ${sql.lit(order)}`);
    return sql<number>`(case ${sql.ref(column)} ${sql.join(whens, sql` `)} else 0 end)`;
  };
  const scoreOf = (basis: 'inherent' | 'current') =>
    sql<number>`coalesce(${sql.ref(basisColumns[basis].likelihood)} * ${sql.ref(basisColumns[basis].impact)}, 0)`;
  const current = severityOf('risk.current_level');
  const inherent = severityOf('risk.inherent_level');
  await db
    .updateTable('risk')
    .set({
      priority_rank: sql<number>`${current} * 10000 + ${inherent} * 100 + ${scoreOf('current')}`,
      current_rank: sql<number>`${current} * 100 + ${scoreOf('current')}`,
      inherent_rank: sql<number>`${inherent} * 100 + ${scoreOf('inherent')}`,
    })
    .where('risk.scope_id', '=', scopeId)
    .execute();
}

/**
 * The heat map: matching risks grouped by (likelihood, impact) of one basis, in one grouped statement. The group with
 * null likelihood or impact holds the unscored risks.
 */
export async function countByCell(db: Executor, scopeId: string, f: HeatmapQuery) {
  const cols = basisColumns[f.basis];
  const rows = await filtered(db, scopeId, f)
    .select([
      sql<number | null>`${sql.ref(cols.likelihood)}`.as('likelihood'),
      sql<number | null>`${sql.ref(cols.impact)}`.as('impact'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .groupBy([sql.ref(cols.likelihood), sql.ref(cols.impact)])
    .execute();
  return rows.map((r) => ({
    likelihood: r.likelihood === null ? null : Number(r.likelihood),
    impact: r.impact === null ? null : Number(r.impact),
    count: Number(r.n),
  }));
}

export async function findRisk(db: Executor, scopeId: string, id: string): Promise<RiskRow | undefined> {
  return (await withNames(db, scopeId, {}).where('risk.id', '=', id).executeTakeFirst()) as RiskRow | undefined;
}

export type RiskAssetRow = {
  risk_id: string;
  id: string;
  reference: string;
  name: string;
  confidentiality: string;
  integrity: string;
  availability: string;
};

/** The linked assets of some risks, with their protection needs: one statement. */
export async function findRiskAssets(db: Executor, riskIds: string[]): Promise<Map<string, RiskAssetRow[]>> {
  const map = new Map<string, RiskAssetRow[]>();
  if (riskIds.length === 0) return map;
  const rows = await db
    .selectFrom('risk_asset')
    .innerJoin('asset', 'asset.id', 'risk_asset.asset_id')
    .select([
      'risk_asset.risk_id',
      'asset.id',
      'asset.reference',
      'asset.name',
      'asset.confidentiality',
      'asset.integrity',
      'asset.availability',
    ])
    .where('risk_asset.risk_id', 'in', riskIds)
    .orderBy('asset.reference')
    .execute();
  for (const r of rows) map.set(r.risk_id, [...(map.get(r.risk_id) ?? []), r]);
  return map;
}

export async function insertRisk(db: Executor, row: RiskTable): Promise<void> {
  await db.insertInto('risk').values(row).execute();
}

export async function deleteRisk(db: Executor, id: string, version: number): Promise<boolean> {
  const r = await db.deleteFrom('risk').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function replaceRiskAssets(db: Executor, riskId: string, assetIds: string[]): Promise<void> {
  await db.deleteFrom('risk_asset').where('risk_id', '=', riskId).execute();
  if (assetIds.length) {
    await db
      .insertInto('risk_asset')
      .values(assetIds.map((asset_id) => ({ risk_id: riskId, asset_id })))
      .execute();
  }
}

/** The asset ids linked to a risk. */
export async function findAssetIdsOfRisk(db: Executor, riskId: string): Promise<string[]> {
  const rows = await db.selectFrom('risk_asset').select('asset_id').where('risk_id', '=', riskId).execute();
  return rows.map((r) => r.asset_id);
}

/** How many open risks of an asset were not assessed since `since` (none left: the asset's risks were re-assessed). */
export async function countRisksNotAssessedSince(db: Executor, assetId: string, since: string): Promise<number> {
  const r = await db
    .selectFrom('risk')
    .innerJoin('risk_asset', 'risk_asset.risk_id', 'risk.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('risk_asset.asset_id', '=', assetId)
    .where('risk.status', '!=', 'closed')
    .where((eb) => eb.or([eb('risk.assessed_at', 'is', null), eb('risk.assessed_at', '<', since)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
