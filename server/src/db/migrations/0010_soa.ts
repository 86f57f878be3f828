import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';

// Placeholder: filled in by the work that owns this migration.
export async function up(_db: Kysely<any>, _dialect: DialectName): Promise<void> {}
