import { sql } from 'kysely';
import type { ReadinessCheck } from '../../isms/cycle/readiness.ts';
import { figures, stateOf } from '../../isms/cycle/readiness.ts';

/** Control implementation's part of the ISMS cycle (ISO 27001 8.1, 8.3): controls implemented, with current evidence. */
export const controlImplementationReadinessChecks: ReadinessCheck[] = [
  {
    // applicable controls that are implemented or verified and have at least one piece of evidence still valid today
    key: 'controls-implemented',
    phase: 'do',
    processKey: 'control-implementation',
    labelKey: 'checks.controlsImplemented.label',
    explanationKey: 'checks.controlsImplemented.explanation',
    async evaluate(db, { scopeId, today }) {
      const row = await db
        .selectFrom('control as c')
        .select([
          (eb) => eb.fn.countAll<number>().as('total'),
          sql<number>`coalesce(sum(case when c.status in ('implemented', 'verified') and exists (
            select 1 from evidence_control ec join evidence e on e.id = ec.evidence_id
            where ec.control_id = c.id and (e.valid_until is null or e.valid_until >= ${today})
          ) then 1 else 0 end), 0)`.as('done'),
        ])
        .where('c.scope_id', '=', scopeId)
        .where('c.status', '<>', 'not_applicable')
        .executeTakeFirst();
      const f = figures(row?.done, row?.total);
      return {
        state: stateOf(f.done, f.total),
        figures: f,
        link: `/s/${scopeId}/controls`,
        reasonKey: f.total === 0 ? 'reasons.noControl' : null,
      };
    },
  },
];
