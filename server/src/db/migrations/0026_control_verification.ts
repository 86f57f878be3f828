import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Controls are verified at planned intervals (ISO 27001 9.1, A.5.35/5.36): each control may carry the date of its next
// verification, scheduled by the cadences sweep like a risk's next review, and the day it was last verified.
// Controls already implemented or verified get their first verification a year after their implementation date (or
// after the upgrade, when they have none) — computed here from today's date as the migration sees it.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('control').addColumn('next_verification_on', t.date).execute();
  await db.schema.alterTable('control').addColumn('last_verified_on', t.date).execute();
  await db.schema.createIndex('control_verification_idx').on('control').columns(['next_verification_on', 'id']).execute();

  const today = new Date().toISOString().slice(0, 10);
  const rows = (await db
    .selectFrom('control')
    .select(['id', 'implemented_on'])
    .where('status', 'in', ['implemented', 'verified'])
    .execute()) as { id: string; implemented_on: string | null }[];
  for (const r of rows) {
    const from = r.implemented_on ?? today;
    const next = `${Number(from.slice(0, 4)) + 1}${from.slice(4, 10) === '-02-29' ? '-02-28' : from.slice(4, 10)}`;
    await db
      .updateTable('control')
      .set({ next_verification_on: next < today ? today : next })
      .where('id', '=', r.id)
      .execute();
  }
}
