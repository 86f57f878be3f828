import type { Executor, Tx } from '../../db/database.ts';
import type { Text } from '../../i18n/i18n.ts';
import { findProcessDefinition, type ProcessKey } from '../../isms/process-model.ts';
import type { CadenceSource, DueRecord } from '../cadence.source.ts';

const texts: Partial<Record<ProcessKey, { title: Text; description: Text }>> = {
  'management-review': {
    title: { key: 'cadences:title.managementReview' },
    description: { key: 'cadences:description.managementReview' },
  },
  'internal-audit': {
    title: { key: 'cadences:title.auditProgramme' },
    description: { key: 'cadences:description.auditProgramme' },
  },
  'performance-evaluation': {
    title: { key: 'cadences:title.performanceEvaluation' },
    description: { key: 'cadences:description.performanceEvaluation' },
  },
};

const rowToDue = (r: {
  scope_id: string;
  id: string;
  process_key: string;
  owner_id: string | null;
  next_review_on: string | null;
}): DueRecord => ({
  scopeId: r.scope_id,
  recordId: r.id,
  recordRef: r.process_key,
  recordTitle: findProcessDefinition(r.process_key)?.name ?? r.process_key,
  ownerId: r.owner_id,
  nextOn: r.next_review_on!,
  processKey: r.process_key as ProcessKey,
  subject: r.process_key,
});

/** Each process of a scope is reviewed at its cadence; the management review and the audit programme are two of them. */
export const processReviewSource: CadenceSource = {
  key: 'process',
  recordType: 'process',
  defaults: { rule: null, mode: 'fixed' },
  async listDue(db: Executor, by, after, limit) {
    let q = db
      .selectFrom('scope_process as sp')
      .select(['sp.scope_id', 'sp.id', 'sp.process_key', 'sp.owner_id', 'sp.next_review_on'])
      .where('sp.next_review_on', 'is not', null)
      .where('sp.next_review_on', '<=', by)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('cadence_occurrence as o')
              .select('o.id')
              .where('o.source', '=', 'process')
              .whereRef('o.record_id', '=', 'sp.id')
              .whereRef('o.occurs_on', '=', 'sp.next_review_on'),
          ),
        ),
      );
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('sp.next_review_on', '>', after.nextOn),
          eb.and([eb('sp.next_review_on', '=', after.nextOn), eb('sp.id', '>', after.recordId)]),
        ]),
      );
    }
    return (await q.orderBy('sp.next_review_on').orderBy('sp.id').limit(limit).execute()).map(rowToDue);
  },
  async listUpcoming(db: Executor, scopeId, until) {
    const rows = await db
      .selectFrom('scope_process as sp')
      .select(['sp.scope_id', 'sp.id', 'sp.process_key', 'sp.owner_id', 'sp.next_review_on'])
      .where('sp.scope_id', '=', scopeId)
      .where('sp.next_review_on', 'is not', null)
      .where('sp.next_review_on', '<=', until)
      .execute();
    return rows.map(rowToDue);
  },
  async currentNextOn(db: Executor, recordIds) {
    if (recordIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('scope_process')
      .select(['id', 'next_review_on'])
      .where('id', 'in', [...recordIds])
      .where('next_review_on', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.id, r.next_review_on!]));
  },
  async moveNextOn(tx: Tx, recordId, from, to, now) {
    const r = await tx
      .updateTable('scope_process')
      .set((eb) => ({ next_review_on: to, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', recordId)
      .where('next_review_on', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  task(r) {
    return (
      texts[r.processKey] ?? {
        // the process by key: each reader gets its name in their language (nested from the processes catalog)
        title: { key: 'cadences:title.processReviewOf', params: { processKey: r.processKey } },
        description: { key: 'cadences:description.processReview' },
      }
    );
  },
};
