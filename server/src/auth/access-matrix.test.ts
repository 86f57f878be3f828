import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processModules } from '../processes/registry.ts';
import { defaultMethod } from '../processes/risk-assessment/risk-method.ts';
import type { AccessActor, AccessFixture, AccessRow } from '../test/access-rows.ts';
import { mfaAccessRows } from './mfa/mfa.access-rows.ts';
import { auditPackAccessRows } from '../audit-pack/audit-pack.access-rows.ts';
import type { ScopeRole } from './roles.ts';
import { buildScope, buildUser, createTestContext, dialects, json, type TestContext } from '../test/harness.ts';

/**
 * Every route of a scope × every kind of actor. Rows read: route, then the expected status per actor.
 * `outsider` is a manager of another scope; `admin` is an installation administrator without membership.
 * A process module may keep the rows of its routes in `processes/<module>/<module>.access-rows.ts`: they run here too.
 */
type Actor = AccessActor;
const actors: Actor[] = ['anonymous', 'outsider', 'employee', 'viewer', 'auditor', 'contributor', 'manager', 'admin'];
type Fixture = AccessFixture;
type Row = AccessRow;

/** the rows the registered process modules keep beside their routes */
const moduleRows: Row[] = [];
for (const m of processModules) {
  const file = path.resolve(import.meta.dirname, '../processes', m.key, `${m.key}.access-rows.ts`);
  if (fs.existsSync(file)) moduleRows.push(...((await import(pathToFileURL(file).href)) as { accessRows: Row[] }).accessRows);
}

// -- records control helpers
const matrixRecord = {
  title: 'Matrix record',
  processKey: 'records-control',
  storage: 'external',
  location: 'Archive',
  retentionMonths: 12,
  retentionStartOn: '2020-01-01',
};
const A = (f: Fixture) => `/api/scopes/${f.scopeId}`;
// -- policy management helpers
const matrixDoc = (f: Fixture) =>
  f.create('/documents', {
    type: 'policy',
    title: 'Matrix policy',
    contentMd: '# Matrix',
    approverIds: [f.users.contributor.id, f.users.manager.id],
  });
const matrixVersionUrl = (f: Fixture, d: { id: string; versions: { id: string }[] }) =>
  `${A(f)}/documents/${d.id}/versions/${d.versions[0]!.id}`;
