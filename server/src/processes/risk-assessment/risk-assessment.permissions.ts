import { definePermissions, type PermissionsOf } from '../../auth/roles.ts';

/**
 * The permissions risk assessment owns, and the roles that hold each one besides the scope's managers (a manager holds
 * every permission). The names merge into `Permission`; the server's role map and the web client read these grants.
 */
export const permissions = definePermissions({
  'risk:read': ['contributor', 'auditor', 'viewer'],
  'risk:write': ['contributor'],
  'risk:delete': [],
  'risk-method:manage': [],
});

declare module '../../auth/roles.ts' {
  interface ModulePermissions extends PermissionsOf<typeof permissions> {}
}
