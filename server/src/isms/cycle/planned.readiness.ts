// biome-ignore lint/style/noRestrictedImports: the module's check takes the placeholder's place until the declarations list them
import { measurementsTakenCheck } from '../../processes/performance-evaluation/performance-evaluation.readiness.ts';
// biome-ignore lint/style/noRestrictedImports: the module's check takes the placeholder's place until the declarations list them
import { internalAuditReadinessChecks } from '../../processes/internal-audit/internal-audit.readiness.ts';
import type { ReadinessCheck, ReadinessResult } from './readiness.ts';

/**
 * The Check phase's readiness checks for processes that Praxis does not record yet: performance evaluation (ISO 27001
 * 9.1), internal audit (9.2) and management review (9.3). They stay open, saying so, until their modules replace this
 * file with checks of their own records.
 */
const notYetRecorded = async (): Promise<ReadinessResult> => ({
  state: 'open',
  figures: null,
  link: null,
  reasonKey: 'reasons.notYetRecorded',
});

export const plannedReadinessChecks: ReadinessCheck[] = [
  // performance evaluation records its measurements: its own check, in the same place of the Check phase
  measurementsTakenCheck,
  // internal audit records its audits: its own check, in the same place of the Check phase
  ...internalAuditReadinessChecks,
  {
    key: 'management-review-held',
    phase: 'check',
    processKey: 'management-review',
    labelKey: 'checks.managementReviewHeld.label',
    explanationKey: 'checks.managementReviewHeld.explanation',
    evaluate: notYetRecorded,
  },
];
