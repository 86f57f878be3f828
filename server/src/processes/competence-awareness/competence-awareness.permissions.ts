import { definePermissions, type PermissionsOf } from '../../auth/roles.ts';

/**
 * The permissions competence and awareness owns, and the roles that hold each one besides the scope's managers (a manager holds
 * every permission). The names merge into `Permission`; the server's role map and the web client read these grants.
 */
export const permissions = definePermissions({
  'competence:read': ['contributor', 'auditor', 'viewer'],
  'competence:manage': [],
  'training:read': ['contributor', 'auditor', 'viewer'],
  'training:manage': [],
  // everyone completes their trainings
  'training:complete': ['contributor', 'auditor', 'viewer', 'employee'],
  // auditors read the awareness report
  'awareness:report': ['auditor'],
});

declare module '../../auth/roles.ts' {
  interface ModulePermissions extends PermissionsOf<typeof permissions> {}
}
