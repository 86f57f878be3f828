import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiskTable } from './risk-assessment.tables.ts';
import { newId } from '../../shared/ids.ts';
import { buildScope, createTestContext, dialects, type TestContext } from '../../test/harness.ts';
import { ensureCurrentMethodTx } from './risk-method.service.ts';
import { scoreRisk } from './risk-method.ts';
import { riskRanks } from './risk-rank.ts';
import { listRisksQuery } from './risk.schemas.ts';
import { listRisks, riskPageQuery } from './risk.repository.ts';

/**
 * The risk list's page is read from an index: the plans of its page query on both databases have no full scan of the
 * risk table and no sort (the order is the index's). PostgreSQL plans small tables by cost, so sequential scans, bitmap
 * scans and sorts are switched off for the EXPLAIN: a plan without a sort then proves that an index serves the order
 * (`npm run bench` prints the plans at the full dataset).
 */
describe.each(dialects)('risk list plans on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const s = await buildScope(t.deps);
    scopeId = s.scope.id;
    const method = await t.deps.db.transaction().execute((tx) => ensureCurrentMethodTx(tx, t.deps, scopeId));
    const severities = new Map(method.method.levels.map((l) => [l.key, l.order]));
    const now = new Date().toISOString();
    const rows: RiskTable[] = [];
    for (let i = 0; i < 400; i++) {
      const l = 1 + (i % 3);
      const im = 1 + ((i >> 2) % 3);
      const level = i % 7 ? scoreRisk(method.method, l, im).level : null;
      const row: RiskTable = {
        id: newId(),
        scope_id: scopeId,
        reference: `RSK-${String(i + 1).padStart(4, '0')}`,
        title: `risk ${i}`,
        description: '',
        threat_id: null,
        vulnerability: '',
        consequences_c: true,
        consequences_i: false,
        consequences_a: false,
        owner_id: null,
        status: level ? 'assessed' : 'identified',
        inherent_likelihood: level ? l : null,
        inherent_impact: level ? im : null,
        inherent_level: level,
        current_likelihood: level ? l : null,
        current_impact: level ? im : null,
        current_level: level,
        target_likelihood: null,
        target_impact: null,
        target_level: null,
        method_id: level ? method.id : null,
        assessed_at: null,
        next_review_on: null,
        created_at: now,
        updated_at: now,
        version: 1,
        priority_rank: 0,
        current_rank: 0,
        inherent_rank: 0,
      };
      rows.push({ ...row, ...riskRanks(row, severities) });
    }
    await t.deps.db.insertInto('risk').values(rows).execute();
    await sql`analyze`.execute(t.deps.db);
  });
  afterAll(() => t?.close());

  async function planOf(qs: string): Promise<string> {
    const query = listRisksQuery.parse(Object.fromEntries(new URLSearchParams(qs)));
    const compiled = riskPageQuery(t.deps.db, scopeId, query, 25, 0).compile();
    if (dialect === 'sqlite') {
      const r = await t.deps.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
      );
      return r.rows.map((row) => row.detail).join('\n');
    }
    return t.deps.db.connection().execute(async (c) => {
      for (const setting of ['enable_seqscan', 'enable_bitmapscan', 'enable_sort'])
        await c.executeQuery(CompiledQuery.raw(`set ${setting} = off`));
      try {
        const r = await c.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
        return r.rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await c.executeQuery(CompiledQuery.raw('reset all'));
      }
    });
  }

  it.each([
    ['prioritised (the default)', '', 'risk_scope_priority_idx'],
    ['by current level, most severe first', 'sort=currentLevel', 'risk_scope_current_rank_idx'],
    ['by current level, ascending', 'sort=currentLevel&order=asc', 'risk_scope_current_rank_idx'],
    ['by inherent level', 'sort=inherentLevel', 'risk_scope_inherent_rank_idx'],
    ['by last change', 'sort=updatedAt', 'risk_scope_updated_id_idx'],
    ['prioritised, filtered by status', 'status=assessed', 'risk_scope_priority_idx'],
  ])('reads a page %s from an index, without a sort', async (_label, qs, index) => {
    const plan = await planOf(qs);
    expect(plan).toContain(index);
    if (dialect === 'sqlite') {
      expect(plan).not.toMatch(/SCAN risk\b(?! USING)/); // a full scan of the table
      expect(plan).not.toMatch(/TEMP B-TREE/); // a sort
    } else {
      expect(plan).not.toMatch(/Seq Scan on risk\b/);
      expect(plan).not.toMatch(/\bSort\b/);
    }
  });

  it('counts at most up to the cap: past it the total is the cap and says so', async () => {
    const query = listRisksQuery.parse({ pageSize: '5' });
    expect(await listRisks(t.deps.db, scopeId, query, 100)).toMatchObject({ total: 100, capped: true });
    const exact = await listRisks(t.deps.db, scopeId, query, 1000);
    expect(exact).toMatchObject({ total: 400, capped: false });
    expect(exact.rows).toHaveLength(5);
  });
});
