export type { MeasurementSummary } from './measure.service.ts';
export { measurementSummary } from './measure.service.ts';
// the audit pack: objectives and measures
export { exportMeasuresCsv } from './measure.service.ts';

import { defineModule } from '../../engine/module.ts';
import { permissions } from './performance-evaluation.permissions.ts';
import { performanceEvaluationTables } from './performance-evaluation.tables.ts';
import { performanceEvaluationDemo } from './performance-evaluation.demo.ts';
import { performanceEvaluationReadinessChecks } from './performance-evaluation.readiness.ts';
import { measureRoutes } from './measure.routes.ts';
import { sweepMeasuresDue } from './measure.service.ts';

/**
 * Performance evaluation (ISO 27001 9.1, ISO/IEC 27004): measures, live measures computed from Praxis's own records,
 * manual and API measurements, trends against the target, and the analysis of a breach handed to improvement.
 */
export const performanceEvaluationModule = defineModule({
  key: 'performance-evaluation',
  process: 'performance-evaluation',
  tables: performanceEvaluationTables,
  routes: [measureRoutes],
  tags: [{ name: 'performance evaluation', description: 'Measures, measurements, trends and the analysis of breaches (ISO 27001 9.1)' }],
  permissions,
  emits: [{ event: 'measure.finding-raised' }],
  sweeps: { 'measures-due': sweepMeasuresDue },
  demo: performanceEvaluationDemo,
  readiness: performanceEvaluationReadinessChecks,
  nav: [{ section: 'measures', permission: 'measure:read' }],
});
