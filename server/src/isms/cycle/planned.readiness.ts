// biome-ignore lint/style/noRestrictedImports: the module's check takes the placeholder's place until the declarations list them
import { measurementsTakenCheck } from '../../processes/performance-evaluation/performance-evaluation.readiness.ts';
// biome-ignore lint/style/noRestrictedImports: the module's check takes the placeholder's place until the declarations list them
import { internalAuditReadinessChecks } from '../../processes/internal-audit/internal-audit.readiness.ts';
// biome-ignore lint/style/noRestrictedImports: the module's check takes the placeholder's place until the declarations list them
import { managementReviewHeldCheck } from '../../processes/management-review/management-review.readiness.ts';
import type { ReadinessCheck } from './readiness.ts';

/**
 * The Check phase's readiness checks, in their place after the Do phase: performance evaluation (ISO 27001 9.1),
 * internal audit (9.2) and management review (9.3), each its module's own check of its records.
 */
export const plannedReadinessChecks: ReadinessCheck[] = [
  // performance evaluation records its measurements: its own check, in the same place of the Check phase
  measurementsTakenCheck,
  // internal audit records its audits: its own check, in the same place of the Check phase
  ...internalAuditReadinessChecks,
  // management review records its reviews: its own check, in the same place of the Check phase
  managementReviewHeldCheck,
];
