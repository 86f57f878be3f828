import type { Kysely } from 'kysely';

// The title of a process review task names its process by key (`cadences:title.processReviewOf`, the process's name
// nested from the processes catalog in the reader's language) instead of by its English name as a parameter
// (`cadences:title.processReview`, { process: 'Risk assessment' }). Tasks written before are moved to the new key where
// their origin names the process (its reference is the process key); others keep their key and parameters.
// Frozen in time: never edit a released migration; add a new one.
const BATCH = 500;
const processKey = /^[a-z]+(-[a-z]+)*$/;

export async function up(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: string; origin_record_ref: string | null }[] = await db
      .selectFrom('task')
      .select(['id', 'origin_record_ref'])
      .where('id', '>', after)
      .where('title_key', '=', 'cadences:title.processReview')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      if (!row.origin_record_ref || !processKey.test(row.origin_record_ref)) continue;
      await db
        .updateTable('task')
        .set({ title_key: 'cadences:title.processReviewOf', title_params: JSON.stringify({ processKey: row.origin_record_ref }) })
        .where('id', '=', row.id)
        .execute();
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}
