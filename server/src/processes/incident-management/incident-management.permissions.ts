import { definePermissions, type PermissionsOf } from '../../auth/roles.ts';

/**
 * The permissions incident management owns, and the roles that hold each one besides the scope's managers (a manager holds
 * every permission). The names merge into `Permission`; the server's role map and the web client read these grants.
 */
export const permissions = definePermissions({
  // everyone, employees included, reports incidents and weaknesses
  'incident:report': ['contributor', 'auditor', 'viewer', 'employee'],
  'incident:read': ['contributor', 'auditor', 'viewer'],
  'incident:handle': ['contributor'],
});

declare module '../../auth/roles.ts' {
  interface ModulePermissions extends PermissionsOf<typeof permissions> {}
}
