import type { Executor } from '../db/database.ts';
import { cachedList } from '../db/paging.ts';
import type { Params, Shape } from '../db/query-cache.ts';
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

/** What changes the trail's SQL: how many scopes, which filters are given (values bound: AuditValues). */
interface AuditShape extends Shape {
  /** the number of scopes named (bound one by one: `scope0`, `scope1`, …) */
  scopes: number | 'all';
  recordType: boolean;
  recordId: boolean;
  actorId: boolean;
}

interface AuditValues extends Params {
  recordType?: string;
  recordId?: string;
  actorId?: string;
}

const scopeKey = (i: number) => `scope${i}`;

function filtered(db: Executor, s: AuditShape, v: AuditValues) {
  let q = db.selectFrom('audit_entry');
  // one scope is an equality, so that the (scope_id, …, seq) indexes give the order
  if (s.scopes !== 'all')
    q =
      s.scopes === 1
        ? q.where('scope_id', '=', v[scopeKey(0)] as string)
        : q.where('scope_id', 'in', s.scopes ? Array.from({ length: s.scopes }, (_, i) => v[scopeKey(i)] as string) : ['-']);
  if (s.recordType) q = q.where('record_type', '=', v.recordType as string);
  if (s.recordId) q = q.where((eb) => eb.or([eb('record_id', '=', v.recordId as string), eb('record_ref', '=', v.recordId as string)]));
  if (s.actorId) q = q.where('actor_id', '=', v.actorId as string);
  return q;
}

const entryPage = cachedList(
  'audit.list',
  (db, s: AuditShape, v: AuditValues) => filtered(db, s, v).selectAll().orderBy('seq', 'desc'),
  filtered,
);

/** A page of the trail, newest first, and its capped count: two statements, compiled once per shape (query-cache.ts). */
export async function listEntries(db: Executor, f: AuditFilter, page: { limit: number; offset: number }) {
  const shape: AuditShape = {
    scopes: f.scopeIds === 'all' ? 'all' : f.scopeIds.length,
    recordType: !!f.recordType,
    recordId: !!f.recordId,
    actorId: !!f.actorId,
  };
  const values: AuditValues = {};
  if (f.scopeIds !== 'all')
    f.scopeIds.forEach((id, i) => {
      values[scopeKey(i)] = id;
    });
  if (f.recordType) values.recordType = f.recordType;
  if (f.recordId) values.recordId = f.recordId;
  if (f.actorId) values.actorId = f.actorId;
  return entryPage(db, shape, values, page.limit, page.offset);
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
