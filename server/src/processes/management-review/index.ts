export { compileInputs, reviewSummary } from './management-review.service.ts';
// the audit pack: the minutes
export { getReview, listReviews } from './management-review.service.ts';
export { renderMinutesPdf } from './management-review.minutes.ts';

import { defineModule } from '../../engine/module.ts';
import { permissions } from './management-review.permissions.ts';
import { managementReviewTables } from './management-review.tables.ts';
import { managementReviewDemo } from './management-review.demo.ts';
import { managementReviewReadinessChecks } from './management-review.readiness.ts';
import { managementReviewRoutes } from './management-review.routes.ts';

/**
 * Management review (ISO 27001 9.3): reviews with chair, attendees and quorum; inputs compiled from the live records of
 * the period and frozen with their SHA-256 when held; decisions that create their records (a corrective action or
 * opportunity through improvement, a change request, tasks for the other kinds); minutes approved by the chair, kept in
 * the records register and exported as PDF and DOCX. Its cadence is the management-review process's own.
 */
export const managementReviewModule = defineModule({
  key: 'management-review',
  process: 'management-review',
  tables: managementReviewTables,
  routes: [managementReviewRoutes],
  tags: [{ name: 'management review', description: 'Management reviews: inputs compiled from live records, decisions and minutes' }],
  permissions,
  emits: [{ event: 'review.decided' }],
  demo: managementReviewDemo,
  readiness: managementReviewReadinessChecks,
  nav: [{ section: 'reviews', permission: 'review:read' }],
});
