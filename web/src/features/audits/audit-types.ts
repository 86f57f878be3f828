import type { z } from 'zod';
import { labelsOf } from '../../app/labels.ts';
import type * as s from '../../../../server/src/processes/internal-audit/internal-audit.schemas.ts';

export type Audit = z.infer<typeof s.auditResponse>;
export type AuditDetail = z.infer<typeof s.auditDetailResponse>;
export type ChecklistItem = z.infer<typeof s.checklistItemResponse>;
export type Programme = z.infer<typeof s.programmeResponse>;
export type CreateAuditInput = z.input<typeof s.createAuditBody>;
export type AuditStatus = s.AuditStatus;
export type AuditResult = s.AuditResult;

export const auditStatuses: readonly AuditStatus[] = ['planned', 'prepared', 'fieldwork', 'reporting', 'closed'];
export const auditResults: readonly AuditResult[] = [
  'conforming',
  'major_nonconformity',
  'minor_nonconformity',
  'observation',
  'opportunity',
];

export const statusLabels: Record<AuditStatus, string> = labelsOf('audits:status', auditStatuses);
export const statusColors: Record<AuditStatus, string> = {
  planned: 'gray',
  prepared: 'blue',
  fieldwork: 'orange',
  reporting: 'violet',
  closed: 'teal',
};
export const resultLabels: Record<AuditResult, string> = labelsOf('audits:result', auditResults);
export const resultColors: Record<AuditResult, string> = {
  conforming: 'teal',
  major_nonconformity: 'red',
  minor_nonconformity: 'orange',
  observation: 'blue',
  opportunity: 'grape',
};
export const partyLabels = labelsOf('audits:party', ['certification_body', 'customer', 'supplier'] as const);
export const frequencyLabels = labelsOf('audits:frequency', ['twice_a_year', 'yearly', 'once_per_certification_cycle'] as const);
