import type { AccessFixture, AccessRow } from '../../test/access-rows.ts';

/**
 * The scope's SoA of the built-in Annex A: there is one per scope and catalog, so when the matrix made it already the
 * refusal names the existing one (`details.id`), which the fixture's error message carries.
 */
async function soaUrl(f: AccessFixture) {
  try {
    return `/api/scopes/${f.scopeId}/soa/${((await f.create('/soa', { catalogKey: 'iso-27001-2022-annex-a' })) as { id: string }).id}`;
  } catch (err) {
    const id = /"details":\{"id":"([^"]+)"/.exec(String(err))?.[1];
    if (!id) throw err;
    return `/api/scopes/${f.scopeId}/soa/${id}`;
  }
}

// anonymous outsider employee viewer auditor contributor manager admin
export const accessRows: AccessRow[] = [
  {
    name: 'export SoA DOCX',
    method: 'GET',
    url: async (f) => `${await soaUrl(f)}/export.docx`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    // nonconformities and risks: improvement:read and risk:read
    name: 'POA&M as OSCAL',
    method: 'GET',
    url: (f) => `/api/scopes/${f.scopeId}/poam.oscal.json`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    // risk:read, like the treatment list
    name: 'export treatment plan',
    method: 'GET',
    url: (f) => `/api/scopes/${f.scopeId}/treatments.csv`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
];
