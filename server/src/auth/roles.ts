/**
 * Roles and permissions: the one place that says who may do what (ISO 27001 5.3 roles, responsibilities, authorities).
 * A scope role applies within one scope; the installation admin acts as a manager in every scope.
 */
export const scopeRoles = ['manager', 'contributor', 'auditor', 'viewer', 'employee'] as const;
export type ScopeRole = (typeof scopeRoles)[number];

/** A role other than manager: a manager holds every permission. */
export type GrantedRole = Exclude<ScopeRole, 'manager'>;

/**
 * The platform's permissions (scopes, members, the process model and its cycle, tasks, the audit trail, the demo) and
 * the roles that hold each one besides managers. Every other permission belongs to one process module, which declares
 * it with its grants in its `<module>.permissions.ts`.
 */
export const platformGrants = {
  'scope:read': ['contributor', 'auditor', 'viewer', 'employee'],
  'scope:manage': [],
  'member:read': ['contributor', 'auditor', 'viewer'],
  'member:manage': [],
  'process:read': ['contributor', 'auditor', 'viewer'],
  'process:manage': [],
  'task:read': ['contributor', 'auditor', 'viewer'],
  'task:write': ['contributor'],
  'audit:read': ['auditor'],
  'demo:seed': [],
} as const satisfies Readonly<Record<string, readonly GrantedRole[]>>;
export type PlatformPermission = keyof typeof platformGrants;

/** The process modules' permissions: each `<module>.permissions.ts` merges its names into this interface. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the modules' declaration merging
export interface ModulePermissions {}
export type Permission = PlatformPermission | (keyof ModulePermissions & string);

/** Permissions with the roles that hold them besides managers. */
export type PermissionGrants = Readonly<Record<string, readonly GrantedRole[]>>;

/** Declares a module's permissions with their grants (keeps the names as literal types). */
export const definePermissions = <const G extends PermissionGrants>(grants: G): G => grants;

/** The names of declared permissions, as an interface body for `ModulePermissions`. */
export type PermissionsOf<G> = { readonly [K in keyof G]: true };

/**
 * Who may do what: each role's permissions from the platform's grants and the given modules' (managers hold all). The
 * server builds it from the module registry (`auth/role-permissions.ts`), the web client from the same files.
 */
export function buildRolePermissions(moduleGrants: readonly PermissionGrants[]): Record<ScopeRole, ReadonlySet<Permission>> {
  const map = Object.fromEntries(scopeRoles.map((role) => [role, new Set<Permission>()])) as Record<ScopeRole, Set<Permission>>;
  for (const grants of [platformGrants as PermissionGrants, ...moduleGrants]) {
    for (const [permission, roles] of Object.entries(grants)) {
      map.manager.add(permission as Permission);
      for (const role of roles) map[role].add(permission as Permission);
    }
  }
  return map;
}

export const roleLabels: Record<ScopeRole, string> = {
  manager: 'Manager',
  contributor: 'Contributor',
  auditor: 'Auditor',
  viewer: 'Viewer',
  employee: 'Employee',
};
