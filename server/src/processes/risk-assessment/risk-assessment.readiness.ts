import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { ReadinessCheck, ReadinessContext } from '../../isms/cycle/readiness.ts';
import { figures, startOfDay, stateOf } from '../../isms/cycle/readiness.ts';

export interface RiskStateCount {
  status: string;
  level: string | null;
  /** assessed (or re-assessed) since the cycle began */
  assessedInCycle: boolean;
  n: number;
}

/**
 * The scope's risks counted by status, current level and whether they were assessed during the cycle: one grouped read
 * of the covering index `risk_scope_readiness_idx`, shared by the checks of one evaluation (risk assessment's and risk
 * treatment's), so that the cockpit scans the register once.
 */
export function riskCountsByState(db: Executor, { scopeId, cycle, shared }: ReadinessContext): Promise<RiskStateCount[]> {
  const read = async () => {
    const since = startOfDay(cycle.startsOn);
    const rows = await db
      .selectFrom('risk')
      .select([
        'status',
        'current_level',
        sql<number>`case when assessed_at >= ${since} then 1 else 0 end`.as('recent'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('scope_id', '=', scopeId)
      // by position: the same expression twice would be two parameters, which PostgreSQL does not match
      .groupBy([sql`1`, sql`2`, sql`3`])
      .execute();
    return rows.map((r) => ({ status: r.status, level: r.current_level, assessedInCycle: Number(r.recent) === 1, n: Number(r.n) }));
  };
  return shared ? shared('risk-counts-by-state', read) : read();
}

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
    async evaluate(db, context) {
      let total = 0;
      let done = 0;
      for (const r of await riskCountsByState(db, context)) {
        if (r.status === 'closed') continue;
        total += r.n;
        if (r.status !== 'identified' && r.assessedInCycle) done += r.n;
      }
      const row = { total, done };
      const { scopeId } = context;
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
