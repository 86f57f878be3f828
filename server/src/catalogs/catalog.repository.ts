import { sql } from 'kysely';
import { containsInsensitive } from '../db/column.ts';
import type { Executor } from '../db/database.ts';
import type { CatalogRequirementTable, CatalogTable } from '../db/schema.ts';
import type { ListRequirementsQuery } from './catalog.schemas.ts';

/** Rows per insert statement: well below SQLite's and PostgreSQL's bound-parameter limits (13 columns each). */
export const REQUIREMENT_CHUNK = 250;

/** Catalogs a scope sees: the installation-wide ones and its own. */
function visible(db: Executor, scopeId: string) {
  return db.selectFrom('catalog').where((eb) => eb.or([eb('catalog.scope_id', 'is', null), eb('catalog.scope_id', '=', scopeId)]));
}

export async function listVisibleCatalogs(db: Executor, scopeId: string): Promise<CatalogTable[]> {
  return visible(db, scopeId)
    .selectAll('catalog')
    .orderBy(sql`case when catalog.scope_id is null then 0 else 1 end`)
    .orderBy('catalog.title')
    .execute();
}

export async function listAllCatalogs(db: Executor): Promise<CatalogTable[]> {
  return db.selectFrom('catalog').selectAll().orderBy('scope_id').orderBy('title').execute();
}

export async function findVisibleCatalog(db: Executor, scopeId: string, id: string): Promise<CatalogTable | undefined> {
  return visible(db, scopeId).selectAll('catalog').where('catalog.id', '=', id).executeTakeFirst();
}

export async function findCatalogByKey(db: Executor, scopeId: string | null, key: string): Promise<CatalogTable | undefined> {
  let q = db.selectFrom('catalog').selectAll().where('key', '=', key);
  q = scopeId === null ? q.where('scope_id', 'is', null) : q.where('scope_id', '=', scopeId);
  return q.executeTakeFirst();
}

