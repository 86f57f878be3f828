import { sql } from 'kysely';
import type { ReadinessCheck } from '../../isms/cycle/readiness.ts';
import { startOfDay } from '../../isms/cycle/readiness.ts';

/**
 * Management review's part of the Check phase (ISO 27001 9.3): done when a review was held in the current cycle,
 * partial while one is planned or has its inputs compiled. One statement.
 */
export const managementReviewHeldCheck: ReadinessCheck = {
  key: 'management-review-held',
  phase: 'check',
  processKey: 'management-review',
  labelKey: 'checks.managementReviewHeld.label',
  explanationKey: 'checks.managementReviewHeld.explanation',
  async evaluate(db, { scopeId, cycle }) {
    const row = await db
      .selectFrom('management_review')
      .select([
        sql<number>`coalesce(sum(case when status in ('held', 'approved', 'closed') and held_at >= ${startOfDay(cycle.startsOn)} then 1 else 0 end), 0)`.as(
          'held',
        ),
        sql<number>`coalesce(sum(case when status in ('planned', 'compiled') then 1 else 0 end), 0)`.as('preparing'),
      ])
      .where('scope_id', '=', scopeId)
      .where((eb) => eb.or([eb('status', 'in', ['planned', 'compiled']), eb('held_at', '>=', startOfDay(cycle.startsOn))]))
      .executeTakeFirst();
    const link = `/s/${scopeId}/reviews`;
    if (Number(row?.held ?? 0) > 0) return { state: 'done', figures: null, link, reasonKey: null };
    return { state: Number(row?.preparing ?? 0) > 0 ? 'partial' : 'open', figures: null, link, reasonKey: null };
  },
};

export const managementReviewReadinessChecks: ReadinessCheck[] = [managementReviewHeldCheck];
