import { type SelectQueryBuilder, type Simplify, sql } from 'kysely';
import type { Executor } from './database.ts';
import { cachedQuery, type Params, type Shape } from './query-cache.ts';

/**
 * Past this many matching rows a list stops counting: `total` is this number and `capped` (`totalCapped` in the
 * response) says that more match ("1,000+ risks"). Counting a whole large scope would cost more than the page it comes
 * with: at 10,000 the count of a 50,000-risk register read ten times the rows of a 25-row page and cost several
 * milliseconds on PostgreSQL under load; 1,000 is forty pages of 25, past which a list is filtered rather than paged.
 */
export const countCap = 1_000;

/**
 * Tests set `always` to make every count report that it stopped at the cap, to prove that each list passes the flag on
 * to its response (list-plans.test.ts); nothing else sets it.
 */
export const cappedForTests = { always: false };

/** One page of a list and the number of rows the list's filter matches (at most `countCap`, then `capped`). */
export interface Page<R> {
  rows: R[];
  total: number;
  /** more rows match than were counted: `total` is the cap */
  capped: boolean;
}

/**
 * The number of rows `filtered` matches, read through a LIMITed subquery: at most `cap + 1` index entries, so that the
 * count of a huge scope is as cheap as its page. `capped` says that more than `cap` match (`total` is then `cap`).
 */
export async function countCapped(
  db: Executor,
  filtered: SelectQueryBuilder<any, any, any>,
  cap = countCap,
): Promise<{ total: number; capped: boolean }> {
  const row = await countQuery(db, filtered, cap).executeTakeFirstOrThrow();
  return counted(row.n, cap);
}

/** The capped count's statement: `filtered` LIMITed to `cap + 1` rows, counted. */
function countQuery(db: Executor, filtered: SelectQueryBuilder<any, any, any>, cap: number) {
  return db
    .selectFrom(
      filtered
        .select(sql<number>`1`.as('one'))
        .limit(cap + 1)
        .as('matching'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'));
}

function counted(n: number | string | bigint, cap = countCap): { total: number; capped: boolean } {
  const count = Number(n);
  return { total: Math.min(count, cap), capped: count > cap || cappedForTests.always };
}

/**
 * One page of a filtered list and its total: `rows` (the filtered query with its joins, columns and order) limited to the
 * page, and the capped count over `filtered` alone (countCapped), run together — two statements whatever the page size.
 */
export async function fetchPage<O>(
  db: Executor,
  rows: SelectQueryBuilder<any, any, O>,
  filtered: SelectQueryBuilder<any, any, any>,
  limit: number,
  offset: number,
): Promise<Page<Simplify<O>>> {
  const [page, count] = await Promise.all([rows.limit(limit).offset(offset).execute(), countCapped(db, filtered)]);
  return { rows: page, ...count };
}

/**
 * A list's response from its page of items and its count: `totalCapped` is there only when the count stopped at the
 * cap, so that every list says so the same way (list-plans.test.ts checks each one).
 */
export function listPage<T>(items: T[], count: { total: number; capped: boolean }, q: { page: number; pageSize: number }) {
  return {
    items,
    total: count.total,
    ...(count.capped && { totalCapped: true as const }),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * A list whose page and count statements are compiled once per shape (query-cache.ts): `rows` and `filtered` as for
 * fetchPage, built from a shape (what changes the SQL: the filters given, the sort) and the values to bind. The page
 * binds `limit` and `offset` besides. Two statements whatever the page size, as fetchPage.
 */
export function cachedList<S extends Shape, P extends Params, O>(
  name: string,
  rows: (db: Executor, shape: S, params: P) => SelectQueryBuilder<any, any, O>,
  filtered: (db: Executor, shape: S, params: P) => SelectQueryBuilder<any, any, any>,
) {
  const page = cachedQuery(`${name}:page`, (db, shape: S, p: P & { limit: number; offset: number }) =>
    rows(db, shape, p).limit(p.limit).offset(p.offset),
  );
  const count = cachedCount(name, filtered);
  return async (
    db: Executor,
    shape: S,
    params: P,
    limit: number,
    offset: number,
    options: { cache?: boolean } = {},
  ): Promise<Page<Simplify<O>>> => {
    const [pageRows, total] = await Promise.all([
      page.execute(db, shape, { ...params, limit, offset }, options),
      count(db, shape, params, options),
    ]);
    return { rows: pageRows as Simplify<O>[], ...total };
  };
}

/** countCapped compiled once per shape (query-cache.ts): `cap` in the shape, if given, is the cap. */
export function cachedCount<S extends Shape, P extends Params>(
  name: string,
  filtered: (db: Executor, shape: S, params: P) => SelectQueryBuilder<any, any, any>,
) {
  const count = cachedQuery(`${name}:count`, (db, shape: S, p: P) =>
    countQuery(db, filtered(db, shape, p), typeof shape.cap === 'number' ? shape.cap : countCap),
  );
  return async (db: Executor, shape: S, params: P, options: { cache?: boolean } = {}) => {
    const rows = await count.execute(db, shape, params, options);
    return counted(rows[0]?.n ?? 0, typeof shape.cap === 'number' ? shape.cap : countCap);
  };
}
