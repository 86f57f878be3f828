import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import { buildScope, createTestContext, dialects, type TestContext, type TestUser } from '../../test/harness.ts';
import { iterateRisks } from './risk.repository.ts';
import { exportRisksQuery } from './risk.schemas.ts';

const RISKS = 4_000;

/**
 * Exports never block: while a CSV export of thousands of rows streams over a real socket, another request is answered
 * before the export ends (the export reads by keyset in batches and gives the event loop a turn between them).
 */
describe.each(dialects)('risk export beside other requests on %s', (dialect) => {
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
    for (let start = 0; start < RISKS; start += 500) {
      const rows = Array.from({ length: 500 }, (_, k) => {
        const i = start + k;
        return {
          id: newId(),
          scope_id: scopeId,
          reference: `RSK-${String(i + 1).padStart(5, '0')}`,
          title: `Risk ${i}`,
          description: 'A risk generated for the export test, with some words to make the row longer than a few bytes',
          threat_id: null,
          vulnerability: '',
          consequences_c: true,
          consequences_i: false,
          consequences_a: false,
          owner_id: null,
          status: 'identified' as const,
          inherent_likelihood: null,
          inherent_impact: null,
          inherent_level: null,
          current_likelihood: null,
          current_impact: null,
          current_level: null,
          target_likelihood: null,
          target_impact: null,
          target_level: null,
          method_id: null,
          assessed_at: null,
          next_review_on: null,
          created_at: now,
          updated_at: now,
          version: 1,
          priority_rank: i % 7,
          current_rank: i % 7,
          inherent_rank: 0,
        };
      });
      await t.deps.db.insertInto('risk').values(rows).execute();
    }
    await sql`analyze`.execute(t.deps.db);
    origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t?.close());

  it('exports every risk once, in list order, by keyset', async () => {
    const res = await fetch(`${origin}/api/scopes/${scopeId}/risks.csv`, { headers: manager.headers });
    const lines = (await res.text()).trim().split('\n').slice(1);
    expect(lines).toHaveLength(RISKS);
    expect(new Set(lines.map((l) => l.split(',')[0])).size).toBe(RISKS);
    const list = await fetch(`${origin}/api/scopes/${scopeId}/risks?pageSize=3`, { headers: manager.headers });
    const firstPage = ((await list.json()) as { items: { reference: string }[] }).items.map((r) => r.reference);
    expect(lines.slice(0, 3).map((l) => l.split(',')[0])).toEqual(firstPage);
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
    for await (const batch of iterateRisks(t.deps.db, scopeId, exportRisksQuery.parse({}), 500)) {
      batches += 1;
      rows += batch.length;
    }
    reading = false;
    expect(rows).toBe(RISKS);
    expect(batches).toBe(RISKS / 500);
    expect(turns).toBeGreaterThanOrEqual(batches - 1);
  });

  it('answers another request while an export is still streaming', async () => {
    const finished: string[] = [];
    let started!: () => void;
    const firstChunk = new Promise<void>((resolve) => {
      started = resolve;
    });
    const exporting = (async () => {
      const res = await fetch(`${origin}/api/scopes/${scopeId}/risks.csv`, { headers: manager.headers });
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
      const res = await fetch(`${origin}/api/scopes/${scopeId}/risks?pageSize=5`, { headers: manager.headers });
      expect(res.status).toBe(200);
      await res.text();
      finished.push('list');
    })();
    await Promise.all([exporting, other]);
    expect(finished).toEqual(['list', 'export']);
  });
});
