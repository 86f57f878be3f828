import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../files/multipart-body.ts';
import { buildScope, buildUser, createScopeContext, dialects, json, type TestContext, type TestUser } from '../test/harness.ts';
import { parseOscalCatalog } from './oscal-import.ts';

const dataDir = path.resolve(import.meta.dirname, '../../test-data/oscal');
const nist = fs.readFileSync(path.join(dataDir, 'NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json'));
const basic = fs.readFileSync(path.join(dataDir, 'basic-catalog.json'));

const meta = (title: string) => ({ title, version: '1.0', 'last-modified': '2026-01-01T00:00:00Z', 'oscal-version': '1.1.2' });
const ctl = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `Control ${id}`, ...extra });

/** Groups three levels deep, a control with an enhancement that has its own enhancement, a withdrawn control. */
const nested = {
  catalog: {
    uuid: '0d0d0d0d-0000-4000-8000-000000000001',
    metadata: meta('Nested test catalog'),
    groups: [
      {
        id: 'g1',
        title: 'Top',
        groups: [
          {
            id: 'g1.1',
            title: 'Middle',
            groups: [
              {
                id: 'g1.1.1',
                title: 'Bottom',
                controls: [
                  ctl('c-1', {
                    params: [
                      { id: 'c-1_prm_1', label: 'frequency' },
                      { id: 'c-1_prm_2', select: { 'how-many': 'one-or-more', choice: ['daily', 'weekly'] } },
                      { id: 'c-1_prm_3', label: 'personnel', values: ['the security officer'] },
                    ],
                    parts: [
                      {
                        id: 'c-1_smt',
                        name: 'statement',
                        parts: [
                          {
                            id: 'c-1_smt.a',
                            name: 'item',
                            props: [{ name: 'label', value: 'a.' }],
                            prose: 'Review logs {{ insert: param, c-1_prm_1 }}.',
                          },
                          {
                            id: 'c-1_smt.b',
                            name: 'item',
                            props: [{ name: 'label', value: 'b.' }],
                            prose: 'Back up {{ insert: param, c-1_prm_2 }} and inform {{ insert: param, c-1_prm_3 }}.',
                          },
                        ],
                      },
                      { id: 'c-1_gdn', name: 'guidance', prose: 'Some guidance.' },
                    ],
                    controls: [ctl('c-1.1', { controls: [ctl('c-1.1.1')] })],
                  }),
                  ctl('c-2', { props: [{ name: 'status', value: 'withdrawn' }] }),
                ],
              },
            ],
          },
        ],
      },
    ],
    controls: [ctl('top-level')],
  },
};

describe('OSCAL parser (small)', () => {
  it('flattens nested groups, enhancements, parameters and withdrawn status', () => {
    const p = parseOscalCatalog(nested);
    expect(p.summary).toEqual({ groups: 3, controls: 5, enhancements: 2, withdrawn: 1 });
    expect(p.requirements.map((r) => [r.identifier, r.parentIdentifier, r.depth])).toEqual([
      ['g1', null, 0],
      ['g1.1', 'g1', 1],
      ['g1.1.1', 'g1.1', 2],
      ['c-1', 'g1.1.1', 3],
      ['c-1.1', 'c-1', 4],
      ['c-1.1.1', 'c-1.1', 5],
      ['c-2', 'g1.1.1', 3],
      ['top-level', null, 0],
    ]);
    const c1 = p.requirements.find((r) => r.identifier === 'c-1')!;
    expect(c1.statement).toBe(
      'a. Review logs [Assignment: frequency].\nb. Back up [Selection (one-or-more): daily; weekly] and inform the security officer.',
    );
    expect(c1.guidance).toBe('Some guidance.');
    expect(p.requirements.find((r) => r.identifier === 'c-2')!.withdrawn).toBe(true);
  });
});

