import { labelsOf } from '../../app/labels.ts';
import i18n from '../../i18n/index.ts';
import type { ImplementationStatus, SoaEntry, SoaStatus } from './soa-types.ts';

export const soaStatusLabels: Record<SoaStatus, string> = labelsOf('soa:status', ['draft', 'submitted', 'approved']);
export const soaStatusColors: Record<SoaStatus, string> = { draft: 'gray', submitted: 'orange', approved: 'green' };

export const implementationLabels: Record<ImplementationStatus, string> = labelsOf('soa:implementation', [
  'not_started',
  'planned',
  'in_progress',
  'implemented',
  'verified',
  'not_applicable',
]);
export const implementationColors: Record<ImplementationStatus, string> = {
  not_started: 'red',
  planned: 'blue',
  in_progress: 'violet',
  implemented: 'teal',
  verified: 'green',
  not_applicable: 'gray',
};

export const decisionSourceLabels: Record<NonNullable<SoaEntry['decisionSource']>, string> = labelsOf('soa:decisionSource', [
  'treatment',
  'control',
  'catalog',
  'user',
]);

export const applicableLabel = (a: boolean | null) =>
  a === null ? i18n.t('soa:applicable.undecided') : a ? i18n.t('soa:applicable.yes') : i18n.t('soa:applicable.no');
