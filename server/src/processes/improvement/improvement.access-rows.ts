import type { AccessRow } from '../../test/access-rows.ts';

// anonymous outsider employee viewer auditor contributor manager admin
export const accessRows: AccessRow[] = [
  {
    // improvement:read, like the list of nonconformities
    name: 'export nonconformities',
    method: 'GET',
    url: (f) => `/api/scopes/${f.scopeId}/nonconformities.csv`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
];
