import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgAdminUrl, type TestDatabase } from '../test/harness.ts';

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
});
