import { buildRolePermissions, type PermissionGrants } from '../../../server/src/auth/roles.ts';

/**
 * Each role's permissions, as the server computes them: the platform's grants and those every process module declares in
 * its `<module>.permissions.ts` (read here by Vite, so that a new module needs no edit of the web client for access).
 */
const moduleGrants = import.meta.glob<PermissionGrants>('../../../server/src/processes/*/*.permissions.ts', {
  eager: true,
  import: 'permissions',
});

export const rolePermissions = buildRolePermissions(Object.values(moduleGrants));
