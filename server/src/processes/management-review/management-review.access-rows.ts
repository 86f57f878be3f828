import type { AccessFixture, AccessRow } from '../../test/access-rows.ts';

const base = (f: AccessFixture) => `/api/scopes/${f.scopeId}`;
const plan = (f: AccessFixture) => ({ title: 'Access matrix review', chairId: f.users.manager.id, plannedOn: '2026-06-01' });
const review = async (f: AccessFixture) => (await f.create('/reviews', plan(f))) as { id: string; version: number };
/** a review with its inputs compiled (version 2), not yet held */
async function compiled(f: AccessFixture) {
  const r = await review(f);
  await f.create(`/reviews/${r.id}/transition`, { version: 1, to: 'compiled' });
  return r;
}

// anonymous outsider employee viewer auditor contributor manager admin
const read: AccessRow['expect'] = [401, 404, 403, 200, 200, 200, 200, 200];
const manage: AccessRow['expect'] = [401, 404, 403, 403, 403, 403, 200, 200];

export const accessRows: AccessRow[] = [
  { name: 'management review list', method: 'GET', url: (f) => `${base(f)}/reviews`, expect: read },
  { name: 'management review list CSV', method: 'GET', url: (f) => `${base(f)}/reviews.csv`, expect: read },
  { name: 'management review summary', method: 'GET', url: (f) => `${base(f)}/review-summary`, expect: read },
  {
    name: 'plan a management review',
    method: 'POST',
    url: (f) => `${base(f)}/reviews`,
    body: (f) => plan(f),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  { name: 'a management review', method: 'GET', url: async (f) => `${base(f)}/reviews/${(await review(f)).id}`, expect: read },
  {
    name: 'change a management review',
    method: 'PATCH',
    url: async (f) => `${base(f)}/reviews/${(await review(f)).id}`,
    body: () => ({ version: 1, title: 'Renamed' }),
    expect: manage,
  },
  {
    name: 'compile the inputs of a management review',
    method: 'POST',
    url: async (f) => `${base(f)}/reviews/${(await review(f)).id}/transition`,
    body: () => ({ version: 1, to: 'compiled' }),
    expect: manage,
  },
  {
    // decisions are recorded while held; on a compiled review the manager is refused by state (409), the others by role
    name: 'record a decision (review not held)',
    method: 'POST',
    url: async (f) => `${base(f)}/reviews/${(await compiled(f)).id}/decisions`,
    body: (f) => ({ version: 2, kind: 'resource', title: 'Budget', ownerId: f.users.manager.id, dueOn: '2026-07-01' }),
    expect: [401, 404, 403, 403, 403, 403, 409, 409],
  },
  {
    // only the chair (here the scope's manager) approves the minutes; on a review not yet held the chair is refused by
    // state (409), an installation administrator who is not the chair by role
    name: 'approve the minutes (chair only)',
    method: 'POST',
    url: async (f) => `${base(f)}/reviews/${(await compiled(f)).id}/transition`,
    body: () => ({ version: 2, to: 'approved' }),
    expect: [401, 404, 403, 403, 403, 403, 409, 403],
  },
  { name: 'minutes PDF', method: 'GET', url: async (f) => `${base(f)}/reviews/${(await review(f)).id}/minutes.pdf`, expect: read },
  { name: 'minutes DOCX', method: 'GET', url: async (f) => `${base(f)}/reviews/${(await review(f)).id}/minutes.docx`, expect: read },
];
