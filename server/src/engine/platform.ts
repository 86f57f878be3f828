import type { Permission } from '../auth/roles.ts';

/**
 * Permissions the platform owns (scopes, members, the process model and its cycle, tasks, the audit trail, the demo);
 * every other permission belongs to exactly one process module, which lists it in its `index.ts`.
 */
export const platformPermissions: readonly Permission[] = [
  'scope:read',
  'scope:manage',
  'member:read',
  'member:manage',
  'process:read',
  'process:manage',
  'task:read',
  'task:write',
  'audit:read',
  'demo:seed',
];
