import { recordDateSource } from '../../cadences/record-date.source.ts';

/**
 * A control's next verification (ISO 27001 9.1, A.5.36: controls are checked at planned intervals, and their evidence is
 * kept current). Controls in place are verified; planned, in-progress and not-applicable ones are not (yet). The owner
 * gets the task ahead of the date; completing it records the verification day and moves the date by the scope's rule
 * (yearly after completion unless the scope sets another).
 */
export const controlVerificationSource = recordDateSource({
  key: 'control-verification',
  table: 'control',
  dateColumn: 'next_verification_on',
  completedColumn: 'last_verified_on',
  processKey: 'control-implementation',
  statuses: { in: ['implemented', 'verified'] },
  defaults: { rule: 'FREQ=YEARLY;INTERVAL=1', mode: 'after_completion' },
  task: (r) => ({
    title: { key: 'cadences:title.controlVerification', params: { controlRef: r.recordRef, title: r.recordTitle } },
    description: { key: 'cadences:description.controlVerification' },
  }),
});
