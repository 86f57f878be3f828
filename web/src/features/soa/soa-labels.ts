import type { ImplementationStatus, SoaEntry, SoaStatus } from './soa-types.ts';

export const soaStatusLabels: Record<SoaStatus, string> = { draft: 'Draft', submitted: 'Submitted for approval', approved: 'Approved' };
export const soaStatusColors: Record<SoaStatus, string> = { draft: 'gray', submitted: 'orange', approved: 'green' };

export const implementationLabels: Record<ImplementationStatus, string> = {
  not_started: 'Not started',
  planned: 'Planned',
  in_progress: 'In progress',
  implemented: 'Implemented',
  verified: 'Verified',
  not_applicable: 'Not applicable',
};
export const implementationColors: Record<ImplementationStatus, string> = {
  not_started: 'red',
  planned: 'blue',
  in_progress: 'violet',
  implemented: 'teal',
  verified: 'green',
  not_applicable: 'gray',
};

export const decisionSourceLabels: Record<NonNullable<SoaEntry['decisionSource']>, string> = {
  treatment: 'from a risk treatment',
  control: 'from an implemented control',
  catalog: 'from the catalog',
  user: 'decided by a person',
};

export const applicableLabel = (a: boolean | null) => (a === null ? 'Undecided' : a ? 'Applicable' : 'Excluded');
