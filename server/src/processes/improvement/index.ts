export {
  addCorrectiveAction,
  createNonconformity,
  createNonconformityTx,
  createOpportunity,
  createOpportunityTx,
} from './improvement.service.ts';

import { defineModule } from '../../engine/module.ts';
import type { Executor } from '../../db/database.ts';
import { improvementHandoffs } from './improvement.handoffs.ts';
import { improvementRoutes } from './improvement.routes.ts';

/** Improvement (ISO 27001 10): nonconformities, corrective actions, effectiveness checks, opportunities. */
export const improvementModule = defineModule({
  key: 'improvement',
  process: 'improvement',
  routes: [improvementRoutes],
  tags: [{ name: 'improvement', description: 'Nonconformities, corrective actions and opportunities for improvement' }],
  permissions: ['improvement:read', 'improvement:write'],
  emits: [{ event: 'improvement.change-requested' }],
  receives: improvementHandoffs,
  nav: [{ section: 'improvement', permission: 'improvement:read' }],
});

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
