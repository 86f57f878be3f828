// biome-ignore lint/style/noRestrictedImports: the readiness checks are collected here until each module's declaration lists them
import { competenceAwarenessReadinessChecks } from '../../processes/competence-awareness/competence-awareness.readiness.ts';
// biome-ignore lint/style/noRestrictedImports: the readiness checks are collected here until each module's declaration lists them
import { controlImplementationReadinessChecks } from '../../processes/control-implementation/control-implementation.readiness.ts';
// biome-ignore lint/style/noRestrictedImports: the readiness checks are collected here until each module's declaration lists them
import { improvementReadinessChecks } from '../../processes/improvement/improvement.readiness.ts';
// biome-ignore lint/style/noRestrictedImports: the readiness checks are collected here until each module's declaration lists them
import { policyManagementReadinessChecks } from '../../processes/policy-management/policy-management.readiness.ts';
// biome-ignore lint/style/noRestrictedImports: the readiness checks are collected here until each module's declaration lists them
import { riskAssessmentReadinessChecks } from '../../processes/risk-assessment/risk-assessment.readiness.ts';
// biome-ignore lint/style/noRestrictedImports: the readiness checks are collected here until each module's declaration lists them
import { riskTreatmentReadinessChecks } from '../../processes/risk-treatment/risk-treatment.readiness.ts';
import { governanceReadinessChecks } from './governance.readiness.ts';
import { plannedReadinessChecks } from './planned.readiness.ts';
import type { ReadinessCheck } from './readiness.ts';

/**
 * Every readiness check, in the order the cockpit shows them within a phase. Until the module registry lists each
 * module's checks in its declaration, they are collected here; the Check phase's placeholders give way to the
 * performance evaluation, internal audit and management review modules.
 */
export const readinessChecks: readonly ReadinessCheck[] = [
  ...governanceReadinessChecks,
  ...riskAssessmentReadinessChecks,
  ...riskTreatmentReadinessChecks,
  ...policyManagementReadinessChecks,
  ...controlImplementationReadinessChecks,
  ...competenceAwarenessReadinessChecks,
  ...plannedReadinessChecks,
  ...improvementReadinessChecks,
];
