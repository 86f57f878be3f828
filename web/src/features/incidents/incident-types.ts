import type { z } from 'zod';
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

export const incidentStatusLabels: Record<Incident['status'], string> = {
  reported: 'Reported',
  triaged: 'Triaged',
  responding: 'Responding',
  resolved: 'Resolved',
  closed: 'Closed',
};
export const incidentStatusColors: Record<Incident['status'], string> = {
  reported: 'red',
  triaged: 'orange',
  responding: 'violet',
  resolved: 'teal',
  closed: 'gray',
};
export const severityColors: Record<NonNullable<Incident['severity']>, string> = {
  low: 'gray',
  medium: 'yellow',
  high: 'orange',
  critical: 'red',
};
export const categoryLabels: Record<NonNullable<Incident['category']>, string> = {
  malware: 'Malware',
  phishing: 'Phishing',
  unauthorised_access: 'Unauthorised access',
  data_leak: 'Data leak',
  loss_or_theft: 'Loss or theft',
  availability: 'Availability',
  misconfiguration: 'Misconfiguration',
  physical: 'Physical',
  fraud: 'Fraud',
  other: 'Other',
};
export const measureLabels: Record<NonNullable<IncidentDetail['timeline'][number]['measure']>, string> = {
  restore_from_backup: 'Restore from backup',
  fail_over: 'Fail-over',
  recalculation: 'Recalculation of data',
  isolation: 'Isolation',
  password_reset: 'Password reset',
  other: 'Other measure',
};
export const followUpLabels = {
  risk: 'Raise a risk (risk assessment)',
  nonconformity: 'Raise a nonconformity with a corrective action (improvement)',
  improvement: 'Record an opportunity for improvement',
  change: 'Request a change (change management)',
} as const;

/** "71 h 59 min left" for the hour-based clocks, "12 d 3 h left" beyond four days; "overdue" once past. */
export function formatCountdown(ms: number): string {
  const abs = Math.abs(ms);
  const hours = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const text = hours >= 96 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${hours} h ${String(m).padStart(2, '0')} min`;
  return ms >= 0 ? `${text} left` : `${text} overdue`;
}