describe.each(dialects)('catalogs on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  const base = () => `/api/scopes/${scopeId}/catalogs`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
  });
  afterAll(() => t.close());

  const upload = (content: Buffer | string, user = manager, url = `${base()}/import`) => {
    const body = multipartBody({ name: 'catalog.json', content, type: 'application/json' });
    return t.app.inject({ method: 'POST', url, headers: { ...user.headers, ...body.headers }, payload: body.payload });
  };
  const get = (url: string, user = manager) => t.app.inject({ method: 'GET', url, headers: user.headers });
  const rowCounts = async () => {
    const [c, r] = await Promise.all([
      t.deps.db
        .selectFrom('catalog')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
      t.deps.db
        .selectFrom('catalog_requirement')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return [Number(c.n), Number(r.n)];
  };

  it('has ISO/IEC 27001:2022 Annex A built in: 93 controls in four themes', async () => {
    const list = json(await get(base()));
    const annexA = list.find((c: { key: string }) => c.key === 'iso-27001-2022-annex-a');
    expect(annexA).toMatchObject({ global: true, source: 'builtin', controlCount: 93, groupCount: 4, withdrawnCount: 0 });
    const themes = json(await get(`${base()}/${annexA.id}/requirements?kind=group`));
    expect(themes.items.map((g: { label: string; title: string }) => `${g.label} ${g.title}`)).toEqual([
      'A.5 Organizational controls',
      'A.6 People controls',
      'A.7 Physical controls',
      'A.8 Technological controls',
    ]);
    const sizes: number[] = [];
    for (const theme of ['A.5', 'A.6', 'A.7', 'A.8'])
      sizes.push(json(await get(`${base()}/${annexA.id}/requirements?parent=${theme}`)).total);
    expect(sizes).toEqual([37, 8, 14, 34]);
    const first = json(await get(`${base()}/${annexA.id}/requirements?q=threat%20intelligence`));
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ identifier: 'A.5.7', label: 'A.5.7', kind: 'control', parentIdentifier: 'A.5', depth: 1 });
  });

  it('imports the NIST SP 800-53 MODERATE baseline: 18 groups, 287 controls, 110 enhancements', async () => {
    const res = await upload(nist);
    expect(res.statusCode, res.body).toBe(201);
    const report = json(res);
    expect(report).toMatchObject({
      title: 'NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE',
      version: '5.1.1+u4',
      scopeId,
      groups: 18,
      controls: 287,
      enhancements: 110,
      withdrawn: 0,
      requirements: 305,
    });
    expect(report.durationMs).toBeGreaterThanOrEqual(0);
    const catalog = json(await get(`${base()}/${report.catalogId}`));
    expect(catalog).toMatchObject({ global: false, source: 'oscal', controlCount: 287, groupCount: 18, linkedControlCount: 0 });

    const page = json(await get(`${base()}/${report.catalogId}/requirements?pageSize=3`));
    expect(page.total).toBe(305);
    expect(page.items.map((r: { label: string }) => r.label)).toEqual(['AC', 'AC-1', 'AC-2']);
    const ac2 = page.items[2];
    expect(ac2.statement).toMatch(/^a\. Define and document the types of accounts/);
    expect(ac2.statement).toContain('c. Require [Assignment: prerequisites and criteria] for group and role membership;');
    const enh = json(await get(`${base()}/${report.catalogId}/requirements?parent=ac-2`));
    expect(enh.items.map((r: { label: string }) => r.label)).toEqual(['AC-2(1)', 'AC-2(2)', 'AC-2(3)', 'AC-2(4)', 'AC-2(5)', 'AC-2(13)']);
    expect(enh.items[0].statement).toBe('Support the management of system accounts using [Assignment: automated mechanisms].');
    const search = json(await get(`${base()}/${report.catalogId}/requirements?q=account%20management&kind=control`));
    expect(search.items.map((r: { label: string }) => r.label)).toEqual(['AC-2', 'AC-2(1)', 'AC-2(2)']);
    expect(json(await get(`${base()}/${report.catalogId}/requirements?withdrawn=true`)).total).toBe(0);
    const last = json(await get(`${base()}/${report.catalogId}/requirements?pageSize=5&page=61`));
    expect(last.items.map((r: { label: string }) => r.label).slice(-2)).toEqual(['SR-11(2)', 'SR-12']);
    const audit = json(await get(`/api/scopes/${scopeId}/audit?recordType=catalog&recordId=${report.catalogId}`));
    expect(audit.items[0]).toMatchObject({ action: 'import' });

    // the same catalog again in this scope: refused, nothing written
    const before = await rowCounts();
    const again = await upload(nist);
    expect(again.statusCode).toBe(409);
    expect(json(again).error.message).toMatch(/already imported in this scope/);
    expect(await rowCounts()).toEqual(before);
    // another scope may have its own copy
    const other = await buildScope(t.deps);
    expect((await upload(nist, other.manager, `/api/scopes/${other.scope.id}/catalogs/import`)).statusCode).toBe(201);
    // and does not see this scope's
    expect((await get(`/api/scopes/${other.scope.id}/catalogs/${report.catalogId}`, other.manager)).statusCode).toBe(404);
  });

  it('imports nested groups, enhancements of enhancements and withdrawn controls', async () => {
    const res = await upload(JSON.stringify(nested));
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res)).toMatchObject({ groups: 3, controls: 5, enhancements: 2, withdrawn: 1 });
    const reqs = json(await get(`${base()}/${json(res).catalogId}/requirements`));
    expect(reqs.items.map((r: { identifier: string; depth: number; withdrawn: boolean }) => [r.identifier, r.depth, r.withdrawn])).toEqual([
      ['g1', 0, false],
      ['g1.1', 1, false],
      ['g1.1.1', 2, false],
      ['c-1', 3, false],
      ['c-1.1', 4, false],
      ['c-1.1.1', 5, false],
      ['c-2', 3, true],
      ['top-level', 0, false],
    ]);
    expect(json(await get(`${base()}/${json(res).catalogId}/requirements?withdrawn=true`)).items[0].identifier).toBe('c-2');
    // API clients may send the document as the JSON body instead of a file
    const asBody = await t.app.inject({
      method: 'POST',
      url: `${base()}/import`,
      headers: manager.headers,
      payload: { catalog: { uuid: 'b', metadata: meta('Sent as body'), controls: [ctl('b-1'), ctl('b-2')] } },
    });
    expect(asBody.statusCode, asBody.body).toBe(201);
    expect(json(asBody)).toMatchObject({ title: 'Sent as body', controls: 2, groups: 0 });
    const basicRes = await upload(basic);
    expect(basicRes.statusCode, basicRes.body).toBe(201);
    expect(json(basicRes)).toMatchObject({ groups: 4, controls: 4, enhancements: 0 });
  });

  it('refuses malformed files with the JSON path of the first problem, and writes nothing', async () => {
    const before = await rowCounts();
    const doc = (catalog: unknown) => JSON.stringify({ catalog });
    const cases: [string, string, RegExp][] = [
      ['{"catalog": ', '(document)', /not JSON/],
      [JSON.stringify({ profile: {} }), 'catalog', /no "catalog" object/],
      [
        doc({ uuid: 'u', metadata: meta('No id'), groups: [{ id: 'g', title: 'G', controls: [ctl('x-1'), { title: 'No id' }] }] }),
        'catalog.groups.0.controls.1.id',
        /a control needs an id/,
      ],
      [
        doc({ uuid: 'u', metadata: meta('Twice'), controls: [ctl('x-1'), ctl('x-2', { controls: [ctl('x-1')] })] }),
        'catalog.controls.1.controls.0.id',
        /"x-1" appears twice/,
      ],
      [doc({ uuid: 'u', metadata: meta('Empty'), groups: [{ id: 'g', title: 'G' }] }), 'catalog', /contains no controls/],
      [doc({ uuid: 'u', metadata: { version: '1' }, controls: [ctl('x')] }), 'catalog.metadata.title', /metadata needs a title/],
    ];
    for (const [content, field, message] of cases) {
      const res = await upload(content);
      expect(res.statusCode, content).toBe(400);
      expect(json(res).error).toMatchObject({ code: 'validation_failed', field });
      expect(json(res).error.message).toMatch(message);
    }
    // in the reader's language, naming the field; never the validator's English
    const german = async (catalog: unknown) => {
      const body = multipartBody({ name: 'catalog.json', content: JSON.stringify({ catalog }), type: 'application/json' });
      const res = await t.app.inject({
        method: 'POST',
        url: `${base()}/import`,
        headers: { ...manager.headers, ...body.headers, 'accept-language': 'de' },
        payload: body.payload,
      });
      expect(res.statusCode, res.body).toBe(400);
      return json(res).error as { code: string; field: string; message: string };
    };
    expect(
      await german({ uuid: 'u', metadata: meta('Ohne id'), groups: [{ id: 'g', title: 'G', controls: [{ title: 'x' }] }] }),
    ).toMatchObject({
      code: 'validation_failed',
      field: 'catalog.groups.0.controls.0.id',
      message: 'Kein gültiger OSCAL-Katalog: catalog.groups.0.controls.0.id: Jede Maßnahme braucht eine Kennung (id)',
    });
    expect(await german({ uuid: 7, metadata: meta('Typ'), controls: [ctl('x')] })).toMatchObject({
      field: 'catalog.uuid',
      message: 'Kein gültiger OSCAL-Katalog: catalog.uuid muss ein Text sein',
    });
    expect(await german({ uuid: 'u', metadata: meta('Zweimal'), controls: [ctl('x-1'), ctl('x-1')] })).toMatchObject({
      field: 'catalog.controls.1.id',
      message: 'Kein gültiger OSCAL-Katalog: catalog.controls.1.id: Die Kennung der Maßnahme „x-1“ kommt zweimal vor',
    });
    expect((await german({ uuid: 'u', metadata: meta('Leer'), controls: [ctl('x', { parts: [{ prose: 'p' }] })] })).message).toBe(
      'Kein gültiger OSCAL-Katalog: catalog.controls.0.parts.0.name: Jeder Teil braucht einen Namen',
    );
    const plain = await t.app.inject({
      method: 'POST',
      url: `${base()}/import`,
      headers: { ...manager.headers, 'content-type': 'text/plain' },
      payload: 'catalog: yes',
    });
    expect(plain.statusCode, plain.body).toBe(400);
    expect(json(plain).error.message).toMatch(/not JSON/);
    const emptyBody = await t.app.inject({ method: 'POST', url: `${base()}/import`, headers: manager.headers });
    expect(emptyBody.statusCode).toBe(400);
    expect(json(emptyBody).error.message).toMatch(/No catalog: send an OSCAL catalog JSON object/);
    const badBody = await t.app.inject({
      method: 'POST',
      url: `${base()}/import`,
      headers: manager.headers,
      payload: { catalog: { uuid: 'u', metadata: meta('Body'), controls: [ctl('b-1'), ctl('b-1')] } },
    });
    expect(badBody.statusCode).toBe(400);
    expect(json(badBody).error.field).toBe('catalog.controls.1.id');
    const noFile = multipartBody(null, { note: 'no file' });
    const empty = await t.app.inject({
      method: 'POST',
      url: `${base()}/import`,
      headers: { ...manager.headers, ...noFile.headers },
      payload: noFile.payload,
    });
    expect(empty.statusCode).toBe(400);
    expect(json(empty).error.message).toMatch(/No file/);
    const huge = await upload(Buffer.alloc(21 * 1024 * 1024, 0x20));
    expect(huge.statusCode).toBe(413);
    expect(await rowCounts()).toEqual(before);
  });

  it('lets the installation administrator import for every scope; scope managers import into their scope only', async () => {
    const admin = await buildUser(t.deps, { isAdmin: true });
    const doc = JSON.stringify({ catalog: { uuid: 'g', metadata: meta('Global catalog'), controls: [ctl('gl-1')] } });
    expect((await upload(doc, manager, `${base()}/import?global=true`)).statusCode).toBe(403);
    const res = await upload(doc, admin, `${base()}/import?global=true`);
    expect(res.statusCode, res.body).toBe(201);
    expect(json(res).scopeId).toBeNull();
    const other = await buildScope(t.deps);
    const seen = json(await get(`/api/scopes/${other.scope.id}/catalogs`, other.manager));
    expect(seen.find((c: { id: string }) => c.id === json(res).catalogId)).toMatchObject({ global: true, controlCount: 1 });
    // a global catalog cannot be deleted from a scope
    const del = await t.app.inject({ method: 'DELETE', url: `${base()}/${json(res).catalogId}`, headers: manager.headers });
    expect(del.statusCode).toBe(409);
  });

  it('deletes a scope catalog, but not while controls link to it', async () => {
    const doc = JSON.stringify({ catalog: { uuid: 'd', metadata: meta('Deletable'), controls: [ctl('d-1'), ctl('d-2')] } });
    const report = json(await upload(doc));
    const reqs = json(await get(`${base()}/${report.catalogId}/requirements`)).items;
    const control = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/controls`,
      headers: manager.headers,
      payload: { title: 'Linked', requirementIds: [reqs[0].id] },
    });
    expect(control.statusCode, control.body).toBe(201);
    expect(json(await get(`${base()}/${report.catalogId}`)).linkedControlCount).toBe(1);
    const refused = await t.app.inject({ method: 'DELETE', url: `${base()}/${report.catalogId}`, headers: manager.headers });
    expect(refused.statusCode).toBe(409);
    expect(json(refused).error.message).toMatch(/still used by 1 control;/);
    await t.app.inject({
      method: 'DELETE',
      url: `/api/scopes/${scopeId}/controls/${json(control).id}?version=1`,
      headers: manager.headers,
    });
    // a Statement of Applicability drawn up for the catalog keeps it as well
    const soa = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/soa`,
      headers: manager.headers,
      payload: { catalogId: report.catalogId },
    });
    expect(soa.statusCode, soa.body).toBe(201);
    const keptForSoa = await t.app.inject({ method: 'DELETE', url: `${base()}/${report.catalogId}`, headers: manager.headers });
    expect(keptForSoa.statusCode).toBe(409);
    expect(json(keptForSoa).error.message).toMatch(/still used by the Statement of Applicability/);
    await t.deps.db.deleteFrom('soa').where('catalog_id', '=', report.catalogId).execute();
    const ok = await t.app.inject({ method: 'DELETE', url: `${base()}/${report.catalogId}`, headers: manager.headers });
    expect(ok.statusCode).toBe(204);
    expect((await get(`${base()}/${report.catalogId}`)).statusCode).toBe(404);
  });

  it('imports a catalog once when the same file arrives twice at the same moment', async () => {
    const doc = JSON.stringify({ catalog: { uuid: 'r', metadata: meta('Raced'), controls: [ctl('r-1'), ctl('r-2')] } });
    const results = await Promise.all([upload(doc), upload(doc), upload(doc)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(json(r).error.code).toBe('duplicate');
    const list = json(await get(base()));
    expect(list.filter((c: { title: string }) => c.title === 'Raced')).toHaveLength(1);
  });

  it('describes the catalog, control and evidence routes in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(json(res).paths);
    for (const p of [
      '/api/scopes/{scopeId}/catalogs',
      '/api/scopes/{scopeId}/catalogs/import',
      '/api/scopes/{scopeId}/catalogs/{id}/requirements',
      '/api/scopes/{scopeId}/controls',
      '/api/scopes/{scopeId}/controls/{id}',
      '/api/scopes/{scopeId}/evidence',
      '/api/scopes/{scopeId}/evidence/links',
      '/api/scopes/{scopeId}/evidence/{id}/file',
      '/api/scopes/{scopeId}/evidence/{id}/controls/{controlId}',
    ]) {
      expect(paths, p).toContain(p);
    }
  });

  it('runs the same number of SQL statements for the catalog list and a requirement page whatever their size', async () => {
    const counter = t.db.database.queryCounter;
    const catalogId = json(await get(base()))[0].id;
    const count = async (url: string) => {
      const before = counter.count;
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      return counter.count - before;
    };
    const small = await count(`${base()}/${catalogId}/requirements?pageSize=1&q=a`);
    const large = await count(`${base()}/${catalogId}/requirements?pageSize=500&q=a`);
    expect(large).toBe(small);
    // actor (2), catalog, page, count
    expect(small).toBeLessThanOrEqual(5);
    expect(await count(base())).toBeLessThanOrEqual(5);
  });
});
