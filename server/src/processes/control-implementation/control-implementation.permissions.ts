import { definePermissions, type PermissionsOf } from '../../auth/roles.ts';

/**
 * The permissions control implementation (catalogs, controls, evidence) owns, and the roles that hold each one besides the scope's managers (a manager holds
 * every permission). The names merge into `Permission`; the server's role map and the web client read these grants.
 */
export const permissions = definePermissions({
  'catalog:read': ['contributor', 'auditor', 'viewer'],
  'catalog:import': [],
  'control:read': ['contributor', 'auditor', 'viewer'],
  'control:write': ['contributor'],
  'control:delete': [],
  'evidence:read': ['contributor', 'auditor', 'viewer'],
  'evidence:write': ['contributor'],
});

declare module '../../auth/roles.ts' {
  interface ModulePermissions extends PermissionsOf<typeof permissions> {}
}
