import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCreateCommand } from '../cli/actions.ts';
import { createDeps } from '../deps.ts';
import type { Deps } from '../shared/context.ts';
import { buildScope, createMigratedDatabase, dialects, type TestDatabase } from '../test/harness.ts';
import { catalogImportCommand, catalogListCommand } from './catalog.cli.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const nistFile = path.join(root, 'server/test-data/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json');
const basicFile = path.join(root, 'server/test-data/oscal/basic-catalog.json');

/** A progress stream that is not a terminal (like a pipe or a log), collecting what the command writes to it. */
function progressLines() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

const createAdmin = (deps: Deps) =>
  userCreateCommand(deps, { email: 'admin@example.com', name: 'Admin', password: 'cli password 123', admin: true });

describe.each(dialects)('praxis catalog commands on %s', (dialect) => {
  let db: TestDatabase;
  let deps: Deps;
  let tmp: string;
  beforeAll(async () => {
    db = await createMigratedDatabase(dialect);
    deps = createDeps(db.config, db.database);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-catalog-cli-'));
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('imports a catalog for every scope with progress and a report, refuses bad files and re-imports, lists catalogs', {
    timeout: 180_000,
  }, async () => {
    // before there is an administrator, the command says what to do first
    await expect(catalogImportCommand(deps, { file: basicFile }, progressLines().stream)).rejects.toThrow(/No administrator yet/);
    await createAdmin(deps);

    const progress = progressLines();
    const imported = await catalogImportCommand(deps, { file: nistFile }, progress.stream);
    expect(imported.exitCode ?? 0).toBe(0);
    expect(imported.stdout).toContain(
      'Imported "NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE" version 5.1.1+u4 for every scope',
    );
    expect(imported.stdout).toMatch(/groups: +18\n/);
    expect(imported.stdout).toMatch(/controls: +287 \(of which 110 enhancements\)\n/);
    expect(imported.stdout).toMatch(/withdrawn: +0\n/);
    expect(imported.stdout).toMatch(/time: +\d+\.\d\d s\n/);
    // not a terminal: plain progress lines, the last one complete
    expect(progress.text()).toContain('Imported 250/305 requirements\nImported 305/305 requirements\n');

    await expect(catalogImportCommand(deps, { file: nistFile }, progressLines().stream)).rejects.toThrow(
      /already imported for the installation/,
    );

    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({ catalog: { uuid: 'u', metadata: { title: 'Bad', version: '1' }, controls: [{ title: 'no id' }] } }),
    );
    await expect(catalogImportCommand(deps, { file: bad }, progressLines().stream)).rejects.toThrow(
      /bad\.json: Not a valid OSCAL catalog: catalog\.controls\.0\.id: a control needs an id/,
    );
    const notJson = path.join(tmp, 'not.json');
    fs.writeFileSync(notJson, 'catalog: yes');
    await expect(catalogImportCommand(deps, { file: notJson }, progressLines().stream)).rejects.toThrow(/not\.json: The file is not JSON/);
    await expect(catalogImportCommand(deps, { file: path.join(tmp, 'missing.json') }, progressLines().stream)).rejects.toThrow(
      /No file .*missing\.json/,
    );
    await expect(catalogImportCommand(deps, { file: tmp }, progressLines().stream)).rejects.toThrow(/No file /);
    await expect(catalogImportCommand(deps, { file: basicFile, as: 'nobody@example.com' }, progressLines().stream)).rejects.toThrow(
      /No user nobody@example.com/,
    );

    // into one scope
    await buildScope(deps, { name: 'Head office' });
    const scoped = await catalogImportCommand(deps, { file: basicFile, scope: 'Head office' }, progressLines().stream);
    expect(scoped.stdout).toMatch(/version 1\.1 into scope "Head office"/);
    await expect(catalogImportCommand(deps, { file: basicFile, scope: 'Nowhere' }, progressLines().stream)).rejects.toThrow(
      /No scope "Nowhere"/,
    );

    const list = await catalogListCommand(deps, {});
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^KEY +TITLE +VERSION +AVAILABLE TO +CONTROLS +WITHDRAWN$/);
    expect(lines.some((l) => /^iso-27001-2022-annex-a .* every scope +93 +0$/.test(l))).toBe(true);
    expect(lines.some((l) => /5\.1\.1\+u4 +every scope +287 +0$/.test(l))).toBe(true);
    expect(lines.some((l) => /scope "Head office" +4 +0$/.test(l))).toBe(true);
    // a scope sees the catalogs for every scope and its own
    const scopeList = (await catalogListCommand(deps, { scope: 'Head office' })).stdout.trim().split('\n');
    expect(scopeList).toHaveLength(1 + 3);
    await expect(catalogListCommand(deps, { scope: 'Nowhere' })).rejects.toThrow(/No scope "Nowhere"/);
    // rows written are exactly the report's: nothing from the refused files
    const count = await db.database.db
      .selectFrom('catalog_requirement')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(97 + 305 + 8);
  });
});

describe('praxis catalog import (smoke: the real binary, spawned once)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createMigratedDatabase('sqlite');
    await createAdmin(createDeps(db.config, db.database));
  });
  afterAll(() => db.destroy());

  it('prints the report on stdout and plain progress lines on a piped stderr, and exits 0', { timeout: 120_000 }, async () => {
    const r = await run(
      process.execPath,
      ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'server/src/cli/main.ts', 'catalog', 'import', basicFile],
      { cwd: root, env: { ...process.env, ...db.env } },
    );
    expect(r.stdout).toMatch(/^Imported ".*" version 1\.1 for every scope\n/);
    expect(r.stdout).toMatch(/controls: +4 /);
    expect(r.stderr).toMatch(/Imported 8\/8 requirements\n$/);
  });
});
