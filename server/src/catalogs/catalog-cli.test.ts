import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '../deps.ts';
import { buildScope, createTestDatabase, dialects, type TestDatabase } from '../test/harness.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const nistFile = path.join(root, 'server/test-data/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json');
const basicFile = path.join(root, 'server/test-data/oscal/basic-catalog.json');

/** Runs the real `praxis` command in a child process against the test database (stderr is a pipe, not a terminal). */
async function praxis(db: TestDatabase, ...args: string[]) {
  try {
    const r = await run(
      process.execPath,
      ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'server/src/cli/main.ts', ...args],
      { cwd: root, env: { ...process.env, ...db.env } },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe.each(dialects)('praxis catalog on %s', (dialect) => {
  let db: TestDatabase;
  let tmp: string;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-catalog-cli-'));
  });
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('imports a catalog for every scope with progress and a report, refuses bad files and re-imports, lists catalogs', {
    timeout: 180_000,
  }, async () => {
    const admin = await praxis(
      db,
      'user',
      'create',
      '--email',
      'admin@example.com',
      '--name',
      'Admin',
      '--password',
      'cli password 123',
      '--admin',
    );
    expect(admin.code, admin.stderr).toBe(0);

    const imported = await praxis(db, 'catalog', 'import', nistFile);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(
      'Imported "NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE" version 5.1.1+u4 for every scope',
    );
    expect(imported.stdout).toMatch(/groups: +18\n/);
    expect(imported.stdout).toMatch(/controls: +287 \(of which 110 enhancements\)\n/);
    expect(imported.stdout).toMatch(/withdrawn: +0\n/);
    expect(imported.stdout).toMatch(/time: +\d+\.\d\d s\n/);
    // not a terminal: plain progress lines, the last one complete
    expect(imported.stderr).toContain('Imported 250/305 requirements\nImported 305/305 requirements\n');

    const again = await praxis(db, 'catalog', 'import', nistFile);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already imported for the installation/);

    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({ catalog: { uuid: 'u', metadata: { title: 'Bad', version: '1' }, controls: [{ title: 'no id' }] } }),
    );
    const refused = await praxis(db, 'catalog', 'import', bad);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/bad\.json: Not a valid OSCAL catalog: catalog\.controls\.0\.id: a control needs an id/);
    const notJson = path.join(tmp, 'not.json');
    fs.writeFileSync(notJson, 'catalog: yes');
    const notJsonResult = await praxis(db, 'catalog', 'import', notJson);
    expect(notJsonResult.code).not.toBe(0);
    expect(notJsonResult.stderr).toMatch(/not\.json: The file is not JSON/);
    const missing = await praxis(db, 'catalog', 'import', path.join(tmp, 'missing.json'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/No file .*missing\.json/);

    // into one scope
    const deps = createDeps(db.config, db.database);
    await buildScope(deps, { name: 'Head office' });
    const scoped = await praxis(db, 'catalog', 'import', basicFile, '--scope', 'Head office');
    expect(scoped.code, scoped.stderr).toBe(0);
    expect(scoped.stdout).toMatch(/version 1\.1 into scope "Head office"/);
    const unknownScope = await praxis(db, 'catalog', 'import', basicFile, '--scope', 'Nowhere');
    expect(unknownScope.code).not.toBe(0);
    expect(unknownScope.stderr).toMatch(/No scope "Nowhere"/);

    const list = await praxis(db, 'catalog', 'list');
    expect(list.code, list.stderr).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^KEY +TITLE +VERSION +AVAILABLE TO +CONTROLS +WITHDRAWN$/);
    expect(lines.some((l) => /^iso-27001-2022-annex-a .* every scope +93 +0$/.test(l))).toBe(true);
    expect(lines.some((l) => /5\.1\.1\+u4 +every scope +287 +0$/.test(l))).toBe(true);
    expect(lines.some((l) => /scope "Head office" +4 +0$/.test(l))).toBe(true);
    // rows written are exactly the report's: nothing from the refused files
    const count = await db.database.db
      .selectFrom('catalog_requirement')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(97 + 305 + 8);
  });
});
