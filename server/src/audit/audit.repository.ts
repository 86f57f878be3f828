import type { Executor } from '../db/database.ts';
import { countCapped } from '../db/paging.ts';
import type { AuditEntryTable } from '../db/schema.ts';

export async function findLastEntry(db: Executor) {
  return db.selectFrom('audit_entry').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/** Inserts entries in one statement (the caller keeps a batch within the parameter limits). */
export async function insertEntries(db: Executor, rows: AuditEntryTable[]): Promise<void> {
  if (rows.length) await db.insertInto('audit_entry').values(rows).execute();
}

export interface AuditFilter {
  scopeIds: string[] | 'all';
  recordType?: string | undefined;
  recordId?: string | undefined;
  actorId?: string | undefined;
}

function filtered(db: Executor, f: AuditFilter) {
  let q = db.selectFrom('audit_entry');
  // one scope is an equality, so that the (scope_id, …, seq) indexes give the order
  if (f.scopeIds !== 'all')
    q =
      f.scopeIds.length === 1
        ? q.where('scope_id', '=', f.scopeIds[0]!)
        : q.where('scope_id', 'in', f.scopeIds.length ? f.scopeIds : ['-']);
  if (f.recordType) q = q.where('record_type', '=', f.recordType);
  if (f.recordId) q = q.where((eb) => eb.or([eb('record_id', '=', f.recordId!), eb('record_ref', '=', f.recordId!)]));
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  return q;
}

/** A page of the trail, newest first, and its capped count (countCapped): two statements. */
export async function listEntries(db: Executor, f: AuditFilter, page: { limit: number; offset: number }) {
  const [rows, count] = await Promise.all([
    filtered(db, f).selectAll().orderBy('seq', 'desc').limit(page.limit).offset(page.offset).execute(),
    countCapped(db, filtered(db, f)),
  ]);
  return { rows, ...count };
}

/** Streams the whole chain in order, in batches, for verification. */
export async function* iterateChain(db: Executor, batch = 2000): AsyncGenerator<AuditEntryTable> {
  let after = -1;
  for (;;) {
    const rows = await db.selectFrom('audit_entry').selectAll().where('seq', '>', after).orderBy('seq').limit(batch).execute();
    for (const row of rows) yield { ...row, seq: Number(row.seq) };
    if (rows.length < batch) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}
