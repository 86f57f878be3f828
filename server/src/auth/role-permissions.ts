import { buildRolePermissions, type PermissionGrants, type Permission, type ScopeRole, scopeRoles } from './roles.ts';

let moduleGrants: readonly PermissionGrants[] | undefined;
let built: Record<ScopeRole, ReadonlySet<Permission>> | undefined;

/**
 * The process modules' grants, given once by the module registry (`processes/registry.ts`) when it loads. The registry
 * hands them over instead of being imported here, so that access checks (and every file that only needs their types,
 * the web client's included) do not pull in every module.
 */
export function registerModulePermissions(grants: readonly PermissionGrants[]): void {
  moduleGrants = grants;
  built = undefined;
}

const map = () => {
  if (!moduleGrants) throw new Error('Role permissions read before the process module registry (processes/registry.ts) was loaded');
  built ??= buildRolePermissions(moduleGrants);
  return built;
};

/**
 * The one place that says who may do what (ISO 27001 5.3 roles, responsibilities, authorities): each scope role's
 * permissions, from the platform's grants (`roles.ts`) and those each process module declares. Built on first use.
 */
export const rolePermissions = Object.defineProperties(
  {},
  Object.fromEntries(scopeRoles.map((role) => [role, { get: () => map()[role], enumerable: true }])),
) as Readonly<Record<ScopeRole, ReadonlySet<Permission>>>;
