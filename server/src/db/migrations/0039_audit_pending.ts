import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Audit entries committed with their change and not yet sealed into the chain (audit/audit-seal.ts): on PostgreSQL a
// transaction writes its entries here, without a number, hash or signature, and a single sealer numbers, hashes, signs
// and moves them into audit_entry after the commit, in batches. What an entry says (its id, time, actor, record and
// changes) is fixed here already; `batch` (the UUIDv7 of the transaction's write) and `n` (its place in it) give the
// order in which they are sealed, so that a transaction's entries stay contiguous and in the order asked.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema
    .createTable('audit_pending')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('batch', t.text, (c) => c.notNull())
    .addColumn('n', t.integer, (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_id', t.id)
    .addColumn('actor_label', t.text, (c) => c.notNull())
    .addColumn('scope_id', t.id)
    .addColumn('action', t.text, (c) => c.notNull())
    .addColumn('record_type', t.text, (c) => c.notNull())
    .addColumn('record_id', t.text, (c) => c.notNull())
    .addColumn('record_ref', t.text)
    .addColumn('changes', t.json, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_pending_order_idx').on('audit_pending').columns(['batch', 'n']).execute();
}
