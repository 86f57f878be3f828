import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, createTestContext, dialects, type TestContext } from '../test/harness.ts';
import type { TaskTable } from './schema.ts';
import { newId } from '../shared/ids.ts';
import { listCases, pageAndCount, planFaults, planOf, recordStatements } from './list-plans.ts';
import { cappedForTests, countCap, countCapped } from './paging.ts';

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

  it.each(listCases)('$label: says when its count stopped at the cap', async ({ path }) => {
    cappedForTests.always = true;
    try {
      const res = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/${path}`, headers });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { totalCapped?: boolean }).totalCapped, path).toBe(true);
    } finally {
      cappedForTests.always = false;
    }
  });

  it('stops counting at the cap: past it the total is the cap and the page says totalCapped; the order holds', async () => {
    const other = await buildScope(t.deps);
    const now = new Date().toISOString();
    const rows: TaskTable[] = [];
    for (let i = 0; i <= countCap; i++)
      rows.push({
        id: newId(),
        scope_id: other.scope.id,
        reference: `TSK-C${String(i + 1).padStart(5, '0')}`,
        title: `Task ${i}`,
        description: '',
        process_key: 'risk-assessment',
        origin_process_key: null,
        origin_record_type: null,
        origin_record_id: null,
        origin_record_ref: null,
        assignee_id: null,
        due_on: i % 2 ? null : `2030-01-${String(1 + (i % 28)).padStart(2, '0')}`,
        status: i % 5 === 0 ? 'in_progress' : 'open',
        created_by: null,
        created_at: now,
        updated_at: now,
        completed_at: null,
        version: 1,
        purpose: null,
        completion_note: null,
        title_key: null,
        title_params: null,
        description_key: null,
        description_params: null,
      });
    for (let i = 0; i < rows.length; i += 200)
      await t.deps.db
        .insertInto('task')
        .values(rows.slice(i, i + 200))
        .execute();
    const first = await t.app.inject({
      method: 'GET',
      url: `/api/scopes/${other.scope.id}/tasks?pageSize=100`,
      headers: other.manager.headers,
    });
    expect(first.statusCode, first.body).toBe(200);
    const page = first.json() as { total: number; totalCapped?: boolean; items: { dueOn: string | null }[] };
    expect(page).toMatchObject({ total: countCap, totalCapped: true });
    // by due date, those without one last
    const due = page.items.map((i) => i.dueOn);
    expect(due.every((d) => d !== null)).toBe(true);
    expect([...due].sort()).toEqual(due);
    const last = await t.app.inject({
      method: 'GET',
      url: `/api/scopes/${other.scope.id}/tasks?pageSize=100&page=11`,
      headers: other.manager.headers,
    });
    expect((last.json() as { items: { dueOn: string | null }[] }).items.map((i) => i.dueOn)).toEqual([null]);
    // under the cap the count is exact and says nothing more
    expect(await countCapped(t.deps.db, t.deps.db.selectFrom('task').where('scope_id', '=', other.scope.id), 5_000)).toEqual({
      total: countCap + 1,
      capped: false,
    });
    const small = await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/tasks`, headers });
    expect(small.json()).not.toHaveProperty('totalCapped');

    // the asset register says so too
    const assets = Array.from({ length: countCap + 1 }, (_, i) => ({
      id: newId(),
      scope_id: other.scope.id,
      reference: `AST-C${String(i + 1).padStart(5, '0')}`,
      name: `Asset ${i}`,
      type: 'system' as const,
      owner_id: null,
      description: '',
      lifecycle_status: 'in_operation' as const,
      confidentiality: 'normal',
      integrity: 'normal',
      availability: 'normal',
      created_at: now,
      updated_at: now,
      version: 1,
    }));
    for (let i = 0; i < assets.length; i += 200)
      await t.deps.db
        .insertInto('asset')
        .values(assets.slice(i, i + 200))
        .execute();
    const assetPage = await t.app.inject({
      method: 'GET',
      url: `/api/scopes/${other.scope.id}/assets?pageSize=25`,
      headers: other.manager.headers,
    });
    expect(assetPage.statusCode, assetPage.body).toBe(200);
    expect(assetPage.json()).toMatchObject({ total: countCap, totalCapped: true });
  });
});
