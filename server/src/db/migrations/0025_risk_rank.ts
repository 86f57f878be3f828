import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// The risk list's sort keys, stored and indexed, so that a page of the prioritised register is read from an index
// instead of sorting the whole scope by `case current_level when …` (a level's severity is its order in the scope's
// method, the newest version that defines the key winning):
//   priority_rank = current severity × 10 000 + inherent severity × 100 + current score (likelihood × impact)
//   current_rank  = current severity × 100 + current score;  inherent_rank = inherent severity × 100 + inherent score
// Existing risks are ranked here from their scope's stored method versions.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);
  for (const column of ['priority_rank', 'current_rank', 'inherent_rank']) {
    await db.schema
      .alterTable('risk')
      .addColumn(column, t.integer, (c) => c.notNull().defaultTo(0))
      .execute();
  }

  const methods = await db.selectFrom('risk_method').select(['scope_id', 'version_no', 'definition']).orderBy('version_no').execute();
  const byScope = new Map<string, Map<string, number>>();
  for (const m of methods as { scope_id: string; version_no: number; definition: string }[]) {
    const severities = byScope.get(m.scope_id) ?? new Map<string, number>();
    const levels = (JSON.parse(m.definition) as { levels?: { key: string; order: number }[] }).levels ?? [];
    for (const l of levels) severities.set(l.key, l.order);
    byScope.set(m.scope_id, severities);
  }
  const severityOf = (column: string, severities: Map<string, number>): RawBuilder<number> => {
    if (severities.size === 0) return sql<number>`0`;
    const whens = [...severities].map(([key, order]) => sql`when ${key} then ${sql.lit(order)}`);
    return sql<number>`(case ${sql.ref(column)} ${sql.join(whens, sql` `)} else 0 end)`;
  };
  const scoreOf = (basis: string) => sql<number>`coalesce(${sql.ref(`${basis}_likelihood`)} * ${sql.ref(`${basis}_impact`)}, 0)`;
  for (const [scopeId, severities] of byScope) {
    const current = severityOf('current_level', severities);
    const inherent = severityOf('inherent_level', severities);
    await db
      .updateTable('risk')
      .set({
        priority_rank: sql`${current} * 10000 + ${inherent} * 100 + ${scoreOf('current')}`,
        current_rank: sql`${current} * 100 + ${scoreOf('current')}`,
        inherent_rank: sql`${inherent} * 100 + ${scoreOf('inherent')}`,
      })
      .where('scope_id', '=', scopeId)
      .execute();
  }

  // the default order (most severe first, then by reference) and the two level sorts, both directions
  await sql`create index risk_scope_priority_idx on risk (scope_id, priority_rank desc, reference, id)`.execute(db);
  await sql`create index risk_scope_current_rank_idx on risk (scope_id, current_rank, reference, id)`.execute(db);
  await sql`create index risk_scope_inherent_rank_idx on risk (scope_id, inherent_rank, reference, id)`.execute(db);
  // keyset paging of exports by updated_at ends with the id
  await sql`create index risk_scope_updated_id_idx on risk (scope_id, updated_at, id)`.execute(db);
}
