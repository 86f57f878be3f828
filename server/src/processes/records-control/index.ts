export { addMonths } from './record-rules.ts';

import { defineModule } from '../../engine/module.ts';
import { recordRoutes } from './record.routes.ts';
import { sweepDisposalTasks } from './record.service.ts';
import { recordsControlDemo } from './records-control.demo.ts';

/** Records control (ISO 27001 7.5): the records register, retention, legal hold and disposal. */
export const recordsControlModule = defineModule({
  key: 'records-control',
  process: 'records-control',
  routes: [recordRoutes],
  tags: [{ name: 'records control', description: 'The records register: retention, legal hold, disposal' }],
  permissions: ['record:read', 'record:write', 'record:dispose'],
  emits: [
    {
      event: 'record.disposed',
      informational: 'Disposal ends a record; its tombstone stays in the audit trail and no process has work left for it.',
    },
  ],
  sweeps: { 'records-disposal-due': sweepDisposalTasks },
  demo: recordsControlDemo,
  nav: [{ section: 'records', permission: 'record:read' }],
});