/** a version in review, submitted by the manager */
const matrixSubmitted = async (f: Fixture) => {
  const d = await matrixDoc(f);
  await f.create(`/documents/${d.id}/versions/${d.versions[0]!.id}/submit`, { version: 1 });
  return matrixVersionUrl(f, d);
};
// -- change management helpers
const matrixChange = { title: 'Matrix change', reason: 'Because' };
/** a change request approved by the scope's manager, its only approver: at version 3 (raised, submitted, approved) */
const matrixApprovedChange = async (f: Fixture) => {
  const c = await f.create('/changes', matrixChange);
  await f.create(`/changes/${c.id}/submit`, { version: 1, changeRisk: 'low', consequences: 'Few', approverIds: [f.users.manager.id] });
  await f.create(`/changes/${c.id}/decision`, { version: 2, decision: 'approve' });
  return `${A(f)}/changes/${c.id}`;
};
// -- improvement helpers
const matrixNc = { title: 'Matrix finding', source: 'manual', severity: 'minor' };
const matrixNcUrl = async (f: Fixture) => `${A(f)}/nonconformities/${(await f.create('/nonconformities', matrixNc)).id}`;
const rows: Row[] = [
  { name: 'get scope', method: 'GET', url: A, expect: [401, 404, 200, 200, 200, 200, 200, 200] },
  {
    name: 'update scope',
    method: 'PATCH',
    url: A,
    body: () => ({ version: 1, description: 'x' }),
    expect: [401, 404, 403, 403, 403, 403, 200, 409],
  },
  { name: 'list members', method: 'GET', url: (f) => `${A(f)}/members`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'invite member',
    method: 'POST',
    url: (f) => `${A(f)}/members`,
    body: (_f, a) => ({ email: `new-${a}-${Math.random().toString(36).slice(2)}@test.example`, role: 'viewer' }),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  {
    name: 'change member role',
    method: 'PATCH',
    url: (f) => `${A(f)}/members/${f.member.id}`,
    body: () => ({ version: 99, role: 'viewer' }),
    expect: [401, 404, 403, 403, 403, 403, 409, 409],
  },
  {
    name: 'remove member',
    method: 'DELETE',
    url: (f) => `${A(f)}/members/01900000-0000-7000-8000-000000000000`,
    expect: [401, 404, 403, 403, 403, 403, 404, 404],
  },
  { name: 'load demo data', method: 'POST', url: (f) => `${A(f)}/demo`, expect: [401, 404, 403, 403, 403, 403, 409, 409] },
  { name: 'list assets', method: 'GET', url: (f) => `${A(f)}/assets`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  { name: 'export assets', method: 'GET', url: (f) => `${A(f)}/assets.csv`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  { name: 'get asset', method: 'GET', url: (f) => `${A(f)}/assets/${f.assetId}`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'create asset',
    method: 'POST',
    url: (f) => `${A(f)}/assets`,
    body: () => ({ name: 'Matrix asset', type: 'system' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    name: 'update asset',
    method: 'PATCH',
    url: async (f) => `${A(f)}/assets/${(await f.freshAsset()).id}`,
    body: () => ({ version: 1, description: 'changed' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'delete asset',
    method: 'DELETE',
    url: async (f) => `${A(f)}/assets/${(await f.freshAsset()).id}?version=1`,
    expect: [401, 404, 403, 403, 403, 403, 204, 204],
  },
  { name: 'process map', method: 'GET', url: (f) => `${A(f)}/processes`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'update process',
    method: 'PATCH',
    url: (f) => `${A(f)}/processes/internal-audit`,
    body: () => ({ version: 99, cadence: 'yearly' }),
    expect: [401, 404, 403, 403, 403, 403, 409, 409],
  },
  // -- cadences, the ISMS cycle, the cockpit, the hand-off ledger
  {
    name: 'get process cadence',
    method: 'GET',
    url: (f) => `${A(f)}/processes/internal-audit/cadence`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'set process cadence (stale version)',
    method: 'PUT',
    url: (f) => `${A(f)}/processes/internal-audit/cadence`,
    body: () => ({ version: 99, rule: { frequency: 'yearly' } }),
    expect: [401, 404, 403, 403, 403, 403, 409, 409],
  },
  { name: 'list cadences', method: 'GET', url: (f) => `${A(f)}/cadences`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'get the cadence of risk reviews',
    method: 'GET',
    url: (f) => `${A(f)}/cadences/sources/risk-review`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'set the cadence of risk reviews (stale version)',
    method: 'PUT',
    url: (f) => `${A(f)}/cadences/sources/risk-review`,
    body: () => ({ version: 99, rule: { frequency: 'yearly' } }),
    expect: [401, 404, 403, 403, 403, 403, 409, 409],
  },
  {
    name: 'upcoming cadence dates',
    method: 'GET',
    url: (f) => `${A(f)}/cadences/upcoming?days=30`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  { name: 'cockpit', method: 'GET', url: (f) => `${A(f)}/cockpit`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  { name: 'list ISMS cycles', method: 'GET', url: (f) => `${A(f)}/cycles`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'start the next ISMS cycle',
    method: 'POST',
    url: (f) => `${A(f)}/cycles`,
    body: () => ({}),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  {
    name: "change an ISMS cycle's dates",
    method: 'PATCH',
    url: async (f) => `${A(f)}/cycles/${(await f.create('/cycles', {})).id}`,
    body: () => ({ version: 1 }),
    expect: [401, 404, 403, 403, 403, 403, 200, 200],
  },
  {
    name: 'hand-offs along an edge',
    method: 'GET',
    url: (f) => `${A(f)}/handoffs?edge=incident-management>improvement&state=all`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  { name: 'list scope tasks', method: 'GET', url: (f) => `${A(f)}/tasks`, expect: [401, 404, 200, 200, 200, 200, 200, 200] },
  {
    name: 'create task',
    method: 'POST',
    url: (f) => `${A(f)}/tasks`,
    body: () => ({ title: 'Matrix task', processKey: 'internal-audit' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    name: 'update task (not assigned)',
    method: 'PATCH',
    url: (f) => `${A(f)}/tasks/${f.taskId}`,
    body: () => ({ version: 99, status: 'done' }),
    expect: [401, 404, 404, 404, 404, 409, 409, 409],
  },
  { name: 'audit log', method: 'GET', url: (f) => `${A(f)}/audit`, expect: [401, 404, 403, 403, 200, 403, 200, 200] },
  {
    name: 'report incident',
    method: 'POST',
    url: (f) => `${A(f)}/incidents`,
    body: () => ({ title: 'Suspicious mail' }),
    expect: [401, 404, 201, 201, 201, 201, 201, 201],
  },
  { name: 'list incidents', method: 'GET', url: (f) => `${A(f)}/incidents`, expect: [401, 404, 200, 200, 200, 200, 200, 200] },
  {
    name: 'get incident (not own)',
    method: 'GET',
    url: (f) => `${A(f)}/incidents/${f.incidentId}`,
    expect: [401, 404, 404, 200, 200, 200, 200, 200],
  },
  {
    name: 'incident report PDF',
    method: 'GET',
    url: (f) => `${A(f)}/incidents/${f.incidentId}/report.pdf`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'triage incident',
    method: 'POST',
    url: (f) => `${A(f)}/incidents/${f.incidentId}/triage`,
    body: () => triage,
    expect: [401, 404, 403, 403, 403, 409, 409, 409],
  },
  {
    name: 'record notification',
    method: 'POST',
    url: (f) => `${A(f)}/incidents/${f.incidentId}/notifications`,
    body: () => ({ regime: 'gdpr_art33', sentAt: '2026-01-01T00:00:00Z', recipient: 'x' }),
    expect: [401, 404, 403, 403, 403, 400, 400, 400],
  },
  {
    name: 'move incident on (stale version)',
    method: 'POST',
    url: (f) => `${A(f)}/incidents/${f.incidentId}/status`,
    body: () => ({ version: 99, status: 'responding' }),
    expect: [401, 404, 403, 403, 403, 409, 409, 409],
  },
  {
    name: 'add incident timeline note',
    method: 'POST',
    url: (f) => `${A(f)}/incidents/${f.incidentId}/events`,
    body: () => ({ kind: 'note', text: 'Matrix note' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'give a responder a task',
    method: 'POST',
    url: (f) => `${A(f)}/incidents/${f.incidentId}/tasks`,
    body: () => ({ title: 'Matrix responder task' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  { name: 'list changes', method: 'GET', url: (f) => `${A(f)}/changes`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'raise change',
    method: 'POST',
    url: (f) => `${A(f)}/changes`,
    body: () => ({ title: 'Change', reason: 'Because' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    name: 'decide change (not an approver)',
    method: 'POST',
    url: (f) => `${A(f)}/changes/${f.changeId}/decision`,
    body: () => ({ version: 99, decision: 'approve' }),
    expect: [401, 404, 403, 409, 409, 409, 409, 409],
  },
  {
    name: 'get change',
    method: 'GET',
    url: (f) => `${A(f)}/changes/${f.changeId}`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'edit change',
    method: 'PATCH',
    url: async (f) => `${A(f)}/changes/${(await f.create('/changes', matrixChange)).id}`,
    body: () => ({ version: 1, description: 'changed' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'submit change for review',
    method: 'POST',
    url: async (f) => `${A(f)}/changes/${(await f.create('/changes', matrixChange)).id}/submit`,
    body: (f) => ({ version: 1, changeRisk: 'low', consequences: 'Few', approverIds: [f.users.manager.id] }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'implement approved change',
    method: 'POST',
    url: async (f) => `${await matrixApprovedChange(f)}/implement`,
    body: () => ({ version: 3, tasks: [{ title: 'Matrix implementation' }] }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'verify change (requested: refused)',
    method: 'POST',
    url: async (f) => `${A(f)}/changes/${(await f.create('/changes', matrixChange)).id}/verify`,
    body: () => ({ version: 1, verification: 'Checked' }),
    expect: [401, 404, 403, 403, 403, 409, 409, 409],
  },
  {
    name: 'close change (requested: refused)',
    method: 'POST',
    url: async (f) => `${A(f)}/changes/${(await f.create('/changes', matrixChange)).id}/close`,
    body: () => ({ version: 1 }),
    expect: [401, 404, 403, 403, 403, 409, 409, 409],
  },
  { name: 'list nonconformities', method: 'GET', url: (f) => `${A(f)}/nonconformities`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'record nonconformity',
    method: 'POST',
    url: (f) => `${A(f)}/nonconformities`,
    body: () => ({ title: 'NC', source: 'manual', severity: 'minor' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    name: 'get nonconformity',
    method: 'GET',
    url: matrixNcUrl,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'update nonconformity',
    method: 'PATCH',
    url: matrixNcUrl,
    body: () => ({ version: 1, rootCause: ['No review'] }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'plan corrective action',
    method: 'POST',
    url: async (f) => `${await matrixNcUrl(f)}/corrective-actions`,
    body: () => ({ title: 'Matrix corrective action' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'schedule effectiveness check (no corrective action: refused)',
    method: 'POST',
    url: async (f) => `${await matrixNcUrl(f)}/effectiveness-check`,
    body: () => ({ version: 1, effectivenessDueOn: '2027-01-01' }),
    expect: [401, 404, 403, 403, 403, 409, 409, 409],
  },
  {
    name: 'record effectiveness (not scheduled: refused)',
    method: 'POST',
    url: async (f) => `${await matrixNcUrl(f)}/effectiveness`,
    body: () => ({ version: 1, effective: true, note: 'Worked' }),
    expect: [401, 404, 403, 403, 403, 409, 409, 409],
  },
  {
    name: 'request change for nonconformity',
    method: 'POST',
    url: async (f) => `${await matrixNcUrl(f)}/change-request`,
    body: () => ({ title: 'Matrix change request' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  { name: 'list opportunities', method: 'GET', url: (f) => `${A(f)}/opportunities`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'record opportunity',
    method: 'POST',
    url: (f) => `${A(f)}/opportunities`,
    body: () => ({ title: 'Matrix opportunity' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    name: 'update opportunity',
    method: 'PATCH',
    url: async (f) => `${A(f)}/opportunities/${(await f.create('/opportunities', { title: 'Matrix opportunity' })).id}`,
    body: () => ({ version: 1, status: 'planned' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  { name: 'get risk method', method: 'GET', url: (f) => `${A(f)}/risk-method`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'list risk method versions',
    method: 'GET',
    url: (f) => `${A(f)}/risk-method/versions`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'save risk method (stale version)',
    method: 'PUT',
    url: (f) => `${A(f)}/risk-method`,
    body: () => ({ version: 99, ...defaultMethod('small') }),
    expect: [401, 404, 403, 403, 403, 403, 409, 409],
  },
  {
    name: 'add custom threat',
    method: 'POST',
    url: (f) => `${A(f)}/threats`,
    body: () => ({ title: `Matrix threat ${Math.random().toString(36).slice(2)}`, category: 'technical' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  { name: 'list threat warnings', method: 'GET', url: (f) => `${A(f)}/threat-warnings`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'record threat warning',
    method: 'POST',
    url: (f) => `${A(f)}/threat-warnings`,
    body: () => ({ title: 'Advisory', source: 'A national CERT', receivedOn: '2026-03-01', severity: 'high' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  { name: 'list risks', method: 'GET', url: (f) => `${A(f)}/risks`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  { name: 'export risks', method: 'GET', url: (f) => `${A(f)}/risks.csv`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  { name: 'risk heat map', method: 'GET', url: (f) => `${A(f)}/risks/heatmap`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'get risk',
    method: 'GET',
    url: async (f) => `${A(f)}/risks/${(await f.create('/risks', { title: 'Matrix risk' })).id}`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'create risk',
    method: 'POST',
    url: (f) => `${A(f)}/risks`,
    body: () => ({ title: 'Matrix risk' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    name: 'update risk',
    method: 'PATCH',
    url: async (f) => `${A(f)}/risks/${(await f.create('/risks', { title: 'Matrix risk' })).id}`,
    body: () => ({ version: 1, description: 'changed' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'delete risk',
    method: 'DELETE',
    url: async (f) => `${A(f)}/risks/${(await f.create('/risks', { title: 'Matrix risk' })).id}?version=1`,
    expect: [401, 404, 403, 403, 403, 403, 204, 204],
  },
  // -- catalogs, controls, evidence
  { name: 'list catalogs', method: 'GET', url: (f) => `${A(f)}/catalogs`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'get catalog',
    method: 'GET',
    url: async (f) =>
      `${A(f)}/catalogs/${(await f.create('/catalogs/import', { catalog: { uuid: '0e0e0e0e-0000-4000-8000-000000000000', metadata: { title: `Matrix catalog ${Math.random()}`, version: '1' }, controls: [{ id: 'm-1', title: 'Matrix' }] } })).catalogId}`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'list catalog requirements',
    method: 'GET',
    url: async (f) =>
      `${A(f)}/catalogs/${(await f.create('/catalogs/import', { catalog: { uuid: '0e0e0e0e-0000-4000-8000-000000000000', metadata: { title: `Matrix catalog ${Math.random()}`, version: '1' }, controls: [{ id: 'm-1', title: 'Matrix' }] } })).catalogId}/requirements?q=matrix`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'import catalog into the scope',
    method: 'POST',
    url: (f) => `${A(f)}/catalogs/import`,
    body: (_f, a) => ({
      catalog: {
        uuid: '0e0e0e0e-0000-4000-8000-000000000000',
        metadata: { title: `Matrix import ${a}`, version: '1' },
        controls: [{ id: 'm-1', title: 'Matrix' }],
      },
    }),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  {
    name: 'import catalog for every scope',
    method: 'POST',
    url: (f) => `${A(f)}/catalogs/import?global=true`,
    body: (_f, a) => ({
      catalog: {
        uuid: '0e0e0e0e-0000-4000-8000-000000000000',
        metadata: { title: `Matrix global import ${a}`, version: '1' },
        controls: [{ id: 'm-1', title: 'Matrix' }],
      },
    }),
    expect: [401, 404, 403, 403, 403, 403, 403, 201],
  },
  {
    name: 'delete catalog',
    method: 'DELETE',
    url: async (f) =>
      `${A(f)}/catalogs/${(await f.create('/catalogs/import', { catalog: { uuid: '0e0e0e0e-0000-4000-8000-000000000000', metadata: { title: `Matrix delete ${Math.random()}`, version: '1' }, controls: [{ id: 'm-1', title: 'Matrix' }] } })).catalogId}`,
    expect: [401, 404, 403, 403, 403, 403, 204, 204],
  },
  { name: 'list controls', method: 'GET', url: (f) => `${A(f)}/controls`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  { name: 'export controls', method: 'GET', url: (f) => `${A(f)}/controls.csv`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'get control',
    method: 'GET',
    url: async (f) => `${A(f)}/controls/${(await f.create('/controls', { title: 'Matrix control' })).id}`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'create control',
    method: 'POST',
    url: (f) => `${A(f)}/controls`,
    body: () => ({ title: 'Matrix control' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    name: 'update control',
    method: 'PATCH',
    url: async (f) => `${A(f)}/controls/${(await f.create('/controls', { title: 'Matrix control' })).id}`,
    body: () => ({ version: 1, status: 'in_progress' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'delete control',
    method: 'DELETE',
    url: async (f) => `${A(f)}/controls/${(await f.create('/controls', { title: 'Matrix control' })).id}?version=1`,
    expect: [401, 404, 403, 403, 403, 403, 204, 204],
  },
  { name: 'list evidence', method: 'GET', url: (f) => `${A(f)}/evidence`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'get evidence',
    method: 'GET',
    url: async (f) =>
      `${A(f)}/evidence/${(await f.create('/evidence/links', { title: 'Matrix evidence', url: 'https://example.com/evidence', evidenceDate: '2026-03-01' })).id}`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'add link evidence',
    method: 'POST',
    url: (f) => `${A(f)}/evidence/links`,
    body: () => ({ title: 'Matrix evidence', url: 'https://example.com/evidence', evidenceDate: '2026-03-01' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    // the permission is checked before the upload is read: allowed roles reach the "not multipart" refusal
    name: 'upload evidence (not multipart)',
    method: 'POST',
    url: (f) => `${A(f)}/evidence`,
    body: () => ({ title: 'not a file' }),
    expect: [401, 404, 403, 403, 403, 400, 400, 400],
  },
  {
    // link evidence has no file (409); the download itself per role is covered in evidence.test.ts
    name: 'download evidence file',
    method: 'GET',
    url: async (f) =>
      `${A(f)}/evidence/${(await f.create('/evidence/links', { title: 'Matrix evidence', url: 'https://example.com/evidence', evidenceDate: '2026-03-01' })).id}/file`,
    expect: [401, 404, 403, 409, 409, 409, 409, 409],
  },
  {
    name: 'update evidence',
    method: 'PATCH',
    url: async (f) =>
      `${A(f)}/evidence/${(await f.create('/evidence/links', { title: 'Matrix evidence', url: 'https://example.com/evidence', evidenceDate: '2026-03-01' })).id}`,
    body: () => ({ version: 1, validUntil: '2027-12-31' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'delete evidence',
    method: 'DELETE',
    url: async (f) =>
      `${A(f)}/evidence/${(await f.create('/evidence/links', { title: 'Matrix evidence', url: 'https://example.com/evidence', evidenceDate: '2026-03-01' })).id}?version=1`,
    expect: [401, 404, 403, 403, 403, 204, 204, 204],
  },
  {
    name: 'attach evidence to a control',
    method: 'POST',
    url: async (f) =>
      `${A(f)}/evidence/${(await f.create('/evidence/links', { title: 'Matrix evidence', url: 'https://example.com/evidence', evidenceDate: '2026-03-01' })).id}/controls`,
    body: async (f) => ({ controlId: (await f.create('/controls', { title: 'Matrix control' })).id }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'detach evidence from a control',
    method: 'DELETE',
    url: async (f) => {
      const c = await f.create('/controls', { title: 'Matrix control' });
      const e = await f.create('/evidence/links', {
        ...{ title: 'Matrix evidence', url: 'https://example.com/evidence', evidenceDate: '2026-03-01' },
        controlIds: [c.id],
      });
      return `${A(f)}/evidence/${e.id}/controls/${c.id}`;
    },
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  // -- risk treatment
  { name: 'list treatments', method: 'GET', url: (f) => `${A(f)}/treatments`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'get treatment (none yet)',
    method: 'GET',
    url: async (f) => `${A(f)}/risks/${(await f.create('/risks', { title: 'Untreated risk' })).id}/treatment`,
    expect: [401, 404, 403, 404, 404, 404, 404, 404],
  },
  {
    name: 'save treatment',
    method: 'PUT',
    url: async (f) => `${A(f)}/risks/${(await f.create('/risks', { title: 'Risk to treat' })).id}/treatment`,
    body: () => ({ version: 0, option: 'avoid', rationale: 'Stop the activity' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'decide treatment (none yet)',
    method: 'POST',
    url: async (f) => `${A(f)}/risks/${(await f.create('/risks', { title: 'Undecided risk' })).id}/treatment/decide`,
    body: () => ({ version: 1 }),
    expect: [401, 404, 403, 403, 403, 404, 404, 404],
  },
  {
    name: 'get risk acceptance',
    method: 'GET',
    url: async (f) => `${A(f)}/risks/${(await f.create('/risks', { title: 'Risk' })).id}/acceptance`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'sign risk acceptance (contributor owns the risk)',
    method: 'POST',
    url: async (f) => {
      const risk = await f.create('/risks', { title: 'Low risk', ownerId: f.users.contributor.id, currentLikelihood: 1, currentImpact: 1 });
      return `${A(f)}/risks/${risk.id}/acceptance`;
    },
    body: () => ({ justification: 'Within the criteria' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    name: 'revoke risk acceptance (contributor owns the risk)',
    method: 'POST',
    url: async (f) => {
      const risk = await f.create('/risks', { title: 'Low risk', ownerId: f.users.contributor.id, currentLikelihood: 1, currentImpact: 1 });
      await f.create(`/risks/${risk.id}/acceptance`, { justification: 'Signed by management first' });
      return `${A(f)}/risks/${risk.id}/acceptance/revoke`;
    },
    // the acceptance is at version 2 after its first signature
    body: () => ({ version: 2, reason: 'Circumstances changed' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  // -- statement of applicability
  ...((): Row[] => {
    // one SoA per scope and catalog: the built-in Annex A one, created once per fixture by the scope's manager
    const made = new WeakMap<Fixture, Promise<{ id: string }>>();
    const soa = (f: Fixture) => {
      let p = made.get(f);
      if (!p) {
        p = f.create('/soa', { catalogKey: 'iso-27001-2022-annex-a' });
        made.set(f, p);
      }
      return p;
    };
    const S = async (f: Fixture) => `${A(f)}/soa/${(await soa(f)).id}`;
    const readers: Row['expect'] = [401, 404, 403, 200, 200, 200, 200, 200];
    return [
      { name: 'list SoAs', method: 'GET', url: (f) => `${A(f)}/soa`, expect: readers },
      { name: 'get SoA', method: 'GET', url: S, expect: readers },
      {
        name: 'create SoA (Annex A has one already)',
        method: 'POST',
        url: async (f) => {
          await soa(f);
          return `${A(f)}/soa`;
        },
        body: () => ({ catalogKey: 'iso-27001-2022-annex-a' }),
        expect: [401, 404, 403, 403, 403, 409, 409, 409],
      },
      { name: 'list SoA entries', method: 'GET', url: async (f) => `${await S(f)}/entries?applicable=undecided`, expect: readers },
      {
        name: 'decide SoA entry (unknown entry)',
        method: 'PATCH',
        url: async (f) => `${await S(f)}/entries/01900000-0000-7000-8000-000000000000`,
        body: () => ({ version: 1, applicable: true }),
        expect: [401, 404, 403, 403, 403, 404, 404, 404],
      },
      { name: 'refresh SoA', method: 'POST', url: async (f) => `${await S(f)}/refresh`, expect: [401, 404, 403, 403, 403, 200, 200, 200] },
      {
        name: 'submit SoA (stale version)',
        method: 'POST',
        url: async (f) => `${await S(f)}/submit`,
        body: () => ({ version: 99 }),
        expect: [401, 404, 403, 403, 403, 409, 409, 409],
      },
      {
        name: 'approve SoA (stale version)',
        method: 'POST',
        url: async (f) => `${await S(f)}/approve`,
        body: () => ({ version: 99 }),
        expect: [401, 404, 403, 403, 403, 403, 409, 409],
      },
      { name: 'SoA versions', method: 'GET', url: async (f) => `${await S(f)}/versions`, expect: readers },
      { name: 'export SoA XLSX', method: 'GET', url: async (f) => `${await S(f)}/export.xlsx`, expect: readers },
      { name: 'export SoA PDF', method: 'GET', url: async (f) => `${await S(f)}/export.pdf`, expect: readers },
      { name: 'export SoA OSCAL', method: 'GET', url: async (f) => `${await S(f)}/export.json`, expect: readers },
    ];
  })(),
  // -- policy management
  {
    name: 'list documents',
    method: 'GET',
    url: (f) => `${A(f)}/documents?reviewDue=true`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'create document',
    method: 'POST',
    url: (f) => `${A(f)}/documents`,
    body: () => ({ type: 'policy', title: 'Matrix policy' }),
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    name: 'get document',
    method: 'GET',
    url: async (f) => `${A(f)}/documents/${(await matrixDoc(f)).id}`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'update document',
    method: 'PATCH',
    url: async (f) => `${A(f)}/documents/${(await matrixDoc(f)).id}`,
    body: () => ({ version: 1, title: 'Renamed' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'list document versions',
    method: 'GET',
    url: async (f) => `${A(f)}/documents/${(await matrixDoc(f)).id}/versions`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'get document version',
    method: 'GET',
    url: async (f) => matrixVersionUrl(f, await matrixDoc(f)),
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'edit draft version',
    method: 'PATCH',
    url: async (f) => matrixVersionUrl(f, await matrixDoc(f)),
    body: () => ({ version: 1, contentMd: '# Edited' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'submit document version',
    method: 'POST',
    url: async (f) => `${matrixVersionUrl(f, await matrixDoc(f))}/submit`,
    body: () => ({ version: 1 }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    // the manager submitted it (author); only the contributor is a designated approver other than the author
    name: 'approve document version',
    method: 'POST',
    url: async (f) => `${await matrixSubmitted(f)}/approve`,
    body: () => ({ version: 2 }),
    expect: [401, 404, 403, 403, 403, 200, 403, 403],
  },
  {
    name: 'reject document version',
    method: 'POST',
    url: async (f) => `${await matrixSubmitted(f)}/reject`,
    body: () => ({ version: 2, comment: 'Needs work' }),
    expect: [401, 404, 403, 403, 403, 200, 403, 403],
  },
  {
    name: 'publish document version (draft: refused)',
    method: 'POST',
    url: async (f) => `${matrixVersionUrl(f, await matrixDoc(f))}/publish`,
    body: () => ({ version: 1 }),
    expect: [401, 404, 403, 403, 403, 409, 409, 409],
  },
  {
    name: 'withdraw document version',
    method: 'POST',
    url: async (f) => `${matrixVersionUrl(f, await matrixDoc(f))}/withdraw`,
    body: () => ({ version: 1 }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'revise document (draft: refused)',
    method: 'POST',
    url: async (f) => `${A(f)}/documents/${(await matrixDoc(f)).id}/revise`,
    body: () => ({ version: 1, changeSummary: 'Update' }),
    expect: [401, 404, 403, 403, 403, 409, 409, 409],
  },
  {
    name: 'retire document',
    method: 'POST',
    url: async (f) => `${A(f)}/documents/${(await matrixDoc(f)).id}/retire`,
    body: () => ({ version: 1 }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    // the owner or a manager, and only for a published document: the matrix document is a draft owned by the manager
    name: 'confirm document review',
    method: 'POST',
    url: async (f) => `${A(f)}/documents/${(await matrixDoc(f)).id}/review`,
    body: () => ({ version: 1, comment: 'No changes needed' }),
    expect: [401, 404, 403, 403, 403, 403, 409, 409],
  },
  {
    name: 'diff document versions',
    method: 'GET',
    url: async (f) => {
      const d = await matrixDoc(f);
      return `${A(f)}/documents/${d.id}/diff?from=${d.versions[0].id}&to=${d.versions[0].id}`;
    },
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    // an employee may download only published versions addressed to them
    name: 'document version PDF',
    method: 'GET',
    url: async (f) => `${matrixVersionUrl(f, await matrixDoc(f))}/pdf`,
    expect: [401, 404, 404, 200, 200, 200, 200, 200],
  },
  {
    // permission first; then a body that is not multipart/form-data is refused
    name: 'attach a file to a document version',
    method: 'POST',
    url: async (f) => `${matrixVersionUrl(f, await matrixDoc(f))}/file`,
    body: () => ({ version: 1 }),
    expect: [401, 404, 403, 403, 403, 400, 400, 400],
  },
  {
    name: 'download the file of a draft without one',
    method: 'GET',
    url: async (f) => `${matrixVersionUrl(f, await matrixDoc(f))}/file`,
    expect: [401, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    name: 'document version acknowledgements',
    method: 'GET',
    url: async (f) => `${matrixVersionUrl(f, await matrixDoc(f))}/acknowledgements`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    // the reading view shows published versions only
    name: 'read a draft document version',
    method: 'GET',
    url: async (f) => `${matrixVersionUrl(f, await matrixDoc(f))}/read`,
    expect: [401, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    name: 'acknowledge a draft document version',
    method: 'POST',
    url: async (f) => `${matrixVersionUrl(f, await matrixDoc(f))}/acknowledge`,
    expect: [401, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    name: 'my open acknowledgements',
    method: 'GET',
    url: () => '/api/me/acknowledgements',
    expect: [401, 200, 200, 200, 200, 200, 200, 200],
  },
  // -- records control
  { name: 'list records', method: 'GET', url: (f) => `${A(f)}/records`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'records disposal queue',
    method: 'GET',
    url: (f) => `${A(f)}/records/disposal-queue`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'get record',
    method: 'GET',
    url: async (f) => `${A(f)}/records/${(await f.create('/records', matrixRecord)).id}`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'create record',
    method: 'POST',
    url: (f) => `${A(f)}/records`,
    body: () => matrixRecord,
    expect: [401, 404, 403, 403, 403, 201, 201, 201],
  },
  {
    name: 'update record',
    method: 'PATCH',
    url: async (f) => `${A(f)}/records/${(await f.create('/records', matrixRecord)).id}`,
    body: () => ({ version: 1, description: 'changed' }),
    expect: [401, 404, 403, 403, 403, 200, 200, 200],
  },
  {
    name: 'set legal hold',
    method: 'POST',
    url: async (f) => `${A(f)}/records/${(await f.create('/records', matrixRecord)).id}/legal-hold`,
    body: () => ({ version: 1, hold: true, reason: 'Pending lawsuit' }),
    expect: [401, 404, 403, 403, 403, 403, 200, 200],
  },
  {
    name: 'dispose of record',
    method: 'POST',
    url: async (f) => `${A(f)}/records/${(await f.create('/records', matrixRecord)).id}/dispose`,
    body: () => ({ version: 1, confirm: 'DISPOSE' }),
    expect: [401, 404, 403, 403, 403, 403, 400, 400],
  },
  // -- competence and awareness
  { name: 'list competences', method: 'GET', url: (f) => `${A(f)}/competences`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'create competence',
    method: 'POST',
    url: (f) => `${A(f)}/competences`,
    body: () => ({ name: `Matrix competence ${Math.random().toString(36).slice(2)}` }),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  {
    name: 'update competence',
    method: 'PATCH',
    url: async (f) =>
      `${A(f)}/competences/${(await f.create('/competences', { name: `Competence ${Math.random().toString(36).slice(2)}` })).id}`,
    body: () => ({ version: 1, description: 'changed' }),
    expect: [401, 404, 403, 403, 403, 403, 200, 200],
  },
  { name: 'list job roles', method: 'GET', url: (f) => `${A(f)}/job-roles`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'create job role',
    method: 'POST',
    url: (f) => `${A(f)}/job-roles`,
    body: () => ({ name: `Matrix role ${Math.random().toString(36).slice(2)}` }),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  {
    name: 'update job role',
    method: 'PATCH',
    url: async (f) => `${A(f)}/job-roles/${(await f.create('/job-roles', { name: `Role ${Math.random().toString(36).slice(2)}` })).id}`,
    body: () => ({ version: 1, description: 'changed' }),
    expect: [401, 404, 403, 403, 403, 403, 200, 200],
  },
  { name: 'list people', method: 'GET', url: (f) => `${A(f)}/people`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'update person',
    method: 'PATCH',
    url: (f) => `${A(f)}/people/${f.member.id}`,
    body: () => ({ version: 99, department: 'Sales' }),
    expect: [401, 404, 403, 403, 403, 403, 409, 409],
  },
  {
    name: 'record person competence',
    method: 'POST',
    url: (f) => `${A(f)}/people/${f.member.id}/competences`,
    body: async (f) => ({
      competenceId: (await f.create('/competences', { name: `Held ${Math.random().toString(36).slice(2)}` })).id,
      evidence: 'Certificate',
      acquiredOn: '2026-01-01',
    }),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  {
    name: 'update person competence',
    method: 'PATCH',
    url: async (f) => {
      const c = await f.create('/competences', { name: `Renewed ${Math.random().toString(36).slice(2)}` });
      const held = await f.create(`/people/${f.member.id}/competences`, { competenceId: c.id, evidence: 'x', acquiredOn: '2026-01-01' });
      return `${A(f)}/person-competences/${held.id}`;
    },
    body: () => ({ version: 1, evidence: 'Renewed certificate' }),
    expect: [401, 404, 403, 403, 403, 403, 200, 200],
  },
  { name: 'competence gaps', method: 'GET', url: (f) => `${A(f)}/competence-gaps`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  { name: 'list courses', method: 'GET', url: (f) => `${A(f)}/courses`, expect: [401, 404, 403, 200, 200, 200, 200, 200] },
  {
    name: 'create course',
    method: 'POST',
    url: (f) => `${A(f)}/courses`,
    body: () => ({ title: 'Matrix course' }),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  {
    name: 'get course',
    method: 'GET',
    url: async (f) => `${A(f)}/courses/${(await f.create('/courses', { title: 'Matrix course' })).id}`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  {
    name: 'update course',
    method: 'PATCH',
    url: async (f) => `${A(f)}/courses/${(await f.create('/courses', { title: 'Matrix course' })).id}`,
    body: () => ({ version: 1, dueDays: 10 }),
    expect: [401, 404, 403, 403, 403, 403, 200, 200],
  },
  {
    name: 'assign course',
    method: 'POST',
    url: async (f) => `${A(f)}/courses/${(await f.create('/courses', { title: 'Matrix course' })).id}/targets`,
    body: () => ({ targetType: 'scope_role', targetValue: 'viewer' }),
    expect: [401, 404, 403, 403, 403, 403, 201, 201],
  },
  {
    name: 'remove course target',
    method: 'DELETE',
    url: async (f) => {
      const c = await f.create('/courses', { title: 'Matrix course' });
      const r = await f.create(`/courses/${c.id}/targets`, { targetType: 'department', targetValue: 'Sales' });
      return `${A(f)}/courses/${c.id}/targets/${r.course.targets[0].id}`;
    },
    expect: [401, 404, 403, 403, 403, 403, 200, 200],
  },
  {
    name: 'list training assignments',
    method: 'GET',
    url: (f) => `${A(f)}/training-assignments`,
    expect: [401, 404, 403, 200, 200, 200, 200, 200],
  },
  // the actor's own trainings; nobody completes an assignment that is not theirs (see training.test.ts)
  { name: 'my trainings', method: 'GET', url: () => '/api/me/trainings', expect: [401, 200, 200, 200, 200, 200, 200, 200] },
  {
    name: "complete someone else's training",
    method: 'POST',
    url: () => '/api/me/trainings/01900000-0000-7000-8000-000000000001/complete',
    body: () => ({ version: 1 }),
    expect: [401, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    name: "submit someone else's quiz",
    method: 'POST',
    url: () => '/api/me/trainings/01900000-0000-7000-8000-000000000001/quiz',
    body: () => ({ version: 1, answers: [] }),
    expect: [401, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    name: 'awareness dashboard',
    method: 'GET',
    url: (f) => `${A(f)}/awareness/dashboard`,
    expect: [401, 404, 403, 403, 200, 403, 200, 200],
  },
  { name: 'awareness overdue', method: 'GET', url: (f) => `${A(f)}/awareness/overdue`, expect: [401, 404, 403, 403, 200, 403, 200, 200] },
  { name: 'awareness CSV', method: 'GET', url: (f) => `${A(f)}/awareness/export.csv`, expect: [401, 404, 403, 403, 200, 403, 200, 200] },
  { name: 'awareness XLSX', method: 'GET', url: (f) => `${A(f)}/awareness/export.xlsx`, expect: [401, 404, 403, 403, 200, 403, 200, 200] },
];
const triage = {
  version: 99,
  category: 'malware',
  severity: 'low',
  impactConfidentiality: false,
  impactIntegrity: false,
  impactAvailability: false,
  personalData: false,
  nis2Significant: false,
};

describe.each(dialects)('access matrix on %s', (dialect) => {
  let t: TestContext;
  let f: Fixture;
  /** the routes (method and pattern) the rows reached */
  const covered = new Set<string>();

  beforeAll(async () => {
    t = await createTestContext(dialect);
    t.app.addHook('onRequest', async (request) => {
      if (request.routeOptions.url) covered.add(`${request.method} ${request.routeOptions.url}`);
    });
    const { scope, manager } = await buildScope(t.deps);
    const other = await buildScope(t.deps);
    const role = (r: ScopeRole) => buildUser(t.deps, { memberships: [[scope.id, r]] });
    const users = {
      outsider: other.manager,
      employee: await role('employee'),
      viewer: await role('viewer'),
      auditor: await role('auditor'),
      contributor: await role('contributor'),
      manager,
      admin: await buildUser(t.deps, { isAdmin: true }),
    };
    const freshAsset = async () =>
      json(
        await t.app.inject({
          method: 'POST',
          url: `/api/scopes/${scope.id}/assets`,
          headers: manager.headers,
          payload: { name: 'Fresh', type: 'system' },
        }),
      );
    const asset = await freshAsset();
    const task = json(
      await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scope.id}/tasks`,
        headers: manager.headers,
        payload: { title: 'Someone’s task', processKey: 'internal-audit', assigneeId: manager.id },
      }),
    );
    // the demo route answers 409 (scope not empty) for those allowed to call it, so no demo data is loaded
    const incident = json(
      await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scope.id}/incidents`,
        headers: manager.headers,
        payload: { title: 'Manager’s report' },
      }),
    );
    const change = json(
      await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scope.id}/changes`,
        headers: manager.headers,
        payload: { title: 'A change', reason: 'A reason' },
      }),
    );
    f = {
      scopeId: scope.id,
      freshAsset,
      assetId: asset.id,
      taskId: task.id,
      incidentId: incident.id,
      changeId: change.id,
      member: users.viewer,
      users,
      create: async (path, body) => {
        const res = await t.app.inject({
          method: 'POST',
          url: `/api/scopes/${scope.id}${path}`,
          headers: manager.headers,
          payload: body as object,
        });
        if (res.statusCode >= 300) throw new Error(`fixture POST ${path}: ${res.statusCode} ${res.body}`);
        return json(res);
      },
    };
  });
  afterAll(() => t.close());

  for (const row of [...rows, ...moduleRows, ...mfaAccessRows, ...auditPackAccessRows]) {
    actors.forEach((actor, i) => {
      it(`${row.name} as ${actor} → ${row.expect[i]}`, async () => {
        const headers = actor === 'anonymous' ? {} : f.users[actor].headers;
        const url = await row.url(f);
        const payload = row.body ? await row.body(f, actor) : undefined;
        const res = await t.app.inject({ method: row.method, url, headers, ...(payload !== undefined && { payload: payload as object }) });
        expect(res.statusCode, res.body).toBe(row.expect[i]);
        if (res.statusCode >= 400) {
          const body = json(res);
          expect(body.error.code).toBeTruthy();
          // another scope's records are invisible: the answer never names them
          if (actor === 'outsider') expect(res.body).not.toContain(f.assetId);
        }
      });
    });
  }

  it('has rows for every route of a scope, of the platform and of every registered process module', async () => {
    const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const scoped = routes.filter((r) => r.includes('/api/scopes/:scopeId/'));
    expect(scoped.length).toBeGreaterThan(100);
    expect(scoped.filter((r) => !covered.has(r))).toEqual([]);
  });

  it("a record of another scope requested under one's own scope is not found", async () => {
    const other = await buildScope(t.deps);
    const foreign = json(
      await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${other.scope.id}/assets`,
        headers: other.manager.headers,
        payload: { name: 'Foreign', type: 'system' },
      }),
    );
    const h = f.users.manager.headers;
    expect((await t.app.inject({ method: 'GET', url: `/api/scopes/${f.scopeId}/assets/${foreign.id}`, headers: h })).statusCode).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/scopes/${f.scopeId}/assets/${foreign.id}`,
          headers: h,
          payload: { version: 1, name: 'stolen' },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/scopes/${f.scopeId}/assets/${foreign.id}?version=1`, headers: h })).statusCode,
    ).toBe(404);
    const stillThere = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${other.scope.id}/assets/${foreign.id}`, headers: other.manager.headers }),
    );
    expect(stillThere.name).toBe('Foreign');
  });

  it('lists only the scopes a user is a member of; an admin sees all', async () => {
    const mine = json(await t.app.inject({ method: 'GET', url: '/api/scopes', headers: f.users.viewer.headers }));
    expect(mine.map((s: { id: string }) => s.id)).toEqual([f.scopeId]);
    const all = json(await t.app.inject({ method: 'GET', url: '/api/scopes', headers: f.users.admin.headers }));
    expect(all.length).toBeGreaterThanOrEqual(2);
  });

  it('only installation admins manage users and create scopes', async () => {
    for (const actor of ['manager', 'contributor', 'viewer'] as const) {
      const h = f.users[actor].headers;
      expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: h })).statusCode).toBe(403);
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/scopes', headers: h, payload: { name: 'X', profile: 'small' } })).statusCode,
      ).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: f.users.admin.headers })).statusCode).toBe(200);
  });
});
