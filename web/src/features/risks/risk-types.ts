/** Risk assessment types, from the server's zod schemas so that the pages cannot drift from the API. */
import type { z } from 'zod';
import type * as riskSchemas from '../../../../server/src/processes/risk-assessment/risk.schemas.ts';
import type * as treatmentSchemas from '../../../../server/src/processes/risk-treatment/risk-treatment.schemas.ts';

export type Risk = z.infer<typeof riskSchemas.riskResponse>;
export type RiskDetail = z.infer<typeof riskSchemas.riskDetailResponse>;
export type CreateRiskInput = z.input<typeof riskSchemas.createRiskBody>;
export type UpdateRiskInput = z.input<typeof riskSchemas.updateRiskBody>;
export type RiskListQuery = z.input<typeof riskSchemas.listRisksQuery>;
export type RiskMethod = z.infer<typeof riskSchemas.riskMethodResponse>;
export type RiskMethodVersions = z.infer<typeof riskSchemas.riskMethodVersionsResponse>;
export type UpdateRiskMethodInput = z.input<typeof riskSchemas.updateRiskMethodBody>;
export type Heatmap = z.infer<typeof riskSchemas.heatmapResponse>;
export type Threat = z.infer<typeof riskSchemas.threatResponse>;
export type CreateThreatInput = z.input<typeof riskSchemas.createThreatBody>;
export type ThreatWarning = z.infer<typeof riskSchemas.threatWarningResponse>;
export type CreateThreatWarningInput = z.input<typeof riskSchemas.createThreatWarningBody>;
export type RiskStatus = Risk['status'];
export type RiskBasis = Heatmap['basis'];
export type RiskLevel = RiskMethod['levels'][number];
export type Assessment = Risk['inherent'];
export type ThreatCategory = Threat['category'];
export type WarningSeverity = ThreatWarning['severity'];
export type ProtectionNeed = RiskDetail['assets'][number]['confidentiality'];

export const riskStatusLabels: Record<RiskStatus, string> = {
  identified: 'Identified',
  assessed: 'Assessed',
  treatment: 'In treatment',
  accepted: 'Accepted',
  closed: 'Closed',
};
export const riskStatusColors: Record<RiskStatus, string> = {
  identified: 'blue',
  assessed: 'violet',
  treatment: 'orange',
  accepted: 'teal',
  closed: 'gray',
};
export const riskStatusDescriptions: Record<RiskStatus, string> = {
  identified: 'Recorded, not yet analysed',
  assessed: 'Likelihood and impact analysed and evaluated',
  treatment: 'A treatment is being decided or carried out',
  accepted: 'The residual risk has been accepted',
  closed: 'The risk no longer applies',
};
export const basisLabels: Record<RiskBasis, string> = {
  inherent: 'Inherent',
  current: 'Current',
  target: 'Target residual',
};
export const basisDescriptions: Record<RiskBasis, string> = {
  inherent: 'Without any controls',
  current: 'With the controls in place today',
  target: 'Expected once the treatment is done',
};
export const threatCategoryLabels: Record<ThreatCategory, string> = {
  physical: 'Physical',
  natural: 'Natural',
  infrastructure: 'Infrastructure',
  technical: 'Technical',
  human: 'Human',
  compromise: 'Compromise of information',
  organisational: 'Organisational',
};
export const severityLabels: Record<WarningSeverity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };
export const severityColors: Record<WarningSeverity, string> = { low: 'gray', medium: 'yellow', high: 'orange', critical: 'red' };
export const acceptedByLabels: Record<RiskMethod['acceptance'][number]['acceptedBy'], string> = {
  risk_owner: 'The risk owner',
  management: 'Management',
};

/** The level a method gives a (likelihood, impact) pair, or null when either is missing or outside the scales. */
export function levelOf(method: Pick<RiskMethod, 'levels' | 'matrix'> | undefined, likelihood: number | null, impact: number | null) {
  if (!method || likelihood === null || impact === null) return null;
  const key = method.matrix[likelihood - 1]?.[impact - 1];
  return key ? (method.levels.find((l) => l.key === key) ?? null) : null;
}

