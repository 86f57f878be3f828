import { sql } from 'kysely';
import type { Executor, Tx } from '../db/database.ts';
import type { Text } from '../i18n/i18n.ts';
import type { ProcessKey } from '../isms/process-model.ts';
import type { CadenceMode } from './cadence.rules.ts';
import type { CadenceSource, DueRecord } from './cadence.source.ts';

/** Registers whose records carry a next date of their own (reference, title, owner, status, version). */
type RecordTable = 'risk' | 'control';

/**
 * A cadence source for a register whose records carry their own next date (a risk's next review, a control's next
 * verification, and the registers later modules add): the four queries a source needs, written once. A module
 * declares what differs — the table, the date column, which statuses are scheduled, the task's words — and, if its
 * record keeps the day of the last completion, the column for it.
 */
export function recordDateSource(spec: {
  key: string;
  table: RecordTable;
  /** the record's next date (YYYY-MM-DD), moved on by each completion */
  dateColumn: string;
  /** the day the last occurrence was completed, set when the date moves on (optional) */
  completedColumn?: string;
  processKey: ProcessKey;
  /** which records are scheduled: by status */
  statuses: { in: readonly string[] } | { notIn: readonly string[] };
  defaults: { rule: string | null; mode: CadenceMode };
  task: (r: DueRecord) => { title: Text; description: Text };
}): CadenceSource {
  // Kysely cannot narrow a table or column chosen at run time: the spec names them, the queries below are the same for
  // every register (`id`, `scope_id`, `reference`, `title`, `owner_id`, `status`, `version`, `updated_at`, the date)
  const date = sql.ref<string | null>(`r.${spec.dateColumn}`);
  const plainDate = spec.dateColumn as 'next_review_on';
  const table = `${spec.table} as r` as 'risk as r';
  const scheduled = <Q extends { where: (...a: any[]) => Q }>(q: Q): Q =>
    'in' in spec.statuses
      ? q.where('r.status', 'in', [...spec.statuses.in] as never)
      : q.where('r.status', 'not in', [...spec.statuses.notIn] as never);
  const rowToDue = (r: {
    scope_id: string;
    id: string;
    reference: string;
    title: string;
    owner_id: string | null;
    next_on: string | null;
  }): DueRecord => ({
    scopeId: r.scope_id,
    recordId: r.id,
    recordRef: r.reference,
    recordTitle: r.title,
    ownerId: r.owner_id,
    nextOn: r.next_on!,
    processKey: spec.processKey,
    subject: '',
  });
  const columns = ['r.scope_id', 'r.id', 'r.reference', 'r.title', 'r.owner_id'] as const;

  return {
    key: spec.key,
    recordType: spec.table,
    processKey: spec.processKey,
    defaults: spec.defaults,
    async listDue(db: Executor, by, after, limit) {
      let q = scheduled(
        db
          .selectFrom(table)
          .select([...columns, date.as('next_on')])
          .where(date, 'is not', null)
          .where(date, '<=', by),
      ).where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('cadence_occurrence as o')
              .select('o.id')
              .where('o.source', '=', spec.key)
              .whereRef('o.record_id', '=', 'r.id')
              .where('o.occurs_on', '=', date),
          ),
        ),
      );
      if (after) {
        q = q.where((eb) => eb.or([eb(date, '>', after.nextOn), eb.and([eb(date, '=', after.nextOn), eb('r.id', '>', after.recordId)])]));
      }
      return (await q.orderBy(date).orderBy('r.id').limit(limit).execute()).map(rowToDue);
    },
    async listUpcoming(db: Executor, scopeId, until) {
      const rows = await scheduled(
        db
          .selectFrom(table)
          .select([...columns, date.as('next_on')])
          .where('r.scope_id', '=', scopeId)
          .where(date, 'is not', null)
          .where(date, '<=', until),
      ).execute();
      return rows.map(rowToDue);
    },
    async currentNextOn(db: Executor, recordIds) {
      if (recordIds.length === 0) return new Map();
      const rows = await scheduled(
        db
          .selectFrom(table)
          .select(['r.id', date.as('next_on')])
          .where('r.id', 'in', [...recordIds])
          .where(date, 'is not', null),
      ).execute();
      return new Map(rows.map((r) => [r.id, r.next_on!]));
    },
    async moveNextOn(tx: Tx, recordId, from, to, now) {
      // a completion moves the date on (later); the day it happened is kept where the register records it
      const completed = spec.completedColumn && (to === null || to > from) ? { [spec.completedColumn]: now.slice(0, 10) } : {};
      const r = await tx
        .updateTable(spec.table as 'risk')
        .set((eb) => ({ [plainDate]: to, ...completed, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', recordId)
        .where(plainDate, '=', from)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    task: spec.task,
  };
}
