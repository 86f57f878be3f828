import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Single sign-on and shared rate limits.
// - user_identity: a user's identity at an OpenID provider (issuer + subject), so that a renamed email still signs in
//   the same user, and the scopes whose membership the provider's groups manage (taken away when the group goes).
// - rate_limit: attempt counters per key and fixed window, shared by every instance on the database (one atomic
//   upsert per attempt); rows expire and are swept by the limiter itself.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('user_identity')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('issuer', t.text, (c) => c.notNull())
    .addColumn('subject', t.text, (c) => c.notNull())
    .addColumn('email', t.text, (c) => c.notNull())
    // JSON array of scope ids whose membership the provider's groups gave
    .addColumn('managed_scopes', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_sign_in_at', t.timestamp, (c) => c.notNull())
    .addUniqueConstraint('user_identity_issuer_subject_uq', ['issuer', 'subject'])
    .execute();
  await db.schema.createIndex('user_identity_user_idx').on('user_identity').column('user_id').execute();

  await db.schema
    .createTable('rate_limit')
    .addColumn('key', t.text, (c) => c.notNull())
    // the window's start, in milliseconds since the epoch
    .addColumn('window_start', t.bigint, (c) => c.notNull())
    .addColumn('count', t.integer, (c) => c.notNull())
    // when the row no longer matters (milliseconds since the epoch)
    .addColumn('expires_at', t.bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_pk', ['key', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_limit_expires_idx').on('rate_limit').column('expires_at').execute();
}
