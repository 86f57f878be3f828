export { findActiveAcceptancesOfRisk, findTreatmentByRisk } from './risk-treatment.repository.ts';

import type { Tx } from '../../db/database.ts';
import { defineModule } from '../../engine/module.ts';
import { sweepAcceptances } from './risk-acceptance.service.ts';
import { riskTreatmentDemo } from './risk-treatment.demo.ts';
import { riskTreatmentHandoffs } from './risk-treatment.handoffs.ts';
import * as repo from './risk-treatment.repository.ts';
import { riskTreatmentRoutes } from './risk-treatment.routes.ts';
import { soaRoutes } from './soa.routes.ts';

/** Records the implementation task that control implementation made for a control a treatment selected. */
export async function linkTreatmentControlTaskTx(tx: Tx, treatmentId: string, position: number, taskId: string): Promise<void> {
  await repo.setTreatmentControl(tx, treatmentId, position, { task_id: taskId });
}

/** Risk treatment (ISO 27001 6.1.3, 8.3): options, controls, the plan, residual-risk acceptance, and the SoA. */
export const riskTreatmentModule = defineModule({
  key: 'risk-treatment',
  process: 'risk-treatment',
  routes: [riskTreatmentRoutes, soaRoutes],
  tags: [
    { name: 'risk treatment', description: 'Treatment decisions, plans and residual-risk acceptance' },
    { name: 'statement of applicability', description: 'The Statement of Applicability: entries, versions, exports' },
  ],
  permissions: ['treatment:write', 'risk:accept', 'soa:read', 'soa:write', 'soa:approve'],
  emits: [
    { event: 'treatment.decided' },
    {
      event: 'soa.approved',
      informational: 'The approved SoA is the reference that internal audit and the audit pack read; it asks no process to act.',
    },
  ],
  receives: riskTreatmentHandoffs,
  sweeps: { 'risk-acceptance-expiry': sweepAcceptances },
  demo: riskTreatmentDemo,
  nav: [{ section: 'soa', permission: 'soa:read' }],
});
