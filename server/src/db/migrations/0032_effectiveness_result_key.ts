import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// The result of a nonconformity's effectiveness check (ISO 27001 10.2 d) as a text key with parameters, like a task's
// title: `effectiveness_result` keeps the English rendering (for search and older readers), `effectiveness_result_key`
// names the outcome's text (effective or not), `effectiveness_result_params` holds the checker's note ({"note": …}),
// so that each reader gets the outcome in their language and the note as typed.
// Rows written before are read back: `Effective: <note>` and `Not effective: <note>` become the key and the note; a text
// of another form keeps its key null and is shown as stored.
// Frozen in time: never edit a released migration; add a new one. The keys and the old sentences are copied on purpose.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('nonconformity').addColumn('effectiveness_result_key', t.text).execute();
  await db.schema.alterTable('nonconformity').addColumn('effectiveness_result_params', t.json).execute();
  await convertEffectivenessResults(db);
}

/** the old sentences (improvement.service.ts before this migration) and the key each becomes */
const forms: [prefix: string, key: string][] = [
  ['Effective: ', 'improvement:effectiveness.effective'],
  ['Not effective: ', 'improvement:effectiveness.notEffective'],
];

/** The key and parameters of a stored result, or null when it is not one of the old sentences. */
export function parseEffectivenessResult(text: string): { key: string; params: { note: string } } | null {
  for (const [prefix, key] of forms) {
    const note = text.startsWith(prefix) ? text.slice(prefix.length) : '';
    // the service stored a non-empty note; rendered again, the key and note give the same sentence
    if (note) return { key, params: { note } };
  }
  return null;
}

/** Reads every result without a key and gives those in the old form their key and note. */
export async function convertEffectivenessResults(db: Kysely<any>): Promise<number> {
  const rows: { id: string; effectiveness_result: string }[] = await db
    .selectFrom('nonconformity')
    .select(['id', 'effectiveness_result'])
    .where('effectiveness_result', 'is not', null)
    .where('effectiveness_result_key', 'is', null)
    .execute();
  let converted = 0;
  for (const row of rows) {
    const parsed = parseEffectivenessResult(row.effectiveness_result);
    if (!parsed) continue;
    await db
      .updateTable('nonconformity')
      .set({ effectiveness_result_key: parsed.key, effectiveness_result_params: JSON.stringify(parsed.params) })
      .where('id', '=', row.id)
      .execute();
    converted++;
  }
  return converted;
}
