import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogRequirementTable } from '../../db/schema.ts';
import { newId } from '../../shared/ids.ts';
import { docxText, pdfText } from '../../test/document-text.ts';
import {
  buildScope,
  buildUser,
  createTestContext,
  dialects,
  json,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';
import { importCatalogTx, parseCatalogFile } from '../../catalogs/catalog.service.ts';
import { createControlTx } from '../control-implementation/control.service.ts';
import { buildSoaOscal, oscalTimestamp, uuidV5 } from './soa.export.ts';

const schemaFile = path.resolve(import.meta.dirname, '../../../test-data/oscal/schema/oscal_ssp_schema.json');

/** NIST's OSCAL 1.0.4 SSP schema (draft-07), compiled once. */
function oscalValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: its default export is the module object under Node's ESM interop
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
}

/**
 * A small catalog of the scope: two groups; G1 holds c1, c2 (withdrawn), c3 with enhancement c3.1; G2 holds c4, c5.
 * Returns the requirement ids by identifier.
 */
async function seedCatalog(t: TestContext, scopeId: string, key = 'test-catalog') {
  const catalogId = newId();
  await t.deps.db
    .insertInto('catalog')
    .values({
      id: catalogId,
      scope_id: scopeId,
      key,
      title: 'Test catalog',
      version: '1.0',
      source: 'oscal',
      oscal_uuid: null,
      published: null,
      requirement_count: 6,
      withdrawn_count: 1,
      imported_by: null,
      created_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
  const spec: [string, string | null, 'group' | 'control', string, boolean][] = [
    ['g1', null, 'group', 'Organisation', false],
    ['c1', 'g1', 'control', 'Access control policy', false],
    ['c2', 'g1', 'control', 'Old control', true],
    ['c3', 'g1', 'control', 'Wireless networks', false],
    ['c3.1', 'c3', 'control', 'Wireless encryption', false],
    ['g2', null, 'group', 'Technology', false],
    ['c4', 'g2', 'control', 'Backup', false],
    ['c5', 'g2', 'control', 'Logging', false],
  ];
  const rows: CatalogRequirementTable[] = spec.map(([identifier, parent, kind, title, withdrawn], i) => ({
    id: newId(),
    catalog_id: catalogId,
    identifier,
    parent_identifier: parent,
    kind,
    label: identifier.toUpperCase(),
    title,
    statement: '',
    guidance: null,
    withdrawn,
    depth: parent ? (parent.startsWith('g') ? 1 : 2) : 0,
    sort_order: i,
    params: null,
  }));
  await t.deps.db.insertInto('catalog_requirement').values(rows).execute();
  return { catalogId, req: Object.fromEntries(rows.map((r) => [r.identifier, r.id])) as Record<string, string> };
}

describe.each(dialects)('Statement of Applicability on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-11-23T10:00:00.000Z'));
  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, who: TestUser, payload?: object) =>
    t.app.inject({ method, url, headers: who.headers, ...(payload && { payload }) });

  async function setup(profile: 'small' | 'large' = 'small') {
    const { scope, manager } = await buildScope(t.deps, { profile });
    const base = `/api/scopes/${scope.id}`;
    const { catalogId, req } = await seedCatalog(t, scope.id);
    const risk = json((await call('POST', `${base}/risks`, manager, { title: 'Unauthorised access' })) as never);
    const control = (input: { title: string; status: string; requirementIds: string[]; riskIds?: string[] }) =>
      t.deps.db.transaction().execute((tx) => createControlTx(tx, t.deps, manager.actor, scope.id, input as never));
    return { scope, manager, base, catalogId, req, risk, control };
  }
  const entriesOf = async (url: string, who: TestUser) => {
    const res = await call('GET', url, who);
    expect(res.statusCode, res.body).toBe(200);
    return json(res);
  };
  const byLabel = (page: { items: { requirement: { label: string } }[] }) =>
    Object.fromEntries(page.items.map((e) => [e.requirement.label, e])) as Record<string, any>;

  it('pre-fills from the treated risk’s control and from implemented controls, and filters entries', async () => {
    const s = await setup();
    const treating = await s.control({ title: 'Access policy', status: 'implemented', requirementIds: [s.req.c1!], riskIds: [s.risk.id] });
    const other = await s.control({ title: 'Nightly backup', status: 'in_progress', requirementIds: [s.req.c1!, s.req.c4!] });

    const bad = await call('POST', `${s.base}/soa`, s.manager, { catalogId: newId() });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toBe('body.catalogId');
    const created = await call('POST', `${s.base}/soa`, s.manager, { catalogId: s.catalogId });
    expect(created.statusCode, created.body).toBe(201);
    const soa = json(created);
    expect(soa).toMatchObject({
      reference: 'SOA-0001',
      title: 'Statement of Applicability: Test catalog',
      status: 'draft',
      draftNumber: 1,
      approvedNumber: null,
      catalog: { id: s.catalogId, title: 'Test catalog' },
      counts: { total: 6, applicable: 2, excluded: 1, undecided: 3, unjustifiedExclusions: 0 },
    });
    const again = await call('POST', `${s.base}/soa`, s.manager, { catalogId: s.catalogId });
    expect(again.statusCode).toBe(409);

    const page = await entriesOf(`${s.base}/soa/${soa.id}/entries?pageSize=50`, s.manager);
    expect(page.total).toBe(6);
    expect(page.items.map((e: { requirement: { label: string } }) => e.requirement.label)).toEqual(['C1', 'C2', 'C3', 'C3.1', 'C4', 'C5']);
    const e = byLabel(page);
    expect(e.C1).toMatchObject({
      applicable: true,
      justification: `Risk treatment: ${s.risk.reference}`,
      decisionSource: 'treatment',
      // the weakest of "implemented" and "in progress"
      implementationStatus: 'in_progress',
      group: { identifier: 'g1', label: 'G1', title: 'Organisation' },
    });
    expect(e.C1.controls.map((c: { reference: string }) => c.reference)).toEqual([treating.reference, other.reference]);
    expect(e.C2).toMatchObject({ applicable: false, justification: 'Withdrawn from the catalog', implementationStatus: 'not_applicable' });
    expect(e.C2.requirement.withdrawn).toBe(true);
    expect(e.C3).toMatchObject({
      applicable: null,
      justification: '',
      decisionSource: null,
      implementationStatus: 'not_started',
      controls: [],
    });
    expect(e['C3.1'].group.identifier).toBe('g1');
    expect(e.C4).toMatchObject({ applicable: true, justification: `Implemented control: ${other.reference}`, decisionSource: 'control' });
    // a German reader reads the justifications Praxis pre-filled in German (stored once, in English, for search)
    const german = await t.app.inject({
      method: 'GET',
      url: `${s.base}/soa/${soa.id}/entries?pageSize=50`,
      headers: { ...s.manager.headers, 'accept-language': 'de' },
    });
    const de = byLabel(json(german));
    expect(de.C1.justification).toBe(`Risikobehandlung: ${s.risk.reference}`);
    expect(de.C2.justification).toBe('Aus dem Katalog zurückgezogen');
    expect(de.C4.justification).toBe(`Umgesetzte Maßnahme: ${other.reference}`);

    const labels = async (qs: string) =>
      (await entriesOf(`${s.base}/soa/${soa.id}/entries?${qs}`, s.manager)).items.map(
        (x: { requirement: { label: string } }) => x.requirement.label,
      );
    expect(await labels('applicable=undecided')).toEqual(['C3', 'C3.1', 'C5']);
    expect(await labels('applicable=no')).toEqual(['C2']);
    expect(await labels('group=g2')).toEqual(['C4', 'C5']);
    expect(await labels('status=in_progress')).toEqual(['C1', 'C4']);
    expect(await labels('q=wireless')).toEqual(['C3', 'C3.1']);
    expect(await labels('sort=label&order=desc&pageSize=2')).toEqual(['C5', 'C4']);
    // statuses by progress, applicability undecided → excluded → applicable; ties in document order
    expect(await labels('sort=status')).toEqual(['C3', 'C3.1', 'C5', 'C1', 'C4', 'C2']);
    expect(await labels('sort=applicable&order=desc')).toEqual(['C1', 'C4', 'C2', 'C3', 'C3.1', 'C5']);
    expect((await entriesOf(`${s.base}/soa/${soa.id}/entries?pageSize=2&page=3`, s.manager)).items).toHaveLength(2);
    const badQuery = await call('GET', `${s.base}/soa/${soa.id}/entries?status=done`, s.manager);
    expect(json(badQuery).error.field).toBe('querystring.status');

    // a fixed number of statements whatever the page size
    const counter = t.db.database.queryCounter;
    const count = async (qs: string) => {
      const before = counter.count;
      expect((await call('GET', `${s.base}/soa/${soa.id}/entries?${qs}`, s.manager)).statusCode).toBe(200);
      return counter.count - before;
    };
    const small = await count('pageSize=1');
    expect(await count('pageSize=100')).toBe(small);
    expect(await count('pageSize=100&status=not_started&q=c&sort=status')).toBe(small);
    expect(small).toBeLessThanOrEqual(7); // actor (2), SoA, page, count, controls, groups

    const list = json(await call('GET', `${s.base}/soa`, s.manager));
    expect(list).toMatchObject({ total: 1, items: [{ id: soa.id, counts: { total: 6 } }] });
    const spec = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/scopes/{scopeId}/soa',
        '/api/scopes/{scopeId}/soa/{id}/entries',
        '/api/scopes/{scopeId}/soa/{id}/entries/{entryId}',
        '/api/scopes/{scopeId}/soa/{id}/approve',
        '/api/scopes/{scopeId}/soa/{id}/export.xlsx',
      ]),
    );
    // created from a German session, its default title is German
    const byKey = await t.app.inject({
      method: 'POST',
      url: `${s.base}/soa`,
      headers: { ...s.manager.headers, 'accept-language': 'de' },
      payload: { catalogKey: 'iso-27001-2022-annex-a' },
    });
    expect(byKey.statusCode, byKey.body).toBe(201);
    expect(json(byKey).counts.total).toBe(93); // the built-in Annex A
    expect(json(byKey).title).toMatch(/^Erklärung zur Anwendbarkeit: /);
  });

  it('refresh from treatments keeps human decisions and fills what nobody decided', async () => {
    const s = await setup();
    const soa = json(await call('POST', `${s.base}/soa`, s.manager, { catalogId: s.catalogId }));
    const entries = byLabel(await entriesOf(`${s.base}/soa/${soa.id}/entries?pageSize=50`, s.manager));
    const contributor = await buildUser(t.deps, { memberships: [[s.scope.id, 'contributor']] });
    const excluded = await call('PATCH', `${s.base}/soa/${soa.id}/entries/${entries.C3.id}`, contributor, {
      version: entries.C3.version,
      applicable: false,
      justification: '  No wireless networks in the scope ',
    });
    expect(excluded.statusCode, excluded.body).toBe(200);
    expect(json(excluded)).toMatchObject({
      applicable: false,
      justification: 'No wireless networks in the scope',
      decisionSource: 'user',
      decidedBy: { id: contributor.id },
      version: entries.C3.version + 1,
    });
    await call('PATCH', `${s.base}/soa/${soa.id}/entries/${entries.C5.id}`, contributor, {
      version: entries.C5.version,
      applicable: true,
      justification: 'Contractual requirement of a customer',
    });

    const second = json((await call('POST', `${s.base}/risks`, s.manager, { title: 'Rogue access point' })) as never);
    const wifi = await s.control({
      title: 'Wireless monitoring',
      status: 'verified',
      requirementIds: [s.req.c3!, s.req['c3.1']!, s.req.c5!],
      riskIds: [second.id],
    });
    const refreshed = await call('POST', `${s.base}/soa/${soa.id}/refresh`, s.manager);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(json(refreshed).updated).toBe(1);
    const after = byLabel(await entriesOf(`${s.base}/soa/${soa.id}/entries?pageSize=50`, s.manager));
    // human decisions stay
    expect(after.C3).toMatchObject({ applicable: false, justification: 'No wireless networks in the scope', decisionSource: 'user' });
    expect(after.C3.implementationStatus).toBe('not_applicable');
    expect(after.C5).toMatchObject({
      applicable: true,
      justification: 'Contractual requirement of a customer',
      implementationStatus: 'verified',
    });
    // the undecided entry follows the new treatment
    expect(after['C3.1']).toMatchObject({
      applicable: true,
      justification: `Risk treatment: ${second.reference}`,
      decisionSource: 'treatment',
    });
    expect(after['C3.1'].controls).toEqual([{ id: wifi.id, reference: wifi.reference, title: 'Wireless monitoring', status: 'verified' }]);
    expect(json(await call('POST', `${s.base}/soa/${soa.id}/refresh`, s.manager)).updated).toBe(0);

    // confirming a pre-filled entry as it is makes it a human decision; repeating a decision changes nothing
    const confirmed = json(
      await call('PATCH', `${s.base}/soa/${soa.id}/entries/${after['C3.1'].id}`, s.manager, {
        version: after['C3.1'].version,
        applicable: true,
      }),
    );
    expect(confirmed).toMatchObject({
      decisionSource: 'user',
      justification: after['C3.1'].justification,
      version: after['C3.1'].version + 1,
    });
    const again = json(
      await call('PATCH', `${s.base}/soa/${soa.id}/entries/${after['C3.1'].id}`, s.manager, {
        version: confirmed.version,
        applicable: true,
      }),
    );
    expect(again.version).toBe(confirmed.version);
    // back to undecided hands the entry to the pre-fill again
    await call('PATCH', `${s.base}/soa/${soa.id}/entries/${after.C5.id}`, s.manager, {
      version: after.C5.version,
      applicable: null,
      justification: '',
    });
    expect(json(await call('POST', `${s.base}/soa/${soa.id}/refresh`, s.manager)).updated).toBe(1);
    const c5 = byLabel(await entriesOf(`${s.base}/soa/${soa.id}/entries?q=logging`, s.manager)).C5;
    expect(c5).toMatchObject({ applicable: true, justification: `Risk treatment: ${second.reference}` });

    const trail = await t.deps.db
      .selectFrom('audit_entry')
      .select(['action', 'record_type', 'record_ref'])
      .where('scope_id', '=', s.scope.id)
      .where('record_type', 'in', ['soa', 'soa_entry'])
      .orderBy('seq')
      .execute();
    expect(trail.map((a) => `${a.action} ${a.record_type}`)).toEqual([
      'create soa',
      'update soa_entry',
      'update soa_entry',
      'refresh soa',
      'update soa_entry',
      'update soa_entry',
      'refresh soa',
    ]);
    expect(trail[1]!.record_ref).toBe(`${soa.reference} C3`);
  });

  it('follows decided risk treatments: pre-filled at creation, picked up by a refresh afterwards', async () => {
    const s = await setup();
    const treat = async (title: string, requirementId: string) => {
      const risk = json(await call('POST', `${s.base}/risks`, s.manager, { title, currentLikelihood: 3, currentImpact: 3 }));
      const saved = await call('PUT', `${s.base}/risks/${risk.id}/treatment`, s.manager, {
        version: 0,
        option: 'modify',
        rationale: 'Reduce the likelihood',
        controls: [{ requirementId }],
        targetLikelihood: 1,
        targetImpact: 2,
      });
      expect(saved.statusCode, saved.body).toBeLessThan(300);
      const decided = await call('POST', `${s.base}/risks/${risk.id}/treatment/decide`, s.manager, { version: json(saved).version });
      expect(decided.statusCode, decided.body).toBe(200);
      return risk;
    };
    const backup = await treat('Data loss', s.req.c4!);
    const soa = json(await call('POST', `${s.base}/soa`, s.manager, { catalogId: s.catalogId }));
    let e = byLabel(await entriesOf(`${s.base}/soa/${soa.id}/entries?group=g2`, s.manager));
    expect(e.C4).toMatchObject({ applicable: true, justification: `Risk treatment: ${backup.reference}`, decisionSource: 'treatment' });
    expect(e.C4.controls).toHaveLength(1);
    expect(e.C4.controls[0].title).toContain('Backup');
    expect(e.C5.applicable).toBeNull();

    const tampering = await treat('Log tampering', s.req.c5!);
    expect(json(await call('POST', `${s.base}/soa/${soa.id}/refresh`, s.manager)).updated).toBe(1);
    e = byLabel(await entriesOf(`${s.base}/soa/${soa.id}/entries?group=g2`, s.manager));
    expect(e.C5).toMatchObject({
      applicable: true,
      justification: `Risk treatment: ${tampering.reference}`,
      implementationStatus: 'planned',
    });
  });

  it('refuses a stale entry edit with 409 and the current entry, and bad input with 400', async () => {
    const s = await setup();
    const soa = json(await call('POST', `${s.base}/soa`, s.manager, { catalogId: s.catalogId }));
    const c3 = byLabel(await entriesOf(`${s.base}/soa/${soa.id}/entries`, s.manager)).C3;
    const first = await call('PATCH', `${s.base}/soa/${soa.id}/entries/${c3.id}`, s.manager, { version: c3.version, applicable: true });
    expect(first.statusCode).toBe(200);
    const stale = await call('PATCH', `${s.base}/soa/${soa.id}/entries/${c3.id}`, s.manager, {
      version: c3.version,
      applicable: false,
      justification: 'x',
    });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('version_conflict');
    expect(json(stale).error.details.current).toMatchObject({ id: c3.id, applicable: true, version: c3.version + 1 });
    const unknown = await call('PATCH', `${s.base}/soa/${soa.id}/entries/${c3.id}`, s.manager, { version: 2, applicable: 'maybe' });
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown).error.field).toBe('body.applicable');
    const extra = await call('PATCH', `${s.base}/soa/${soa.id}/entries/${c3.id}`, s.manager, { version: 2, colour: 'red' });
    expect(extra.statusCode).toBe(400);
    const nothing = await call('PATCH', `${s.base}/soa/${soa.id}/entries/${c3.id}`, s.manager, { version: 2 });
    expect(nothing.statusCode).toBe(400);
    // another scope's SoA does not exist for this scope
    const other = await setup();
    const foreign = await call('GET', `${other.base}/soa/${soa.id}`, other.manager);
    expect(foreign.statusCode).toBe(404);
  });

  it('refuses a stale submission or approval with 409 and the SoA as it is now', async () => {
    const s = await setup();
    const soa = json(await call('POST', `${s.base}/soa`, s.manager, { catalogId: s.catalogId }));
    const url = `${s.base}/soa/${soa.id}`;
    const submitted = json(await call('POST', `${url}/submit`, s.manager, { version: soa.version }));
    expect(submitted).toMatchObject({ status: 'submitted', version: soa.version + 1 });
    for (const action of ['submit', 'approve']) {
      const stale = await call('POST', `${url}/${action}`, s.manager, { version: soa.version });
      expect(stale.statusCode).toBe(409);
      expect(json(stale).error).toMatchObject({ code: 'version_conflict', details: { current: submitted } });
    }
  });

  it('never loses a concurrent edit: same version twice gives one success and one 409; approval and edit never interleave', async () => {
    const s = await setup();
    const soa = json(await call('POST', `${s.base}/soa`, s.manager, { catalogId: s.catalogId }));
    const url = `${s.base}/soa/${soa.id}`;
    const e = byLabel(await entriesOf(`${url}/entries?pageSize=50`, s.manager));
    const [a, b] = await Promise.all([
      call('PATCH', `${url}/entries/${e.C3.id}`, s.manager, { version: e.C3.version, applicable: true, justification: 'first' }),
      call('PATCH', `${url}/entries/${e.C3.id}`, s.manager, { version: e.C3.version, applicable: false, justification: 'second' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? json(a) : json(b);
    expect(byLabel(await entriesOf(`${url}/entries?q=wireless`, s.manager)).C3).toMatchObject({
      justification: winner.justification,
      version: e.C3.version + 1,
    });

    // decide the rest, submit, then approve while someone edits
    for (const label of ['C1', 'C3.1', 'C5']) {
      await call('PATCH', `${url}/entries/${e[label].id}`, s.manager, {
        version: e[label].version,
        applicable: false,
        justification: 'Out of scope',
      });
    }
    await call('PATCH', `${url}/entries/${e.C4.id}`, s.manager, {
      version: e.C4.version,
      applicable: true,
      justification: 'Best practice',
    });
    const current = byLabel(await entriesOf(`${url}/entries?pageSize=50`, s.manager));
    const submitted = json(await call('POST', `${url}/submit`, s.manager, { version: json(await call('GET', url, s.manager)).version }));
    const [approve, edit] = await Promise.all([
      call('POST', `${url}/approve`, s.manager, { version: submitted.version }),
      call('PATCH', `${url}/entries/${current.C5.id}`, s.manager, {
        version: current.C5.version,
        justification: 'Changed during approval',
      }),
    ]);
    expect(edit.statusCode).toBe(200);
    const after = json(await call('GET', url, s.manager));
    if (approve.statusCode === 200) {
      // approved first: the edit started draft 2, version 1 keeps what was approved
      expect(after).toMatchObject({ status: 'draft', approvedNumber: 1, draftNumber: 2 });
      const v1 = byLabel(await entriesOf(`${url}/entries?version=1&group=g2`, s.manager));
      expect(v1.C5.justification).toBe('Out of scope');
    } else {
      // edited first: the submission lapsed and the approval of a stale version is refused
      expect(approve.statusCode).toBe(409);
      expect(after).toMatchObject({ status: 'draft', approvedNumber: null, draftNumber: 1 });
    }
  });

  it('refuses approval while entries are undecided or exclusions unjustified; approval freezes a version; a later edit starts a new draft', async () => {
    const s = await setup('large');
    const approver = await buildUser(t.deps, { memberships: [[s.scope.id, 'manager']] });
    const contributor = await buildUser(t.deps, { memberships: [[s.scope.id, 'contributor']] });
    await s.control({ title: 'Access policy', status: 'implemented', requirementIds: [s.req.c1!], riskIds: [s.risk.id] });
    let soa = json(await call('POST', `${s.base}/soa`, s.manager, { catalogId: s.catalogId }));
    const url = `${s.base}/soa/${soa.id}`;

    expect((await call('POST', `${url}/approve`, approver, { version: soa.version })).statusCode).toBe(409); // not submitted
    soa = json(await call('POST', `${url}/submit`, s.manager, { version: soa.version }));
    expect(soa).toMatchObject({ status: 'submitted', submittedBy: { id: s.manager.id } });
    const task = await t.deps.db
      .selectFrom('task')
      .select(['title', 'status', 'process_key'])
      .where('origin_record_id', '=', soa.id)
      .executeTakeFirstOrThrow();
    expect(task).toMatchObject({ title: `Approve ${soa.reference} version 1`, status: 'open', process_key: 'risk-treatment' });

    expect((await call('POST', `${url}/approve`, contributor, { version: soa.version })).statusCode).toBe(403);
    const own = await call('POST', `${url}/approve`, s.manager, { version: soa.version });
    expect(own.statusCode).toBe(403); // segregation of duties in the large profile
    const refused = await call('POST', `${url}/approve`, approver, { version: soa.version });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).error).toMatchObject({ code: 'unprocessable', details: { undecided: 4, unjustifiedExclusions: 0 } });
    expect(json(refused).error.message).toContain('4 entries are undecided');

    // deciding every entry (an exclusion without its reason still blocks); an edit returns the SoA to draft
    const entries = byLabel(await entriesOf(`${url}/entries?pageSize=50`, s.manager));
    for (const label of ['C3', 'C3.1']) {
      const r = await call('PATCH', `${url}/entries/${entries[label].id}`, s.manager, {
        version: entries[label].version,
        applicable: false,
      });
      expect(r.statusCode).toBe(200);
    }
    await call('PATCH', `${url}/entries/${entries.C4.id}`, s.manager, {
      version: entries.C4.version,
      applicable: true,
      justification: 'Best practice',
    });
    await call('PATCH', `${url}/entries/${entries.C5.id}`, s.manager, {
      version: entries.C5.version,
      applicable: true,
      justification: 'Legal requirement',
    });
    soa = json(await call('GET', url, s.manager));
    expect(soa).toMatchObject({ status: 'draft', submittedBy: null, counts: { undecided: 0, unjustifiedExclusions: 2 } });
    soa = json(await call('POST', `${url}/submit`, s.manager, { version: soa.version }));
    const unjustified = await call('POST', `${url}/approve`, approver, { version: soa.version });
    expect(unjustified.statusCode).toBe(422);
    expect(json(unjustified).error.details).toEqual({ undecided: 0, unjustifiedExclusions: 2 });
    for (const label of ['C3', 'C3.1']) {
      const current = byLabel(await entriesOf(`${url}/entries?q=wireless`, s.manager))[label];
      await call('PATCH', `${url}/entries/${current.id}`, s.manager, { version: current.version, justification: 'No wireless networks' });
    }
    soa = json(await call('POST', `${url}/submit`, s.manager, { version: json(await call('GET', url, s.manager)).version }));
    expect((await call('POST', `${url}/approve`, approver, { version: soa.version - 1 })).statusCode).toBe(409);
    clock.advance(60_000);
    const approved = await call('POST', `${url}/approve`, approver, { version: soa.version });
    expect(approved.statusCode, approved.body).toBe(200);
    soa = json(approved);
    expect(soa).toMatchObject({ status: 'approved', approvedNumber: 1, draftNumber: 1 });
    const versions = json(await call('GET', `${url}/versions`, contributor));
    expect(versions.items).toEqual([
      expect.objectContaining({
        number: 1,
        approvedBy: expect.objectContaining({ id: approver.id }),
        submittedBy: expect.objectContaining({ id: s.manager.id }),
        approvedAt: clock.now().toISOString(),
        entryCount: 6,
        applicableCount: 3,
        excludedCount: 3,
      }),
    ]);

    // an approved version filters and sorts like the working copy
    for (const qs of ['sort=status', 'sort=applicable&order=desc', 'sort=label&order=desc', 'q=wire&sort=title']) {
      const live = (await entriesOf(`${url}/entries?${qs}`, contributor)).items.map((e: { id: string }) => e.id);
      expect(
        (await entriesOf(`${url}/entries?version=1&${qs}`, contributor)).items.map((e: { id: string }) => e.id),
        qs,
      ).toEqual(live);
    }
    // a later edit starts draft 2; version 1 stays as approved
    const c5 = byLabel(await entriesOf(`${url}/entries?group=g2`, s.manager)).C5;
    const edited = await call('PATCH', `${url}/entries/${c5.id}`, contributor, {
      version: c5.version,
      applicable: false,
      justification: 'Logging is provided by the hosting provider',
    });
    expect(edited.statusCode).toBe(200);
    soa = json(await call('GET', url, s.manager));
    expect(soa).toMatchObject({ status: 'draft', approvedNumber: 1, draftNumber: 2 });
    const v1 = byLabel(await entriesOf(`${url}/entries?version=1&group=g2`, contributor));
    expect(v1.C5).toMatchObject({ applicable: true, justification: 'Legal requirement' });
    const now = byLabel(await entriesOf(`${url}/entries?group=g2`, contributor));
    expect(now.C5).toMatchObject({ applicable: false, justification: 'Logging is provided by the hosting provider' });
    expect((await entriesOf(`${url}/entries?version=1&applicable=no`, contributor)).total).toBe(3);
    expect((await call('GET', `${url}/entries?version=7`, contributor)).statusCode).toBe(404);

    // the approver's task is done; approval was recorded in the trail
    const done = await t.deps.db
      .selectFrom('task')
      .select(['status', 'assignee_id', 'completion_note'])
      .where('origin_record_id', '=', soa.id)
      .orderBy('reference')
      .execute();
    // an edit sent each earlier submission back to draft, which cancelled its approval task; unassigned, since the
    // process owner submitted (large profile)
    expect(done).toEqual([
      { status: 'cancelled', assignee_id: null, completion_note: `${soa.reference} went back to draft (changed by ${s.manager.name})` },
      { status: 'cancelled', assignee_id: null, completion_note: `${soa.reference} went back to draft (changed by ${s.manager.name})` },
      { status: 'done', assignee_id: null, completion_note: `${soa.reference} version 1 was approved by ${approver.name}` },
    ]);
    const approvals = await t.deps.db
      .selectFrom('audit_entry')
      .select('actor_id')
      .where('record_id', '=', soa.id)
      .where('action', '=', 'approve')
      .execute();
    expect(approvals).toEqual([{ actor_id: approver.id }]);

    // exports of the approved version and of the new draft
    const xlsx1 = await call('GET', `${url}/export.xlsx?version=1`, contributor);
    expect(xlsx1.statusCode).toBe(200);
    expect(xlsx1.headers['content-disposition']).toContain(`${soa.reference}-v1.xlsx`);
    const draft = await call('GET', `${url}/export.xlsx`, contributor);
    expect(draft.headers['content-disposition']).toContain(`${soa.reference}-v2-draft.xlsx`);
    const sheetOf = async (body: Buffer) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(body as never);
      return wb.getWorksheet('SoA')!;
    };
    const row = (ws: ExcelJS.Worksheet, label: string) => {
      let found: (string | undefined)[] | undefined;
      ws.eachRow((r) => {
        if (r.getCell(1).value === label) found = (r.values as (string | undefined)[]).slice(1);
      });
      return found;
    };
    const ws1 = await sheetOf(xlsx1.rawPayload);
    expect(row(ws1, 'C5')?.slice(0, 3)).toEqual(['C5', 'Logging', 'Yes']);
    expect(String(ws1.getCell('B4').value)).toMatch(/^Version 1, approved 2026-11-23 10:01 UTC by /);
    expect(row(await sheetOf(draft.rawPayload), 'C5')?.slice(0, 4)).toEqual([
      'C5',
      'Logging',
      'No',
      'Logging is provided by the hosting provider',
    ]);
    const oscal1 = json(await call('GET', `${url}/export.json?version=1`, contributor));
    expect(oscal1['system-security-plan'].metadata.version).toBe('1');
    expect(oscalValidator()(oscal1)).toBe(true);
  });

  it('refuses submission (and approval) while an applicable entry lacks its justification, naming the entries (ISO 27001 6.1.3 d)', async () => {
    const s = await setup();
    await s.control({ title: 'Access policy', status: 'implemented', requirementIds: [s.req.c1!], riskIds: [s.risk.id] });
    let soa = json(await call('POST', `${s.base}/soa`, s.manager, { catalogId: s.catalogId }));
    const url = `${s.base}/soa/${soa.id}`;
    const entries = byLabel(await entriesOf(`${url}/entries?pageSize=50`, s.manager));
    // C4 applicable without a reason; C5 applicable with one that is only blanks (stored trimmed); C1 pre-filled
    for (const [label, justification] of [
      ['C4', ''],
      ['C5', '   '],
    ] as const) {
      const r = await call('PATCH', `${url}/entries/${entries[label].id}`, s.manager, {
        version: entries[label].version,
        applicable: true,
        justification,
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    soa = json(await call('GET', url, s.manager));
    expect(soa.counts).toMatchObject({ unjustifiedInclusions: 2 });
    const missing = await entriesOf(`${url}/entries?applicable=yes&justification=missing`, s.manager);
    expect(missing.items.map((e: { requirement: { label: string } }) => e.requirement.label)).toEqual(['C4', 'C5']);

    const refused = await call('POST', `${url}/submit`, s.manager, { version: soa.version });
    expect(refused.statusCode).toBe(422);
    const error = json(refused).error;
    expect(error).toMatchObject({ code: 'unprocessable', field: 'entries.justification', key: 'errors:soaUnjustifiedInclusions' });
    expect(error.message).toContain('C4, C5');
    expect(error.details.entries).toEqual([
      { id: entries.C4.id, label: 'C4', title: 'Backup' },
      { id: entries.C5.id, label: 'C5', title: 'Logging' },
    ]);
    // nothing was written: still a draft, no approval task, no trail entry for a submission
    expect(json(await call('GET', url, s.manager))).toMatchObject({ status: 'draft', version: soa.version, submittedBy: null });
    const submits = await t.deps.db
      .selectFrom('audit_entry')
      .select('id')
      .where('record_id', '=', soa.id)
      .where('action', '=', 'submit')
      .execute();
    expect(submits).toEqual([]);

    // justified, the SoA goes for approval
    for (const label of ['C4', 'C5']) {
      const current = byLabel(await entriesOf(`${url}/entries?group=g2`, s.manager))[label];
      const r = await call('PATCH', `${url}/entries/${current.id}`, s.manager, {
        version: current.version,
        justification: 'Contract with a customer',
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    soa = json(await call('GET', url, s.manager));
    expect(soa.counts.unjustifiedInclusions).toBe(0);
    const submitted = await call('POST', `${url}/submit`, s.manager, { version: soa.version });
    expect(submitted.statusCode, submitted.body).toBe(200);
  });

  it('builds the SoA of the imported NIST SP 800-53 MODERATE catalog, and its OSCAL export validates', async () => {
    const s = await setup();
    const file = fs.readFileSync(
      path.resolve(import.meta.dirname, '../../../test-data/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json'),
    );
    const report = await t.deps.db
      .transaction()
      .execute((tx) => importCatalogTx(tx, t.deps, s.manager.actor, s.scope.id, parseCatalogFile(file)));
    const soa = json(await call('POST', `${s.base}/soa`, s.manager, { catalogId: report.catalogId }));
    expect(soa.counts.total).toBe(report.controls);
    const ac = await entriesOf(`${s.base}/soa/${soa.id}/entries?group=ac&pageSize=200`, s.manager);
    expect(ac.items[0].requirement).toMatchObject({ identifier: 'ac-1', label: 'AC-1' });
    expect(ac.items[0].group).toMatchObject({ identifier: 'ac', title: 'Access Control' });
    // enhancements sit in their control's family
    expect(ac.items.some((e: { requirement: { identifier: string } }) => e.requirement.identifier === 'ac-2.1')).toBe(true);
    const doc = json(await call('GET', `${s.base}/soa/${soa.id}/export.json`, s.manager));
    const validate = oscalValidator();
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(doc['system-security-plan']['control-implementation']['implemented-requirements']).toHaveLength(report.controls);
  });

  it('exports XLSX, PDF and OSCAL (valid against NIST’s schema) after checking access', async () => {
    const s = await setup();
    await s.control({ title: 'Access policy =SUM(1)', status: 'implemented', requirementIds: [s.req.c1!], riskIds: [s.risk.id] });
    const soa = json(await call('POST', `${s.base}/soa`, s.manager, { catalogId: s.catalogId }));
    const url = `${s.base}/soa/${soa.id}`;
    const c3 = byLabel(await entriesOf(`${url}/entries`, s.manager)).C3;
    await call('PATCH', `${url}/entries/${c3.id}`, s.manager, { version: c3.version, applicable: false, justification: '=cmd|x' });
    const c4 = byLabel(await entriesOf(`${url}/entries`, s.manager)).C4;
    await call('PATCH', `${url}/entries/${c4.id}`, s.manager, { version: c4.version, applicable: true, justification: 'Contract' });

    const xlsx = await call('GET', `${url}/export.xlsx`, s.manager);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as never);
    const ws = wb.getWorksheet('SoA')!;
    expect(ws.getCell('A1').value).toBe('Statement of Applicability');
    expect(ws.getCell('B2').value).toBe(s.scope.name);
    expect(ws.getCell('B3').value).toBe('Test catalog (1.0)');
    expect(ws.getCell('B4').value).toBe('Version 1 (draft, not approved)');
    const header = 7;
    expect((ws.getRow(header).values as string[]).slice(1)).toEqual([
      'Identifier',
      'Title',
      'Applicable',
      'Justification',
      'Implementation status',
      'Controls',
      'Group',
    ]);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: header });
    expect(ws.autoFilter).toBe('A7:G7');
    expect(ws.getColumn(2).width).toBe(48);
    const rows: unknown[][] = [];
    ws.eachRow((r, n) => {
      if (n > header) rows.push((r.values as unknown[]).slice(1));
    });
    expect(rows.map((r) => r[0])).toEqual(['C1', 'C2', 'C3', 'C3.1', 'C4', 'C5']);
    expect(rows[0]).toEqual([
      'C1',
      'Access control policy',
      'Yes',
      `Risk treatment: ${s.risk.reference}`,
      'Implemented',
      'CTL-0001 Access policy =SUM(1)',
      'G1 Organisation',
    ]);
    expect(rows[1]!.slice(0, 5)).toEqual(['C2', 'Old control (withdrawn)', 'No', 'Withdrawn from the catalog', 'Not applicable']);
    expect(rows[2]![3]).toBe("'=cmd|x"); // never a formula
    expect(rows[3]!.slice(0, 5)).toEqual(['C3.1', 'Wireless encryption', 'Undecided', undefined, 'Not started']);

    const pdf = await call('GET', `${url}/export.pdf`, s.manager);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(2000);
    // a title page and one page of table, no stray pages
    expect(pdf.rawPayload.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(2);
    const pdfWords = await pdfText(pdf.rawPayload);
    expect(pdfWords).toContain('Access control policy');
    expect(pdfWords).toContain('CTL-0001 Access policy =SUM(1)');

    const docx = await call('GET', `${url}/export.docx`, s.manager);
    expect(docx.statusCode).toBe(200);
    expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers['content-disposition']).toContain(`${soa.reference}-v1-draft.docx`);
    const words = await docxText(docx.rawPayload);
    for (const text of [
      `${soa.reference} ${soa.title}`,
      'Statement of Applicability (ISO/IEC 27001 6.1.3 d)',
      'Test catalog (1.0)',
      'Version 1 (draft, not approved)',
      'G1 Organisation',
      'Identifier',
      'Justification',
      'Access control policy',
      `Risk treatment: ${s.risk.reference}`,
      'CTL-0001 Access policy =SUM(1)',
      'Old control (withdrawn)',
      'Wireless encryption',
      'Undecided',
    ])
      expect(words).toContain(text);
    // the same file for a German reader: the pre-filled justification in German, a person's words as written
    const germanDocx = await t.app.inject({
      method: 'GET',
      url: `${url}/export.docx`,
      headers: { ...s.manager.headers, 'accept-language': 'de' },
    });
    expect(germanDocx.statusCode).toBe(200);
    const germanWords = await docxText(germanDocx.rawPayload);
    expect(germanWords).toContain(`Risikobehandlung: ${s.risk.reference}`);
    expect(germanWords).not.toContain('Risk treatment:');

    const res = await call('GET', `${url}/export.json`, s.manager);
    expect(res.statusCode).toBe(200);
    const doc = json(res);
    const validate = oscalValidator();
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const ssp = doc['system-security-plan'];
    expect(ssp.metadata).toMatchObject({ version: '1-draft', 'oscal-version': '1.0.4' });
    expect(ssp['control-implementation']['implemented-requirements']).toHaveLength(6);
    const c1 = ssp['control-implementation']['implemented-requirements'][0];
    expect(c1['control-id']).toBe('c1');
    expect(c1.props).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'applicable', value: 'yes' }),
        expect.objectContaining({ name: 'control', value: 'CTL-0001' }),
      ]),
    );
    expect(c1['by-components'][0]['implementation-status']).toEqual({ state: 'implemented' });
    // nothing is "planned" without a plan: an undecided entry and one not started state no implementation status
    const byId = Object.fromEntries(
      ssp['control-implementation']['implemented-requirements'].map((r: { 'control-id': string }) => [r['control-id'], r]),
    );
    expect(byId['c3.1']['by-components'][0]).not.toHaveProperty('implementation-status');
    expect(byId['c3.1']['by-components'][0].remarks).toContain('Applicability not decided');
    expect(byId.c4['by-components'][0]).not.toHaveProperty('implementation-status');
    expect(byId.c4['by-components'][0].remarks).toMatch(/^Not started/);
    expect(byId.c3['by-components'][0]['implementation-status']).toEqual({ state: 'not-applicable' });
    const states = ssp['control-implementation']['implemented-requirements'].flatMap(
      (r: { 'by-components': { 'implementation-status'?: { state: string } }[] }) =>
        r['by-components'].flatMap((b) => (b['implementation-status'] ? [b['implementation-status'].state] : [])),
    );
    expect(states).not.toContain('planned');
    // the imported profile resolves inside the document: a back-matter resource that names the catalog
    const resource = ssp['back-matter'].resources.find((r: { uuid: string }) => `#${r.uuid}` === ssp['import-profile'].href);
    expect(resource).toMatchObject({ title: 'Test catalog', citation: { text: 'Test catalog (1.0)' } });
    // the same export twice gives the same document identifiers
    expect(json(await call('GET', `${url}/export.json`, s.manager))['system-security-plan'].uuid).toBe(ssp.uuid);

    // the validation can fail: a broken document is refused
    const broken = structuredClone(doc);
    broken['system-security-plan'].metadata['last-modified'] = '2026-11-23T10:00:00.000Z';
    broken['system-security-plan']['control-implementation']['implemented-requirements'][0].uuid = newId(); // a v7 UUID
    delete broken['system-security-plan']['system-characteristics'];
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain('/system-security-plan/metadata/last-modified');
    expect(paths).toContain('/system-security-plan/control-implementation/implemented-requirements/0/uuid');
    expect(
      (validate.errors ?? []).some(
        (e) => e.params && (e.params as { missingProperty?: string }).missingProperty === 'system-characteristics',
      ),
    ).toBe(true);

    // access is checked before anything is streamed
    const employee = await buildUser(t.deps, { memberships: [[s.scope.id, 'employee']] });
    for (const ext of ['xlsx', 'pdf', 'docx', 'json']) {
      const refused = await call('GET', `${url}/export.${ext}`, employee);
      expect(refused.statusCode).toBe(403);
      expect(json(refused).error.code).toBe('forbidden');
    }
    const outsider = (await buildScope(t.deps)).manager;
    expect((await call('GET', `${url}/export.xlsx`, outsider)).statusCode).toBe(404);
    expect((await call('GET', `${url}/export.pdf?version=3`, s.manager)).statusCode).toBe(404);
    expect((await call('GET', `${url}/export.json?version=zero`, s.manager)).statusCode).toBe(400);
  });
});

