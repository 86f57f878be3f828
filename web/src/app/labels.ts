import type { Asset, ScopeRole } from './types.ts';

export const assetTypeLabels: Record<Asset['type'], string> = {
  information: 'Information',
  system: 'System',
  service: 'Service',
  location: 'Location',
  person: 'Person / role',
  supplier: 'Supplier',
};
export const lifecycleLabels: Record<Asset['lifecycleStatus'], string> = {
  planned: 'Planned',
  in_operation: 'In operation',
  retiring: 'Retiring',
  retired: 'Retired',
};
export const protectionLabels: Record<Asset['confidentiality'], string> = { normal: 'Normal', high: 'High', very_high: 'Very high' };
export const protectionColors: Record<Asset['confidentiality'], string> = { normal: 'gray', high: 'orange', very_high: 'red' };
export const roleLabels: Record<ScopeRole, string> = {
  manager: 'Manager',
  contributor: 'Contributor',
  auditor: 'Auditor',
  viewer: 'Viewer',
  employee: 'Employee',
};
export const roleDescriptions: Record<ScopeRole, string> = {
  manager: 'Runs the ISMS of this scope: everything, including members and the audit log',
  contributor: 'Maintains registers and works on tasks',
  auditor: 'Reads everything in the scope, including the audit trail',
  viewer: 'Reads the registers',
  employee: 'Sees own tasks; policies and trainings later',
};
export const taskStatusLabels = { open: 'Open', in_progress: 'In progress', done: 'Done', cancelled: 'Cancelled' } as const;
export const taskStatusColors = { open: 'blue', in_progress: 'violet', done: 'green', cancelled: 'gray' } as const;
export const phaseColors = { plan: '#2f6fb5', do: '#2b9348', check: '#e09f3e', act: '#9e2a2b' } as const;
export const phaseLabels = { plan: 'Plan', do: 'Do', check: 'Check', act: 'Act' } as const;
export const cadenceLabels = {
  none: 'On demand',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  half_yearly: 'Half-yearly',
  yearly: 'Yearly',
} as const;

export const formatDate = (iso: string | null | undefined) => (iso ? new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }) : '—');
export const formatDateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');
