import { sql } from 'kysely';
import type { ReadinessCheck } from '../../isms/cycle/readiness.ts';
import { figures, startOfDay, stateOf } from '../../isms/cycle/readiness.ts';
import { isAboveAcceptance, parseMethod, riskCountsByState } from '../risk-assessment/index.ts';

/** Risk treatment's part of the ISMS cycle (ISO 27001 6.1.3, 8.3): treatments decided, the SoA approved. */
export const riskTreatmentReadinessChecks: ReadinessCheck[] = [
  {
    // risks at a level above the acceptance criteria of the current method: a decided treatment, or an acceptance in force
    key: 'treatment-decided',
    phase: 'plan',
    processKey: 'risk-treatment',
    labelKey: 'checks.treatmentDecided.label',
    explanationKey: 'checks.treatmentDecided.explanation',
    async evaluate(db, context) {
      const { scopeId } = context;
      const link = `/s/${scopeId}/risks?status=treatment`;
      const method = await db
        .selectFrom('risk_method')
        .select('definition')
        .where('scope_id', '=', scopeId)
        .where('is_current', '=', true)
        .executeTakeFirst();
      const m = method ? parseMethod(method.definition) : null;
      const above = m ? m.levels.map((l) => l.key).filter((key) => isAboveAcceptance(m, key)) : [];
      if (above.length === 0) return { state: 'not_applicable', figures: null, link, reasonKey: 'reasons.noRiskAboveCriteria' };
      // the scope's risks by status and level (one read shared with risk assessment's check), and the decided
      // treatments by their risk's status and level; the levels above the criteria are picked here, not in SQL
      const [risks, treated] = await Promise.all([
        riskCountsByState(db, context),
        db
          .selectFrom('risk_treatment as t')
          .innerJoin('risk as r', 'r.id', 't.risk_id')
          .select(['r.status', 'r.current_level', (eb) => eb.fn.countAll<number>().as('n')])
          .where('t.scope_id', '=', scopeId)
          .where('t.status', 'in', ['decided', 'implemented'])
          .groupBy(['r.status', 'r.current_level'])
          .execute(),
      ]);
      const levels = new Set(above);
      let total = 0;
      let done = 0;
      for (const r of risks) {
        if (r.status === 'closed' || !r.level || !levels.has(r.level)) continue;
        total += r.n;
        if (r.status === 'accepted') done += r.n;
      }
      for (const r of treated) {
        if (r.status === 'closed' || r.status === 'accepted' || !r.current_level || !levels.has(r.current_level)) continue;
        done += Number(r.n);
      }
      const row = { total, done };
      const f = figures(row?.done, row?.total);
      if (f.total === 0) return { state: 'not_applicable', figures: null, link, reasonKey: 'reasons.noRiskAboveCriteria' };
      return { state: stateOf(f.done, f.total), figures: f, link, reasonKey: null };
    },
  },
  {
    // every Statement of Applicability of the scope has a version approved during this cycle
    key: 'soa-approved',
    phase: 'plan',
    processKey: 'risk-treatment',
    labelKey: 'checks.soaApproved.label',
    explanationKey: 'checks.soaApproved.explanation',
    async evaluate(db, { scopeId, cycle }) {
      const row = await db
        .selectFrom('soa as s')
        .select([
          (eb) => eb.fn.countAll<number>().as('total'),
          sql<number>`coalesce(sum(case when exists (
            select 1 from soa_version v where v.soa_id = s.id and v.approved_at >= ${startOfDay(cycle.startsOn)}
          ) then 1 else 0 end), 0)`.as('done'),
        ])
        .where('s.scope_id', '=', scopeId)
        .executeTakeFirst();
      const f = figures(row?.done, row?.total);
      return { state: stateOf(f.done, f.total), figures: f, link: `/s/${scopeId}/soa`, reasonKey: f.total === 0 ? 'reasons.noSoa' : null };
    },
  },
];
