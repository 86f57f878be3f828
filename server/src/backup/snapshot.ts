import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import type { Deps } from '../shared/context.ts';
import { isMigratorTable } from './table-graph.ts';

/*
 * A consistent copy of every table as JSON lines (one object per row), the same on both databases, so that an archive
 * restores into either. SQLite: `VACUUM INTO` a snapshot file (one read transaction, while writers go on in WAL mode),
 * read back row by row. PostgreSQL: one REPEATABLE READ, READ ONLY transaction that reads every table through a cursor,
 * so that all tables show the same moment.
 */

export interface DumpedTable {
  name: string;
  columns: string[];
  rows: number;
  /** the archive member: db/<name>.jsonl */
  file: string;
  sha256: string;
}

export interface Snapshot {
  tables: DumpedTable[];
  migrations: string[];
  /** the stored files the snapshot's file_blob rows name */
  files: { sha256: string; size: number }[];
  auditEntries: number;
}

/** JSON for a row; bytes (none today) as {"$bytes": base64}. */
export function encodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (typeof value === 'bigint') return Number(value);
  return value;
}

export function decodeValue(value: unknown): unknown {
  if (value && typeof value === 'object' && '$bytes' in value) return Buffer.from(String((value as { $bytes: string }).$bytes), 'base64');
  return value;
}

class TableWriter {
  readonly #out: fs.WriteStream;
  readonly #hash = createHash('sha256');
  rows = 0;
  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.#out = fs.createWriteStream(file);
  }
  async write(row: Record<string, unknown>): Promise<void> {
    const line = `${JSON.stringify(row, (_k, v) => encodeValue(v))}\n`;
    this.#hash.update(line);
    this.rows += 1;
    if (!this.#out.write(line)) await new Promise<void>((resolve) => this.#out.once('drain', resolve));
  }
  async close(): Promise<string> {
    await new Promise<void>((resolve, reject) => this.#out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return this.#hash.digest('hex');
  }
}

/** Writes every table of a consistent snapshot into `dir/db/<table>.jsonl`. */
export async function dumpSnapshot(deps: Pick<Deps, 'db' | 'dialect'>, dir: string): Promise<Snapshot> {
  const snapshot: Snapshot = { tables: [], migrations: [], files: [], auditEntries: 0 };
  const collect = (table: string, row: Record<string, unknown>) => {
    if (table === 'file_blob') snapshot.files.push({ sha256: String(row.sha256), size: Number(row.size) });
    if (table === 'audit_entry') snapshot.auditEntries += 1;
  };
  const dumpTable = async (
    name: string,
    columns: string[],
    rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  ) => {
    const file = `db/${name}.jsonl`;
    const writer = new TableWriter(path.join(dir, file));
    for await (const row of rows) {
      collect(name, row);
      await writer.write(row);
    }
    snapshot.tables.push({ name, columns, rows: writer.rows, file, sha256: await writer.close() });
  };

  if (deps.dialect === 'sqlite') {
    const file = path.join(dir, 'snapshot.sqlite');
    await sql.raw(`vacuum into '${file.replace(/'/g, "''")}'`).execute(deps.db);
    const raw = new DatabaseSync(file, { readOnly: true });
    try {
      const tables = raw
        .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
        .all() as {
        name: string;
      }[];
      for (const { name } of tables) {
        if (isMigratorTable(name)) continue;
        const columns = (raw.prepare('select name from pragma_table_info(?)').all(name) as { name: string }[]).map((c) => c.name);
        const rows = raw.prepare(`select * from "${name.replace(/"/g, '""')}"`).iterate() as Iterable<Record<string, unknown>>;
        await dumpTable(name, columns, rows);
      }
      snapshot.migrations = (raw.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
    } finally {
      raw.close();
      fs.rmSync(file, { force: true });
    }
    return snapshot;
  }

  await deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      const columns = await sql<{ table_name: string; column_name: string }>`
        select table_name, column_name from information_schema.columns
        where table_schema = current_schema() order by table_name, ordinal_position`.execute(tx);
      const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(tx);
      for (const { name } of tables.rows) {
        if (isMigratorTable(name)) continue;
        await sql`declare praxis_backup no scroll cursor for select * from ${sql.table(name)}`.execute(tx);
        async function* rows() {
          for (;;) {
            const batch = await sql<Record<string, unknown>>`fetch 2000 from praxis_backup`.execute(tx);
            yield* batch.rows;
            if (batch.rows.length < 2000) return;
          }
        }
        await dumpTable(
          name,
          columns.rows.filter((c) => c.table_name === name).map((c) => c.column_name),
          rows(),
        );
        await sql`close praxis_backup`.execute(tx);
      }
      const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(tx);
      snapshot.migrations = migrations.rows.map((r) => r.name);
    });
  return snapshot;
}
