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
});
