import { processModules } from '../processes/registry.ts';
import { buildRolePermissions, type Permission, type ScopeRole, scopeRoles } from './roles.ts';

let built: Record<ScopeRole, ReadonlySet<Permission>> | undefined;
const map = () => (built ??= buildRolePermissions(processModules.map((m) => m.permissions)));

/**
 * The one place that says who may do what (ISO 27001 5.3 roles, responsibilities, authorities): each scope role's
 * permissions, from the platform's grants (`roles.ts`) and those each process module declares. Built on first use, so
 * that the module registry is complete by then.
 */
export const rolePermissions = Object.defineProperties(
  {},
  Object.fromEntries(scopeRoles.map((role) => [role, { get: () => map()[role], enumerable: true }])),
) as Readonly<Record<ScopeRole, ReadonlySet<Permission>>>;
