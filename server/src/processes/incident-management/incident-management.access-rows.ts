import type { AccessRow } from '../../test/access-rows.ts';

// anonymous outsider employee viewer auditor contributor manager admin
export const accessRows: AccessRow[] = [
  {
    // the full report is for the incident team and auditors, as its PDF
    name: 'incident report DOCX',
    method: 'GET',
    url: (f) => `/api/scopes/${f.scopeId}/incidents/${f.incidentId}/report.docx`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
];
