export {
  addCorrectiveAction,
  createNonconformity,
  createNonconformityTx,
  createOpportunity,
  createOpportunityTx,
} from './improvement.service.ts';

import { defineModule } from '../../engine/module.ts';
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
