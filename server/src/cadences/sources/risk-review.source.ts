import type { Executor, Tx } from '../../db/database.ts';
import type { CadenceSource, DueRecord } from '../cadence.source.ts';

const rowToDue = (r: {
  scope_id: string;
  id: string;
  reference: string;
  title: string;
  owner_id: string | null;
  next_review_on: string | null;
}): DueRecord => ({
  scopeId: r.scope_id,
  recordId: r.id,
  recordRef: r.reference,
  recordTitle: r.title,
  ownerId: r.owner_id,
  nextOn: r.next_review_on!,
  processKey: 'risk-assessment',
  subject: '',
});

/** A risk's next review date (ISO 27001 8.2: risk assessments at planned intervals); closed risks are not reviewed. */
export const riskReviewSource: CadenceSource = {
  key: 'risk-review',
  recordType: 'risk',
  processKey: 'risk-assessment',
  defaults: { rule: 'FREQ=YEARLY;INTERVAL=1', mode: 'after_completion' },
  async listDue(db: Executor, by, after, limit) {
    let q = db
      .selectFrom('risk as r')
      .select(['r.scope_id', 'r.id', 'r.reference', 'r.title', 'r.owner_id', 'r.next_review_on'])
      .where('r.next_review_on', 'is not', null)
      .where('r.next_review_on', '<=', by)
      .where('r.status', '!=', 'closed')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('cadence_occurrence as o')
              .select('o.id')
              .where('o.source', '=', 'risk-review')
              .whereRef('o.record_id', '=', 'r.id')
              .whereRef('o.occurs_on', '=', 'r.next_review_on'),
          ),
        ),
      );
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('r.next_review_on', '>', after.nextOn),
          eb.and([eb('r.next_review_on', '=', after.nextOn), eb('r.id', '>', after.recordId)]),
        ]),
      );
    }
    return (await q.orderBy('r.next_review_on').orderBy('r.id').limit(limit).execute()).map(rowToDue);
  },
  async listUpcoming(db: Executor, scopeId, until) {
    const rows = await db
      .selectFrom('risk as r')
      .select(['r.scope_id', 'r.id', 'r.reference', 'r.title', 'r.owner_id', 'r.next_review_on'])
      .where('r.scope_id', '=', scopeId)
      .where('r.next_review_on', 'is not', null)
      .where('r.next_review_on', '<=', until)
      .where('r.status', '!=', 'closed')
      .execute();
    return rows.map(rowToDue);
  },
  async currentNextOn(db: Executor, recordIds) {
    if (recordIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('risk')
      .select(['id', 'next_review_on'])
      .where('id', 'in', [...recordIds])
      .where('next_review_on', 'is not', null)
      .where('status', '!=', 'closed')
      .execute();
    return new Map(rows.map((r) => [r.id, r.next_review_on!]));
  },
  async moveNextOn(tx: Tx, recordId, from, to, now) {
    const r = await tx
      .updateTable('risk')
      .set((eb) => ({ next_review_on: to, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', recordId)
      .where('next_review_on', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  task(r) {
    return {
      title: { key: 'cadences:title.riskReview', params: { riskRef: r.recordRef, title: r.recordTitle } },
      description:
        'The planned review of this risk is due (ISO 27001 8.2): check its likelihood, impact and treatment against what has changed, and record the result. Completing this task sets the next review date.',
    };
  },
};
