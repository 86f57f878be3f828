import { findProcessOwner } from '../../isms/process.service.ts';
import { isoNow, utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { openWorkTx } from '../../work/work.ts';
import * as repo from './document.repository.ts';
import { REVIEW_LEAD_DAYS } from './document.service.ts';

const BATCH = 500;

/**
 * Review-due (ISO 27001 5.2, 7.5.3; A.5.1 "reviewed at planned intervals"): a task for the document owner
 * REVIEW_LEAD_DAYS before the next review date, once per document and review date (the claim marks the document).
 */
export async function documentReviewSweep(deps: Deps): Promise<number> {
  const by = utcDatePlusDays(deps.clock.now(), REVIEW_LEAD_DAYS);
  let created = 0;
  for (const d of await repo.findReviewDue(deps.db, by, BATCH)) {
    const done = await deps.db.transaction().execute(async (tx) => {
      if (!(await repo.claimReviewTask(tx, d.id, d.next_review_on!))) return false;
      await openWorkTx(tx, deps, null, {
        scopeId: d.scope_id,
        purpose: 'review',
        title: { key: 'tasks:title.reviewDocument', params: { documentRef: d.reference, title: d.title, dueOn: d.next_review_on } },
        description: { key: 'tasks:description.reviewDocument', params: { documentRef: d.reference, dueOn: d.next_review_on } },
        processKey: 'policy-management',
        assigneeId: d.owner_id ?? (await findProcessOwner(tx, d.scope_id, 'policy-management')),
        dueOn: d.next_review_on,
        origin: { processKey: 'policy-management', recordType: 'document', recordId: d.id, recordRef: d.reference },
      });
      return true;
    });
    if (done) created++;
  }
  return created;
}

/** Reminders: one task per overdue, unacknowledged assignment, at most once per assignment. */
export async function acknowledgementReminderSweep(deps: Deps): Promise<number> {
  const today = deps.clock.now().toISOString().slice(0, 10);
  let created = 0;
  for (const a of await repo.findOverdueUnreminded(deps.db, today, BATCH)) {
    const done = await deps.db.transaction().execute(async (tx) => {
      if (!(await repo.claimReminder(tx, a.id, isoNow(deps.clock)))) return false;
      const { task } = await openWorkTx(tx, deps, null, {
        scopeId: a.scope_id,
        purpose: `acknowledge:${a.user_id}`,
        title: { key: 'tasks:title.acknowledgeVersion', params: { documentRef: a.reference, versionNo: a.version_no, title: a.title } },
        description: { key: 'tasks:description.acknowledgeVersion', params: { dueOn: a.due_on } },
        processKey: 'policy-management',
        assigneeId: a.user_id,
        dueOn: today,
        origin: {
          processKey: 'policy-management',
          recordType: 'document_version',
          recordId: a.document_version_id,
          recordRef: `${a.reference} v${a.version_no}`,
        },
      });
      await repo.setReminderTask(tx, a.id, task.id);
      return true;
    });
    if (done) created++;
  }
  return created;
}
