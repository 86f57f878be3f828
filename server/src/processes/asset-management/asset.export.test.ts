import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import { buildScope, createTestContext, dialects, type TestContext, type TestUser } from '../../test/harness.ts';
import { iterateAssets } from './asset.repository.ts';
import { exportAssetsQuery } from './asset.schemas.ts';

const ASSETS = 4_000;

/**
 * Exports never block: while a CSV export of thousands of assets streams over a real socket, another request is
 * answered before the export ends (keyset batches with a turn of the event loop between them).
 */
describe.each(dialects)('asset export beside other requests on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let origin: string;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    ({
      scope: { id: scopeId },
      manager,
    } = await buildScope(t.deps));
    const now = new Date().toISOString();
    for (let start = 0; start < ASSETS; start += 500) {
      const rows = Array.from({ length: 500 }, (_, k) => {
        const i = start + k;
        return {
          id: newId(),
          scope_id: scopeId,
          reference: `AST-${String(i + 1).padStart(5, '0')}`,
          // names repeat, so the keyset has to go on by id within one name
          name: `Asset ${i % 37}`,
          type: 'system' as const,
          owner_id: null,
          description: 'An asset generated for the export test, with some words to make the row longer than a few bytes',
          lifecycle_status: 'in_operation' as const,
          confidentiality: 'normal',
          integrity: 'high',
          availability: 'normal',
          created_at: now,
          updated_at: now,
          version: 1,
        };
      });
      await t.deps.db.insertInto('asset').values(rows).execute();
    }
    await sql`analyze`.execute(t.deps.db);
    origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t?.close());

  it('exports every asset once, in list order, by keyset', async () => {
    for (const qs of ['sort=name&order=asc', 'sort=name&order=desc', '']) {
      const res = await fetch(`${origin}/api/scopes/${scopeId}/assets.csv?${qs}`, { headers: manager.headers });
      expect(res.status).toBe(200);
      const refs = (await res.text())
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]);
      expect(refs).toHaveLength(ASSETS);
      expect(new Set(refs).size).toBe(ASSETS);
      const list = await fetch(`${origin}/api/scopes/${scopeId}/assets?pageSize=3&${qs}`, { headers: manager.headers });
      expect(refs.slice(0, 3)).toEqual(((await list.json()) as { items: { reference: string }[] }).items.map((a) => a.reference));
    }
  });

  it('reads in batches and gives the event loop a turn between them (SQLite runs every statement on the main thread)', async () => {
    let turns = 0;
    let reading = true;
    const turn = () => {
      turns += 1;
      if (reading) setImmediate(turn);
    };
    setImmediate(turn);
    let batches = 0;
    let rows = 0;
    for await (const batch of iterateAssets(t.deps.db, scopeId, exportAssetsQuery.parse({}), 500)) {
      batches += 1;
      rows += batch.length;
    }
    reading = false;
    expect(rows).toBe(ASSETS);
    expect(batches).toBe(ASSETS / 500);
    expect(turns).toBeGreaterThanOrEqual(batches - 1);
  });

  it('answers another request while an export is still streaming', async () => {
    const finished: string[] = [];
    let started!: () => void;
    const firstChunk = new Promise<void>((resolve) => {
      started = resolve;
    });
    const exporting = (async () => {
      const res = await fetch(`${origin}/api/scopes/${scopeId}/assets.csv`, { headers: manager.headers });
      const reader = res.body!.getReader();
      for (;;) {
        const { done } = await reader.read();
        started();
        if (done) break;
      }
      finished.push('export');
    })();
    await firstChunk;
    const other = (async () => {
      const res = await fetch(`${origin}/api/scopes/${scopeId}/assets?pageSize=5`, { headers: manager.headers });
      expect(res.status).toBe(200);
      await res.text();
      finished.push('list');
    })();
    await Promise.all([exporting, other]);
    expect(finished).toEqual(['list', 'export']);
  });
});
