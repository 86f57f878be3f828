import { sql } from 'kysely';
import type { DialectName } from '../config.ts';
import type { Executor } from '../db/database.ts';

/*
 * What a restore needs to know about the target database's tables: their primary keys, and which columns refer to
 * which table, so that rows go in parents first. Read from the database itself (both dialects), never kept by hand.
 */

export interface TableInfo {
  name: string;
  primaryKey: string[];
  /** foreign-key columns and the table each refers to */
  references: { column: string; table: string }[];
}

/** Tables that belong to the migrator, not to Praxis' data. */
export const isMigratorTable = (name: string) => name === 'kysely_migration' || name === 'kysely_migration_lock';

export async function describeTables(db: Executor, dialect: DialectName): Promise<TableInfo[]> {
  if (dialect === 'sqlite') {
    const tables = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
    const out: TableInfo[] = [];
    for (const { name } of tables.rows) {
      if (isMigratorTable(name)) continue;
      const [cols, fks] = await Promise.all([
        sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${name})`.execute(db),
        sql<{ table: string; from: string }>`select "table", "from" from pragma_foreign_key_list(${name})`.execute(db),
      ]);
      out.push({
        name,
        primaryKey: cols.rows
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
        references: fks.rows.map((f) => ({ column: f.from, table: f.table })),
      });
    }
    return out;
  }
  const [tables, keys] = await Promise.all([
    sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db),
    sql<{ tbl: string; kind: string; col: string; ref: string | null; pos: number }>`
      select c.relname as tbl, k.contype as kind, a.attname as col, r.relname as ref, u.ord as pos
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
      cross join lateral unnest(k.conkey) with ordinality as u(attnum, ord)
      join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
      left join pg_class r on r.oid = k.confrelid
      where k.contype in ('p', 'f')
      order by c.relname, k.conname, u.ord`.execute(db),
  ]);
  return tables.rows
    .filter((t) => !isMigratorTable(t.name))
    .map(({ name }) => {
      const own = keys.rows.filter((k) => k.tbl === name);
      return {
        name,
        primaryKey: own.filter((k) => k.kind === 'p').map((k) => k.col),
        references: own.filter((k) => k.kind === 'f' && k.ref).map((k) => ({ column: k.col, table: k.ref! })),
      };
    });
}

/**
 * The tables in an order where every table comes after the tables it refers to, and per table the columns that refer
 * to itself or to a table that comes later (a cycle): those are written empty first and filled in once every row is in.
 */
export function insertionOrder(tables: TableInfo[]): { table: TableInfo; deferred: string[] }[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const placed = new Set<string>();
  const order: TableInfo[] = [];
  const visiting = new Set<string>();
  const visit = (t: TableInfo) => {
    if (placed.has(t.name) || visiting.has(t.name)) return;
    visiting.add(t.name);
    for (const r of t.references) {
      const parent = byName.get(r.table);
      if (parent && parent.name !== t.name) visit(parent);
    }
    visiting.delete(t.name);
    placed.add(t.name);
    order.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t);
  const position = new Map(order.map((t, i) => [t.name, i]));
  return order.map((table, i) => ({
    table,
    deferred: [
      ...new Set(table.references.filter((r) => r.table === table.name || (position.get(r.table) ?? -1) > i).map((r) => r.column)),
    ],
  }));
}
