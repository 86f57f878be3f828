import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../shared/ids.ts';
import { buildScope, buildUser, createTestContext, dialects, json, type TestContext, type TestUser } from '../test/harness.ts';
import { ANNEX_A_KEY } from './iso27001-annex-a.ts';

/**
 * The built-in Annex A catalog is titled as German texts name it ("ISO/IEC 27001:2022 Anhang A") for German readers
 * (`Accept-Language: de` or an account that says German) wherever catalogs are listed or read; an imported catalog keeps
 * its own title; the stored title stays English.
 */
describe.each(dialects)('a catalog’s title in the reader’s language on %s', (dialect) => {
  let t: TestContext;
  let scope: string;
  let manager: TestUser;
  let german: TestUser;
  const ownTitle = 'Unser eigener Katalog';

  const get = async (url: string, user: TestUser, language?: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: { ...user.headers, ...(language && { 'accept-language': language }) } });
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    return json(res);
  };
  type Catalog = { id: string; key: string; title: string };

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const built = await buildScope(t.deps);
    manager = built.manager;
    scope = `/api/scopes/${built.scope.id}`;
    german = await buildUser(t.deps, { memberships: [[built.scope.id, 'manager']] });
    const set = await t.app.inject({ method: 'PATCH', url: '/api/me', headers: german.headers, payload: { language: 'de' } });
    expect(set.statusCode, set.body).toBe(200);
    await t.deps.db
      .insertInto('catalog')
      .values({
        id: newId(),
        scope_id: built.scope.id,
        key: 'own-catalog',
        title: ownTitle,
        version: '1',
        source: 'oscal',
        oscal_uuid: null,
        published: null,
        requirement_count: 0,
        withdrawn_count: 0,
        imported_by: null,
        created_at: new Date().toISOString(),
      })
      .execute();
  });
  afterAll(async () => t?.close());

  it('lists and reads the Annex A catalog by its German title for German readers, by its English one otherwise', async () => {
    const titles = async (user: TestUser, language?: string) =>
      Object.fromEntries((await get(`${scope}/catalogs`, user, language)).map((c: Catalog) => [c.key, c.title]));
    for (const list of [await titles(german), await titles(manager, 'de-DE,de;q=0.9')]) {
      expect(list[ANNEX_A_KEY]).toBe('ISO/IEC 27001:2022 Anhang A');
      expect(list['own-catalog']).toBe(ownTitle);
    }
    const english = await titles(manager, 'en');
    expect(english[ANNEX_A_KEY]).toBe('ISO/IEC 27001:2022 Annex A');
    expect(english['own-catalog']).toBe(ownTitle);

    const annexA = (await get(`${scope}/catalogs`, manager, 'en')).find((c: Catalog) => c.key === ANNEX_A_KEY) as Catalog;
    expect((await get(`${scope}/catalogs/${annexA.id}`, german)).title).toBe('ISO/IEC 27001:2022 Anhang A');
    expect((await get(`${scope}/catalogs/${annexA.id}`, manager, 'en')).title).toBe('ISO/IEC 27001:2022 Annex A');

    const stored = await t.deps.db.selectFrom('catalog').select('title').where('key', '=', ANNEX_A_KEY).executeTakeFirstOrThrow();
    expect(stored.title).toBe('ISO/IEC 27001:2022 Annex A');
  });

  it('names the built-in catalog by the reader’s title when it refuses to delete it', async () => {
    const annexA = (await get(`${scope}/catalogs`, manager, 'en')).find((c: Catalog) => c.key === ANNEX_A_KEY) as Catalog;
    const refused = async (user: TestUser, language?: string) => {
      const res = await t.app.inject({
        method: 'DELETE',
        url: `${scope}/catalogs/${annexA.id}`,
        headers: { ...user.headers, ...(language && { 'accept-language': language }) },
      });
      expect(res.statusCode, res.body).toBe(409);
      return json(res).error.message as string;
    };
    expect(await refused(german)).toContain('„ISO/IEC 27001:2022 Anhang A“');
    expect(await refused(manager, 'en')).toContain('"ISO/IEC 27001:2022 Annex A"');
  });

  it('sorts the catalogs by the title the reader sees', async () => {
    // an installation-wide catalog whose title sorts between "… Anhang A" and "… Annex A"
    await t.deps.db
      .insertInto('catalog')
      .values({
        id: newId(),
        scope_id: null,
        key: 'iso-guidance',
        title: 'ISO/IEC 27001:2022 Anleitung',
        version: '1',
        source: 'oscal',
        oscal_uuid: null,
        published: null,
        requirement_count: 0,
        withdrawn_count: 0,
        imported_by: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    const keys = async (user: TestUser, language?: string) => (await get(`${scope}/catalogs`, user, language)).map((c: Catalog) => c.key);
    expect(await keys(german)).toEqual([ANNEX_A_KEY, 'iso-guidance', 'own-catalog']);
    expect(await keys(manager, 'en')).toEqual(['iso-guidance', ANNEX_A_KEY, 'own-catalog']);
  });

  it('searches the built-in catalog’s requirements by the titles the reader sees, a page at a time', async () => {
    const annexA = (await get(`${scope}/catalogs`, manager, 'en')).find((c: Catalog) => c.key === ANNEX_A_KEY) as Catalog;
    const search = async (q: string, user: TestUser, language?: string, pageSize = 50) =>
      get(`${scope}/catalogs/${annexA.id}/requirements?q=${encodeURIComponent(q)}&pageSize=${pageSize}`, user, language);
    const found = async (q: string, user: TestUser, language?: string) =>
      (await search(q, user, language)).items.map((r: { identifier: string; title: string }) => `${r.identifier} ${r.title}`);
    expect(await found('schadsoftware', german)).toEqual(['A.8.7 Schutz gegen Schadsoftware']);
    expect(await found('Schadsoftware', manager, 'en')).toEqual([]);
    expect(await found('malware', manager, 'en')).toEqual(['A.8.7 Protection against malware']);
    expect(await found('malware', german)).toEqual([]);
    expect(await found('A.8.7', german)).toEqual(['A.8.7 Schutz gegen Schadsoftware']);
    // paged in document order, with the total of every match
    const all = await search('Informationssicherheit', german);
    expect(all.total).toBeGreaterThan(3);
    const first = await search('Informationssicherheit', german, undefined, 2);
    expect(first.total).toBe(all.total);
    expect(first.items.map((r: { identifier: string }) => r.identifier)).toEqual(
      all.items.slice(0, 2).map((r: { identifier: string }) => r.identifier),
    );
    // an imported catalog is searched by its own words
    const own = (await get(`${scope}/catalogs`, german)).find((c: Catalog) => c.key === 'own-catalog') as Catalog;
    expect((await get(`${scope}/catalogs/${own.id}/requirements?q=Schadsoftware`, german)).total).toBe(0);
  });
});
