import type { ControlStatus, Effectiveness } from './control-types.ts';

// ISO 27001 8.3: the implementation of the risk treatment plan, as statuses a control moves through
export const controlStatusLabels: Record<ControlStatus, string> = {
  planned: 'Planned',
  in_progress: 'In progress',
  implemented: 'Implemented',
  verified: 'Verified',
  not_applicable: 'Not applicable',
};
export const controlStatusColors: Record<ControlStatus, string> = {
  planned: 'blue',
  in_progress: 'violet',
  implemented: 'teal',
  verified: 'green',
  not_applicable: 'gray',
};
// ISO 27001 9.1: whether the control achieves its objective
export const effectivenessLabels: Record<Effectiveness, string> = {
  not_assessed: 'Not assessed',
  ineffective: 'Ineffective',
  partially_effective: 'Partially effective',
  effective: 'Effective',
};
export const effectivenessColors: Record<Effectiveness, string> = {
  not_assessed: 'gray',
  ineffective: 'red',
  partially_effective: 'yellow',
  effective: 'green',
};
