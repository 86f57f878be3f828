import type { CadenceSource, DueRecord } from '../../cadences/index.ts';
import type { Executor, Tx } from '../../db/database.ts';

const rowToDue = (r: {
  scope_id: string;
  id: string;
  reference: string;
  title: string;
  owner_id: string | null;
  next_verification_on: string | null;
}): DueRecord => ({
  scopeId: r.scope_id,
  recordId: r.id,
  recordRef: r.reference,
  recordTitle: r.title,
  ownerId: r.owner_id,
  nextOn: r.next_verification_on!,
  processKey: 'control-implementation',
  subject: '',
});

/** Controls in place are verified; planned, in-progress and not-applicable ones are not (yet). */
const verifiedStatuses = ['implemented', 'verified'] as const;

/**
 * A control's next verification (ISO 27001 9.1, A.5.36: controls are checked at planned intervals, and their evidence is
 * kept current). The owner gets the task ahead of the date; completing it records the verification day and moves the
 * date by the scope's rule (yearly after completion unless the scope sets another).
 */
export const controlVerificationSource: CadenceSource = {
  key: 'control-verification',
  recordType: 'control',
  processKey: 'control-implementation',
  defaults: { rule: 'FREQ=YEARLY;INTERVAL=1', mode: 'after_completion' },
  async listDue(db: Executor, by, after, limit) {
    let q = db
      .selectFrom('control as c')
      .select(['c.scope_id', 'c.id', 'c.reference', 'c.title', 'c.owner_id', 'c.next_verification_on'])
      .where('c.next_verification_on', 'is not', null)
      .where('c.next_verification_on', '<=', by)
      .where('c.status', 'in', [...verifiedStatuses])
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('cadence_occurrence as o')
              .select('o.id')
              .where('o.source', '=', 'control-verification')
              .whereRef('o.record_id', '=', 'c.id')
              .whereRef('o.occurs_on', '=', 'c.next_verification_on'),
          ),
        ),
      );
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('c.next_verification_on', '>', after.nextOn),
          eb.and([eb('c.next_verification_on', '=', after.nextOn), eb('c.id', '>', after.recordId)]),
        ]),
      );
    }
    return (await q.orderBy('c.next_verification_on').orderBy('c.id').limit(limit).execute()).map(rowToDue);
  },
  async listUpcoming(db: Executor, scopeId, until) {
    const rows = await db
      .selectFrom('control as c')
      .select(['c.scope_id', 'c.id', 'c.reference', 'c.title', 'c.owner_id', 'c.next_verification_on'])
      .where('c.scope_id', '=', scopeId)
      .where('c.next_verification_on', 'is not', null)
      .where('c.next_verification_on', '<=', until)
      .where('c.status', 'in', [...verifiedStatuses])
      .execute();
    return rows.map(rowToDue);
  },
  async currentNextOn(db: Executor, recordIds) {
    if (recordIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('control')
      .select(['id', 'next_verification_on'])
      .where('id', 'in', [...recordIds])
      .where('next_verification_on', 'is not', null)
      .where('status', 'in', [...verifiedStatuses])
      .execute();
    return new Map(rows.map((r) => [r.id, r.next_verification_on!]));
  },
  async moveNextOn(tx: Tx, recordId, from, to, now) {
    // a completed verification moves the date on and is the day the control was last verified
    const r = await tx
      .updateTable('control')
      .set((eb) => ({
        next_verification_on: to,
        ...(to === null || to > from ? { last_verified_on: now.slice(0, 10) } : {}),
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', recordId)
      .where('next_verification_on', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  task(r) {
    return {
      title: { key: 'cadences:title.controlVerification', params: { controlRef: r.recordRef, title: r.recordTitle } },
      description:
        'The planned verification of this control is due (ISO 27001 9.1): check that it is in place and works as intended, keep its evidence current, and set its effectiveness. Completing this task records the verification and sets the next date.',
    };
  },
};
