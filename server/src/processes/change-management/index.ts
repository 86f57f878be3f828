export { createChange, createChangeTx } from './change.service.ts';

import { defineModule } from '../../engine/module.ts';
import { permissions } from './change-management.permissions.ts';
import { changeManagementTables } from './change-management.tables.ts';
import { changeManagementHandoffs } from './change-management.handoffs.ts';
import { changeRoutes } from './change.routes.ts';

/** ISMS change management (ISO 27001 6.3): requests for change, review of consequences, approval, implementation. */
export const changeManagementModule = defineModule({
  key: 'change-management',
  process: 'change-management',
  tables: changeManagementTables,
  routes: [changeRoutes],
  tags: [{ name: 'change management', description: 'Changes of ISMS elements: review, approval, implementation, verification' }],
  permissions,
  emits: [{ event: 'change.approved' }],
  receives: changeManagementHandoffs,
  nav: [{ section: 'changes', permission: 'change:read' }],
});
