import type { AccessFixture, AccessRow } from '../../test/access-rows.ts';

const plan = (over: Record<string, unknown> = {}) => ({
  title: 'Access matrix audit',
  criteria: { clauses: ['9.2'] },
  plannedStart: '2026-03-01',
  plannedEnd: '2026-03-02',
  ...over,
});
const base = (f: AccessFixture) => `/api/scopes/${f.scopeId}`;
const audit = async (f: AccessFixture, over: Record<string, unknown> = {}) => (await f.create('/audits', plan(over))) as { id: string };
/** an audit in fieldwork, led by `leadAuditorId`; the url of its first checklist row */
async function rowInFieldwork(f: AccessFixture, leadAuditorId: string) {
  const a = await audit(f, { leadAuditorId });
  await f.create(`/audits/${a.id}/transition`, { version: 1, to: 'prepared' });
  const fw = await f.create(`/audits/${a.id}/transition`, { version: 2, to: 'fieldwork' });
  return `${base(f)}/audits/${a.id}/checklist/${fw.checklist[0].id}`;
}

// anonymous outsider employee viewer auditor contributor manager admin
const read: AccessRow['expect'] = [401, 404, 403, 200, 200, 200, 200, 200];
const manage: AccessRow['expect'] = [401, 404, 403, 403, 403, 403, 200, 200];

export const accessRows: AccessRow[] = [
  { name: 'audit programme', method: 'GET', url: (f) => `${base(f)}/audit-programme`, expect: read },
  { name: 'audit list', method: 'GET', url: (f) => `${base(f)}/audits`, expect: read },
  { name: 'audit list CSV', method: 'GET', url: (f) => `${base(f)}/audits.csv`, expect: read },
  {
    name: 'plan an audit',
    method: 'POST',
    url: (f) => `${base(f)}/audits`,
    body: () => plan(),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  { name: 'an audit', method: 'GET', url: async (f) => `${base(f)}/audits/${(await audit(f)).id}`, expect: read },
  {
    name: 'change an audit',
    method: 'PATCH',
    url: async (f) => `${base(f)}/audits/${(await audit(f)).id}`,
    body: () => ({ version: 1, title: 'Renamed' }),
    expect: manage,
  },
  {
    name: 'move an audit on',
    method: 'POST',
    url: async (f) => `${base(f)}/audits/${(await audit(f, { leadAuditorId: f.member.id })).id}/transition`,
    body: () => ({ version: 1, to: 'prepared' }),
    expect: manage,
  },
  {
    // the internal auditor records in an audit they lead
    name: 'record a result (auditor on the team)',
    method: 'PUT',
    url: (f) => rowInFieldwork(f, f.users.auditor.id),
    body: () => ({ version: 1, result: 'conforming' }),
    expect: [401, 404, 403, 403, 200, 403, 200, 200],
  },
  {
    // …and not in one they are not on
    name: 'record a result (auditor not on the team)',
    method: 'PUT',
    url: (f) => rowInFieldwork(f, f.member.id),
    body: () => ({ version: 1, result: 'conforming' }),
    expect: [401, 404, 403, 403, 403, 403, 200, 200],
  },
  {
    name: 'add a finding of an external report',
    method: 'POST',
    url: async (f) => `${base(f)}/audits/${(await audit(f, { source: 'external', externalParty: 'customer', criteria: {} })).id}/findings`,
    body: () => ({ title: 'Finding', result: 'observation' }),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  { name: 'audit report PDF', method: 'GET', url: async (f) => `${base(f)}/audits/${(await audit(f)).id}/report.pdf`, expect: read },
  {
    name: 'audit as OSCAL assessment results',
    method: 'GET',
    url: async (f) => `${base(f)}/audits/${(await audit(f)).id}/export.oscal.json`,
    expect: read,
  },
  { name: 'audit report DOCX', method: 'GET', url: async (f) => `${base(f)}/audits/${(await audit(f)).id}/report.docx`, expect: read },
];
