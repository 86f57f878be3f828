import { definePermissions, type PermissionsOf } from '../../auth/roles.ts';

/**
 * The permissions performance evaluation owns, and the roles that hold each one besides the scope's managers (a manager holds
 * every permission). The names merge into `Permission`; the server's role map and the web client read these grants.
 */
export const permissions = definePermissions({
  'measure:read': ['contributor', 'auditor', 'viewer'],
  'measure:manage': [],
  // recording values of the measures one owns
  'measure:record': ['contributor'],
});

declare module '../../auth/roles.ts' {
  interface ModulePermissions extends PermissionsOf<typeof permissions> {}
}
