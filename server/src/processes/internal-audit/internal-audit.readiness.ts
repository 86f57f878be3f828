import { sql } from 'kysely';
import type { ReadinessCheck } from '../../isms/cycle/readiness.ts';
import { startOfDay } from '../../isms/cycle/readiness.ts';

/** Internal audit's part of the Check phase (ISO 27001 9.2): an internal audit was held in the cycle. */
export const internalAuditReadinessChecks: ReadinessCheck[] = [
  {
    // done: an internal audit closed during this cycle; partial: one is in fieldwork or reporting
    key: 'internal-audit-held',
    phase: 'check',
    processKey: 'internal-audit',
    labelKey: 'checks.internalAuditHeld.label',
    explanationKey: 'checks.internalAuditHeld.explanation',
    async evaluate(db, { scopeId, cycle }) {
      const row = await db
        .selectFrom('internal_audit')
        .select([
          sql<number>`coalesce(sum(case when status = 'closed' and closed_at >= ${startOfDay(cycle.startsOn)} then 1 else 0 end), 0)`.as(
            'closed',
          ),
          sql<number>`coalesce(sum(case when status in ('fieldwork', 'reporting') then 1 else 0 end), 0)`.as('running'),
        ])
        .where('scope_id', '=', scopeId)
        .where('source', '=', 'internal')
        .where((eb) => eb.or([eb('status', 'in', ['fieldwork', 'reporting']), eb('closed_at', '>=', startOfDay(cycle.startsOn))]))
        .executeTakeFirst();
      const link = `/s/${scopeId}/audits`;
      if (Number(row?.closed ?? 0) > 0) return { state: 'done', figures: null, link, reasonKey: null };
      return { state: Number(row?.running ?? 0) > 0 ? 'partial' : 'open', figures: null, link, reasonKey: null };
    },
  },
];
