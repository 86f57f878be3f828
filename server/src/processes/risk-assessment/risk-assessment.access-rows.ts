import type { AccessRow } from '../../test/access-rows.ts';

// anonymous outsider employee viewer auditor contributor manager admin
export const accessRows: AccessRow[] = [
  {
    // the permission (risk:write) is checked before the upload is read: allowed roles reach the "not multipart" refusal
    name: 'import risks (not multipart)',
    method: 'POST',
    url: (f) => `/api/scopes/${f.scopeId}/imports/risks`,
    body: () => ({ dryRun: true }),
    expect: [401, 404, 403, 403, 403, 400, 400, 400],
  },
];
