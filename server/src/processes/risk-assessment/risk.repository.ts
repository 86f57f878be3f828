import { type Expression, type RawBuilder, sql } from 'kysely';
import { containsInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import type { RiskTable } from './risk-assessment.tables.ts';
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

/** A level column as its severity (the level's order in the method), 0 when unscored or unknown. */
function severityOf(column: Expression<unknown>, severities: ReadonlyMap<string, number>): RawBuilder<number> {
  if (severities.size === 0) return sql<number>`0`;
  const whens = [...severities].map(([key, order]) => sql`when ${key} then ${sql.lit(order)}`);
  return sql<number>`case ${column} ${sql.join(whens, sql` `)} else 0 end`;
}

const scoreOf = (basis: 'inherent' | 'current') =>
  sql<number>`coalesce(${sql.ref(basisColumns[basis].likelihood)} * ${sql.ref(basisColumns[basis].impact)}, 0)`;

type Direction = 'asc' | 'desc';

/**
 * The list order. Default (no sort): prioritised — current level most severe first, then inherent level, then current
 * score (likelihood × impact), then reference. Always ends with the id so that pages never overlap.
 */
function orderTerms(
  sort: ListRisksQuery['sort'],
  order: ListRisksQuery['order'],
  severities: ReadonlyMap<string, number>,
): [Expression<unknown>, Direction][] {
  const current = severityOf(sql.ref('risk.current_level'), severities);
  const inherent = severityOf(sql.ref('risk.inherent_level'), severities);
  const col = (c: string) => sql.ref(`risk.${c}`);
  switch (sort) {
    case undefined:
      return [
        [current, 'desc'],
        [inherent, 'desc'],
        [scoreOf('current'), 'desc'],
        [col('reference'), 'asc'],
        [col('id'), 'asc'],
      ];
    case 'currentLevel':
    case 'inherentLevel': {
      const dir = order ?? 'desc';
      const basis = sort === 'currentLevel' ? 'current' : 'inherent';
      return [
        [basis === 'current' ? current : inherent, dir],
        [scoreOf(basis), dir],
        [col('reference'), dir],
        [col('id'), dir],
      ];
    }
    case 'updatedAt':
      return [
        [col('updated_at'), order ?? 'desc'],
        [col('id'), order ?? 'desc'],
      ];
    case 'title':
    case 'reference':
      return [
        [col(sort), order ?? 'asc'],
        [col('id'), order ?? 'asc'],
      ];
  }
}

/**
 * One page of matching risks in list order, with owner and threat names. The page is sorted and cut on the risk table
 * alone; the names are joined to that page's rows only.
 */
function pageOfRisks(
  db: Executor,
  scopeId: string,
  query: Filter & Pick<ListRisksQuery, 'sort' | 'order'>,
  severities: ReadonlyMap<string, number>,
  limit: number,
  offset: number,
) {
  const terms = orderTerms(query.sort, query.order, severities);
  let inner = filtered(db, scopeId, query).selectAll('risk');
  for (const [e, d] of terms) inner = inner.orderBy(e, d);
  let outer = db
    .selectFrom(inner.limit(limit).offset(offset).as('risk'))
    .leftJoin('app_user as owner', 'owner.id', 'risk.owner_id')
    .leftJoin('threat', 'threat.id', 'risk.threat_id')
    .selectAll('risk')
    .select(['owner.name as owner_name', 'owner.email as owner_email', 'threat.code as threat_code', 'threat.title as threat_title']);
  for (const [e, d] of terms) outer = outer.orderBy(e, d);
  return outer;
}

/** One page of risks and the total: two statements whatever the page size (assets are a third, see findRiskAssets). */
export async function listRisks(db: Executor, scopeId: string, query: ListRisksQuery, severities: ReadonlyMap<string, number>) {
  const [rows, count] = await Promise.all([
    pageOfRisks(db, scopeId, query, severities, query.pageSize, (query.page - 1) * query.pageSize).execute(),
    filtered(db, scopeId, query)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows as RiskRow[], total: Number(count.n) };
}

/** Every matching risk, in list order, in batches of `batch` rows. */
export async function* iterateRisks(
  db: Executor,
  scopeId: string,
  query: Omit<ListRisksQuery, 'page' | 'pageSize'>,
  severities: ReadonlyMap<string, number>,
  batch = 1000,
) {
  for (let offset = 0; ; offset += batch) {
    const rows = (await pageOfRisks(db, scopeId, query, severities, batch, offset).execute()) as RiskRow[];
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
  }
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
