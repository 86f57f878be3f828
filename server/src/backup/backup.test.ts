import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey } from '../audit/audit-key.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { auditVerifyCommand } from '../cli/audit.actions.ts';
import { backupCommand, restoreCommand } from '../cli/backup.actions.ts';
import type { DialectName } from '../config.ts';
import { seedDemo } from '../demo/demo.service.ts';
import { multipartBody } from '../files/multipart-body.ts';
import { openFile } from '../files/file-store.ts';
import { createScopeContext, createTestContext, dialects, json, TEST_PASSWORD, type TestContext, type TestUser } from '../test/harness.ts';
import { createBackup, restoreBackup } from './backup.service.ts';
import { describeTables } from './table-graph.ts';

/** A context whose stored files live in a directory of its own (the PostgreSQL harness shares the temp directory). */
function ownStore(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-backup-store-'));
  t.deps.config.dataDir = dir;
  return dir;
}

/** Every table's rows, in a form both databases agree on (booleans as 0/1), sorted. */
async function tableContents(t: TestContext): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of await describeTables(t.deps.db, t.dialect)) {
    const rows = await t.deps.db
      .selectFrom(table.name as 'audit_entry')
      .selectAll()
      .execute();
    out[table.name] = rows
      .map((row) =>
        JSON.stringify(
          Object.fromEntries(
            Object.entries(row)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, v]: [string, unknown]) => [k, v === true ? 1 : v === false ? 0 : v]),
          ),
        ),
      )
      .sort();
  }
  return out;
}

const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

const directions: [DialectName, DialectName][] = [
  ['sqlite', 'postgres'],
  ['postgres', 'sqlite'],
];

describe.each(directions)('backup on %s, restored into %s', (from, to) => {
  let source: TestContext;
  let target: TestContext;
  let manager: TestUser;
  let scopeId: string;
  const dirs: string[] = [];
  let archive: string;

  beforeAll(async () => {
    ({ t: source, scopeId, manager } = await createScopeContext(from));
    target = await createTestContext(to);
    dirs.push(ownStore(source), ownStore(target), fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-backup-')));
    archive = path.join(dirs[2]!, 'praxis.tar.gz');
    await seedDemo(source.deps, manager.actor, scopeId);
    // a stored file, referred to by an evidence record
    const control = json(
      await source.app.inject({
        method: 'POST',
        url: `/api/scopes/${scopeId}/controls`,
        headers: manager.headers,
        payload: { title: 'Backups are tested' },
      }),
    );
    const body = multipartBody(
      { name: 'restore-test.pdf', content: pdf },
      { title: 'Restore test', evidenceDate: '2026-02-27', controlIds: control.id },
    );
    const uploaded = await source.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/evidence`,
      headers: { ...manager.headers, ...body.headers },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
  }, 300_000);
  afterAll(async () => {
    await source.close();
    await target.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('moves the installation: every table identical, the trail verifies, the files are there, people sign in', {
    timeout: 300_000,
  }, async () => {
    const written = await backupCommand(source.deps, archive);
    expect(written.stdout).toMatch(
      /^Backup written to .*praxis\.tar\.gz \(\d+\.\d MB\): \d+ tables with [\d,]+ rows, 1 stored file, [\d,]+ audit entries\n$/,
    );
    await expect(createBackup(source.deps, archive)).rejects.toThrow(/already exists; choose another name/);
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dirs[2]!)).toEqual(['praxis.tar.gz']);

    const restored = await restoreCommand(target.deps, archive);
    const names = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
    expect(restored.stdout).toMatch(
      new RegExp(
        `^Restored a ${names[from]} backup into ${names[to]}: .* \\(hash chain intact, checkpoint at entry \\d+ signed with this installation's key\\)`,
      ),
    );

    const [before, after] = await Promise.all([tableContents(source), tableContents(target)]);
    // the restore adds its own signed checkpoint, nothing else
    const restoreCheckpoints = (await target.deps.db.selectFrom('audit_checkpoint').selectAll().where('reason', '=', 'restore').execute())
      .length;
    expect(restoreCheckpoints).toBe(1);
    after.audit_checkpoint = after.audit_checkpoint!.filter((r) => !r.includes('"reason":"restore"'));
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);
    expect(before.asset!.length).toBeGreaterThan(5);
    expect(before.audit_entry!.length).toBeGreaterThan(50);

    // the trail verifies with the new installation's key (its checkpoint covers what the old key signed)
    const trail = await verifyAuditChain(target.deps.db, { keys: [loadSigningKey(target.deps.config)] });
    expect(trail).toMatchObject({ ok: true, entries: before.audit_entry!.length, signed: 0, coveredOnly: before.audit_entry!.length });
    expect((await auditVerifyCommand(target.deps)).stdout).toMatch(
      /^OK: \d+ audit entries, hash chain intact, 0 signatures valid \(\d+ entries unsigned or signed by an earlier installation's key, vouched for by a checkpoint\), signed checkpoints hold up to entry \d+\n$/,
    );

    const blobs = await target.deps.db.selectFrom('file_blob').select('sha256').execute();
    expect(blobs).toHaveLength(1);
    const file = await openFile(target.deps, blobs[0]!.sha256);
    const content = await buffer(file.stream);
    expect(createHash('sha256').update(content).digest('hex')).toBe(blobs[0]!.sha256);
    expect(fs.existsSync(path.join(target.deps.config.dataDir, 'files'))).toBe(true);

    const login = await target.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: manager.email, password: TEST_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    const assets = await target.app.inject({
      method: 'GET',
      url: `/api/scopes/${scopeId}/assets?pageSize=1`,
      headers: { cookie: `praxis_session=${login.cookies[0]!.value}` },
    });
    expect(json(assets).total).toBe(before.asset!.length);

    // a second restore finds the installation in use
    await expect(restoreBackup(target.deps, archive)).rejects.toThrow(
      /This installation is not empty \(\d+ users, 1 scope, and \d+ audit trail entries\)/,
    );
  });

  it('refuses a damaged archive, a file that is not a backup and a missing file, and writes nothing', async () => {
    const fresh = await createTestContext(to);
    const freshDir = ownStore(fresh);
    try {
      await expect(restoreBackup(fresh.deps, path.join(dirs[2]!, 'none.tar.gz'))).rejects.toThrow(/No backup file/);
      const other = path.join(dirs[2]!, 'other.tar.gz');
      fs.writeFileSync(other, 'not an archive');
      await expect(restoreBackup(fresh.deps, other)).rejects.toThrow(/is not a Praxis backup/);
      // one row changed inside the archive: its table no longer matches the manifest
      const tar = zlib.gunzipSync(fs.readFileSync(archive));
      const at = tar.indexOf(Buffer.from('"name":"'));
      tar[at + 8] = tar[at + 8] === 0x41 ? 0x42 : 0x41;
      const damaged = path.join(dirs[2]!, 'damaged.tar.gz');
      fs.writeFileSync(damaged, zlib.gzipSync(tar));
      await expect(restoreBackup(fresh.deps, damaged)).rejects.toThrow(/The backup is damaged: db\/\w+\.jsonl does not match its SHA-256/);
      expect(await fresh.deps.db.selectFrom('app_user').select('id').execute()).toEqual([]);
    } finally {
      await fresh.close();
      fs.rmSync(freshDir, { recursive: true, force: true });
    }
  });
});

