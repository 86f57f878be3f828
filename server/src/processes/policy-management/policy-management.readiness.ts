import { sql } from 'kysely';
import type { ReadinessCheck } from '../../isms/cycle/readiness.ts';
import { figures, stateOf } from '../../isms/cycle/readiness.ts';

/** Policy management's part of the ISMS cycle (ISO 27001 5.2, 7.5): the policies in force are published. */
export const policyManagementReadinessChecks: ReadinessCheck[] = [
  {
    key: 'policies-published',
    phase: 'plan',
    processKey: 'policy-management',
    labelKey: 'checks.policiesPublished.label',
    explanationKey: 'checks.policiesPublished.explanation',
    async evaluate(db, { scopeId }) {
      const row = await db
        .selectFrom('document')
        .select([
          (eb) => eb.fn.countAll<number>().as('total'),
          sql<number>`coalesce(sum(case when status = 'published' then 1 else 0 end), 0)`.as('done'),
        ])
        .where('scope_id', '=', scopeId)
        .where('status', 'in', ['draft', 'published'])
        .where('doc_type', '=', 'policy')
        .executeTakeFirst();
      const f = figures(row?.done, row?.total);
      return {
        state: stateOf(f.done, f.total),
        figures: f,
        link: `/s/${scopeId}/policies`,
        reasonKey: f.total === 0 ? 'reasons.noPolicy' : null,
      };
    },
  },
];
