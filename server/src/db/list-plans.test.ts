import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, createTestContext, dialects, type TestContext } from '../test/harness.ts';
import { listCases, pageAndCount, planFaults, planOf, recordStatements } from './list-plans.ts';

/**
 * Every list page is read from an index (ARCHITECTURE.md, "Lists and their indexes"). For each scoped GET list route,
 * with its default sort and its main filters, the test sends the request, catches the statements it runs (at the
 * Kysely executor, so whatever the driver), and asks each database for the plans of the page statement and the count
 * (list-plans.ts says what a fault is). SQLite has no statistics here, so it plans every table as a large one;
 * PostgreSQL is analysed and plans with the scans that need no index and sorts switched off.
 * The count reads at most `countCap + 1` rows (a LIMITed subquery), so it is bounded whatever the scope's size.
 */
describe.each(dialects)('list plans on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let headers: Record<string, string>;
  let tables: Set<string>;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const s = await buildScope(t.deps);
    scopeId = s.scope.id;
    headers = s.manager.headers;
    const names =
      dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(t.deps.db)
        : await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(t.deps.db);
    tables = new Set(names.rows.map((r) => r.name));
    if (dialect === 'postgres') await sql`analyze`.execute(t.deps.db);
  });
  afterAll(() => t?.close());

  it.each(listCases)('$label: page and count are read from an index', async ({ path, table }) => {
    const url = `/api/scopes/${scopeId}/${path}`;
    const statements = await recordStatements(t.deps.db, async () => {
      const res = await t.app.inject({ method: 'GET', url, headers });
      expect(res.statusCode, res.body).toBe(200);
    });
    const { page, count } = pageAndCount(statements, table);
    expect(page, `no page statement on ${table} among:\n${statements.map((q) => q.sql).join('\n')}`).toBeDefined();
    expect(count, `no count on ${table} among:\n${statements.map((q) => q.sql).join('\n')}`).toBeDefined();
    for (const [what, q] of [
      ['page', page!],
      ['count', count!],
    ] as const) {
      const plan = await planOf(t.deps.db, dialect, q);
      expect(planFaults(plan, dialect, tables), `${what}: ${q.sql}\n${plan}`).toEqual([]);
    }
    // the count stops at the cap: it is a LIMITed subquery
    expect(count!.sql).toMatch(/\blimit\b/i);
  });
});
