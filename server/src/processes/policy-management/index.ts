export { disposeDocumentTx } from './document.service.ts';

import { defineModule } from '../../engine/module.ts';
import { documentRoutes } from './document.routes.ts';
import { policyManagementDemo } from './policy-management.demo.ts';
import { policyManagementHandoffs } from './policy-management.handoffs.ts';
import { acknowledgementReminderSweep, documentReviewSweep } from './policy-management.sweeps.ts';

/** Security policy management (ISO 27001 5.2, 7.5): documents, approval, publication, acknowledgement, review. */
export const policyManagementModule = defineModule({
  key: 'policy-management',
  process: 'policy-management',
  routes: [documentRoutes],
  tags: [{ name: 'policy management', description: 'Policies and other ISMS documents through their lifecycle' }],
  permissions: ['document:read', 'document:write', 'document:approve', 'document:acknowledge'],
  emits: [{ event: 'document.published' }],
  receives: policyManagementHandoffs,
  sweeps: { 'document-review-due': documentReviewSweep, 'document-acknowledgement-reminders': acknowledgementReminderSweep },
  demo: policyManagementDemo,
  nav: [{ section: 'policies', permission: 'document:read' }],
});
