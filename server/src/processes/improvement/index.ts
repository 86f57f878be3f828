export {
  addCorrectiveAction,
  createNonconformity,
  createNonconformityTx,
  createOpportunity,
  createOpportunityTx,
} from './improvement.service.ts';
// the audit pack: nonconformities with their corrective actions (CSV)
export { exportNonconformitiesCsv } from './improvement.export.ts';

import { defineModule } from '../../engine/module.ts';
import { permissions } from './improvement.permissions.ts';
import { improvementTables } from './improvement.tables.ts';
import { improvementReadinessChecks } from './improvement.readiness.ts';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { improvementHandoffs } from './improvement.handoffs.ts';
import { improvementRoutes } from './improvement.routes.ts';

/** Improvement (ISO 27001 10): nonconformities, corrective actions, effectiveness checks, opportunities. */
export const improvementModule = defineModule({
  key: 'improvement',
  process: 'improvement',
  tables: improvementTables,
  routes: [improvementRoutes],
  tags: [{ name: 'improvement', description: 'Nonconformities, corrective actions and opportunities for improvement' }],
  permissions,
  emits: [{ event: 'improvement.change-requested' }],
  receives: improvementHandoffs,
  readiness: improvementReadinessChecks,
  nav: [{ section: 'improvement', permission: 'improvement:read' }],
});

/**
 * For management review (ISO 27001 9.3.2 d, g): nonconformities opened and closed in the period and open now, and
 * opportunities raised in the period, open now and implemented of those raised. Instants, `to` excluded. Two statements.
 */
export async function improvementFigures(db: Executor, scopeId: string, period: { from: string; to: string }) {
  const inPeriod = (column: 'created_at' | 'closed_at') =>
    sql<number>`coalesce(sum(case when ${sql.ref(column)} >= ${period.from} and ${sql.ref(column)} < ${period.to} then 1 else 0 end), 0)`;
  const [nc, ofi] = await Promise.all([
    db
      .selectFrom('nonconformity')
      .select([
        inPeriod('created_at').as('opened'),
        inPeriod('closed_at').as('closed'),
        sql<number>`coalesce(sum(case when status <> 'closed' then 1 else 0 end), 0)`.as('open'),
      ])
      .where('scope_id', '=', scopeId)
      .where('kind', '=', 'nonconformity')
      .executeTakeFirst(),
    db
      .selectFrom('improvement_opportunity')
      .select([
        inPeriod('created_at').as('raised'),
        sql<number>`coalesce(sum(case when status in ('proposed', 'planned') then 1 else 0 end), 0)`.as('open'),
        sql<number>`coalesce(sum(case when status = 'implemented' and created_at >= ${period.from} and created_at < ${period.to} then 1 else 0 end), 0)`.as(
          'implemented',
        ),
      ])
      .where('scope_id', '=', scopeId)
      .executeTakeFirst(),
  ]);
  return {
    nonconformities: { opened: Number(nc?.opened ?? 0), closed: Number(nc?.closed ?? 0), open: Number(nc?.open ?? 0) },
    opportunities: { raised: Number(ofi?.raised ?? 0), open: Number(ofi?.open ?? 0), implemented: Number(ofi?.implemented ?? 0) },
  };
}

/** For management review: the nonconformity or opportunity improvement recorded for a source record (e.g. a decision). */
export async function findFindingOfSource(db: Executor, kind: 'nonconformity' | 'opportunity', sourceType: string, sourceId: string) {
  return db
    .selectFrom(kind === 'nonconformity' ? 'nonconformity' : 'improvement_opportunity')
    .select(['id', 'reference', 'status'])
    .where('source_record_type', '=', sourceType)
    .where('source_record_id', '=', sourceId)
    .executeTakeFirst();
}

/** For performance evaluation (ISO 27001 9.1): corrective actions of the scope still open after their due date. */
export async function countOverdueCorrectiveActions(db: Executor, scopeId: string, today: string): Promise<number> {
  const row = await db
    .selectFrom('corrective_action as ca')
    .innerJoin('nonconformity as n', 'n.id', 'ca.nonconformity_id')
    .innerJoin('task as t', 't.id', 'ca.task_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('n.scope_id', '=', scopeId)
    .where('t.status', 'in', ['open', 'in_progress'])
    .where('t.due_on', '<', today)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
