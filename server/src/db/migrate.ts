import type { Kysely } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { DialectName } from '../config.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0004 from './migrations/0004_incidents_changes_improvement.ts';
import * as m0005 from './migrations/0005_reminders.ts';
import * as m0006 from './migrations/0006_risks.ts';
import * as m0007 from './migrations/0007_controls_catalogs.ts';
import * as m0008 from './migrations/0008_evidence.ts';
import * as m0009 from './migrations/0009_risk_treatment.ts';
import * as m0010 from './migrations/0010_soa.ts';
import * as m0011 from './migrations/0011_policies.ts';
import * as m0012 from './migrations/0012_records_competence.ts';
import * as m0013 from './migrations/0013_document_reviews.ts';
import * as m0014 from './migrations/0014_process_engine.ts';
import * as m0015 from './migrations/0015_cadences.ts';
import * as m0016 from './migrations/0016_isms_cycle.ts';
import * as m0017 from './migrations/0017_performance_evaluation.ts';
import * as m0018 from './migrations/0018_internal_audit.ts';
import * as m0019 from './migrations/0019_management_review.ts';

type MigrationModule = { up(db: Kysely<any>, dialect: DialectName): Promise<void> };

/**
 * Every migration, in order. Listed statically so that no file-system scan decides what runs. A new migration always
 * takes the next number: Kysely refuses one that sorts before migrations a database has already applied.
 */
const migrations: Record<string, MigrationModule> = {
  '0001_foundation': m0001,
  '0004_incidents_changes_improvement': m0004,
  '0005_reminders': m0005,
  '0006_risks': m0006,
  '0007_controls_catalogs': m0007,
  '0008_evidence': m0008,
  '0009_risk_treatment': m0009,
  '0010_soa': m0010,
  '0011_policies': m0011,
  '0012_records_competence': m0012,
  '0013_document_reviews': m0013,
  '0014_process_engine': m0014,
  '0015_cadences': m0015,
  '0016_isms_cycle': m0016,
  '0017_performance_evaluation': m0017,
  '0018_internal_audit': m0018,
  '0019_management_review': m0019,
};

class StaticMigrationProvider implements MigrationProvider {
  readonly #dialect: DialectName;
  constructor(dialect: DialectName) {
    this.#dialect = dialect;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, mod] of Object.entries(migrations)) {
      out[name] = { up: (db) => mod.up(db, this.#dialect) };
    }
    return out;
  }
}

/** Applies pending migrations, each in its own transaction on both dialects. Returns the names applied. */
export async function migrateToLatest(db: Kysely<any>, dialect: DialectName): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export const migrationNames = Object.keys(migrations);
