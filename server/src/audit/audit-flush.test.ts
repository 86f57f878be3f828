import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Tx, withSavepoint } from '../db/database.ts';
import { multipartBody } from '../files/multipart-body.ts';
import { createScopeContext, dialects, json, type TestContext, type TestUser } from '../test/harness.ts';
import { loadSigningKey } from './audit-key.ts';
import { type AuditRecord, appendAudit, verifyAuditChain } from './audit.service.ts';

/*
 * The entries a transaction asks for are written together as its last work before the commit (audit.service.ts
 * flushAuditTx): these tests hold that the trail stays one gapless chain that verifies whatever writes run at once,
 * that a transaction's entries are contiguous and in the order asked, that a rolled-back transaction leaves none, that a
 * transaction not opened by db.transaction() cannot lose an entry silently, and that threshold checkpoints fall on the
 * right entries when one write crosses the threshold.
 */
describe.each(dialects)('audit entries written at the commit on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
  });
  afterAll(() => t.close());

  const entries = () => t.deps.db.selectFrom('audit_entry').selectAll().orderBy('seq').execute();
  const record = (recordId: string, n = 0): AuditRecord => ({
    scopeId,
    action: 'update',
    recordType: 'isms_cycle',
    recordId,
    changes: { number: { to: n } },
  });
  const gapless = (rows: { seq: number | string }[]) => rows.every((r, i) => Number(r.seq) === i + 1);

  it("writes a transaction's entries at its commit, contiguous and in the order asked", async () => {
    const before = (await entries()).length;
    const seenInside = await t.deps.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 3; i++) await appendAudit(tx, t.deps, manager.actor, record('ordered', i));
      // not yet written: the chain's lock is taken only at the end
      return (await tx.selectFrom('audit_entry').select('seq').execute()).length;
    });
    expect(seenInside).toBe(before);
    const rows = (await entries()).slice(before);
    expect(rows.map((r) => JSON.parse(r.changes).number.to)).toEqual([0, 1, 2]);
    expect(rows.map((r) => Number(r.seq))).toEqual([before + 1, before + 2, before + 3]);
    expect(rows.every((r) => r.actor_id === manager.id && r.signature)).toBe(true);
    expect(await verifyAuditChain(t.deps.db)).toMatchObject({ ok: true, entries: before + 3 });
  });

  it('leaves no entry for a transaction that rolls back, also after a checkpoint wrote its entries early', async () => {
    const before = (await entries()).length;
    await expect(
      t.deps.db.transaction().execute(async (tx) => {
        await appendAudit(tx, t.deps, manager.actor, record('rolled-back'));
        await (await import('./audit-checkpoint.ts')).createCheckpointTx(tx, t.deps, 'command');
        await appendAudit(tx, t.deps, manager.actor, record('rolled-back', 1));
        throw new Error('refused after the entries');
      }),
    ).rejects.toThrow('refused after the entries');
    expect((await entries()).length).toBe(before);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('writes the pending entries before a checkpoint inside the same transaction, so that it signs the real end', async () => {
    const before = (await entries()).length;
    const { createCheckpointTx } = await import('./audit-checkpoint.ts');
    const checkpoint = await t.deps.db.transaction().execute(async (tx) => {
      await appendAudit(tx, t.deps, manager.actor, record('before-checkpoint', 0));
      await appendAudit(tx, t.deps, manager.actor, record('before-checkpoint', 1));
      const made = await createCheckpointTx(tx, t.deps, 'command');
      await appendAudit(tx, t.deps, manager.actor, record('after-checkpoint'));
      return made;
    });
    const rows = await entries();
    expect(rows.length).toBe(before + 3);
    const end = rows[before + 1]!;
    expect(end.record_id).toBe('before-checkpoint');
    expect([Number(checkpoint!.seq), checkpoint!.hash]).toEqual([Number(end.seq), end.hash]);
    expect(rows[before + 2]!.record_id).toBe('after-checkpoint');
    expect((await verifyAuditChain(t.deps.db, { keys: [loadSigningKey(t.deps.config)] })).ok).toBe(true);
  });

  it('takes back the entries asked for inside a savepoint that is rolled back, also when a checkpoint wrote them', async () => {
    const before = (await entries()).length;
    const { createCheckpointTx } = await import('./audit-checkpoint.ts');
    await t.deps.db.transaction().execute(async (tx) => {
      await appendAudit(tx, t.deps, manager.actor, record('kept', 0));
      await expect(
        withSavepoint(tx, async () => {
          await appendAudit(tx, t.deps, manager.actor, record('taken-back', 0));
          throw new Error('row refused');
        }),
      ).rejects.toThrow('row refused');
      await expect(
        withSavepoint(tx, async () => {
          await appendAudit(tx, t.deps, manager.actor, record('taken-back', 1));
          await createCheckpointTx(tx, t.deps, 'command');
          await appendAudit(tx, t.deps, manager.actor, record('taken-back', 2));
          throw new Error('row refused after a checkpoint');
        }),
      ).rejects.toThrow('row refused after a checkpoint');
      await withSavepoint(tx, () => appendAudit(tx, t.deps, manager.actor, record('kept', 1)));
    });
    const rows = (await entries()).slice(before);
    expect(rows.map((r) => [r.record_id, JSON.parse(r.changes).number.to])).toEqual([
      ['kept', 0],
      ['kept', 1],
    ]);
    expect(gapless(await entries())).toBe(true);
    expect((await verifyAuditChain(t.deps.db, { keys: [loadSigningKey(t.deps.config)] })).ok).toBe(true);
  });

  it('fails loudly for a transaction that could not write its entries', async () => {
    // a copy of the transaction (another Kysely object) is not the transaction that writes the entries at its commit
    await expect(
      t.deps.db.transaction().execute(async (tx) => {
        await appendAudit(
          tx.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => a.result }) as Tx,
          t.deps,
          null,
          record('copy'),
        );
      }),
    ).rejects.toThrow(/not opened by db.transaction\(\)/);
    // nor is a transaction that has finished
    let finished: Tx | undefined;
    await t.deps.db.transaction().execute(async (tx) => {
      finished = tx;
    });
    await expect(appendAudit(finished!, t.deps, null, record('late'))).rejects.toThrow(/has finished/);
    expect((await entries()).some((r) => r.record_id === 'copy' || r.record_id === 'late')).toBe(false);
  });

  it('stays one gapless chain under 50 writers at once, each transaction with its entries together', async () => {
    const before = (await entries()).length;
    const writers = Array.from({ length: 50 }, (_, w) =>
      w % 2 === 0
        ? t.app.inject({
            method: 'POST',
            url: `/api/scopes/${scopeId}/assets`,
            headers: manager.headers,
            payload: { name: `Writer ${w}`, type: 'service', tags: ['parallel'] },
          })
        : t.deps.db.transaction().execute(async (tx) => {
            for (let i = 0; i < 3; i++) await appendAudit(tx, t.deps, manager.actor, record(`writer-${w}`, i));
          }),
    );
    const results = await Promise.all(writers);
    for (const r of results) if (r && 'statusCode' in r) expect(r.statusCode).toBe(201);
    const rows = await entries();
    expect(rows.length).toBe(before + 25 + 25 * 3);
    expect(gapless(rows)).toBe(true);
    expect(await verifyAuditChain(t.deps.db)).toMatchObject({ ok: true, entries: rows.length });
    // the three entries of each transaction are consecutive, in the order asked
    for (let w = 1; w < 50; w += 2) {
      const mine = rows.filter((r) => r.record_id === `writer-${w}`);
      expect(mine.map((r) => JSON.parse(r.changes).number.to)).toEqual([0, 1, 2]);
      expect(Number(mine[2]!.seq) - Number(mine[0]!.seq)).toBe(2);
    }
  });

  it('makes a threshold checkpoint at each multiple of N that one transaction crosses', async () => {
    const every = t.deps.config.auditCheckpointEvery;
    t.deps.config.auditCheckpointEvery = 5;
    try {
      const before = (await entries()).length;
      await t.deps.db.transaction().execute(async (tx) => {
        for (let i = 0; i < 12; i++) await appendAudit(tx, t.deps, manager.actor, record('threshold', i));
      });
      const rows = await entries();
      const expected = rows.filter((r) => Number(r.seq) > before && Number(r.seq) % 5 === 0);
      expect(expected.length).toBeGreaterThanOrEqual(2);
      const checkpoints = await t.deps.db
        .selectFrom('audit_checkpoint')
        .select(['seq', 'hash'])
        .where('reason', '=', 'threshold')
        .where('seq', '>', before)
        .orderBy('seq')
        .execute();
      expect(checkpoints.map((c) => [Number(c.seq), c.hash])).toEqual(expected.map((r) => [Number(r.seq), r.hash]));
    } finally {
      t.deps.config.auditCheckpointEvery = every;
    }
  });

  it('gives an import of N rows N entries in the order of its rows, and the chain verifies', async () => {
    const before = (await entries()).length;
    const n = 120;
    const csv = [
      'Name,Type,Confidentiality,Tags',
      ...Array.from({ length: n }, (_, i) => `Imported ${i},system,${i === 7 ? 'very_high' : 'normal'},bulk`),
    ];
    const body = multipartBody({ name: 'assets.csv', content: Buffer.from(`${csv.join('\n')}\n`) }, { dryRun: 'false' });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/imports/assets`,
      headers: { ...manager.headers, ...body.headers },
      payload: body.payload,
    });
    expect(res.statusCode).toBe(200);
    expect(json(res).summary.created).toBe(n);
    const rows = (await entries()).slice(before);
    const created = rows.filter((r) => r.record_type === 'asset' && r.action === 'create');
    expect(created.map((r) => JSON.parse(r.changes).name.to)).toEqual(Array.from({ length: n }, (_, i) => `Imported ${i}`));
    expect(created.map((r) => r.record_ref)).toEqual([...created.map((r) => r.record_ref)].sort());
    expect(gapless(await entries())).toBe(true);
    expect(await verifyAuditChain(t.deps.db)).toMatchObject({ ok: true });
  });
});
