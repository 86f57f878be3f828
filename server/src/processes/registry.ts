import { registerModulePermissions } from '../auth/role-permissions.ts';
import type { ProcessModule } from '../engine/module.ts';
import { assetManagementModule } from './asset-management/index.ts';
import { changeManagementModule } from './change-management/index.ts';
import { competenceAwarenessModule } from './competence-awareness/index.ts';
import { controlImplementationModule } from './control-implementation/index.ts';
import { improvementModule } from './improvement/index.ts';
import { incidentManagementModule } from './incident-management/index.ts';
import { internalAuditModule } from './internal-audit/index.ts';
import { performanceEvaluationModule } from './performance-evaluation/index.ts';
import { managementReviewModule } from './management-review/index.ts';
import { policyManagementModule } from './policy-management/index.ts';
import { recordsControlModule } from './records-control/index.ts';
import { riskAssessmentModule } from './risk-assessment/index.ts';
import { riskTreatmentModule } from './risk-treatment/index.ts';

/**
 * Every process module, in the order their routes, hand-offs and sweeps are registered. Adding a module is its folder,
 * one line here, and its migration.
 */
export const processModules: readonly ProcessModule[] = [
  assetManagementModule,
  riskAssessmentModule,
  controlImplementationModule,
  riskTreatmentModule,
  policyManagementModule,
  recordsControlModule,
  competenceAwarenessModule,
  incidentManagementModule,
  changeManagementModule,
  improvementModule,
  performanceEvaluationModule,
  internalAuditModule,
  managementReviewModule,
];

// the role map reads the modules' permissions from here (see auth/role-permissions.ts)
registerModulePermissions(processModules.map((m) => m.permissions));
