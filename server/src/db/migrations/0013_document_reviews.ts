import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Periodic reviews of documents that found nothing to change (ISO 27001 5.2, 7.5.2; A.5.1 "reviewed at planned
// intervals"): who confirmed the document, when, with which comment, and how the next review date moved.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('document_review')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('scope_id', t.id, (c) => c.notNull().references('scope.id').onDelete('cascade'))
    .addColumn('document_id', t.id, (c) => c.notNull().references('document.id').onDelete('cascade'))
    // the version in force that was confirmed
    .addColumn('document_version_id', t.id, (c) => c.references('document_version.id').onDelete('set null'))
    .addColumn('reviewed_by', t.id, (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('reviewed_at', t.timestamp, (c) => c.notNull())
    .addColumn('comment', t.text, (c) => c.notNull())
    // the review date that was due and the one that follows from the review cadence
    .addColumn('due_on', t.date)
    .addColumn('next_review_on', t.date, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('document_review_document_idx').on('document_review').columns(['document_id', 'reviewed_at']).execute();
  await db.schema.createIndex('document_review_scope_idx').on('document_review').column('scope_id').execute();
  await db.schema.createIndex('document_review_version_idx').on('document_review').column('document_version_id').execute();
  await db.schema.createIndex('document_review_reviewed_by_idx').on('document_review').column('reviewed_by').execute();
}
