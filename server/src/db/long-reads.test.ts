import { setImmediate } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetTable } from '../processes/asset-management/asset-management.tables.ts';
import type { RiskAssetTable, RiskTable } from '../processes/risk-assessment/risk-assessment.tables.ts';
import { newId } from '../shared/ids.ts';
import { buildScope, createTestContext, dialects, type TestContext } from '../test/harness.ts';
import { liveReadWorkers, readsInFlight } from './dialects/sqlite-read-pool.ts';

/** Large enough that the export takes a while on a busy machine: a dozen keyset batches of 1,000 rows with their assets. */
const RISKS = 12_000;
const ASSETS = 300;

async function generate(t: TestContext, scopeId: string, ownerId: string) {
  const at = new Date('2026-03-01T09:00:00.000Z').toISOString();
  const assets: AssetTable[] = Array.from({ length: ASSETS }, (_, i) => ({
    id: newId(),
    scope_id: scopeId,
    reference: `AST-${String(i + 1).padStart(5, '0')}`,
    name: `Asset ${i}`,
    type: 'system',
    owner_id: ownerId,
    description: '',
    lifecycle_status: 'in_operation',
    confidentiality: 'normal',
    integrity: 'normal',
    availability: 'normal',
    created_at: at,
    updated_at: at,
    version: 1,
  }));
  await t.deps.db.insertInto('asset').values(assets).execute();
  await t.deps.db.transaction().execute(async (tx) => {
    for (let start = 0; start < RISKS; start += 500) {
      const risks: RiskTable[] = [];
      const links: RiskAssetTable[] = [];
      for (let i = start; i < start + 500; i++) {
        const id = newId();
        risks.push({
          id,
          scope_id: scopeId,
          reference: `RSK-${String(i + 1).padStart(5, '0')}`,
          title: `Generated risk ${i}`,
          description: `A risk generated for the interleaving test, number ${i}`,
          threat_id: null,
          vulnerability: '',
          consequences_c: i % 2 === 0,
          consequences_i: false,
          consequences_a: true,
          owner_id: ownerId,
          status: 'identified',
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
          created_at: at,
          updated_at: at,
          version: 1,
          priority_rank: i % 97,
          current_rank: 0,
          inherent_rank: 0,
        });
        links.push({ risk_id: id, asset_id: assets[i % ASSETS]!.id });
      }
      await tx.insertInto('risk').values(risks).execute();
      await tx.insertInto('risk_asset').values(links).execute();
    }
  });
}

describe.each(dialects)('a long export and other requests on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestContext(dialect);
    const built = await buildScope(t.deps, { name: 'Interleaving' });
    scopeId = built.scope.id;
    headers = built.manager.headers;
    await generate(t, scopeId, built.manager.id);
  }, 60_000);
  afterAll(async () => {
    await t.close();
    // closing the app and its database ends the read workers that the export started
    expect(liveReadWorkers()).toBe(0);
  });

  it('answers requests while a large risk CSV export is built, before the export ends', async () => {
    // over a real socket, as clients come: the requests arrive as I/O while the export runs
    const origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const order: string[] = [];
    let exportDone = false;
    const before = t.db.database.queryCounter.count;
    const exporting = fetch(`${origin}/api/scopes/${scopeId}/risks.csv`, { headers }).then(async (res) => {
      const body = await res.text();
      exportDone = true;
      order.push('export');
      return { status: res.status, body };
    });
    // the export is under way: it has run its first statements
    while (t.db.database.queryCounter.count === before && !exportDone) await setImmediate();

    // other requests, one after another, for as long as the export runs: the health check and a small list (its
    // statements run on the main connection)
    let answeredDuringRead = 0;
    for (let i = 0; !exportDone; i++) {
      const url = i % 2 === 0 ? `${origin}/api/health` : `${origin}/api/scopes/${scopeId}/risks?pageSize=5`;
      const res = await fetch(url, { headers });
      await res.arrayBuffer();
      expect(res.status).toBe(200);
      if (readsInFlight() > 0) answeredDuringRead += 1;
      if (!exportDone) order.push(i % 2 === 0 ? 'health' : 'list');
    }
    const res = await exporting;
    expect(res.status).toBe(200);
    const lines = res.body.trim().split('\n');
    expect(lines).toHaveLength(RISKS + 1);
    expect(res.body).toContain('RSK-12000');

    // the other requests were answered before the export ended, not queued behind it
    expect(order.at(-1)).toBe('export');
    expect(order.filter((o) => o === 'health').length).toBeGreaterThan(0);
    expect(order.filter((o) => o === 'list').length).toBeGreaterThan(0);
    // on SQLite, while one of the export's batches was being read by a worker thread
    if (dialect === 'sqlite') {
      expect(answeredDuringRead).toBeGreaterThan(0);
      expect(liveReadWorkers()).toBeGreaterThan(0);
    }
  }, 30_000);
});
