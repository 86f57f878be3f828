import type { SelectQueryBuilder, Simplify } from 'kysely';

/** One page of a list and the number of rows the list's filter matches. */
export interface Page<R> {
  rows: R[];
  total: number;
}

/**
 * One page of a filtered list and its total: `rows` (the filtered query with its joins, columns and order) limited to the
 * page, and a count over `filtered` alone, run together — two statements whatever the page size.
 */
export async function fetchPage<O>(
  rows: SelectQueryBuilder<any, any, O>,
  filtered: SelectQueryBuilder<any, any, any>,
  limit: number,
  offset: number,
): Promise<Page<Simplify<O>>> {
  const [page, count] = await Promise.all([
    rows.limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: page, total: Number(count.n) };
}
