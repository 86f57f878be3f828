import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects } from '../../test/harness.ts';
import { openDatabase } from '../database.ts';
import { longReads } from '../long-reads.ts';
import { liveReadWorkers, readsInFlight, SqliteReadPool } from './sqlite-read-pool.ts';

/** A statement that keeps SQLite busy for a while (counts to n through a recursive CTE). */
const slowCount = (n: number) =>
  CompiledQuery.raw(`with recursive c(x) as (select 1 union all select x + 1 from c where x < ?) select count(*) as n from c`, [n]);

const sample = sql`
  select t.id, t.label, t.amount, t.ratio, t.flag, t.payload, t.created_at, count(u.id) as links
  from t left join u on u.t_id = t.id
  where t.created_at >= ${new Date('2026-01-01T00:00:00.000Z')} and (t.flag = ${true} or t.flag = ${false})
  group by t.id order by t.id`;

describe('SQLite read pool', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-read-pool-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const open = (name: string) =>
    openDatabase({ dialect: 'sqlite', databaseUrl: undefined, dataDir: dir }, { sqliteFile: path.join(dir, `${name}.sqlite`) });

  it('answers a query with the rows the main connection gives; errors come back as errors; writes are refused', async () => {
    const database = open('rows');
    try {
      await sql`create table t (id integer primary key, label text, amount integer, ratio real, flag integer, payload blob, created_at text)`.execute(
        database.db,
      );
      await sql`create table u (id integer primary key, t_id integer references t (id))`.execute(database.db);
      for (let i = 1; i <= 300; i++) {
        await sql`insert into t values (${i}, ${i % 7 === 0 ? null : `label ${i} ü`}, ${i * 1000}, ${i / 3}, ${i % 2 === 0},
          ${i % 5 === 0 ? new Uint8Array([i % 256, 0, 255]) : null}, ${new Date(Date.UTC(2026, 0, 1) + i * 60_000)})`.execute(database.db);
        if (i % 3 === 0) await sql`insert into u (t_id) values (${i}), (${i})`.execute(database.db);
      }
      expect(database.reads).not.toBe(database.db);
      expect(longReads(database.db)).toBe(database.reads);
      const onMain = await sample.execute(database.db);
      const offThread = await sample.execute(database.reads);
      expect(onMain.rows).toHaveLength(300);
      expect(offThread.rows.map((r) => ({ ...(r as object) }))).toEqual(onMain.rows.map((r) => ({ ...(r as object) })));
      expect(liveReadWorkers()).toBeGreaterThan(0);

      await expect(sql`select * from missing_table`.execute(database.reads)).rejects.toThrow(/no such table: missing_table/);
      await expect(sql`insert into t (id) values (1000)`.execute(database.reads)).rejects.toThrow(/readonly database/);
      await expect(database.reads.transaction().execute(async () => 1)).rejects.toThrow(/never transactions/);
      // after failures the pool still answers
      expect((await sql<{ n: number }>`select count(*) as n from t`.execute(database.reads)).rows[0]?.n).toBe(300);
    } finally {
      await database.destroy();
    }
    expect(liveReadWorkers()).toBe(0);
  });

  it('reads committed data only: a read of an open transaction stays on its connection', async () => {
    const database = open('committed');
    try {
      await sql`create table t (id integer primary key)`.execute(database.db);
      await sql`insert into t values (1)`.execute(database.db);
      const count = async (db: typeof database.db | Parameters<typeof longReads>[0]) =>
        Number((await sql<{ n: number }>`select count(*) as n from t`.execute(db)).rows[0]?.n);
      await database.db.transaction().execute(async (tx) => {
        await sql`insert into t values (2)`.execute(tx);
        expect(longReads(tx)).toBe(tx);
        expect(await count(longReads(tx))).toBe(2); // its own write
        expect(await count(database.reads)).toBe(1); // not committed yet
      });
      expect(await count(database.reads)).toBe(2); // committed
    } finally {
      await database.destroy();
    }
  });

  it('keeps the event loop free while a long read runs', async () => {
    const database = open('free');
    try {
      await sql`create table t (id integer primary key)`.execute(database.db);
      await sql`insert into t values (1)`.execute(database.db);
      const order: string[] = [];
      let midway = -1;
      const long = database.reads.executeQuery(slowCount(3_000_000)).then((r) => {
        order.push('long read');
        return r.rows[0];
      });
      // a turn of the event loop and a statement on the main connection both finish while the long read runs
      await setImmediate();
      midway = readsInFlight();
      await sql`select count(*) as n from t`.execute(database.db);
      order.push('main');
      expect(await long).toEqual({ n: 3_000_000 });
      expect(order).toEqual(['main', 'long read']);
      expect(midway).toBe(1);
      expect(readsInFlight()).toBe(0);

      // the same statement on the main connection holds the loop: the turn comes only after it
      const blocked: string[] = [];
      const tick = setImmediate().then(() => blocked.push('turn'));
      await database.db.executeQuery(slowCount(300_000)).then(() => blocked.push('main read'));
      await tick;
      expect(blocked).toEqual(['main read', 'turn']);
    } finally {
      await database.destroy();
    }
  });

  it('closing stops its workers (one inside a statement once the statement ends) and fails what was waiting', async () => {
    const file = path.join(dir, 'close.sqlite');
    const database = open('close');
    await sql`create table t (id integer primary key)`.execute(database.db);
    const pool = new SqliteReadPool(file, { size: 2 });
    const before = liveReadWorkers();
    const outcome = (p: Promise<unknown[]>) =>
      p.then(
        (rows) => rows,
        (err: Error) => err.message,
      );
    const busy = outcome(pool.run(slowCount(2_000_000).sql, slowCount(2_000_000).parameters));
    const second = pool.run('select 1 as one', []);
    const third = outcome(pool.run('select 2 as two', []));
    expect(await second).toEqual([{ one: 1 }]);
    expect(pool.threadIds).toHaveLength(2);
    await pool.close();
    expect(await busy).toBe('The database is closed');
    expect([[{ two: 2 }], 'The database is closed']).toContainEqual(await third); // answered or failed, never left waiting
    expect(liveReadWorkers()).toBe(before);
    await expect(pool.run('select 1', [])).rejects.toThrow(/closed/);
    await database.destroy();
    expect(liveReadWorkers()).toBe(0);
  });
});

describe.each(dialects)('long reads on %s', (dialect) => {
  it('run on the database of a test context and end with it', async () => {
    const t = await createTestDatabase(dialect);
    try {
      const r = await longReads(t.database.db).executeQuery(CompiledQuery.raw('select 1 + 1 as two'));
      expect(Number((r.rows[0] as { two: number }).two)).toBe(2);
      // PostgreSQL's driver is asynchronous: long reads use its pool
      if (dialect === 'postgres') expect(t.database.reads).toBe(t.database.db);
      else expect(t.database.reads).not.toBe(t.database.db);
    } finally {
      await t.destroy();
    }
    expect(liveReadWorkers()).toBe(0);
  });
});