describe.each(dialects)('backup while people write, on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  const dirs: string[] = [];

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    dirs.push(ownStore(t), fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-backup-')));
  });
  afterAll(async () => {
    await t.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('is one consistent moment: every asset in the archive has its audit entry and the trail verifies', { timeout: 300_000 }, async () => {
    let writing = true;
    let created = 0;
    const writer = (async () => {
      while (writing) {
        const r = await t.app.inject({
          method: 'POST',
          url: `/api/scopes/${scopeId}/assets`,
          headers: manager.headers,
          payload: { name: `Written during the backup ${created}`, type: 'system' },
        });
        expect(r.statusCode).toBe(201);
        created += 1;
      }
    })();
    // let some writes land first, then back up while they go on
    while (created < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    const archive = path.join(dirs[1]!, 'during.tar.gz');
    await createBackup(t.deps, archive);
    const atBackup = created;
    while (created < atBackup + 5) await new Promise((resolve) => setTimeout(resolve, 10));
    writing = false;
    await writer;

    const copy = await createTestContext(dialect);
    const copyDir = ownStore(copy);
    try {
      await restoreBackup(copy.deps, archive);
      const assets = await copy.deps.db.selectFrom('asset').select('id').execute();
      const entries = await copy.deps.db
        .selectFrom('audit_entry')
        .select('record_id')
        .where('record_type', '=', 'asset')
        .where('action', '=', 'create')
        .execute();
      expect(new Set(entries.map((e) => e.record_id))).toEqual(new Set(assets.map((a) => a.id)));
      expect(assets.length).toBeGreaterThanOrEqual(5);
      expect(assets.length).toBeLessThan(created);
      expect((await verifyAuditChain(copy.deps.db, { keys: [loadSigningKey(copy.deps.config)] })).ok).toBe(true);
    } finally {
      await copy.close();
      fs.rmSync(copyDir, { recursive: true, force: true });
    }
  });
});
