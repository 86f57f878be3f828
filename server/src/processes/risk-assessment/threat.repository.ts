import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import type { ThreatTable, ThreatWarningTable } from './risk-assessment.tables.ts';

/** The built-in threats, plus the custom threats of a scope when one is given. */
export async function listThreats(db: Executor, scopeId: string | null): Promise<ThreatTable[]> {
  let q = db.selectFrom('threat').selectAll();
  q = scopeId ? q.where((eb) => eb.or([eb('scope_id', 'is', null), eb('scope_id', '=', scopeId)])) : q.where('scope_id', 'is', null);
  return q.execute();
}

/** A threat a record of this scope may refer to: built-in or the scope's own. */
export async function findUsableThreat(db: Executor, scopeId: string, id: string): Promise<ThreatTable | undefined> {
  return db
    .selectFrom('threat')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('scope_id', 'is', null), eb('scope_id', '=', scopeId)]))
    .executeTakeFirst();
}

export async function findThreatByCode(db: Executor, scopeId: string, code: string): Promise<ThreatTable | undefined> {
  return db
    .selectFrom('threat')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['code']), '=', code.toLowerCase()))
    .where((eb) => eb.or([eb('scope_id', 'is', null), eb('scope_id', '=', scopeId)]))
    .executeTakeFirst();
}

export async function insertThreat(db: Executor, row: ThreatTable): Promise<void> {
  await db.insertInto('threat').values(row).execute();
}

export type ThreatWarningRow = ThreatWarningTable & { threat_code: string | null; threat_title: string | null };

const warningsWithThreat = (db: Executor) =>
  db
    .selectFrom('threat_warning')
    .leftJoin('threat', 'threat.id', 'threat_warning.threat_id')
    .selectAll('threat_warning')
    .select(['threat.code as threat_code', 'threat.title as threat_title']);

const warningPage = cachedList(
  'threat-warning.list',
  (db, _s: Record<string, never>, v: { scopeId: string }) =>
    warningsWithThreat(db)
      .where('threat_warning.scope_id', '=', v.scopeId)
      .orderBy('threat_warning.received_on', 'desc')
      .orderBy('threat_warning.id', 'desc'),
  (db, _s: Record<string, never>, v: { scopeId: string }) => db.selectFrom('threat_warning').where('scope_id', '=', v.scopeId),
);

/** A page of a scope's threats and warnings, newest first: two statements. */
export async function listThreatWarnings(db: Executor, scopeId: string, limit: number, offset: number) {
  const { rows, ...count } = await warningPage(db, {}, { scopeId }, limit, offset);
  return { rows: rows as ThreatWarningRow[], ...count };
}

export async function findThreatWarning(db: Executor, scopeId: string, id: string): Promise<ThreatWarningRow | undefined> {
  return (await warningsWithThreat(db)
    .where('threat_warning.scope_id', '=', scopeId)
    .where('threat_warning.id', '=', id)
    .executeTakeFirst()) as ThreatWarningRow | undefined;
}

export async function insertThreatWarning(db: Executor, row: ThreatWarningTable): Promise<void> {
  await db.insertInto('threat_warning').values(row).execute();
}
