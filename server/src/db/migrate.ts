import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { DialectName } from '../config.ts';
import { readManifest } from './migrations-manifest.ts';

type MigrationModule = { up(db: Kysely<any>, dialect: DialectName): Promise<void> };

/**
 * Every migration, in order: the files the migration manifest lists (`migrations-manifest.json`, where each file's hash
 * freezes it). No directory scan decides what runs: a file runs only once it is in the manifest, and adding a migration
 * is its file plus `npm run migrations:manifest -- NNNN_name.ts`. A new migration always takes the next number: Kysely
 * refuses one that sorts before migrations a database has already applied.
 */
const migrationFilesInOrder = Object.keys(readManifest().migrations).sort();

async function loadMigration(file: string): Promise<MigrationModule> {
  return (await import(new URL(`./migrations/${file}`, import.meta.url).href)) as MigrationModule;
}

class ManifestMigrationProvider implements MigrationProvider {
  readonly #dialect: DialectName;
  constructor(dialect: DialectName) {
    this.#dialect = dialect;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const file of migrationFilesInOrder) {
      const mod = await loadMigration(file);
      out[file.replace(/\.ts$/, '')] = { up: (db) => mod.up(db, this.#dialect) };
    }
    return out;
  }
}

/** Applies pending migrations, each in its own transaction on both dialects. Returns the names applied. */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new ManifestMigrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export const migrationNames = migrationFilesInOrder.map((file) => file.replace(/\.ts$/, ''));
