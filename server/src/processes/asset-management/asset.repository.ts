import { type ExpressionBuilder, sql } from 'kysely';
import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { AssetTable } from './asset-management.tables.ts';
import type { ListAssetsQuery, ProtectionLevel } from './asset.schemas.ts';
import { cachedList } from '../../db/paging.ts';
import { filterOf, type Params, type Shape, splitFilter } from '../../db/query-cache.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';

export type AssetFilter = Omit<ListAssetsQuery, 'page' | 'pageSize' | 'sort' | 'order'>;

/** A search as the list binds it (a compiled query binds values as they are): its LIKE pattern and its lowered tag. */
interface AssetSearch {
  pattern?: string;
  tagLower?: string;
}

const sortColumns = {
  reference: 'asset.reference',
  name: 'asset.name',
  type: 'asset.type',
  lifecycleStatus: 'asset.lifecycle_status',
  confidentiality: 'asset.confidentiality',
  integrity: 'asset.integrity',
  availability: 'asset.availability',
  updatedAt: 'asset.updated_at',
} as const;

/** protection levels at or above a level, for the "at least high" filter */
function levelsFrom(level: ProtectionLevel): ProtectionLevel[] {
  return level === 'normal' ? ['normal', 'high', 'very_high'] : level === 'high' ? ['high', 'very_high'] : ['very_high'];
}

function filtered(db: Executor, scopeId: string, f: AssetFilter & AssetSearch) {
  let q = db.selectFrom('asset').where('asset.scope_id', '=', scopeId);
  if (f.type) q = q.where('asset.type', '=', f.type);
  if (f.lifecycleStatus) q = q.where('asset.lifecycle_status', '=', f.lifecycleStatus);
  if (f.ownerId) q = q.where('asset.owner_id', '=', f.ownerId);
  if (f.tag) {
    const tag = f.tag;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('asset_tag')
          .select('asset_tag.asset_id')
          .whereRef('asset_tag.asset_id', '=', 'asset.id')
          .where('asset_tag.tag', '=', tag),
      ),
    );
  }
  if (f.minProtection && f.minProtection !== 'normal') {
    const levels = levelsFrom(f.minProtection);
    q = q.where((eb) =>
      eb.or([eb('asset.confidentiality', 'in', levels), eb('asset.integrity', 'in', levels), eb('asset.availability', 'in', levels)]),
    );
  }
  const pattern = f.pattern ?? (f.q ? containsPattern(f.q) : undefined);
  if (pattern !== undefined) {
    const tagLower = f.tagLower ?? f.q?.toLowerCase();
    q = q.where((eb: ExpressionBuilder<DB, 'asset'>) =>
      eb.or([
        likeInsensitive(eb.ref('asset.name'), pattern),
        likeInsensitive(eb.ref('asset.reference'), pattern),
        likeInsensitive(eb.ref('asset.description'), pattern),
        eb.exists(
          eb
            .selectFrom('asset_tag')
            .select('asset_tag.asset_id')
            .whereRef('asset_tag.asset_id', '=', 'asset.id')
            .where(sql<boolean>`lower(asset_tag.tag) = ${tagLower}`),
        ),
      ]),
    );
  }
  return q;
}

function withOwner(db: Executor, scopeId: string, f: AssetFilter) {
  return filtered(db, scopeId, f)
    .leftJoin('app_user as owner', 'owner.id', 'asset.owner_id')
    .selectAll('asset')
    .select(['owner.name as owner_name', 'owner.email as owner_email']);
}

export type AssetRow = AssetTable & { owner_name: string | null; owner_email: string | null };

type AssetListFilter = AssetFilter & AssetSearch & Pick<ListAssetsQuery, 'sort' | 'order'> & { scopeId: string };

const assetPage = cachedList(
  'asset.list',
  (db, shape: Shape, values: Params) => {
    const f = filterOf<AssetListFilter>(shape, values);
    const page = withOwner(db, f.scopeId, f).orderBy(sortColumns[f.sort], f.order);
    return f.sort === 'reference' ? page : page.orderBy('asset.id', f.order);
  },
  (db, shape: Shape, values: Params) => {
    const f = filterOf<AssetListFilter>(shape, values);
    return filtered(db, f.scopeId, f);
  },
);

/**
 * One page of assets and the total (capped, see countCapped): two statements whatever the page size (tags are a third,
 * see findTags), compiled once per shape (query-cache.ts; a search binds its pattern). The order ends with the
 * id, except by reference, which is unique in a scope: each order is an index's (migration 0030), so a page reads only
 * its own rows.
 */
export async function listAssets(db: Executor, scopeId: string, query: ListAssetsQuery) {
  const { page, pageSize, q, ...filter } = query;
  // a search is bound as its pattern and its lowered tag (the build would otherwise wrap the term itself)
  const search: AssetSearch = q ? { pattern: containsPattern(q), tagLower: q.toLowerCase() } : {};
  // the protection level is a branch: the build binds the levels at or above it, not the level itself
  const { shape, values } = splitFilter({ ...filter, ...search, scopeId }, { branches: ['sort', 'order', 'minProtection'] });
  const { rows, total, capped } = await assetPage(db, shape, values, pageSize, (page - 1) * pageSize);
  return { rows: rows as AssetRow[], total, capped };
}

