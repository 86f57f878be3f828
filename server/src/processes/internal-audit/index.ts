export { auditSummary } from './internal-audit.service.ts';
// the audit pack: the audit reports
export { getAudit, listAudits } from './internal-audit.service.ts';
export { renderAuditPdf } from './internal-audit.report.ts';

import { defineModule } from '../../engine/module.ts';
import { permissions } from './internal-audit.permissions.ts';
import { internalAuditTables } from './internal-audit.tables.ts';
import { internalAuditDemo } from './internal-audit.demo.ts';
import { internalAuditReadinessChecks } from './internal-audit.readiness.ts';
import { internalAuditRoutes } from './internal-audit.routes.ts';

/**
 * Internal audit (ISO 27001 9.2): the audit programme per ISMS cycle, audits with their checklist, independence of the
 * auditors, results, reports, and findings handed to improvement. External audit reports enter the same flow. The
 * programme's cadence is the internal-audit process's own (the process-review cadence source).
 */
export const internalAuditModule = defineModule({
  key: 'internal-audit',
  process: 'internal-audit',
  tables: internalAuditTables,
  routes: [internalAuditRoutes],
  tags: [{ name: 'internal audit', description: 'The audit programme, audits, checklists, results and audit reports' }],
  permissions,
  emits: [{ event: 'audit.finding-recorded' }],
  demo: internalAuditDemo,
  readiness: internalAuditReadinessChecks,
  nav: [{ section: 'audits', permission: 'audit-programme:read' }],
});
