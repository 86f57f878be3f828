// pure parts first: other modules' schemas use them while this module may still be loading
export {
  type AcceptanceAuthority,
  acceptanceFor,
  findLevel,
  isAboveAcceptance,
  MAX_SCALE_LEVELS,
  parseMethod,
  type RiskMethod,
  type ScopeProfile,
  severity,
} from './risk-method.ts';
// the built-in texts of the default method in the reader's language (typed ones as typed)
export { levelLabelIn, methodIn } from './risk-method.texts.ts';
export { findCurrentMethod, findScopeProfile, listMethods } from './risk-method.repository.ts';
export { findRisk, type RiskRow } from './risk.repository.ts';
export { riskCountsByState, type RiskStateCount } from './risk-assessment.readiness.ts';
export { lockRisk } from './risk-status.repository.ts';
export { createRisk, createRiskTx, setRiskTargetTx, syncRiskStatusTx } from './risk.service.ts';
// the audit pack: the risk method and the risk register's CSV
export { exportRisksCsv } from './risk.service.ts';
export { getRiskMethod } from './risk-method.service.ts';
// the spreadsheet import (praxis import risks)
export { importRisks, riskImport } from './risk.import.ts';

import { defineModule } from '../../engine/module.ts';
import { permissions } from './risk-assessment.permissions.ts';
import { riskAssessmentTables } from './risk-assessment.tables.ts';
import { riskAssessmentReadinessChecks } from './risk-assessment.readiness.ts';
import type { Executor } from '../../db/database.ts';
import { riskAssessmentDemo } from './risk-assessment.demo.ts';
import { riskAssessmentHandoffs } from './risk-assessment.handoffs.ts';
import { riskRoutes } from './risk.routes.ts';
import { riskImportRoutes } from './risk.import.routes.ts';

/** Risk assessment (ISO 27001 6.1.2, 8.2): the risk method, threats, the risk register, its evaluation. */
export const riskAssessmentModule = defineModule({
  key: 'risk-assessment',
  process: 'risk-assessment',
  tables: riskAssessmentTables,
  routes: [riskRoutes, riskImportRoutes],
  tags: [{ name: 'risks', description: 'Risk method, threats and warnings, the risk register, heat map' }],
  permissions,
  emits: [{ event: 'risk.evaluated' }],
  receives: riskAssessmentHandoffs,
  demo: riskAssessmentDemo,
  readiness: riskAssessmentReadinessChecks,
  nav: [{ section: 'risks', permission: 'risk:read' }],
});

/** For management review (ISO 27001 9.3.2 f): the risks of the scope not closed, by current level (null: not assessed). */
export async function countRisksByLevel(db: Executor, scopeId: string): Promise<{ level: string | null; count: number }[]> {
  const rows = await db
    .selectFrom('risk')
    .select(['current_level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('scope_id', '=', scopeId)
    .where('status', '!=', 'closed')
    .groupBy('current_level')
    .execute();
  return rows.map((r) => ({ level: r.current_level, count: Number(r.n) }));
}

/** For performance evaluation (ISO 27001 9.1, 8.2): risks not closed whose review date has passed. */
export async function countRisksPastReview(db: Executor, scopeId: string, today: string): Promise<number> {
  const row = await db
    .selectFrom('risk')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope_id', '=', scopeId)
    .where('status', '!=', 'closed')
    .where('next_review_on', '<', today)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
