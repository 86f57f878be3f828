import { sql } from 'kysely';
import type { ReadinessCheck } from '../../isms/cycle/readiness.ts';
import { figures, startOfDay, stateOf } from '../../isms/cycle/readiness.ts';

/**
 * Performance evaluation's part of the ISMS cycle (ISO 27001 9.1): every active measure has a value in the current
 * cycle. One aggregate statement; the lookup per measure reads the index (measure_id, measured_at).
 */
export const measurementsTakenCheck: ReadinessCheck = {
  key: 'measurements-taken',
  phase: 'check',
  processKey: 'performance-evaluation',
  labelKey: 'checks.measurementsTaken.label',
  explanationKey: 'checks.measurementsTaken.explanation',
  async evaluate(db, { scopeId, cycle }) {
    const link = `/s/${scopeId}/measures`;
    const row = await db
      .selectFrom('measure as ms')
      .select([
        (eb) => eb.fn.countAll<number>().as('total'),
        sql<number>`coalesce(sum(case when exists (
          select 1 from measurement m where m.measure_id = ms.id and m.measured_at >= ${startOfDay(cycle.startsOn)}
            and m.measured_at <= ${`${cycle.endsOn}T23:59:59.999Z`}
        ) then 1 else 0 end), 0)`.as('done'),
      ])
      .where('ms.scope_id', '=', scopeId)
      .where('ms.status', '=', 'active')
      .executeTakeFirst();
    const f = figures(row?.done, row?.total);
    if (f.total === 0) return { state: 'open', figures: { done: 0, total: 0 }, link, reasonKey: null };
    return { state: stateOf(f.done, f.total), figures: f, link, reasonKey: null };
  },
};

export const performanceEvaluationReadinessChecks: ReadinessCheck[] = [measurementsTakenCheck];
