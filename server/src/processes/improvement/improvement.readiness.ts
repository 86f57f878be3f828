import { sql } from 'kysely';
import type { ReadinessCheck } from '../../isms/cycle/readiness.ts';
import { figures, startOfDay, stateOf } from '../../isms/cycle/readiness.ts';

/** Improvement's part of the ISMS cycle (ISO 27001 10.2): the corrective actions of nonconformities are closed. */
export const improvementReadinessChecks: ReadinessCheck[] = [
  {
    // corrective actions still open, whenever raised, and those closed during this cycle
    key: 'corrective-actions-closed',
    phase: 'act',
    processKey: 'improvement',
    labelKey: 'checks.correctiveActionsClosed.label',
    explanationKey: 'checks.correctiveActionsClosed.explanation',
    async evaluate(db, { scopeId, cycle }) {
      const start = startOfDay(cycle.startsOn);
      const row = await db
        .selectFrom('corrective_action as ca')
        .innerJoin('nonconformity as n', 'n.id', 'ca.nonconformity_id')
        .innerJoin('task as t', 't.id', 'ca.task_id')
        .select([
          (eb) => eb.fn.countAll<number>().as('total'),
          sql<number>`coalesce(sum(case when t.status in ('done', 'cancelled') then 1 else 0 end), 0)`.as('done'),
        ])
        .where('n.scope_id', '=', scopeId)
        .where((eb) => eb.or([eb('t.status', 'in', ['open', 'in_progress']), eb('t.completed_at', '>=', start)]))
        .executeTakeFirst();
      const f = figures(row?.done, row?.total);
      if (f.total === 0)
        return { state: 'not_applicable', figures: null, link: `/s/${scopeId}/improvement`, reasonKey: 'reasons.noCorrectiveAction' };
      return { state: stateOf(f.done, f.total), figures: f, link: `/s/${scopeId}/improvement`, reasonKey: null };
    },
  },
];
