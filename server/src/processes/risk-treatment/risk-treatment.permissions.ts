import { definePermissions, type PermissionsOf } from '../../auth/roles.ts';

/**
 * The permissions risk treatment and the Statement of Applicability owns, and the roles that hold each one besides the scope's managers (a manager holds
 * every permission). The names merge into `Permission`; the server's role map and the web client read these grants.
 */
export const permissions = definePermissions({
  'treatment:write': ['contributor'],
  'risk:accept': [],
  'soa:read': ['contributor', 'auditor', 'viewer'],
  'soa:write': ['contributor'],
  'soa:approve': [],
});

declare module '../../auth/roles.ts' {
  interface ModulePermissions extends PermissionsOf<typeof permissions> {}
}