/** Groups and controls per catalog, and this scope's linked controls per catalog: two statements for any number. */
export async function countsByCatalog(db: Executor, scopeId: string | null, catalogIds: string[]) {
  const groups = new Map<string, number>();
  const linked = new Map<string, number>();
  if (catalogIds.length === 0) return { groups, linked };
  const [g, l] = await Promise.all([
    db
      .selectFrom('catalog_requirement')
      .select(['catalog_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('catalog_id', 'in', catalogIds)
      .where('kind', '=', 'group')
      .groupBy('catalog_id')
      .execute(),
    scopeId === null
      ? Promise.resolve([] as { catalog_id: string; n: number }[])
      : db
          .selectFrom('control_requirement')
          .innerJoin('catalog_requirement', 'catalog_requirement.id', 'control_requirement.requirement_id')
          .innerJoin('control', 'control.id', 'control_requirement.control_id')
          .select(['catalog_requirement.catalog_id', (eb) => eb.fn.count<number>('control.id').distinct().as('n')])
          .where('catalog_requirement.catalog_id', 'in', catalogIds)
          .where('control.scope_id', '=', scopeId)
          .groupBy('catalog_requirement.catalog_id')
          .execute(),
  ]);
  for (const r of g) groups.set(r.catalog_id, Number(r.n));
  for (const r of l) linked.set(r.catalog_id, Number(r.n));
  return { groups, linked };
}

export async function insertCatalog(db: Executor, row: CatalogTable): Promise<void> {
  await db.insertInto('catalog').values(row).execute();
}

/** Bulk insert in chunks; `onChunk` reports progress after each statement. */
export async function insertRequirements(
  db: Executor,
  rows: CatalogRequirementTable[],
  onChunk?: (done: number, total: number) => void,
): Promise<void> {
  for (let i = 0; i < rows.length; i += REQUIREMENT_CHUNK) {
    const chunk = rows.slice(i, i + REQUIREMENT_CHUNK);
    await db.insertInto('catalog_requirement').values(chunk).execute();
    onChunk?.(i + chunk.length, rows.length);
  }
}

export async function deleteCatalog(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('catalog').where('id', '=', id).execute();
}

/**
 * What still uses a catalog: controls linked to its requirements, Statements of Applicability drawn up for it, and
 * treatment plans that selected one of its requirements. One statement.
 */
export async function countCatalogUses(db: Executor, catalogId: string) {
  const r = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('control_requirement')
        .innerJoin('catalog_requirement', 'catalog_requirement.id', 'control_requirement.requirement_id')
        .select((e) => e.fn.count<number>('control_requirement.control_id').distinct().as('n'))
        .where('catalog_requirement.catalog_id', '=', catalogId)
        .as('controls'),
      eb
        .selectFrom('soa')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('soa.catalog_id', '=', catalogId)
        .as('soas'),
      eb
        .selectFrom('treatment_control')
        .innerJoin('catalog_requirement', 'catalog_requirement.id', 'treatment_control.requirement_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('catalog_requirement.catalog_id', '=', catalogId)
        .as('treatments'),
    ])
    .executeTakeFirstOrThrow();
  return { controls: Number(r.controls ?? 0), soas: Number(r.soas ?? 0), treatments: Number(r.treatments ?? 0) };
}

/**
 * How a search reads a requirement's title: the stored one, or (`titledAs`, for titles the reader sees in other words
 * than stored: the built-in catalog in German) the identifiers whose shown title matched.
 */
type TitleSearch = { titledAs?: string[] | null };

function filteredRequirements(
  db: Executor,
  catalogId: string,
  f: Omit<ListRequirementsQuery, 'page' | 'pageSize'>,
  { titledAs }: TitleSearch = {},
) {
  let q = db.selectFrom('catalog_requirement').where('catalog_requirement.catalog_id', '=', catalogId);
  if (f.kind) q = q.where('catalog_requirement.kind', '=', f.kind);
  if (f.withdrawn !== undefined) q = q.where('catalog_requirement.withdrawn', '=', f.withdrawn);
  if (f.parent) q = q.where('catalog_requirement.parent_identifier', '=', f.parent);
  if (f.q) {
    const needle = f.q;
    q = q.where((eb) =>
      eb.or([
        containsInsensitive(eb.ref('catalog_requirement.label'), needle),
        titledAs
          ? titledAs.length > 0
            ? eb('catalog_requirement.identifier', 'in', titledAs)
            : eb.lit(false)
          : containsInsensitive(eb.ref('catalog_requirement.title'), needle),
        containsInsensitive(eb.ref('catalog_requirement.statement'), needle),
        containsInsensitive(eb.ref('catalog_requirement.identifier'), needle),
      ]),
    );
  }
  return q;
}

/** One page of requirements in document order, and the total: two statements whatever the page size. */
export async function listRequirements(db: Executor, catalogId: string, query: ListRequirementsQuery, search: TitleSearch = {}) {
  const [rows, count] = await Promise.all([
    filteredRequirements(db, catalogId, query, search)
      .selectAll('catalog_requirement')
      .orderBy('catalog_requirement.sort_order')
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    filteredRequirements(db, catalogId, query, search)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Requirements by identifier (e.g. "A.5.1", "ac-2.1") within one catalog. */
export async function findRequirementsByIdentifier(
  db: Executor,
  catalogId: string,
  identifiers: string[],
): Promise<Map<string, CatalogRequirementTable>> {
  const map = new Map<string, CatalogRequirementTable>();
  if (identifiers.length === 0) return map;
  const rows = await db
    .selectFrom('catalog_requirement')
    .selectAll()
    .where('catalog_id', '=', catalogId)
    .where('identifier', 'in', identifiers)
    .execute();
  for (const r of rows) map.set(r.identifier, r);
  return map;
}

/** How many of these requirement ids belong to catalogs the scope sees. */
export async function countVisibleRequirements(db: Executor, scopeId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const r = await db
    .selectFrom('catalog_requirement')
    .innerJoin('catalog', 'catalog.id', 'catalog_requirement.catalog_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('catalog_requirement.id', 'in', ids)
    .where((eb) => eb.or([eb('catalog.scope_id', 'is', null), eb('catalog.scope_id', '=', scopeId)]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
