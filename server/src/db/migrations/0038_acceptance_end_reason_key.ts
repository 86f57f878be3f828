import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Why a risk acceptance ended, when Praxis ended it (renewed by another acceptance, the risk re-evaluated at a higher
// level, expired), as a text key with parameters: `end_reason` keeps the English rendering, `end_reason_key` and
// `end_reason_params` let each reader see it in their language. A reason someone gave (a revocation) has no key and is
// shown as given.
// Acceptances ended before are read back where their reason is one of the sentences Praxis wrote then (below); a level
// named by its built-in English label gets its level's key, so that it is worded for the reader ('Hoch'); any other
// reason keeps its key null and is shown as stored.
// Frozen in time: never edit a released migration; add a new one. The sentences, keys and labels below are copied on
// purpose.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable('risk_acceptance').addColumn('end_reason_key', t.text).execute();
  await db.schema.alterTable('risk_acceptance').addColumn('end_reason_params', t.json).execute();
  let after = '';
  for (;;) {
    // keyset pages by id: the whole table is never held at once
    const rows: { id: string; end_reason: string }[] = await db
      .selectFrom('risk_acceptance')
      .select(['id', 'end_reason'])
      .where('id', '>', after)
      .where('status', 'in', ['ended', 'expired'])
      .where('end_reason', 'is not', null)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const parsed = parseEndReason(row.end_reason);
      if (!parsed) continue;
      await db
        .updateTable('risk_acceptance')
        .set({ end_reason_key: parsed.key, end_reason_params: JSON.stringify(parsed.params) })
        .where('id', '=', row.id)
        .execute();
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}

const BATCH = 500;
const key = (name: string) => `tasks:acceptanceEnd.${name}`;
/** the built-in levels' English labels then */
const builtInLevels: Record<string, string> = { Low: 'low', Medium: 'medium', High: 'high', Critical: 'critical' };

/** The key and parameters of an end reason Praxis wrote, or null for any other text. */
export function parseEndReason(text: string): { key: string; params: Record<string, string> } | null {
  let m = /^renewed by (\S+)$/.exec(text);
  if (m) return { key: key('renewed'), params: { acceptanceRef: m[1]! } };
  m = /^expired on (\d{4}-\d{2}-\d{2})$/.exec(text);
  if (m) return { key: key('expired'), params: { expiresOn: m[1]! } };
  m = /^(\S+) was re-evaluated at a higher level \(([\s\S]+)\)$/.exec(text);
  if (m) {
    const level = builtInLevels[m[2]!];
    return { key: key('raised'), params: { riskRef: m[1]!, ...(level && { level }), levelLabel: m[2]! } };
  }
  return null;
}
