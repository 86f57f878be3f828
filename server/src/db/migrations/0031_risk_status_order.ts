import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../config.ts';

// The risk register of one status, newest change first (the list's status filter with the "last changed" order): an
// index from the scope over the status to the sort keys, so that PostgreSQL reads the page from the index instead of
// sorting every risk of that status (about 11,000 at dataset L). It extends the (scope_id, status) index of 0006, which
// it replaces: every statement that used the shorter one can use this one.
// Frozen in time: never edit a released migration; add a new one.

export async function up(db: Kysely<any>, _dialect: DialectName): Promise<void> {
  await sql`create index risk_scope_status_updated_idx on risk (scope_id, status, updated_at, id)`.execute(db);
  await sql`drop index risk_scope_status_idx`.execute(db);
}
