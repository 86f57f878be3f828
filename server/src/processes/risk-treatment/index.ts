export { findActiveAcceptancesOfRisk, findTreatmentByRisk } from './risk-treatment.repository.ts';
// the audit pack: the treatment plan (CSV) and the SoA (PDF and XLSX)
export { exportTreatmentPlanCsv } from './risk-treatment.export.ts';
export { listSoas, listSoaVersions } from './soa.service.ts';
export { exportSoaPdf, exportSoaXlsx } from './soa.export.ts';

import { sql } from 'kysely';
import type { Executor, Tx } from '../../db/database.ts';
import { defineModule } from '../../engine/module.ts';
import { permissions } from './risk-treatment.permissions.ts';
import { riskTreatmentTables } from './risk-treatment.tables.ts';
import { riskTreatmentReadinessChecks } from './risk-treatment.readiness.ts';
import { isAboveAcceptance, parseMethod } from '../risk-assessment/index.ts';
import { sweepAcceptances } from './risk-acceptance.service.ts';
import { riskTreatmentDemo } from './risk-treatment.demo.ts';
import { riskTreatmentHandoffs } from './risk-treatment.handoffs.ts';
import * as repo from './risk-treatment.repository.ts';
import { riskTreatmentRoutes } from './risk-treatment.routes.ts';
import type { SoaEntryResponse } from './soa.schemas.ts';
import { soaRoutes } from './soa.routes.ts';

/**
 * The applicable, not withdrawn requirements of the scope's most recently approved Statement of Applicability, as
 * approved (internal audit plans its coverage of the controls from it). Null while no SoA is approved.
 */
export async function findApprovedSoaApplicable(db: Executor, scopeId: string) {
  const row = await db
    .selectFrom('soa_version as v')
    .innerJoin('soa as s', 's.id', 'v.soa_id')
    .select(['s.reference', 'v.number', 'v.approved_at', 'v.entries'])
    .where('s.scope_id', '=', scopeId)
    .orderBy('v.approved_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const entries = JSON.parse(row.entries) as SoaEntryResponse[];
  return {
    reference: row.reference,
    versionNumber: row.number,
    approvedAt: row.approved_at,
    requirements: entries
      .filter((e) => e.applicable === true && !e.requirement.withdrawn)
      .map((e) => ({
        id: e.requirement.id,
        identifier: e.requirement.identifier,
        title: e.requirement.title,
        group: e.group ? { identifier: e.group.identifier, title: e.group.title } : null,
      })),
  };
}

/**
 * For management review (ISO 27001 9.3.2 f, resources): the treatment actions of the scope open (open or in progress),
 * those of them past their due date, and the cost estimate of the actions not cancelled. One statement.
 */
export async function treatmentActionFigures(db: Executor, scopeId: string, today: string) {
  const row = await db
    .selectFrom('treatment_action')
    .select([
      sql<number>`coalesce(sum(case when status in ('open', 'in_progress') then 1 else 0 end), 0)`.as('open'),
      sql<number>`coalesce(sum(case when status in ('open', 'in_progress') and due_on < ${today} then 1 else 0 end), 0)`.as('overdue'),
      sql<number>`coalesce(sum(case when status <> 'cancelled' then cost_estimate else 0 end), 0)`.as('cost'),
    ])
    .where('scope_id', '=', scopeId)
    .executeTakeFirst();
  return { open: Number(row?.open ?? 0), overdue: Number(row?.overdue ?? 0), cost: Number(row?.cost ?? 0) };
}

/** Records the implementation task that control implementation made for a control a treatment selected. */
export async function linkTreatmentControlTaskTx(tx: Tx, treatmentId: string, position: number, taskId: string): Promise<void> {
  await repo.setTreatmentControl(tx, treatmentId, position, { task_id: taskId });
}

/** Risk treatment (ISO 27001 6.1.3, 8.3): options, controls, the plan, residual-risk acceptance, and the SoA. */
export const riskTreatmentModule = defineModule({
  key: 'risk-treatment',
  process: 'risk-treatment',
  tables: riskTreatmentTables,
  routes: [riskTreatmentRoutes, soaRoutes],
  tags: [
    { name: 'risk treatment', description: 'Treatment decisions, plans and residual-risk acceptance' },
    { name: 'statement of applicability', description: 'The Statement of Applicability: entries, versions, exports' },
  ],
  permissions,
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
  readiness: riskTreatmentReadinessChecks,
  nav: [{ section: 'soa', permission: 'soa:read' }],
});

/**
 * For performance evaluation (ISO 27001 9.1, 6.1.3): risks at a level above the acceptance criteria of the scope's
 * current method that have neither a decided treatment nor an acceptance (not closed). Two statements: the method, and
 * the count of those risks.
 */
export async function countRisksAboveCriteriaUntreated(db: Executor, scopeId: string): Promise<number> {
  const method = await db
    .selectFrom('risk_method')
    .select('definition')
    .where('scope_id', '=', scopeId)
    .where('is_current', '=', true)
    .executeTakeFirst();
  const m = method ? parseMethod(method.definition) : null;
  const above = m ? m.levels.map((l) => l.key).filter((key) => isAboveAcceptance(m, key)) : [];
  if (above.length === 0) return 0;
  const row = await db
    .selectFrom('risk as r')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.scope_id', '=', scopeId)
    .where('r.status', 'not in', ['closed', 'accepted'])
    .where('r.current_level', 'in', above)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('risk_treatment as t')
            .select('t.id')
            .whereRef('t.risk_id', '=', 'r.id')
            .where('t.status', 'in', ['decided', 'implemented']),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
