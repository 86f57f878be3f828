import { sql } from 'kysely';
import type { ReadinessCheck } from '../../isms/cycle/readiness.ts';
import { figures, startOfDay, stateOf } from '../../isms/cycle/readiness.ts';

/** Risk assessment's part of the ISMS cycle (ISO 27001 6.1.2, 8.2): a method, and risks assessed during the cycle. */
export const riskAssessmentReadinessChecks: ReadinessCheck[] = [
  {
    key: 'risk-method-set',
    phase: 'plan',
    processKey: 'risk-assessment',
    labelKey: 'checks.riskMethodSet.label',
    explanationKey: 'checks.riskMethodSet.explanation',
    async evaluate(db, { scopeId }) {
      const row = await db
        .selectFrom('risk_method')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('scope_id', '=', scopeId)
        .where('is_current', '=', true)
        .executeTakeFirst();
      return { state: Number(row?.n ?? 0) > 0 ? 'done' : 'open', figures: null, link: `/s/${scopeId}/risks/method`, reasonKey: null };
    },
  },
  {
    // risks that are not closed, assessed (or re-assessed) since the cycle began
    key: 'risks-assessed',
    phase: 'plan',
    processKey: 'risk-assessment',
    labelKey: 'checks.risksAssessed.label',
    explanationKey: 'checks.risksAssessed.explanation',
    async evaluate(db, { scopeId, cycle }) {
      const row = await db
        .selectFrom('risk')
        .select([
          (eb) => eb.fn.countAll<number>().as('total'),
          sql<number>`coalesce(sum(case when status <> 'identified' and assessed_at >= ${startOfDay(cycle.startsOn)} then 1 else 0 end), 0)`.as(
            'done',
          ),
        ])
        .where('scope_id', '=', scopeId)
        .where('status', '<>', 'closed')
        .executeTakeFirst();
      const f = figures(row?.done, row?.total);
      return {
        state: stateOf(f.done, f.total),
        figures: f,
        link: `/s/${scopeId}/risks`,
        reasonKey: f.total === 0 ? 'reasons.noRisk' : null,
      };
    },
  },
];
