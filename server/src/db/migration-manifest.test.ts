import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appendNewMigrations,
  checkManifest,
  hashMigration,
  migrationFiles,
  migrationsDir,
  previousRelease,
  readManifest,
} from './migrations-manifest.ts';
import { migrationNames } from './migrate.ts';

const HOW_TO_ADD =
  'run `npm run migrations:manifest` (or `npm run migrations:manifest -- NNNN_name.ts` for one file; it appends new files and never rewrites a listed hash) and commit the manifest';

describe('committed migrations are frozen', () => {
  const manifest = readManifest();

  it('every listed migration file is unchanged and still there', () => {
    const { changed, missing } = checkManifest(manifest);
    expect(
      changed,
      `a committed migration is frozen: add a new migration instead (changed since it was listed: ${changed.join(', ')})`,
    ).toEqual([]);
    expect(missing, `a committed migration is frozen: add a new migration instead (listed but gone: ${missing.join(', ')})`).toEqual([]);
  });

  it('every migration file is listed in the manifest', () => {
    const { unlisted } = checkManifest(manifest);
    expect(unlisted, `new migration files not in server/src/db/migrations-manifest.json: ${unlisted.join(', ')}; ${HOW_TO_ADD}`).toEqual(
      [],
    );
  });

  it('migrate.ts runs exactly the listed migrations, each a module with an up()', async () => {
    expect(migrationNames).toEqual(
      Object.keys(manifest.migrations)
        .sort()
        .map((f) => f.replace(/\.ts$/, '')),
    );
    for (const file of Object.keys(manifest.migrations)) {
      const mod = (await import(new URL(`./migrations/${file}`, import.meta.url).href)) as { up?: unknown };
      expect(typeof mod.up, `${file} exports up()`).toBe('function');
    }
  });
});

/** The previous release's migration files (name → text) from git history, or why they cannot be had here. */
function releasedMigrations(): Map<string, string> | string {
  const root = path.resolve(import.meta.dirname, '../../..');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  try {
    git('cat-file', '-e', `${previousRelease}^{commit}`);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'git is not installed'
      : `commit ${previousRelease} is not in this clone's history (a shallow clone?)`;
  }
  const files = git('ls-tree', '--name-only', `${previousRelease}:server/src/db/migrations/`)
    .toString()
    .split('\n')
    .filter((f) => /^\d{4}_.+\.ts$/.test(f));
  return new Map(files.map((f) => [f, git('show', `${previousRelease}:server/src/db/migrations/${f}`).toString('utf8')]));
}

const released = releasedMigrations();
describe.skipIf(typeof released === 'string')(
  `migrations of the previous release (${previousRelease})${typeof released === 'string' ? `: skipped, ${released}` : ''}`,
  () => {
    it('are all here and unchanged, whatever the manifest says', () => {
      const files = released as Map<string, string>;
      expect(files.size).toBeGreaterThan(0);
      const changed = [...files].filter(([file, text]) => {
        const current = path.join(migrationsDir, file);
        return !fs.existsSync(current) || hashMigration(fs.readFileSync(current, 'utf8')) !== hashMigration(text);
      });
      expect(
        changed.map(([file]) => file),
        'a migration of a release is frozen: add a new migration instead (a database of that release never runs it again)',
      ).toEqual([]);
      const manifest = readManifest();
      for (const [file, text] of files) expect(manifest.migrations[file], `manifest entry of ${file}`).toBe(hashMigration(text));
    });
  },
);

describe('the manifest check', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('notices an edited, a deleted and a new file, and appending keeps listed hashes', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-manifest-'));
    fs.writeFileSync(path.join(dir, '0001_a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(dir, '0002_b.ts'), 'export const b = 1;\n');
    const m = { algorithm: 'sha256' as const, migrations: {} as Record<string, string> };
    expect(appendNewMigrations(m, dir)).toEqual(['0001_a.ts', '0002_b.ts']);
    expect(checkManifest(m, dir)).toEqual({ changed: [], missing: [], unlisted: [] });

    fs.writeFileSync(path.join(dir, '0001_a.ts'), 'export const a = 2;\n');
    fs.rmSync(path.join(dir, '0002_b.ts'));
    fs.writeFileSync(path.join(dir, '0003_c.ts'), 'export const c = 1;\n');
    expect(checkManifest(m, dir)).toEqual({ changed: ['0001_a.ts'], missing: ['0002_b.ts'], unlisted: ['0003_c.ts'] });

    const before = { ...m.migrations };
    expect(appendNewMigrations(m, dir, ['0004_d'])).toEqual([]);
    expect(appendNewMigrations(m, dir, ['0003_c'])).toEqual(['0003_c.ts']);
    expect(m.migrations['0001_a.ts']).toBe(before['0001_a.ts']);
    expect(checkManifest(m, dir).changed).toEqual(['0001_a.ts']);
  });

  it('hashes a file alike whatever its line endings', () => {
    expect(hashMigration('a\r\nb\r\n')).toBe(hashMigration('a\nb\n'));
    expect(hashMigration('a\nb\n')).not.toBe(hashMigration('a\nc\n'));
  });

  it('finds only NNNN_name.ts files', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-manifest-'));
    for (const f of ['0002_b.ts', '0001_a.ts', 'README.md', 'helper.ts']) fs.writeFileSync(path.join(dir, f), '');
    expect(migrationFiles(dir)).toEqual(['0001_a.ts', '0002_b.ts']);
  });
});
