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
  // controls, catalogs, evidence, risk treatment, Statement of Applicability (ISO 27001 6.1.3, 8.3)
  'catalog:read',
  'catalog:import',
  'control:read',
  'control:write',
  'control:delete',
  'evidence:read',
  'evidence:write',
  'treatment:write',
  'risk:accept',
  'soa:read',
  'soa:write',
  'soa:approve',
  // policy management, records control (ISO 27001 5.2, 7.5)
  'document:read',
  'document:write',
  'document:approve',
  'document:acknowledge',
  'record:read',
  'record:write',
  'record:dispose',
  // competence and awareness (ISO 27001 7.2, 7.3)
  'competence:read',
  'competence:manage',
  'training:read',
  'training:manage',
  'training:complete',
  'awareness:report',
  // performance evaluation (ISO 27001 9.1): measures, recording values of the measures one owns
  'measure:read',
  'measure:manage',
  'measure:record',
  // internal audit (ISO 27001 9.2): the audit programme and audits; recording results (not the audit trail: audit:read)
  'audit-programme:read',
  'audit-programme:manage',
  'audit:record',
  // management review (ISO 27001 9.3): reading reviews and minutes; planning, compiling, holding and deciding (the chair
  // approves the minutes, checked by the service)
  'review:read',
  'review:manage',
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
  'catalog:read',
  'control:read',
  'evidence:read',
  'soa:read',
  'document:read',
  'document:acknowledge',
  'record:read',
  'competence:read',
  'training:read',
  'training:complete',
  'audit-programme:read',
  'measure:read',
  'review:read',
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
    'control:write',
    'evidence:write',
    'treatment:write',
    'soa:write',
    'document:write',
    'document:approve',
    'record:write',
    'audit:record',
    'measure:record',
  ]),
  // the internal auditor reads everything in the scope, including the audit trail (ISO 27001 9.2)
  // and records results in the audits they are on
  auditor: new Set<Permission>([...read, 'audit:read', 'awareness:report', 'audit:record']),
  viewer: new Set<Permission>(read),
  // employees see the scope and their own work, and report incidents and weaknesses; registers stay hidden
  // they also read and acknowledge the policies addressed to them and complete their trainings
  employee: new Set<Permission>(['scope:read', 'incident:report', 'document:acknowledge', 'training:complete']),
};

export const roleLabels: Record<ScopeRole, string> = {
  manager: 'Manager',
  contributor: 'Contributor',
  auditor: 'Auditor',
  viewer: 'Viewer',
  employee: 'Employee',
};
