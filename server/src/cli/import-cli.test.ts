import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createTestContext, dialects, type TestContext } from '../test/harness.ts';
import { assetImportCommand } from './import.cli.ts';

describe.each(dialects)('praxis import assets on %s', (dialect) => {
  let t: TestContext;
  let tmp: string;
  let scope: { id: string; name: string };
  let managerEmail: string;
  beforeAll(async () => {
    t = await createTestContext(dialect);
    const s = await buildScope(t.deps, { name: 'CLI import scope' });
    scope = s.scope;
    managerEmail = s.manager.email;
    await buildUser(t.deps, { name: 'Owner Person', memberships: [[scope.id, 'contributor']] });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-import-'));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const count = async () =>
    Number(
      (
        await t.deps.db
          .selectFrom('asset')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('scope_id', '=', scope.id)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('dry-runs, refuses with reasons and exit code 2, then imports with a given mapping', async () => {
    const file = path.join(tmp, 'assets.csv');
    fs.writeFileSync(file, 'Asset,Kind,Person,Conf\nFile server,system,Owner Person,high\nBadge reader,system,Nobody,4\n');
    const mapping = JSON.stringify({ Asset: 'name', Kind: 'type', Person: 'owner', Conf: 'confidentiality' });
    const dry = await assetImportCommand(t.deps, { file, scope: scope.name, dryRun: true, mapping, as: managerEmail });
    expect(dry.exitCode).toBe(2);
    expect(dry.stdout).toContain('Dry run of assets.csv into scope "CLI import scope"');
    expect(dry.stdout).toContain('line 3 (Badge reader): "4" in column "Conf" is not a protection level');
    expect(dry.stdout).toContain('No member of this scope is "Nobody"');
    const refused = await assetImportCommand(t.deps, { file, scope: scope.id, mapping, as: managerEmail });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('1 row of the file is refused; nothing was imported');
    expect(await count()).toBe(0);

    fs.writeFileSync(file, 'Asset,Kind,Person,Conf\nFile server,system,Owner Person,high\nBadge reader,system,,3\n');
    const done = await assetImportCommand(t.deps, { file, scope: scope.name, mapping, as: managerEmail });
    expect(done.exitCode).toBeUndefined();
    expect(done.stdout).toContain('Imported assets.csv');
    expect(done.stdout).toContain('created:   2');
    expect(await count()).toBe(2);
    await expect(assetImportCommand(t.deps, { file, scope: 'No such scope', as: managerEmail })).rejects.toThrow(
      'No scope "No such scope"',
    );
    await expect(assetImportCommand(t.deps, { file, scope: scope.name, mapping: '{', as: managerEmail })).rejects.toThrow(
      'The column mapping is not valid JSON',
    );
  });
});
