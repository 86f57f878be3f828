import { roleLabels as serverRoleLabels } from '../../../server/src/auth/roles.ts';
import type { AssetType, Cadence, LifecycleStatus, Phase, ProcessType, Profile, ProtectionLevel, ScopeRole, TaskStatus } from './types.ts';

export const assetTypeLabels: Record<AssetType, string> = {
  information: 'Information',
  system: 'System',
  service: 'Service',
  location: 'Location',
  person: 'Person / role',
  supplier: 'Supplier',
};
export const lifecycleLabels: Record<LifecycleStatus, string> = {
  planned: 'Planned',
  in_operation: 'In operation',
  retiring: 'Retiring',
  retired: 'Retired',
};
export const lifecycleColors: Record<LifecycleStatus, string> = {
  planned: 'blue',
  in_operation: 'teal',
  retiring: 'yellow',
  retired: 'gray',
};
export const protectionLabels: Record<ProtectionLevel, string> = { normal: 'Normal', high: 'High', very_high: 'Very high' };
export const protectionColors: Record<ProtectionLevel, string> = { normal: 'gray', high: 'orange', very_high: 'red' };
export const protectionDescriptions: Record<ProtectionLevel, string> = {
  normal: 'Damage would be limited and manageable',
  high: 'Damage could be considerable',
  very_high: 'Damage could threaten the organisation',
};

export const roleLabels: Record<ScopeRole, string> = serverRoleLabels;
export const roleDescriptions: Record<ScopeRole, string> = {
  manager: 'Runs the ISMS of this scope: everything, including members and the audit log',
  contributor: 'Maintains the registers and works on tasks',
  auditor: 'Reads everything in the scope, including the audit log',
  viewer: 'Reads the registers and the process map',
  employee: 'Sees and completes the tasks assigned to them',
};

export const profileLabels: Record<Profile, string> = { small: 'Small organisation', large: 'Large organisation' };
export const profileDescriptions: Record<Profile, string> = {
  small: 'Few roles and a light workflow, for a small team that runs the ISMS alongside its daily work.',
  large: 'Approval chains and segregation of duties, for organisations with several departments and a formal audit programme.',
};

export const taskStatusLabels: Record<TaskStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};
export const taskStatusColors: Record<TaskStatus, string> = { open: 'blue', in_progress: 'violet', done: 'green', cancelled: 'gray' };

export const phaseColors: Record<Phase, string> = { plan: '#2f6fb5', do: '#2b8a3e', check: '#d9822b', act: '#a61e4d' };
export const phaseLabels: Record<Phase, string> = { plan: 'Plan', do: 'Do', check: 'Check', act: 'Act' };
export const phaseDescriptions: Record<Phase, string> = {
  plan: 'Establish: scope, policy, risks and their treatment',
  do: 'Implement and operate the controls',
  check: 'Monitor, measure, audit and review',
  act: 'Correct and improve',
};
export const processTypeLabels: Record<ProcessType, string> = { governance: 'Governance', core: 'Core', support: 'Support' };
export const cadenceLabels: Record<Cadence, string> = {
  none: 'On demand',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  half_yearly: 'Half-yearly',
  yearly: 'Yearly',
};

export const recordTypeLabels: Record<string, string> = {
  asset: 'Asset',
  task: 'Task',
  process: 'Process',
  scope: 'Scope',
  membership: 'Membership',
  user: 'User',
  api_token: 'API token',
  incident: 'Incident',
  change_request: 'Change request',
  nonconformity: 'Nonconformity',
  improvement_opportunity: 'Improvement opportunity',
};
/** `change_request` → `Change request`, `corrective-measure` → `Corrective measure` */
export const humanize = (key: string) => key.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase());
export const recordTypeLabel = (type: string) => recordTypeLabels[type] ?? humanize(type);
export const actionLabels: Record<string, string> = {
  create: 'Created',
  update: 'Updated',
  delete: 'Deleted',
  login: 'Logged in',
  revoke: 'Revoked',
  'password-set': 'Password set',
  'accept-invitation': 'Invitation accepted',
  'notification-sent': 'Notification sent',
};
export const actionLabel = (action: string) => actionLabels[action] ?? humanize(action);
export const actionColors: Record<string, string> = { create: 'green', update: 'blue', delete: 'red', revoke: 'red' };

/** Readable names of record fields, for the audit log and the conflict dialog. */
export const fieldLabels: Record<string, string> = {
  name: 'Name',
  type: 'Type',
  ownerId: 'Owner',
  owner: 'Owner',
  description: 'Description',
  lifecycleStatus: 'Lifecycle status',
  confidentiality: 'Confidentiality',
  integrity: 'Integrity',
  availability: 'Availability',
  tags: 'Tags',
  dependsOn: 'Depends on',
  title: 'Title',
  processKey: 'Process',
  assigneeId: 'Assignee',
  dueOn: 'Due date',
  status: 'Status',
  origin: 'Origin',
  cadence: 'Cadence',
  nextReviewOn: 'Next review',
  role: 'Role',
  profile: 'Profile',
  email: 'Email',
  isAdmin: 'Administrator',
  reference: 'Reference',
};
export const fieldLabel = (field: string) =>
  fieldLabels[field] ?? field.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());

/** Labels for enum values whatever field they belong to (the values do not collide). */
const valueLabels: Record<string, string> = {
  ...assetTypeLabels,
  ...lifecycleLabels,
  ...protectionLabels,
  ...taskStatusLabels,
  ...cadenceLabels,
  ...roleLabels,
  small: 'Small',
  large: 'Large',
  active: 'Active',
  invited: 'Invited',
  disabled: 'Disabled',
};
export const valueLabel = (field: string, value: string) =>
  ['name', 'title', 'description', 'email', 'tags', 'reference'].includes(field) ? value : (valueLabels[value] ?? value);

/** Dates and days in the current language; the helpers live with the i18n setup. */
export { formatDate, formatDateTime, formatRelativeDay as relativeDay } from '../i18n/index.ts';

export const options = <K extends string>(labels: Record<K, string>) =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
