import { type SelectQueryBuilder, sql } from 'kysely';
import { containsInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import { filterOf, type Params, type Shape, splitFilter } from '../../db/query-cache.ts';
import type { DB } from '../../db/schema.ts';
import type { ControlledRecordTable } from './records-control.tables.ts';
import type { LinkedRecordType, ListRecordsQuery } from './record.schemas.ts';

export type RecordRow = ControlledRecordTable & {
  owner_name: string | null;
  owner_email: string | null;
  disposer_name: string | null;
  disposer_email: string | null;
};

export async function insertRecord(db: Executor, row: ControlledRecordTable): Promise<void> {
  await db.insertInto('controlled_record').values(row).execute();
}

/** Records (a filtered query) with their owner and the user who disposed of them. */
const withUsers = (records: SelectQueryBuilder<DB, 'controlled_record', object>) =>
  records
    .leftJoin('app_user as owner', 'owner.id', 'controlled_record.owner_id')
    .leftJoin('app_user as disposer', 'disposer.id', 'controlled_record.disposed_by')
    .selectAll('controlled_record')
    .select([
      'owner.name as owner_name',
      'owner.email as owner_email',
      'disposer.name as disposer_name',
      'disposer.email as disposer_email',
    ]);

export async function findRecord(db: Executor, scopeId: string, id: string): Promise<RecordRow | undefined> {
  return (await withUsers(db.selectFrom('controlled_record'))
    .where('controlled_record.scope_id', '=', scopeId)
    .where('controlled_record.id', '=', id)
    .executeTakeFirst()) as RecordRow | undefined;
}

/**
 * The retention end as SQL, the same arithmetic as record-rules.ts retentionEndsOn (calendar months, day clamped to the
 * month's end), so that the disposal queue can filter and sort on it in the database.
 */
function retentionEnd(dialect: 'sqlite' | 'postgres') {
  return dialect === 'postgres'
    ? sql<string>`to_char(controlled_record.retention_start_on::date + make_interval(months => controlled_record.retention_months), 'YYYY-MM-DD')`
    : // SQLite's date(…, '+N months') overflows into the next month (31 Jan + 1 month = 3 Mar); clamp like PostgreSQL
      sql<string>`min(
        date(controlled_record.retention_start_on, '+' || controlled_record.retention_months || ' months'),
        date(controlled_record.retention_start_on, 'start of month', '+' || (controlled_record.retention_months + 1) || ' months', '-1 day'))`;
}

type RecordFilter = Omit<ListRecordsQuery, 'page' | 'pageSize'> & {
  disposableOn?: string;
  scopeId: string;
  dialect: 'sqlite' | 'postgres';
};

function filteredRecords(db: Executor, f: RecordFilter) {
  let q = db.selectFrom('controlled_record').where('controlled_record.scope_id', '=', f.scopeId);
  if (f.status) q = q.where('controlled_record.status', '=', f.status);
  if (f.processKey) q = q.where('controlled_record.process_key', '=', f.processKey);
  if (f.ownerId) q = q.where('controlled_record.owner_id', '=', f.ownerId);
  if (f.legalHold) q = q.where('controlled_record.legal_hold', '=', f.legalHold === 'true');
  if (f.disposableOn) {
    q = q
      .where('controlled_record.status', '=', 'active')
      .where('controlled_record.legal_hold', '=', false)
      .where(retentionEnd(f.dialect), '<=', f.disposableOn);
  }
  if (f.q) {
    const needle = f.q;
    q = q.where((eb) =>
      eb.or([
        containsInsensitive(eb.ref('controlled_record.title'), needle),
        containsInsensitive(eb.ref('controlled_record.reference'), needle),
        containsInsensitive(eb.ref('controlled_record.location'), needle),
      ]),
    );
  }
  return q;
}

const recordPage = cachedList(
  'controlled-record.list',
  (db, shape: Shape, values: Params) => {
    const f = filterOf<RecordFilter>(shape, values);
    const order = {
      reference: sql.ref('controlled_record.reference'),
      title: sql.ref('controlled_record.title'),
      retentionEndsOn: retentionEnd(f.dialect),
      updatedAt: sql.ref('controlled_record.updated_at'),
    }[f.sort];
    // the reference is unique in a scope: no tie-breaker, so that its unique index gives the order (migration 0030)
    return withUsers(filteredRecords(db, f))
      .orderBy(order, f.dir)
      .$if(f.sort !== 'reference', (q) => q.orderBy('controlled_record.id', f.dir));
  },
  (db, shape: Shape, values: Params) => filteredRecords(db, filterOf<RecordFilter>(shape, values)),
);

export async function listRecords(
  db: Executor,
  dialect: 'sqlite' | 'postgres',
  scopeId: string,
  f: Omit<ListRecordsQuery, 'page' | 'pageSize'> & { disposableOn?: string },
  limit: number,
  offset: number,
) {
  // the service passes its whole query: the page is bound by the list itself
  const { page: _page, pageSize: _pageSize, ...filter } = f as typeof f & { page?: number; pageSize?: number };
  // legalHold ('true' or 'false') is a branch: its value is not bound as it is
  const { shape, values, cache } = splitFilter(
    { ...filter, scopeId, dialect },
    { branches: ['sort', 'dir', 'legalHold', 'dialect'], wrapped: ['q'] },
  );
  const { rows, total, capped } = await recordPage(db, shape, values, limit, offset, { cache });
  return { rows: rows as RecordRow[], total, capped };
}

const linkedTables: Record<
  LinkedRecordType,
  'document' | 'evidence' | 'incident' | 'asset' | 'risk' | 'change_request' | 'nonconformity' | 'control'
> = {
  document: 'document',
  evidence: 'evidence',
  incident: 'incident',
  asset: 'asset',
  risk: 'risk',
  change_request: 'change_request',
  nonconformity: 'nonconformity',
  control: 'control',
};

/** Whether a Praxis record of that type exists in the scope. */
export async function linkedRecordExists(db: Executor, scopeId: string, type: LinkedRecordType, id: string): Promise<boolean> {
  const row = await db
    .selectFrom(linkedTables[type] as 'asset')
    .select('id')
    .where('id', '=', id)
    .where('scope_id', '=', scopeId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The reference of a Praxis record of that type in the scope (`POL-0002`), for the history; undefined when it is gone. */
export async function findLinkedReference(db: Executor, scopeId: string, type: LinkedRecordType, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom(linkedTables[type] as 'asset')
    .select('reference')
    .where('id', '=', id)
    .where('scope_id', '=', scopeId)
    .executeTakeFirst();
  return row?.reference;
}

/** Active records of every scope whose retention ended by `today`, not on legal hold, without a disposal task yet. */
export async function findDueForDisposalTask(db: Executor, dialect: 'sqlite' | 'postgres', today: string) {
  return db
    .selectFrom('controlled_record')
    .select(['id', 'scope_id'])
    .where('status', '=', 'active')
    .where('legal_hold', '=', false)
    .where('disposal_task_id', 'is', null)
    .where(retentionEnd(dialect), '<=', today)
    .orderBy('scope_id')
    .orderBy('reference')
    .execute();
}

/** Links the disposal task unless another run linked one first (false then). */
export async function setDisposalTask(db: Executor, id: string, taskId: string): Promise<boolean> {
  const r = await db
    .updateTable('controlled_record')
    .set({ disposal_task_id: taskId })
    .where('id', '=', id)
    .where('disposal_task_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function findTaskAssignee(db: Executor, taskId: string) {
  return db.selectFrom('task').select(['assignee_id', 'status']).where('id', '=', taskId).executeTakeFirst();
}
