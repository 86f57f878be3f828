import { labelsOf } from '../../app/labels.ts';
import type { ControlStatus, Effectiveness } from './control-types.ts';

// ISO 27001 8.3: the implementation of the risk treatment plan, as statuses a control moves through
export const controlStatusLabels: Record<ControlStatus, string> = labelsOf('controls:status', [
  'planned',
  'in_progress',
  'implemented',
  'verified',
  'not_applicable',
]);
export const controlStatusColors: Record<ControlStatus, string> = {
  planned: 'blue',
  in_progress: 'violet',
  implemented: 'teal',
  verified: 'green',
  not_applicable: 'gray',
};
// ISO 27001 9.1: whether the control achieves its objective
export const effectivenessLabels: Record<Effectiveness, string> = labelsOf('controls:effectiveness', [
  'not_assessed',
  'ineffective',
  'partially_effective',
  'effective',
]);
export const effectivenessColors: Record<Effectiveness, string> = {
  not_assessed: 'gray',
  ineffective: 'red',
  partially_effective: 'yellow',
  effective: 'green',
};
