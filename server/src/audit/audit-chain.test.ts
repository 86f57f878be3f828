import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScopeContext, dialects, json, type TestContext, type TestUser } from '../test/harness.ts';
import { appendAudit, verifyAuditChain } from './audit.service.ts';

describe.each(dialects)('audit trail hash chain on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scopeId}/assets`,
        headers: manager.headers,
        payload: { name: `Asset ${i}`, type: 'system' },
      });
    }
  });
  afterAll(() => t.close());

  const entries = () => t.deps.db.selectFrom('audit_entry').selectAll().orderBy('seq').execute();
  /** Runs a tampering statement, verifies, and undoes it (each case starts from an intact chain). */
  async function tampered(change: () => Promise<void>) {
    const snapshot = await entries();
    await change();
    const result = await verifyAuditChain(t.deps.db);
    await t.deps.db.deleteFrom('audit_entry').execute();
    await t.deps.db.insertInto('audit_entry').values(snapshot).execute();
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
    return result;
  }

  it('is contiguous and verifies', async () => {
    const rows = await entries();
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(await verifyAuditChain(t.deps.db)).toMatchObject({ ok: true, entries: rows.length });
  });

  it('finds an edited entry', async () => {
    const r = await tampered(async () => {
      await t.deps.db.updateTable('audit_entry').set({ changes: '{"name":{"to":"forged"}}' }).where('seq', '=', 7).execute();
    });
    expect(r).toMatchObject({ ok: false, seq: 7 });
    expect(!r.ok && r.problem).toMatch(/edited/);
  });

  it('finds a deleted entry', async () => {
    const r = await tampered(async () => {
      await t.deps.db.deleteFrom('audit_entry').where('seq', '=', 5).execute();
    });
    expect(r).toMatchObject({ ok: false, seq: 5 });
    expect(!r.ok && r.problem).toMatch(/missing/);
  });

  it('finds reordered entries', async () => {
    const r = await tampered(async () => {
      // swap the contents of entries 3 and 4, keeping their positions
      await t.deps.db.updateTable('audit_entry').set({ seq: -3 }).where('seq', '=', 3).execute();
      await t.deps.db.updateTable('audit_entry').set({ seq: 3 }).where('seq', '=', 4).execute();
      await t.deps.db.updateTable('audit_entry').set({ seq: 4 }).where('seq', '=', -3).execute();
    });
    expect(r).toMatchObject({ ok: false, seq: 3 });
  });

  it('finds an entry that was edited and re-hashed, at the next entry', async () => {
    const r = await tampered(async () => {
      const row = (await entries())[5]!;
      await t.deps.db
        .updateTable('audit_entry')
        .set({ hash: 'f'.repeat(64), changes: '{}' })
        .where('seq', '=', row.seq)
        .execute();
    });
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && [6, 7]).toContain(!r.ok && r.seq);
  });

  it('writes no entry and no record when the transaction fails', async () => {
    const before = (await entries()).length;
    const assetsBefore = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/assets`, headers: manager.headers })).total;
    await expect(
      t.deps.db.transaction().execute(async (tx) => {
        await appendAudit(tx, t.deps, manager.actor, { scopeId, action: 'create', recordType: 'asset', recordId: 'x', changes: {} });
        throw new Error('failure after the audit entry');
      }),
    ).rejects.toThrow('failure after the audit entry');
    const invalid = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/assets`,
      headers: manager.headers,
      payload: { name: 'x', type: 'system', dependsOn: ['01900000-0000-7000-8000-000000000000'] },
    });
    expect(invalid.statusCode).toBe(400);
    expect((await entries()).length).toBe(before);
    expect(json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/assets`, headers: manager.headers })).total).toBe(
      assetsBefore,
    );
  });

  it('stays a chain under concurrent writers', async () => {
    const before = (await entries()).length;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: `/api/scopes/${scopeId}/assets`,
          headers: manager.headers,
          payload: { name: `Parallel ${i}`, type: 'service' },
        }),
      ),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    const rows = await entries();
    expect(rows.length).toBe(before + 20);
    expect(new Set(results.map((r) => json(r).reference)).size).toBe(20);
    expect(await verifyAuditChain(t.deps.db)).toMatchObject({ ok: true, entries: rows.length });
    const n = await sql<{ n: number }>`select count(distinct prev_hash) as n from audit_entry`.execute(t.deps.db);
    expect(Number(n.rows[0]!.n)).toBe(rows.length);
  });
});
