/**
 * Roles and permissions: the one place that says who may do what (ISO 27001 5.3 roles, responsibilities, authorities).
 * A scope role applies within one scope; the installation admin acts as a manager in every scope.
 */
export const scopeRoles = ['manager', 'contributor', 'auditor', 'viewer', 'employee'] as const;
export type ScopeRole = (typeof scopeRoles)[number];

export const permissions = [
  'scope:read',
  'scope:manage',
  'member:read',
  'member:manage',
  'asset:read',
  'asset:write',
  'asset:delete',
  'process:read',
  'process:manage',
  'task:read',
  'task:write',
  'audit:read',
  'demo:seed',
  'incident:report',
  'incident:read',
  'incident:handle',
  'change:read',
  'change:write',
  'change:approve',
  'improvement:read',
  'improvement:write',
  'risk:read',
  'risk:write',
  'risk:delete',
  'risk-method:manage',
] as const;
export type Permission = (typeof permissions)[number];

const read: Permission[] = [
  'scope:read',
  'member:read',
  'asset:read',
  'process:read',
  'task:read',
  'incident:report',
  'incident:read',
  'change:read',
  'improvement:read',
  'risk:read',
];

export const rolePermissions: Record<ScopeRole, ReadonlySet<Permission>> = {
  manager: new Set(permissions),
  // contributors form the incident team, raise changes and work on corrective actions
  contributor: new Set<Permission>([
    ...read,
    'asset:write',
    'task:write',
    'incident:handle',
    'change:write',
    'improvement:write',
    'risk:write',
  ]),
  // the internal auditor reads everything in the scope, including the audit trail (ISO 27001 9.2)
  auditor: new Set<Permission>([...read, 'audit:read']),
  viewer: new Set<Permission>(read),
  // employees see the scope and their own work, and report incidents and weaknesses; registers stay hidden
  employee: new Set<Permission>(['scope:read', 'incident:report']),
};

export const roleLabels: Record<ScopeRole, string> = {
  manager: 'Manager',
  contributor: 'Contributor',
  auditor: 'Auditor',
  viewer: 'Viewer',
  employee: 'Employee',
};
