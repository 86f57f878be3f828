import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createTestContext, dialects, type TestContext } from '../test/harness.ts';
import { assetImportCommand, importCommand } from './import.cli.ts';

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

  it("words the dry run, its refusals and an error naming the option in the acting user's language, else the locale", async () => {
    const file = path.join(tmp, 'assets-de.csv');
    fs.writeFileSync(file, 'Asset,Kind,Person,Conf\nMail server,system,Owner Person,high\nDoor reader,system,Nobody,4\n');
    const mapping = JSON.stringify({ Asset: 'name', Kind: 'type', Person: 'owner', Conf: 'confidentiality' });
    const before = await count();
    const dryRun = (env: NodeJS.ProcessEnv) =>
      assetImportCommand(t.deps, { file, scope: scope.name, dryRun: true, mapping, as: managerEmail }, env);

    // no language setting: the shell's locale decides
    const german = await dryRun({ LANG: 'de_DE.UTF-8' });
    expect(german.exitCode).toBe(2);
    expect(german.stdout.split('\n')).toEqual([
      'Probelauf von assets-de.csv für den Geltungsbereich „CLI import scope“',
      '  Spalten:     Asset → Name [name], Kind → Typ [type], Person → Verantwortlich (E-Mail oder Name) [owner], Conf → Vertraulichkeit [confidentiality] (Zuordnung wie angegeben)',
      '  Zeilen:      2',
      '  neu:         1',
      '  geändert:    0',
      '  unverändert: 0',
      '  abgelehnt:   1',
      expect.stringMatching(/^ {2}Zeile 3 \(Door reader\): .*„4“.*„Conf“.*; .*„Nobody“/),
      '',
    ]);
    expect(await count()).toBe(before);
    await expect(
      assetImportCommand(t.deps, { file, scope: scope.name, mapping: '{', as: managerEmail }, { LANG: 'de_DE.UTF-8' }),
    ).rejects.toThrow(/^--mapping: Die Spaltenzuordnung ist kein gültiges JSON$/);
    await expect(assetImportCommand(t.deps, { file, scope: 'Nirgends', as: managerEmail }, { LC_ALL: 'de_AT.UTF-8' })).rejects.toThrow(
      /^Kein Geltungsbereich „Nirgends“$/,
    );
    // the refusal of the whole import, in German on stderr, beside the report
    const refused = await assetImportCommand(t.deps, { file, scope: scope.name, mapping, as: managerEmail }, { LANG: 'de_DE.UTF-8' });
    expect(refused.stderr).toMatch(/^praxis: 1 Zeile der Datei wird abgelehnt; nichts wurde importiert/);
    expect(refused.stdout).toMatch(/^Nicht importiert: assets-de\.csv/);

    // the acting user's setting comes before the locale
    const manager = await t.deps.db.selectFrom('app_user').select('id').where('email', '=', managerEmail).executeTakeFirstOrThrow();
    await t.deps.db.updateTable('app_user').set({ language: 'en' }).where('id', '=', manager.id).execute();
    const english = await dryRun({ LANG: 'de_DE.UTF-8' });
    expect(english.stdout).toMatch(/^Dry run of assets-de\.csv into scope "CLI import scope"\n {2}columns: {3}Asset → Name \[name\]/);
    expect(english.stdout).toContain('line 3 (Door reader): "4" in column "Conf" is not a protection level');
    await t.deps.db.updateTable('app_user').set({ language: 'de' }).where('id', '=', manager.id).execute();
    expect((await dryRun({})).stdout).toMatch(/^Probelauf von assets-de\.csv/);
    await t.deps.db.updateTable('app_user').set({ language: null }).where('id', '=', manager.id).execute();
  });
});

describe.each(dialects)('praxis import risks and controls on %s', (dialect) => {
  let t: TestContext;
  let tmp: string;
  let scope: { id: string; name: string };
  let managerEmail: string;
  beforeAll(async () => {
    t = await createTestContext(dialect);
    const s = await buildScope(t.deps, { name: 'CLI register scope' });
    scope = s.scope;
    managerEmail = s.manager.email;
    await buildUser(t.deps, { name: 'Risk Person', memberships: [[scope.id, 'contributor']] });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-import-'));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const count = async (table: 'risk' | 'control') =>
    Number(
      (
        await t.deps.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('scope_id', '=', scope.id)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('praxis import risks FILE --dry-run reports and writes nothing; the import creates through the risk service', async () => {
    const file = path.join(tmp, 'risks.csv');
    fs.writeFileSync(file, 'Title,Threat,Owner,Likelihood,Impact\nPhishing,G 0.14,Risk Person,2,3\nFlood,G 0.99,,9,1\n');
    const dry = await importCommand(t.deps, 'risks', { file, scope: scope.name, dryRun: true, as: managerEmail });
    expect(dry.exitCode).toBe(2);
    expect(dry.stdout).toContain('Dry run of risks.csv into scope "CLI register scope"');
    expect(dry.stdout).toContain('line 3 (Flood): No threat of the catalog or of this scope is "G 0.99"');
    expect(dry.stdout).toContain('"9" in column "Likelihood" is not on the scope\'s scale');
    expect(await count('risk')).toBe(0);

    fs.writeFileSync(file, 'Title,Threat,Owner,Likelihood,Impact\nPhishing,G 0.14,Risk Person,2,3\nFlood,G 0.8,,1,1\n');
    const progress: number[] = [];
    const done = await importCommand(t.deps, 'risks', { file, scope: scope.id, as: managerEmail, onProgress: (n) => progress.push(n) });
    expect(done.exitCode).toBeUndefined();
    expect(done.stdout).toContain('created:   2');
    expect(progress.at(-1)).toBe(2);
    expect(await count('risk')).toBe(2);
  });

  it('praxis import controls FILE imports with a given mapping', async () => {
    const file = path.join(tmp, 'controls.csv');
    fs.writeFileSync(file, 'Massnahme;Stand;Anhang\nBackups;implemented;A.8.13\nPatching;planned;A.8.8\n');
    const mapping = JSON.stringify({ Massnahme: 'title', Stand: 'status', Anhang: 'requirements' });
    const done = await importCommand(t.deps, 'controls', { file, scope: scope.name, mapping, as: managerEmail });
    expect(done.stdout).toContain('Imported controls.csv');
    // a field as the import wizard names it, and as --mapping takes it
    expect(done.stdout).toContain('Anhang → Requirements (such as A.5.1) [requirements]');
    expect(await count('control')).toBe(2);
    await expect(
      importCommand(t.deps, 'controls', { file, scope: scope.name, mapping: '{"Massnahme":"nope"}', as: managerEmail }),
    ).rejects.toThrow('The column mapping must name');
  });
});
