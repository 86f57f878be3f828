/** Risk assessment types, from the server's zod schemas so that the pages cannot drift from the API. */
import type { z } from 'zod';
import { labelsOf } from '../../app/labels.ts';
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

export const riskStatusLabels: Record<RiskStatus, string> = labelsOf('risks:status', [
  'identified',
  'assessed',
  'treatment',
  'accepted',
  'closed',
]);
export const riskStatusColors: Record<RiskStatus, string> = {
  identified: 'blue',
  assessed: 'violet',
  treatment: 'orange',
  accepted: 'teal',
  closed: 'gray',
};
export const riskStatusDescriptions: Record<RiskStatus, string> = labelsOf('risks:statusDescription', [
  'identified',
  'assessed',
  'treatment',
  'accepted',
  'closed',
]);
export const basisLabels: Record<RiskBasis, string> = labelsOf('risks:basis', ['inherent', 'current', 'target']);
export const basisDescriptions: Record<RiskBasis, string> = labelsOf('risks:basisDescription', ['inherent', 'current', 'target']);
export const threatCategoryLabels: Record<ThreatCategory, string> = labelsOf('risks:threatCategory', [
  'physical',
  'natural',
  'infrastructure',
  'technical',
  'human',
  'compromise',
  'organisational',
]);
export const severityLabels: Record<WarningSeverity, string> = labelsOf('risks:severity', ['low', 'medium', 'high', 'critical']);
export const severityColors: Record<WarningSeverity, string> = { low: 'gray', medium: 'yellow', high: 'orange', critical: 'red' };
export const acceptedByLabels: Record<RiskMethod['acceptance'][number]['acceptedBy'], string> = labelsOf('risks:acceptedBy', [
  'risk_owner',
  'management',
]);

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

export const treatmentOptionLabels: Record<TreatmentOption, string> = labelsOf('risks:treatmentOption', [
  'modify',
  'retain',
  'avoid',
  'share',
]);
export const treatmentOptionDescriptions: Record<TreatmentOption, string> = labelsOf('risks:treatmentOptionDescription', [
  'modify',
  'retain',
  'avoid',
  'share',
]);
export const treatmentStatusLabels: Record<TreatmentStatus, string> = labelsOf('risks:treatmentStatus', [
  'draft',
  'decided',
  'implemented',
]);
export const treatmentStatusColors: Record<TreatmentStatus, string> = { draft: 'gray', decided: 'blue', implemented: 'teal' };
export const actionStatusLabels: Record<ActionStatus, string> = labelsOf('status', ['open', 'in_progress', 'done', 'cancelled']);
export const acceptanceStateLabels: Record<AcceptanceState, string> = labelsOf('risks:acceptanceState', [
  'pending',
  'effective',
  'expiring',
  'expired',
  'revoked',
  'ended',
]);
export const acceptanceStateColors: Record<AcceptanceState, string> = {
  pending: 'yellow',
  effective: 'teal',
  expiring: 'orange',
  expired: 'red',
  revoked: 'gray',
  ended: 'gray',
};
export const signatureRoleLabels: Record<SignatureRole, string> = labelsOf('risks:signatureRole', ['risk_owner', 'management']);
