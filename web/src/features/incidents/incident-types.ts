import type { z } from 'zod';
import i18n from '../../i18n/index.ts';
import { labelsOf } from '../../app/labels.ts';
import type * as changeSchemas from '../../../../server/src/processes/change-management/change.schemas.ts';
import type * as improvementSchemas from '../../../../server/src/processes/improvement/improvement.schemas.ts';
import type * as incidentSchemas from '../../../../server/src/processes/incident-management/incident.schemas.ts';

export type Incident = z.infer<typeof incidentSchemas.incidentResponse>;
export type IncidentDetail = z.infer<typeof incidentSchemas.incidentDetailResponse>;
export type ReportIncidentInput = z.input<typeof incidentSchemas.reportIncidentBody>;
export type TriageInput = z.input<typeof incidentSchemas.triageIncidentBody>;
export type TransitionInput = z.input<typeof incidentSchemas.transitionIncidentBody>;
export type ChangeRequest = z.infer<typeof changeSchemas.changeResponse>;
export type ChangeDetail = z.infer<typeof changeSchemas.changeDetailResponse>;
export type Nonconformity = z.infer<typeof improvementSchemas.nonconformityResponse>;
export type NonconformityDetail = z.infer<typeof improvementSchemas.nonconformityDetailResponse>;
export type Opportunity = z.infer<typeof improvementSchemas.opportunityResponse>;
export type IncidentEventInput = z.input<typeof incidentSchemas.addIncidentEventBody>;
export type IncidentTaskInput = z.input<typeof incidentSchemas.incidentTaskBody>;
export type RecordNotificationInput = z.input<typeof incidentSchemas.recordNotificationBody>;
export type CreateChangeInput = z.input<typeof changeSchemas.createChangeBody>;
/** the body of each step of a change request, by the last part of its path */
export interface ChangeStepInputs {
  submit: z.input<typeof changeSchemas.submitChangeBody>;
  decision: z.input<typeof changeSchemas.decideChangeBody>;
  implement: z.input<typeof changeSchemas.implementChangeBody>;
  verify: z.input<typeof changeSchemas.verifyChangeBody>;
  close: z.input<typeof changeSchemas.closeChangeBody>;
}
export type CreateNonconformityInput = z.input<typeof improvementSchemas.createNonconformityBody>;
export type UpdateNonconformityInput = z.input<typeof improvementSchemas.updateNonconformityBody>;
export type CorrectiveActionInput = z.input<typeof improvementSchemas.correctiveActionBody>;
export type RequestCheckInput = z.input<typeof improvementSchemas.requestCheckBody>;
export type EffectivenessInput = z.input<typeof improvementSchemas.effectivenessBody>;
export type NonconformityChangeInput = z.input<typeof improvementSchemas.nonconformityChangeBody>;
export type CreateOpportunityInput = z.input<typeof improvementSchemas.createOpportunityBody>;
export type UpdateOpportunityInput = z.input<typeof improvementSchemas.updateOpportunityBody>;

export const incidentStatusLabels: Record<Incident['status'], string> = labelsOf('incidents:status', [
  'reported',
  'triaged',
  'responding',
  'resolved',
  'closed',
]);
export const incidentStatusColors: Record<Incident['status'], string> = {
  reported: 'red',
  triaged: 'orange',
  responding: 'violet',
  resolved: 'teal',
  closed: 'gray',
};
export const severityLabels: Record<NonNullable<Incident['severity']>, string> = labelsOf('incidents:severity', [
  'low',
  'medium',
  'high',
  'critical',
]);
export const severityColors: Record<NonNullable<Incident['severity']>, string> = {
  low: 'gray',
  medium: 'yellow',
  high: 'orange',
  critical: 'red',
};
export const categoryLabels: Record<NonNullable<Incident['category']>, string> = labelsOf('incidents:category', [
  'malware',
  'phishing',
  'unauthorised_access',
  'data_leak',
  'loss_or_theft',
  'availability',
  'misconfiguration',
  'physical',
  'fraud',
  'other',
]);
export const measureLabels: Record<NonNullable<IncidentDetail['timeline'][number]['measure']>, string> = labelsOf('incidents:measure', [
  'restore_from_backup',
  'fail_over',
  'recalculation',
  'isolation',
  'password_reset',
  'other',
]);
export const followUpLabels = labelsOf('incidents:followUp', ['risk', 'nonconformity', 'improvement', 'change']);

/** "71 h 59 min left" for the hour-based clocks, "12 d 3 h left" beyond four days; "overdue" once past. */
export function formatCountdown(ms: number): string {
  const abs = Math.abs(ms);
  const hours = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const text =
    hours >= 96
      ? i18n.t('incidents:countdown.days', { days: Math.floor(hours / 24), hours: hours % 24 })
      : i18n.t('incidents:countdown.hours', { hours, minutes: String(m).padStart(2, '0') });
  return ms >= 0 ? i18n.t('incidents:countdown.left', { text }) : i18n.t('incidents:countdown.overdue', { text });
}
