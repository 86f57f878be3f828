import type { z } from 'zod';
import { labelsOf } from '../../app/labels.ts';
import type * as s from '../../../../server/src/processes/internal-audit/internal-audit.schemas.ts';

export type Audit = z.infer<typeof s.auditResponse>;
export type AuditDetail = z.infer<typeof s.auditDetailResponse>;
export type ChecklistItem = z.infer<typeof s.checklistItemResponse>;
export type Programme = z.infer<typeof s.programmeResponse>;
export type CreateAuditInput = z.input<typeof s.createAuditBody>;
export type UpdateAuditInput = z.input<typeof s.updateAuditBody>;
export type TransitionAuditInput = z.input<typeof s.transitionAuditBody>;
export type RecordResultInput = z.input<typeof s.recordResultBody>;
export type AddFindingInput = z.input<typeof s.addFindingBody>;
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

/** Where the records an auditor samples for a clause of ISO/IEC 27001 live in Praxis (a register of the scope). */
export type Register =
  | 'processes'
  | 'risks'
  | 'soa'
  | 'policies'
  | 'records'
  | 'training'
  | 'measures'
  | 'audits'
  | 'improvement'
  | 'changes'
  | 'incidents'
  | 'controls'
  | 'cockpit';
export const clauseRegisters: Record<string, readonly Register[]> = {
  '4.1': ['processes'],
  '4.2': ['processes'],
  '4.3': ['processes'],
  '4.4': ['processes', 'cockpit'],
  '5.1': ['cockpit', 'policies'],
  '5.2': ['policies'],
  '5.3': ['processes'],
  '6.1': ['risks', 'soa'],
  '6.2': ['measures'],
  '6.3': ['changes'],
  '7.1': ['processes'],
  '7.2': ['training'],
  '7.3': ['training'],
  '7.4': ['policies'],
  '7.5': ['policies', 'records'],
  '8.1': ['controls', 'changes', 'incidents'],
  '8.2': ['risks'],
  '8.3': ['risks', 'soa'],
  '9.1': ['measures'],
  '9.2': ['audits'],
  '9.3': ['cockpit'],
  '10.1': ['improvement'],
  '10.2': ['improvement'],
};
export const registerLabels: Record<Register, string> = labelsOf('audits:register', [
  'processes',
  'risks',
  'soa',
  'policies',
  'records',
  'training',
  'measures',
  'audits',
  'improvement',
  'changes',
  'incidents',
  'controls',
  'cockpit',
] as const);
