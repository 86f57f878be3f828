import { definePermissions, type PermissionsOf } from '../../auth/roles.ts';

/**
 * The permissions internal audit owns, and the roles that hold each one besides the scope's managers (a manager holds
 * every permission). The names merge into `Permission`; the server's role map and the web client read these grants.
 */
export const permissions = definePermissions({
  'audit-programme:read': ['contributor', 'auditor', 'viewer'],
  'audit-programme:manage': [],
  // auditors record results in the audits they are on (not the audit trail: `audit:read`)
  'audit:record': ['contributor', 'auditor'],
});

declare module '../../auth/roles.ts' {
  interface ModulePermissions extends PermissionsOf<typeof permissions> {}
}
