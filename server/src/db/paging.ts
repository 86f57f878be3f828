import { type SelectQueryBuilder, type Simplify, sql } from 'kysely';
import type { Executor } from './database.ts';

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
  const row = await db
    .selectFrom(
      filtered
        .select(sql<number>`1`.as('one'))
        .limit(cap + 1)
        .as('matching'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { total: Math.min(n, cap), capped: n > cap || cappedForTests.always };
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
