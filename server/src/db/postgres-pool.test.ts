import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgAdminUrl, type TestDatabase } from '../test/harness.ts';
import { createPostgresPool } from './dialects/postgres.ts';

/** A PostgreSQL restart or an administrator ending connections must not bring Praxis down: the pool replaces them. */
describe('PostgreSQL connection pool', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase('postgres');
  });
  afterAll(() => tdb.destroy());

  it('survives the server terminating its idle connections and answers the next query', async () => {
    const db = tdb.database.db;
    const name = (await sql<{ db: string }>`select current_database() as db`.execute(db)).rows[0]!.db;
    const admin = new pg.Client({ connectionString: pgAdminUrl });
    await admin.connect();
    const ended = await admin.query(
      'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    await admin.end();
    expect(ended.rowCount).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    const again = await sql<{ one: number }>`select 1 as one`.execute(db);
    expect(again.rows[0]!.one).toBe(1);
  });

  it('sends the statements a connection is given in one turn in one write, and answers each', async () => {
    const pool = createPostgresPool(tdb.config.databaseUrl!, 1);
    try {
      const client = await pool.connect();
      const socket = (client as unknown as { connection: { stream: { _writev: unknown; _write: unknown } } }).connection.stream;
      let writes = 0;
      for (const method of ['_writev', '_write'] as const) {
        const original = socket[method] as (...args: unknown[]) => unknown;
        socket[method] = (...args: unknown[]) => {
          writes += 1;
          return original.apply(socket, args);
        };
      }
      const answers = await Promise.all([client.query('begin'), client.query('select $1::int as n', [7]), client.query('commit')]);
      client.release();
      expect(writes).toBe(1);
      expect(answers.map((a) => a.command)).toEqual(['BEGIN', 'SELECT', 'COMMIT']);
      expect(answers[1]!.rows).toEqual([{ n: 7 }]);
    } finally {
      await pool.end();
    }
  });

  // the connections are pipelined: a transaction's begin is sent with its first statement (dialects/postgres.ts)
  it('runs the first statement of a transaction inside it: the begin sent with it carries its settings, a rollback undoes it', async () => {
    const db = tdb.database.db;
    await sql`create table pipelined_probe (id int primary key)`.execute(db);
    const counter = tdb.database.queryCounter;
    const before = counter.count;
    const settings = await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (tx) => (await sql<{ level: string }>`select current_setting('transaction_isolation') as level`.execute(tx)).rows[0]);
    expect(settings).toEqual({ level: 'repeatable read' });
    // begin, the select and commit are counted as before
    expect(counter.count - before).toBe(3);
    await expect(
      db.transaction().execute(async (tx) => {
        await sql`insert into pipelined_probe values (1)`.execute(tx);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    // a transaction that fails on its first statement leaves the connection usable
    await expect(db.transaction().execute((tx) => sql`insert into pipelined_probe values (1), (1)`.execute(tx))).rejects.toThrow(
      /duplicate/,
    );
    await db.transaction().execute((tx) => sql`insert into pipelined_probe values (2)`.execute(tx));
    expect((await sql<{ id: number }>`select id from pipelined_probe`.execute(db)).rows).toEqual([{ id: 2 }]);
  });
});
