import type { AccessRow } from '../test/access-rows.ts';

/** The audit pack: auditors and managers of the scope (those who read the audit trail); anyone else of the scope 403. */
export const auditPackAccessRows: AccessRow[] = [
  {
    name: 'audit pack',
    method: 'GET',
    url: (f) => `/api/scopes/${f.scopeId}/audit-pack.zip`,
    //      anonymous outsider employee viewer auditor contributor manager admin
    expect: [401, 404, 403, 403, 200, 403, 200, 200],
  },
];