/**
 * Every matching asset, in export order, in batches of `batch` rows: one ordered pass by keyset (each batch starts
 * after the last row of the one before: its sort value, then its id), never OFFSET, so an export reads its rows once.
 * Between batches it gives the event loop a turn (setImmediate), so that other requests are answered meanwhile.
 */
export async function* iterateAssets(db: Executor, scopeId: string, query: Omit<ListAssetsQuery, 'page' | 'pageSize'>, batch = 1000) {
  const column = sortColumns[query.sort];
  const key = column.slice('asset.'.length) as keyof AssetRow;
  const beyond = query.order === 'asc' ? '>' : '<';
  let after: AssetRow | undefined;
  for (;;) {
    let q = withOwner(db, scopeId, query);
    if (after) {
      const last = after;
      q = q.where((eb) =>
        eb.or([eb(column, beyond, last[key] as string), eb.and([eb(column, '=', last[key] as string), eb('asset.id', beyond, last.id)])]),
      );
    }
    const rows = (await q.orderBy(column, query.order).orderBy('asset.id', query.order).limit(batch).execute()) as AssetRow[];
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1];
    await yieldToEventLoop();
  }
}

export async function findAsset(db: Executor, scopeId: string, id: string): Promise<AssetRow | undefined> {
  return (await withOwner(db, scopeId, {}).where('asset.id', '=', id).executeTakeFirst()) as AssetRow | undefined;
}

export async function findTags(db: Executor, assetIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (assetIds.length === 0) return map;
  const rows = await db.selectFrom('asset_tag').selectAll().where('asset_id', 'in', assetIds).orderBy('tag').execute();
  for (const r of rows) map.set(r.asset_id, [...(map.get(r.asset_id) ?? []), r.tag]);
  return map;
}

export async function findDependencies(db: Executor, assetId: string) {
  const link = ['asset.id', 'asset.reference', 'asset.name', 'asset.type'] as const;
  const [dependsOn, dependents] = await Promise.all([
    db
      .selectFrom('asset_dependency')
      .innerJoin('asset', 'asset.id', 'asset_dependency.depends_on_id')
      .select(link)
      .where('asset_dependency.asset_id', '=', assetId)
      .orderBy('asset.name')
      .execute(),
    db
      .selectFrom('asset_dependency')
      .innerJoin('asset', 'asset.id', 'asset_dependency.asset_id')
      .select(link)
      .where('asset_dependency.depends_on_id', '=', assetId)
      .orderBy('asset.name')
      .execute(),
  ]);
  return { dependsOn, dependents };
}

export async function countAssetsInScope(db: Executor, scopeId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .selectFrom('asset')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope_id', '=', scopeId)
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function deleteAsset(db: Executor, id: string, version: number): Promise<boolean> {
  const r = await db.deleteFrom('asset').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** The name and email of a member of the scope (an asset's owner), or undefined for someone who is not one. */
export async function findMemberIdentity(db: Executor, scopeId: string, userId: string) {
  return db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['app_user.name', 'app_user.email'])
    .where('membership.scope_id', '=', scopeId)
    .where('membership.user_id', '=', userId)
    .executeTakeFirst();
}

/** The assets of the scope among `ids`, as links (no statement for none). */
export async function findAssetLinks(db: Executor, scopeId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('asset')
    .select(['id', 'reference', 'name', 'type'])
    .where('scope_id', '=', scopeId)
    .where('id', 'in', ids)
    .execute();
}

/** Tags of a new asset (no statement for none). */
export async function insertTags(db: Executor, assetId: string, tags: string[]): Promise<void> {
  if (tags.length)
    await db
      .insertInto('asset_tag')
      .values(tags.map((tag) => ({ asset_id: assetId, tag })))
      .execute();
}

/** Dependencies of a new asset (no statement for none). */
export async function insertDependencies(db: Executor, assetId: string, dependsOn: string[]): Promise<void> {
  if (dependsOn.length)
    await db
      .insertInto('asset_dependency')
      .values(dependsOn.map((d) => ({ asset_id: assetId, depends_on_id: d })))
      .execute();
}

export async function replaceTags(db: Executor, assetId: string, tags: string[]): Promise<void> {
  await db.deleteFrom('asset_tag').where('asset_id', '=', assetId).execute();
  await insertTags(db, assetId, tags);
}

export async function replaceDependencies(db: Executor, assetId: string, dependsOn: string[]): Promise<void> {
  await db.deleteFrom('asset_dependency').where('asset_id', '=', assetId).execute();
  await insertDependencies(db, assetId, dependsOn);
}

/** Would `assetId → dependsOn` close a cycle? Walks the dependency graph from the targets (recursive CTE, both dialects). */
export async function wouldCreateCycle(db: Executor, assetId: string, dependsOn: string[]): Promise<boolean> {
  if (dependsOn.length === 0) return false;
  const r = await sql<{ n: number }>`
    with recursive reach(id) as (
      select depends_on_id from asset_dependency where asset_id in (${sql.join(dependsOn)})
      union
      select d.depends_on_id from asset_dependency d join reach on d.asset_id = reach.id
    )
    select count(*) as n from (select id from reach union select id from asset where id in (${sql.join(dependsOn)})) x
    where id = ${assetId}`.execute(db);
  return Number(r.rows[0]?.n ?? 0) > 0;
}
