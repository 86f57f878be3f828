export { disposeDocumentTx } from './document.service.ts';
// the audit pack: the policies in force, as their published version's PDF
export { listDocuments, loadForPdf } from './document.service.ts';
export { renderDocumentPdf } from './document.pdf.ts';

import { defineModule } from '../../engine/module.ts';
import { permissions } from './policy-management.permissions.ts';
import { policyManagementTables } from './policy-management.tables.ts';
import { policyManagementReadinessChecks } from './policy-management.readiness.ts';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { documentRoutes } from './document.routes.ts';
import { policyManagementDemo } from './policy-management.demo.ts';
import { policyManagementHandoffs } from './policy-management.handoffs.ts';
import { acknowledgementReminderSweep, documentReviewSweep } from './policy-management.sweeps.ts';

/** Security policy management (ISO 27001 5.2, 7.5): documents, approval, publication, acknowledgement, review. */
export const policyManagementModule = defineModule({
  key: 'policy-management',
  process: 'policy-management',
  tables: policyManagementTables,
  routes: [documentRoutes],
  tags: [{ name: 'policy management', description: 'Policies and other ISMS documents through their lifecycle' }],
  permissions,
  emits: [{ event: 'document.published' }],
  receives: policyManagementHandoffs,
  sweeps: { 'document-review-due': documentReviewSweep, 'document-acknowledgement-reminders': acknowledgementReminderSweep },
  demo: policyManagementDemo,
  readiness: policyManagementReadinessChecks,
  nav: [{ section: 'policies', permission: 'document:read' }],
});

/** For performance evaluation (ISO 27001 9.1, 7.3): acknowledgements due by `today`, and those given. */
export async function acknowledgementFigures(db: Executor, scopeId: string, today: string) {
  const row = await db
    .selectFrom('document_acknowledgement')
    .select([
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`coalesce(sum(case when acknowledged_at is not null then 1 else 0 end), 0)`.as('acknowledged'),
    ])
    .where('scope_id', '=', scopeId)
    .where('due_on', '<=', today)
    .executeTakeFirst();
  return { total: Number(row?.total ?? 0), acknowledged: Number(row?.acknowledged ?? 0) };
}
