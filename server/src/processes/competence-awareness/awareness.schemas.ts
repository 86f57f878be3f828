/**
 * The ISMS manager's awareness dashboard (ISO 27001 7.3, 7.4, 9.1; A.5.1 acknowledgement, A.6.3 training).
 * Endpoints (permission awareness:report):
 *   GET /api/scopes/:scopeId/awareness/dashboard     rates by policy, by course, by scope role and by department
 *   GET /api/scopes/:scopeId/awareness/overdue       people with overdue acknowledgements or trainings (page, pageSize, q, department)
 *   GET /api/scopes/:scopeId/awareness/export.csv    one row per person (assigned / done / overdue per kind)
 *   GET /api/scopes/:scopeId/awareness/export.xlsx   workbook: policies, courses, scope roles, departments, people
 * Policies count the acknowledgements of each published document's current version; courses count each person's
 * latest round of an active course. Overdue: not done and due before today (UTC).
 */
import { z } from 'zod';
import { pageQuery, searchQuery } from '../../shared/schemas.ts';

const counts = {
  assigned: z.number().int(),
  done: z.number().int(),
  overdue: z.number().int(),
  /** done / assigned in percent, one decimal; null when nothing is assigned */
  rate: z.number().nullable(),
};

export const dashboardResponse = z.object({
  asOf: z.string(),
  policies: z.array(z.object({ documentId: z.string(), reference: z.string(), title: z.string(), ...counts })),
  courses: z.array(z.object({ courseId: z.string(), reference: z.string(), title: z.string(), ...counts })),
  byScopeRole: z.array(z.object({ scopeRole: z.string(), policies: z.object(counts), trainings: z.object(counts) })),
  /** department null: people without one */
  byDepartment: z.array(z.object({ department: z.string().nullable(), policies: z.object(counts), trainings: z.object(counts) })),
});
export type DashboardResponse = z.infer<typeof dashboardResponse>;

export const overdueQuery = z.strictObject({
  ...pageQuery,
  q: searchQuery,
  department: z.string().trim().max(200).optional(),
});

export const personSummaryResponse = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  scopeRole: z.string().nullable(),
  department: z.string().nullable(),
  policies: z.object(counts),
  trainings: z.object(counts),
  /** the earliest due date among the overdue items */
  oldestOverdueOn: z.string().nullable(),
});
export type PersonSummaryResponse = z.infer<typeof personSummaryResponse>;
