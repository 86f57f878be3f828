import { definePermissions, type PermissionsOf } from '../../auth/roles.ts';

/**
 * The permissions management review owns, and the roles that hold each one besides the scope's managers (a manager holds
 * every permission). The names merge into `Permission`; the server's role map and the web client read these grants.
 */
export const permissions = definePermissions({
  'review:read': ['contributor', 'auditor', 'viewer'],
  // planning, compiling, holding and deciding a review (the chair approves the minutes, checked by the service)
  'review:manage': [],
});

declare module '../../auth/roles.ts' {
  interface ModulePermissions extends PermissionsOf<typeof permissions> {}
}
