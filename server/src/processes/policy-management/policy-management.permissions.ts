import { definePermissions, type PermissionsOf } from '../../auth/roles.ts';

/**
 * The permissions policy management owns, and the roles that hold each one besides the scope's managers (a manager holds
 * every permission). The names merge into `Permission`; the server's role map and the web client read these grants.
 */
export const permissions = definePermissions({
  'document:read': ['contributor', 'auditor', 'viewer'],
  'document:write': ['contributor'],
  // contributors may be named approvers of documents
  'document:approve': ['contributor'],
  // everyone reads and acknowledges the policies addressed to them
  'document:acknowledge': ['contributor', 'auditor', 'viewer', 'employee'],
});

declare module '../../auth/roles.ts' {
  interface ModulePermissions extends PermissionsOf<typeof permissions> {}
}
