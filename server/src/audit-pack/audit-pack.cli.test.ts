import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createTestContext, dialects, type TestContext } from '../test/harness.ts';
import { auditPackCommand } from './audit-pack.cli.ts';

describe.each(dialects)('praxis audit-pack on %s', (dialect) => {
  let t: TestContext;
  let dir: string;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-audit-pack-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it('writes the pack of a scope named by its name, as the first administrator, and never overwrites a file', async () => {
    await buildUser(t.deps, { isAdmin: true, name: 'Administrator' });
    const { scope } = await buildScope(t.deps, { name: 'Pack scope' });
    const out = path.join(dir, 'pack.zip');
    const result = await auditPackCommand(t.deps, { scope: 'Pack scope', out });
    expect(result.stdout).toContain(out);
    const zip = await JSZip.loadAsync(fs.readFileSync(out));
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(manifest.scope.id).toBe(scope.id);
    expect(Object.keys(zip.files)).toContain('index.pdf');

    await expect(auditPackCommand(t.deps, { scope: scope.id, out })).rejects.toThrow(/already exists/);
    await expect(auditPackCommand(t.deps, { scope: 'No such scope', out: path.join(dir, 'x.zip') })).rejects.toThrow(/No scope/);
    expect(fs.existsSync(path.join(dir, 'x.zip'))).toBe(false);
  });
});
