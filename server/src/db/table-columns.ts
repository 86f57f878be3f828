/**
 * Every column of a table, as an object the compiler checks against the table's type: a missing or unknown column
 * fails `tsc` (`columns<DB['asset']>()({ id: true, … })` → the sorted column names). `db/schema-drift.test.ts` compares
 * these lists with a freshly migrated database of each dialect, so the hand-kept types and the migrations cannot drift.
 */
type Columns<T> = { [K in keyof T]-?: true };

export const columns =
  <T>() =>
  <C extends Columns<T>>(c: C & Record<Exclude<keyof C, keyof T>, never>): string[] =>
    Object.keys(c).sort();
