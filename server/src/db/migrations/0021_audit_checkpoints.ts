import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// A trail that proves itself: each new audit entry carries an Ed25519 signature of its hash, made with a key that is
// not in the database (key_id names the key: the first 16 hex digits of the SHA-256 of its public key), and signed
// checkpoints vouch for the trail's end (seq and hash) at a moment, so that a truncated, re-hashed or appended trail no
// longer verifies. Entries written before this migration stay unsigned; the first checkpoint covers them.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema.alterTable('audit_entry').addColumn('key_id', t.text).execute();
  await db.schema.alterTable('audit_entry').addColumn('signature', t.text).execute();

  await db.schema
    .createTable('audit_checkpoint')
    .addColumn('id', t.id, (c) => c.primaryKey())
    // the last entry it vouches for
    .addColumn('seq', t.bigint, (c) => c.notNull())
    .addColumn('hash', t.text, (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    // sweep | threshold | command | restore
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('key_id', t.text, (c) => c.notNull())
    // SPKI PEM, so that a checkpoint can be checked with openssl alone
    .addColumn('public_key', t.text, (c) => c.notNull())
    // base64 Ed25519 signature of `praxis-audit-checkpoint:<seq>:<hash>:<at>`
    .addColumn('signature', t.text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_checkpoint_seq_idx').on('audit_checkpoint').columns(['seq', 'at']).execute();
}
