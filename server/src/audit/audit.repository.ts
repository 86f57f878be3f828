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

/** The actor filter's value for the entries Praxis wrote by itself (no person: `actor_id` is null). */
export const praxisActor = 'praxis';

export interface AuditFilter {
  scopeIds: string[] | 'all';
  recordType?: string | undefined;
  /** a record's id or reference as stored */
  recordId?: string | undefined;
  /** an ISMS cycle's number, when the reference searched reads as one ("Nr. 1", "no. 1") */
  cycleNumber?: number | undefined;
  /** a person's id, or `praxis`: the entries Praxis wrote by itself (no actor) */
  actorId?: string | undefined;
}

/** What changes the trail's SQL: how many scopes, which filters are given (values bound: AuditValues). */
interface AuditShape extends Shape {
  /** the number of scopes named (bound one by one: `scope0`, `scope1`, …) */
  scopes: number | 'all';
  recordType: boolean;
  recordId: boolean;
  cycle: boolean;
  actorId: boolean;
  praxis: boolean;
}

interface AuditValues extends Params {
  recordType?: string;
  recordId?: string;
  /** an ISMS cycle's reference (`1`) and as entries before it carry it (`cycle 1`) */
  cycleRef?: string;
  cycleRefOld?: string;
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
  if (s.recordId)
    q = q.where((eb) =>
      eb.or([
        eb('record_id', '=', v.recordId as string),
        eb('record_ref', '=', v.recordId as string),
        // an ISMS cycle by its number as shown
        ...(s.cycle
          ? [eb.and([eb('record_type', '=', 'isms_cycle'), eb('record_ref', 'in', [v.cycleRef as string, v.cycleRefOld as string])])]
          : []),
      ]),
    );
  if (s.actorId) q = q.where('actor_id', '=', v.actorId as string);
  if (s.praxis) q = q.where('actor_id', 'is', null);
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
    cycle: !!f.recordId && f.cycleNumber !== undefined,
    actorId: !!f.actorId && f.actorId !== praxisActor,
    praxis: f.actorId === praxisActor,
  };
  const values: AuditValues = {};
  if (f.scopeIds !== 'all')
    f.scopeIds.forEach((id, i) => {
      values[scopeKey(i)] = id;
    });
  if (f.recordType) values.recordType = f.recordType;
  if (f.recordId) values.recordId = f.recordId;
  if (shape.cycle) {
    values.cycleRef = String(f.cycleNumber);
    values.cycleRefOld = `cycle ${f.cycleNumber}`;
  }
  if (shape.actorId) values.actorId = f.actorId;
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
