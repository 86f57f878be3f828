import type { Executor } from '../../db/database.ts';
import type { RiskMethodTable } from './risk-assessment.tables.ts';

export type RiskMethodRow = RiskMethodTable & { created_by_name: string | null; created_by_email: string | null };

const withCreator = (db: Executor) =>
  db
    .selectFrom('risk_method')
    .leftJoin('app_user as creator', 'creator.id', 'risk_method.created_by')
    .selectAll('risk_method')
    .select(['creator.name as created_by_name', 'creator.email as created_by_email']);

/** Every version of a scope's method, newest first (a handful of rows). */
export async function listMethods(db: Executor, scopeId: string): Promise<RiskMethodRow[]> {
  return (await withCreator(db)
    .where('risk_method.scope_id', '=', scopeId)
    .orderBy('risk_method.version_no', 'desc')
    .execute()) as RiskMethodRow[];
}

export async function findCurrentMethod(db: Executor, scopeId: string): Promise<RiskMethodRow | undefined> {
  return (await withCreator(db)
    .where('risk_method.scope_id', '=', scopeId)
    .where('risk_method.is_current', '=', true)
    .executeTakeFirst()) as RiskMethodRow | undefined;
}

/** Inserts a version unless the scope already has one with that number (a concurrent first read); true if inserted. */
export async function insertMethodIfAbsent(db: Executor, row: RiskMethodTable): Promise<boolean> {
  const r = await db
    .insertInto('risk_method')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function insertMethod(db: Executor, row: RiskMethodTable): Promise<void> {
  await db.insertInto('risk_method').values(row).execute();
}

/**
 * Retires the current version before its successor is inserted (the definition itself is never changed).
 * False when it was no longer current: someone saved another version in between.
 */
export async function retireMethod(db: Executor, id: string): Promise<boolean> {
  const r = await db
    .updateTable('risk_method')
    .set({ is_current: false })
    .where('id', '=', id)
    .where('is_current', '=', true)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countRisksByMethod(db: Executor, scopeId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('risk')
    .select(['risk.method_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('risk.scope_id', '=', scopeId)
    .where('risk.method_id', 'is not', null)
    .groupBy('risk.method_id')
    .execute();
  return new Map(rows.map((r) => [r.method_id!, Number(r.n)]));
}

export async function findScopeProfile(db: Executor, scopeId: string): Promise<'small' | 'large' | undefined> {
  return (await db.selectFrom('scope').select('profile').where('id', '=', scopeId).executeTakeFirst())?.profile;
}