describe('OSCAL helpers', () => {
  it('makes name-based version 5 UUIDs the schema accepts and timestamps its pattern accepts', () => {
    const u = uuidV5('x');
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV5('x')).toBe(u);
    expect(uuidV5('y')).not.toBe(u);
    // RFC 4122 test vector: uuid5(NAMESPACE_DNS, "python.org")
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(oscalTimestamp('2026-11-23T10:00:00.000Z')).toBe('2026-11-23T10:00:00Z');
  });
  it('builds a document for an SoA without approval that validates', () => {
    const doc = buildSoaOscal({
      scope: { id: newId(), name: 'Head office', description: '' },
      soa: {
        id: newId(),
        scopeId: newId(),
        reference: 'SOA-0001',
        title: 'Statement of Applicability',
        catalog: { id: newId(), key: 'k', title: 'Catalog', version: '1' },
        status: 'draft',
        draftNumber: 1,
        approvedNumber: null,
        submittedBy: null,
        submittedAt: null,
        counts: { total: 1, applicable: 0, excluded: 0, undecided: 1, unjustifiedExclusions: 0, unjustifiedInclusions: 0 },
        createdAt: '2026-11-23T10:00:00.123Z',
        updatedAt: '2026-11-23T10:00:00.120Z',
        version: 1,
      },
      number: 1,
      state: 'draft',
      approval: null,
      generatedAt: '2026-11-23T10:00:00.500Z',
      entries: [
        {
          id: newId(),
          requirement: {
            id: newId(),
            identifier: 'A.5.1',
            label: 'A.5.1',
            title: 'Policies',
            parentIdentifier: 'A.5',
            depth: 1,
            withdrawn: false,
          },
          group: null,
          applicable: null,
          justification: '',
          decisionSource: null,
          decidedBy: null,
          decidedAt: null,
          implementationStatus: 'not_started',
          controls: [],
          version: 1,
        },
      ],
    });
    const validate = oscalValidator();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });
});
