import { recordDateSource } from '../record-date.source.ts';

/** A risk's next review date (ISO 27001 8.2: risk assessments at planned intervals); closed risks are not reviewed. */
export const riskReviewSource = recordDateSource({
  key: 'risk-review',
  table: 'risk',
  dateColumn: 'next_review_on',
  processKey: 'risk-assessment',
  statuses: { notIn: ['closed'] },
  defaults: { rule: 'FREQ=YEARLY;INTERVAL=1', mode: 'after_completion' },
  task: (r) => ({
    title: { key: 'cadences:title.riskReview', params: { riskRef: r.recordRef, title: r.recordTitle } },
    description: { key: 'cadences:description.riskReview' },
  }),
});
