import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerifyCommand } from '../cli/audit.actions.ts';
import { openDatabase, runBeforeCommitWork } from '../db/database.ts';
import type { AuditPendingTable } from '../db/schema.ts';
import { createDeps } from '../deps.ts';
import { newId } from '../shared/ids.ts';
import { createScopeContext, dialects, type TestContext, type TestUser } from '../test/harness.ts';
import { createCheckpoint, sweepAuditCheckpoints } from './audit-checkpoint.ts';
import { loadSigningKey } from './audit-key.ts';
import { sealPending } from './audit-seal.ts';
import { appendAudit, verifyAuditChain } from './audit.service.ts';

/*
 * Sealing (audit-seal.ts): on PostgreSQL a transaction's entries are committed pending and sealed into the chain right
 * after the commit; entries a stopped process left pending are sealed by the next sealing (a write, the checkpoint
 * sweep, a checkpoint, `praxis audit verify`). A pending entry never makes the chain fail to verify, and the trail
 * stays one gapless chain when several processes write at once.
 */
describe.each(dialects)('audit entries sealed into the chain on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
  });
  afterAll(() => t.close());

  const entries = () => t.deps.db.selectFrom('audit_entry').selectAll().orderBy('seq').execute();
  const pendingCount = async () => (await t.deps.db.selectFrom('audit_pending').select('id').execute()).length;
  const gapless = (rows: { seq: number | string }[]) => rows.every((r, i) => Number(r.seq) === i + 1);
  const keys = () => ({ keys: [loadSigningKey(t.deps.config)] });

  /** Entries committed and left pending, as by a process stopped between its commit and the sealing. */
  async function leftPending(label: string, count: number): Promise<void> {
    const batch = newId();
    const rows: AuditPendingTable[] = Array.from({ length: count }, (_, n) => ({
      id: newId(),
      batch,
      n,
      at: new Date().toISOString(),
      actor_id: manager.id,
      actor_label: `${manager.name} <${manager.email}>`,
      scope_id: scopeId,
      action: 'update',
      record_type: 'isms_cycle',
      record_id: label,
      record_ref: null,
      changes: JSON.stringify({ number: { to: n } }),
    }));
    // stored in reverse: the order of sealing is the write's, not the rows'
    await t.deps.db.insertInto('audit_pending').values(rows.reverse()).execute();
  }

  it('seals entries left pending at the next verify, each write together and in its order, and never fails on them', async () => {
    const before = (await entries()).length;
    await leftPending('stopped-a', 3);
    await leftPending('stopped-b', 2);
    // not sealed yet: the chain as it is verifies
    expect(await verifyAuditChain(t.deps.db, keys())).toMatchObject({ ok: true, entries: before });
    const out = await auditVerifyCommand(t.deps);
    expect(out.stdout).toMatch(new RegExp(`^OK: ${before + 5} audit entries`));
    expect(await pendingCount()).toBe(0);
    const rows = (await entries()).slice(before);
    expect(rows.map((r) => [r.record_id, JSON.parse(r.changes).number.to])).toEqual([
      ['stopped-a', 0],
      ['stopped-a', 1],
      ['stopped-a', 2],
      ['stopped-b', 0],
      ['stopped-b', 1],
    ]);
    expect(rows.every((r) => r.signature && r.actor_id === manager.id)).toBe(true);
    expect(gapless(await entries())).toBe(true);
  });

  it('seals entries left pending before a checkpoint, and in the checkpoint sweep', async () => {
    await leftPending('before-checkpoint', 2);
    const checkpoint = await createCheckpoint(t.deps, 'command');
    const rows = await entries();
    expect(await pendingCount()).toBe(0);
    expect([Number(checkpoint!.seq), checkpoint!.hash]).toEqual([Number(rows.at(-1)!.seq), rows.at(-1)!.hash]);
    expect(rows.at(-1)!.record_id).toBe('before-checkpoint');

    await leftPending('before-sweep', 2);
    // whether it then signs a checkpoint depends on the day's last one; it seals first either way
    await sweepAuditCheckpoints(t.deps);
    expect(await pendingCount()).toBe(0);
    expect((await entries()).at(-1)!.record_id).toBe('before-sweep');
    expect(await verifyAuditChain(t.deps.db, keys())).toMatchObject({ ok: true });
  });

  it('has the entries of a write in the trail when the write answers; the next write seals what an earlier one left', async () => {
    const before = (await entries()).length;
    await leftPending('left-earlier', 1);
    const pendingInside = await t.deps.db.transaction().execute(async (tx) => {
      await appendAudit(tx, t.deps, manager.actor, {
        scopeId,
        action: 'update',
        recordType: 'isms_cycle',
        recordId: 'answered',
        changes: { number: { to: 1 } },
      });
      await runBeforeCommitWork(tx);
      return (await tx.selectFrom('audit_pending').select('id').where('record_id', '=', 'answered').execute()).length;
    });
    // PostgreSQL: pending inside the transaction, sealed after its commit; SQLite: sealed inside it
    expect(pendingInside).toBe(dialect === 'postgres' ? 1 : 0);
    const ids = (await entries()).slice(before).map((r) => r.record_id);
    expect(ids).toContain('answered');
    if (dialect === 'postgres') {
      expect(ids).toEqual(['left-earlier', 'answered']);
      expect(await pendingCount()).toBe(0);
    } else {
      // SQLite writes only sealed entries; what a restore brought pending waits for the next verify or checkpoint
      expect(await sealPending(t.deps)).toBe(1);
    }
    expect(gapless(await entries())).toBe(true);
  });

  it('seals a bulk write (an import) inside its own transaction on both databases, in order and without a gap', async () => {
    const before = (await entries()).length;
    const pendingInside = await t.deps.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 150; i++) {
        await appendAudit(tx, t.deps, manager.actor, {
          scopeId,
          action: 'update',
          recordType: 'isms_cycle',
          recordId: 'bulk',
          changes: { number: { to: i } },
        });
      }
      await runBeforeCommitWork(tx);
      return (await tx.selectFrom('audit_pending').select('id').execute()).length;
    });
    expect(pendingInside).toBe(0);
    const rows = (await entries()).slice(before);
    expect(rows.map((r) => JSON.parse(r.changes).number.to)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(gapless(await entries())).toBe(true);
    expect(await verifyAuditChain(t.deps.db, keys())).toMatchObject({ ok: true });
  });

  /** Makes every insert into `table` fail until the returned function is called (a full disk, a broken constraint). */
  async function failInserts(table: 'audit_pending' | 'audit_entry'): Promise<() => Promise<void>> {
    await sql`create function seal_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`.execute(
      t.deps.db,
    );
    await sql`create trigger seal_test_refuse before insert on ${sql.table(table)} for each row execute function seal_test_refuse()`.execute(
      t.deps.db,
    );
    return async () => {
      await sql`drop trigger seal_test_refuse on ${sql.table(table)}`.execute(t.deps.db);
      await sql`drop function seal_test_refuse()`.execute(t.deps.db);
    };
  }

  const writeOne = async (recordId: string) => {
    await sql`create table if not exists seal_probe (id text primary key)`.execute(t.deps.db);
    await t.deps.db.transaction().execute(async (tx) => {
      await appendAudit(tx, t.deps, manager.actor, {
        scopeId,
        action: 'update',
        recordType: 'isms_cycle',
        recordId,
        changes: { number: { to: 1 } },
      });
      // a change of the write's own, so that its rollback shows
      await sql`insert into seal_probe (id) values (${recordId})`.execute(tx);
    });
  };

  // PostgreSQL sends a transaction's pending entries with its commit, and the sealing's insert with the sealing's commit
  it.runIf(dialect === 'postgres')('fails a write whose entries cannot be written and keeps nothing of it', async () => {
    const before = (await entries()).length;
    const allow = await failInserts('audit_pending');
    try {
      await expect(writeOne('refused-write')).rejects.toThrow('refused by the test');
    } finally {
      await allow();
    }
    expect(await sql`select id from seal_probe`.execute(t.deps.db).then((r) => r.rows)).toEqual([]);
    expect(await pendingCount()).toBe(0);
    expect((await entries()).length).toBe(before);
    // the connection is usable again and the next write goes through
    await writeOne('after-refused');
    expect((await entries()).at(-1)!.record_id).toBe('after-refused');
  });

  it.runIf(dialect === 'postgres')('keeps the entries pending when the sealing fails, and the next sealing takes them', async () => {
    const before = (await entries()).length;
    const allow = await failInserts('audit_entry');
    try {
      // the write is committed and answers; its entry stays pending (the sealing's delete rolled back with its insert)
      await writeOne('sealing-refused');
      expect(await pendingCount()).toBe(1);
      expect((await entries()).length).toBe(before);
    } finally {
      await allow();
    }
    expect(await sealPending(t.deps)).toBe(1);
    const rows = await entries();
    expect(rows.at(-1)!.record_id).toBe('sealing-refused');
    expect(gapless(rows)).toBe(true);
    expect(await verifyAuditChain(t.deps.db, keys())).toMatchObject({ ok: true, entries: rows.length });
  });

  it.runIf(dialect === 'postgres')(
    'seals in five statements: begin, the lock, the entries with the chain end, the insert, commit',
    async () => {
      const counter = t.db.database.queryCounter;
      const sealing = counter.afterCommit;
      await writeOne('counted');
      expect(counter.afterCommit - sealing).toBe(5);
      expect((await entries()).at(-1)!.record_id).toBe('counted');
    },
  );

  // two processes as two pools on one database (SQLite's in-process connections would block each other's thread)
  it.runIf(dialect === 'postgres')('stays one gapless chain when two processes write at once', async () => {
    const other = openDatabase(t.db.config, { poolSize: 4 });
    const otherDeps = createDeps(t.db.config, other);
    try {
      const before = (await entries()).length;
      const write = (deps: typeof t.deps, w: number) =>
        deps.db.transaction().execute(async (tx) => {
          for (let i = 0; i < 2; i++) {
            await appendAudit(tx, deps, manager.actor, {
              scopeId,
              action: 'update',
              recordType: 'isms_cycle',
              recordId: `process-writer-${w}`,
              changes: { number: { to: i } },
            });
          }
        });
      await Promise.all(Array.from({ length: 30 }, (_, w) => write(w % 2 ? otherDeps : t.deps, w)));
      await sealPending(otherDeps);
      const rows = await entries();
      expect(rows.length).toBe(before + 60);
      expect(gapless(rows)).toBe(true);
      for (let w = 0; w < 30; w++) {
        const mine = rows.filter((r) => r.record_id === `process-writer-${w}`);
        expect(Number(mine[1]!.seq) - Number(mine[0]!.seq)).toBe(1);
      }
      expect(await verifyAuditChain(t.deps.db, keys())).toMatchObject({ ok: true, entries: rows.length });
    } finally {
      await other.destroy();
    }
  });
});
