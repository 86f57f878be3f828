import { definePermissions, type PermissionsOf } from '../../auth/roles.ts';

/**
 * The permissions change management owns, and the roles that hold each one besides the scope's managers (a manager holds
 * every permission). The names merge into `Permission`; the server's role map and the web client read these grants.
 */
export const permissions = definePermissions({
  'change:read': ['contributor', 'auditor', 'viewer'],
  'change:write': ['contributor'],
  'change:approve': [],
});

declare module '../../auth/roles.ts' {
  interface ModulePermissions extends PermissionsOf<typeof permissions> {}
}
