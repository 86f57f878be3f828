import type { AccessFixture, AccessRow } from '../../test/access-rows.ts';

const base = (f: AccessFixture) => `/api/scopes/${f.scopeId}/measures`;
/** a manual measure whose values the contributor records and analyses */
const measure = async (f: AccessFixture) =>
  (await f.create('/measures', {
    name: 'Access matrix measure',
    informationNeed: 'Who may do what?',
    formula: 'x',
    unit: '%',
    direction: 'higher',
    target: 90,
    breachAt: 70,
    collectionFrequency: 'monthly',
    analysisFrequency: 'quarterly',
    sourceKind: 'manual',
    measuredById: f.users.contributor.id,
    analysedById: f.users.contributor.id,
  })) as { id: string; version: number };
/** a value in breach of a fresh measure: the url of its analysis */
async function breachAnalysis(f: AccessFixture) {
  const m = await measure(f);
  const v = (await f.create(`/measures/${m.id}/measurements`, { value: 10 })) as { id: string };
  return `${base(f)}/${m.id}/measurements/${v.id}/analysis`;
}

// anonymous outsider employee viewer auditor contributor manager admin
const read: AccessRow['expect'] = [401, 404, 403, 200, 200, 200, 200, 200];
const manage: AccessRow['expect'] = [401, 404, 403, 403, 403, 403, 200, 200];

export const accessRows: AccessRow[] = [
  { name: 'measures', method: 'GET', url: base, expect: read },
  { name: 'measures CSV', method: 'GET', url: (f) => `/api/scopes/${f.scopeId}/measures.csv`, expect: read },
  { name: 'recommended measures', method: 'GET', url: (f) => `${base(f)}/recommended`, expect: read },
  {
    name: 'add the recommended measures',
    method: 'POST',
    url: (f) => `${base(f)}/recommended`,
    body: () => ({ keys: ['risks-past-review'] }),
    expect: manage,
  },
  {
    name: 'define a measure',
    method: 'POST',
    url: base,
    body: () => ({
      name: 'M',
      informationNeed: 'N',
      formula: 'F',
      direction: 'lower',
      target: 1,
      breachAt: 2,
      collectionFrequency: 'monthly',
      analysisFrequency: 'monthly',
      sourceKind: 'manual',
    }),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  { name: 'a measure', method: 'GET', url: async (f) => `${base(f)}/${(await measure(f)).id}`, expect: read },
  {
    name: 'edit a measure',
    method: 'PATCH',
    url: async (f) => `${base(f)}/${(await measure(f)).id}`,
    body: () => ({ version: 1, target: 95 }),
    expect: manage,
  },
  { name: 'values of a measure', method: 'GET', url: async (f) => `${base(f)}/${(await measure(f)).id}/measurements`, expect: read },
  { name: 'trend of a measure', method: 'GET', url: async (f) => `${base(f)}/${(await measure(f)).id}/trend`, expect: read },
  {
    // the owner for measuring (the contributor) or a manager
    name: 'record a value',
    method: 'POST',
    url: async (f) => `${base(f)}/${(await measure(f)).id}/measurements`,
    body: () => ({ value: 80, comment: 'matrix' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    // the owner for analysing (the contributor) or a manager
    name: 'analyse a value in breach',
    method: 'POST',
    url: breachAnalysis,
    body: () => ({ outcome: 'no_action', note: 'matrix' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
];
