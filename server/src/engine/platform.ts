import { type Permission, platformGrants } from '../auth/roles.ts';

/**
 * Permissions the platform owns (scopes, members, the process model and its cycle, tasks, the audit trail, the demo);
 * every other permission belongs to exactly one process module, which lists it in its `index.ts`.
 */
export const platformPermissions = Object.keys(platformGrants) as Permission[];