const needs: ProtectionNeed[] = ['normal', 'high', 'very_high'];
/**
 * The impact the assets' protection needs suggest, as the server computes it for a saved risk (the highest need on the
 * affected criteria, placed on the impact scale): shown live while the form changes, before the risk is saved.
 */
export function suggestImpact(
  impactLevels: number,
  assets: { confidentiality: ProtectionNeed; integrity: ProtectionNeed; availability: ProtectionNeed }[],
  consequences: { confidentiality: boolean; integrity: boolean; availability: boolean },
): number | null {
  const affected = (['confidentiality', 'integrity', 'availability'] as const).filter((c) => consequences[c]);
  if (impactLevels === 0 || assets.length === 0 || affected.length === 0) return null;
  let highest = -1;
  for (const a of assets) for (const c of affected) highest = Math.max(highest, needs.indexOf(a[c]));
  if (highest < 0) return null;
  return Math.max(1, Math.min(impactLevels, Math.ceil(((highest + 1) * impactLevels) / 3)));
}

/** Black or white text, whichever reads better on a level's colour. */
export function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#fff';
  const [r, g, b] = [m[1], m[2], m[3]].map((x) => Number.parseInt(x ?? '0', 16) / 255) as [number, number, number];
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return lum > 0.6 ? '#1a1b1e' : '#fff';
}

// ---------------------------------------------------------------- risk treatment and residual-risk acceptance

export type Treatment = z.infer<typeof treatmentSchemas.treatmentResponse>;
export type SaveTreatmentInput = z.input<typeof treatmentSchemas.saveTreatmentBody>;
export type DecideTreatmentInput = z.input<typeof treatmentSchemas.decideTreatmentBody>;
export type TreatmentOption = Treatment['option'];
export type TreatmentStatus = Treatment['status'];
export type ActionStatus = Treatment['actions'][number]['status'];
export type Acceptance = z.infer<typeof treatmentSchemas.acceptanceResponse>;
export type AcceptanceOverview = z.infer<typeof treatmentSchemas.acceptanceOverviewResponse>;
export type SignAcceptanceInput = z.input<typeof treatmentSchemas.signAcceptanceBody>;
export type RevokeAcceptanceInput = z.input<typeof treatmentSchemas.revokeAcceptanceBody>;
export type AcceptanceState = Acceptance['state'];
export type SignatureRole = Acceptance['requiredRoles'][number];

export const treatmentOptionLabels: Record<TreatmentOption, string> = {
  modify: 'Modify',
  retain: 'Retain',
  avoid: 'Avoid',
  share: 'Share',
};
export const treatmentOptionDescriptions: Record<TreatmentOption, string> = {
  modify: 'Reduce likelihood or impact with controls',
  retain: 'Keep the risk as it is, with an informed decision',
  avoid: 'Stop the activity that gives rise to the risk',
  share: 'Transfer part of it, e.g. to an insurer or a supplier',
};
export const treatmentStatusLabels: Record<TreatmentStatus, string> = { draft: 'Draft', decided: 'Decided', implemented: 'Implemented' };
export const treatmentStatusColors: Record<TreatmentStatus, string> = { draft: 'gray', decided: 'blue', implemented: 'teal' };
export const actionStatusLabels: Record<ActionStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};
export const acceptanceStateLabels: Record<AcceptanceState, string> = {
  pending: 'Awaiting signatures',
  effective: 'Accepted',
  expiring: 'Expires soon',
  expired: 'Expired',
  revoked: 'Revoked',
  ended: 'Ended',
};
export const acceptanceStateColors: Record<AcceptanceState, string> = {
  pending: 'yellow',
  effective: 'teal',
  expiring: 'orange',
  expired: 'red',
  revoked: 'gray',
  ended: 'gray',
};
export const signatureRoleLabels: Record<SignatureRole, string> = { risk_owner: 'Risk owner', management: 'Management' };
