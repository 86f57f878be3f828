import i18n from '../i18n/index.ts';
import type { AssetType, Cadence, LifecycleStatus, Phase, ProcessType, Profile, ProtectionLevel, ScopeRole, TaskStatus } from './types.ts';

/**
 * Labels for codes, in the current language: a record of getters over `<prefix>.<value>` (`common` unless the prefix
 * names a namespace, `incidents:status`), so that `assetTypeLabels.system`, `Object.keys(…)` and `options(…)` keep
 * working and follow a language change.
 */
export function labelsOf<K extends string>(prefix: string, values: readonly K[]): Record<K, string> {
  const out = {} as Record<K, string>;
  for (const value of values)
    Object.defineProperty(out, value, { get: (): string => i18n.t(`${prefix}.${value}` as string), enumerable: true });
  return out;
}

export const assetTypeLabels: Record<AssetType, string> = labelsOf('assetType', [
  'information',
  'system',
  'service',
  'location',
  'person',
  'supplier',
]);
export const lifecycleLabels: Record<LifecycleStatus, string> = labelsOf('lifecycle', ['planned', 'in_operation', 'retiring', 'retired']);
export const lifecycleColors: Record<LifecycleStatus, string> = {
  planned: 'blue',
  in_operation: 'teal',
  retiring: 'yellow',
  retired: 'gray',
};
export const protectionLabels: Record<ProtectionLevel, string> = labelsOf('protection', ['normal', 'high', 'very_high']);
export const protectionColors: Record<ProtectionLevel, string> = { normal: 'gray', high: 'orange', very_high: 'red' };
export const protectionDescriptions: Record<ProtectionLevel, string> = labelsOf('protectionDescription', ['normal', 'high', 'very_high']);

export const roleLabels: Record<ScopeRole, string> = labelsOf('role', ['manager', 'contributor', 'auditor', 'viewer', 'employee']);
export const roleDescriptions: Record<ScopeRole, string> = labelsOf('roleDescription', [
  'manager',
  'contributor',
  'auditor',
  'viewer',
  'employee',
]);

export const profileLabels: Record<Profile, string> = labelsOf('profile', ['small', 'large']);
export const profileDescriptions: Record<Profile, string> = labelsOf('profileDescription', ['small', 'large']);

export const taskStatusLabels: Record<TaskStatus, string> = labelsOf('status', ['open', 'in_progress', 'done', 'cancelled']);
export const taskStatusColors: Record<TaskStatus, string> = { open: 'blue', in_progress: 'violet', done: 'green', cancelled: 'gray' };

export const phaseColors: Record<Phase, string> = { plan: '#2f6fb5', do: '#2b8a3e', check: '#d9822b', act: '#a61e4d' };
export const phaseLabels: Record<Phase, string> = labelsOf('phase', ['plan', 'do', 'check', 'act']);
export const phaseDescriptions: Record<Phase, string> = labelsOf('phaseDescription', ['plan', 'do', 'check', 'act']);
export const processTypeLabels: Record<ProcessType, string> = labelsOf('processType', ['governance', 'core', 'support']);
export const cadenceLabels: Record<Cadence, string> = labelsOf('cadence', ['none', 'monthly', 'quarterly', 'half_yearly', 'yearly']);

/** `change_request` → `Change request`, `corrective-measure` → `Corrective measure`: the last resort for a code without a label */
export const humanize = (key: string) => key.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase());

/**
 * The words of the audit trail (record types, actions, fields) are labelled in the `audit` namespace; every one Praxis
 * writes has its label there (server/src/audit/audit-vocabulary.ts and its tests). The humanised code is the last
 * resort, for an entry an older release wrote.
 */
const auditLabel = (group: 'recordType' | 'action' | 'field', key: string): string | undefined =>
  i18n.exists(`audit:${group}.${key}`) ? i18n.t(`audit:${group}.${key}`) : undefined;

export const recordTypeLabel = (type: string) => auditLabel('recordType', type) ?? humanize(type);
export const actionLabel = (action: string) => auditLabel('action', action) ?? humanize(action);
export const actionColors: Record<string, string> = { create: 'green', update: 'blue', delete: 'red', revoke: 'red' };

/** `published_at` → `publishedAt`: some audit entries name their columns. */
const camel = (field: string) => field.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A record field's name in words (the audit log, the conflict dialog): its label, else "Published at" from `published_at`. */
export function fieldLabel(field: string): string {
  const name = camel(field);
  const label = auditLabel('field', name);
  if (label) return label;
  const words = name
    .replace(/Ids?$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const memberStatusLabels: Record<string, string> = labelsOf('memberStatus', ['small', 'large', 'active', 'invited', 'disabled']);
/** how a sign-in or a change of second factors was confirmed, and whether a factor is on (audit entries) */
const mfaValueLabels: Record<string, string> = labelsOf('mfaValue', ['totp', 'passkey', 'recovery', 'password', 'sso', 'on', 'off']);
/** Labels for enum values whatever field they belong to (the values do not collide). */
const valueLabels = (): Record<string, string> => ({
  ...assetTypeLabels,
  ...lifecycleLabels,
  ...protectionLabels,
  ...taskStatusLabels,
  ...cadenceLabels,
  ...roleLabels,
  ...memberStatusLabels,
  ...mfaValueLabels,
});
export const valueLabel = (field: string, value: string) =>
  ['name', 'title', 'description', 'email', 'tags', 'reference'].includes(field) ? value : (valueLabels()[value] ?? value);

/** Dates and days in the current language; the helpers live with the i18n setup. */
export { formatDate, formatDateTime, formatRelativeDay as relativeDay } from '../i18n/index.ts';

export const options = <K extends string>(labels: Record<K, string>) =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
