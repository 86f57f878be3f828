import type { Executor } from '../../db/database.ts';
import type { IsmsCycleTable } from '../../db/schema.ts';

export async function listCycles(db: Executor, scopeId: string): Promise<IsmsCycleTable[]> {
  return db.selectFrom('isms_cycle').selectAll().where('scope_id', '=', scopeId).orderBy('number', 'desc').execute();
}

export async function findCycle(db: Executor, scopeId: string, id: string): Promise<IsmsCycleTable | undefined> {
  return db.selectFrom('isms_cycle').selectAll().where('scope_id', '=', scopeId).where('id', '=', id).executeTakeFirst();
}

export async function findCycleByNumber(db: Executor, scopeId: string, number: number): Promise<IsmsCycleTable | undefined> {
  return db.selectFrom('isms_cycle').selectAll().where('scope_id', '=', scopeId).where('number', '=', number).executeTakeFirst();
}

/** The cycle without `closed_at` (at most one per scope, by a unique index). */
export async function findCurrentCycle(db: Executor, scopeId: string): Promise<IsmsCycleTable | undefined> {
  return db.selectFrom('isms_cycle').selectAll().where('scope_id', '=', scopeId).where('closed_at', 'is', null).executeTakeFirst();
}

/** The scope's latest cycle, locked against a concurrent start on PostgreSQL (SQLite writes one at a time). */
export async function findLatestCycleForUpdate(db: Executor, scopeId: string, dialect: 'sqlite' | 'postgres') {
  let q = db.selectFrom('isms_cycle').selectAll().where('scope_id', '=', scopeId).orderBy('number', 'desc').limit(1);
  if (dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function insertCycle(db: Executor, row: IsmsCycleTable): Promise<void> {
  await db.insertInto('isms_cycle').values(row).execute();
}

export async function closeCycle(db: Executor, id: string, version: number, at: string): Promise<number> {
  const r = await db
    .updateTable('isms_cycle')
    .set({ closed_at: at, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
