import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The manifest of committed migrations: the SHA-256 of every file under `migrations/`, checked by
 * `migration-manifest.test.ts`. A committed migration is frozen (a database that applied it never runs it again), so
 * its hash never changes; a schema change is a new migration file.
 *
 * After adding a migration: `npm run migrations:manifest` (or `npm run migrations:manifest -- 0015_name.ts` for that
 * file only). It appends the files that are not listed yet and never rewrites a listed hash.
 */
export const migrationsDir = path.join(import.meta.dirname, 'migrations');

/**
 * The previous release (a commit of main): its migrations must be unchanged, and `upgrade.test.ts` upgrades a database
 * that its code built. Move it forward when a release is cut (or set PRAXIS_UPGRADE_FROM).
 */
export const previousRelease = process.env.PRAXIS_UPGRADE_FROM || '2c407d1';
export const manifestPath = path.join(import.meta.dirname, 'migrations-manifest.json');

export interface MigrationManifest {
  algorithm: 'sha256';
  /** file name → hex digest, in the order the files were added */
  migrations: Record<string, string>;
}

/** The digest of a migration's text; line endings are normalised so that a Windows checkout hashes alike. */
export function hashMigration(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

/** The migration files on disk, sorted (NNNN_name.ts). */
export function migrationFiles(dir = migrationsDir): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.ts$/.test(f) && !f.endsWith('.test.ts'))
    .sort();
}

export function readManifest(file = manifestPath): MigrationManifest {
  if (!fs.existsSync(file)) return { algorithm: 'sha256', migrations: {} };
  return JSON.parse(fs.readFileSync(file, 'utf8')) as MigrationManifest;
}

export interface ManifestCheck {
  /** listed files whose text differs from their hash */
  changed: string[];
  /** listed files that are gone */
  missing: string[];
  /** files on disk that are not listed yet */
  unlisted: string[];
}

export function checkManifest(manifest: MigrationManifest, dir = migrationsDir): ManifestCheck {
  const onDisk = new Set(migrationFiles(dir));
  const check: ManifestCheck = { changed: [], missing: [], unlisted: [] };
  for (const [file, hash] of Object.entries(manifest.migrations)) {
    if (!onDisk.has(file)) check.missing.push(file);
    else if (hashMigration(fs.readFileSync(path.join(dir, file), 'utf8')) !== hash) check.changed.push(file);
  }
  for (const file of onDisk) if (!(file in manifest.migrations)) check.unlisted.push(file);
  return check;
}

/** Adds the files that are not listed yet; listed entries are kept exactly as they are. Returns the files added. */
export function appendNewMigrations(manifest: MigrationManifest, dir = migrationsDir, only?: string[]): string[] {
  const added: string[] = [];
  for (const file of migrationFiles(dir)) {
    if (file in manifest.migrations) continue;
    if (only?.length && !only.some((name) => file === name || file === `${name}.ts`)) continue;
    manifest.migrations[file] = hashMigration(fs.readFileSync(path.join(dir, file), 'utf8'));
    added.push(file);
  }
  return added;
}

export function writeManifest(manifest: MigrationManifest, file = manifestPath): void {
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

// `npm run migrations:manifest [-- 0015_name.ts …]`: list new migration files, or only the ones named (never rewrites a
// listed hash)
if (import.meta.main) {
  const manifest = readManifest();
  const added = appendNewMigrations(manifest, migrationsDir, process.argv.slice(2));
  const { changed, missing } = checkManifest(manifest);
  if (added.length) writeManifest(manifest);
  process.stdout.write(added.length ? `Added to the manifest: ${added.join(', ')}\n` : 'No new migration files\n');
  if (changed.length || missing.length) {
    process.stderr.write(
      `A committed migration is frozen: add a new migration instead. Changed: ${changed.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'}\n`,
    );
    process.exitCode = 1;
  }
}
