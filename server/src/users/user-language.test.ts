import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildUser,
  createScopeContext,
  dialects,
  json,
  requester,
  TEST_PASSWORD,
  type TestContext,
  type TestUser,
} from '../test/harness.ts';

/** A user's language setting: kept on the user record, carried by the session, and winning over Accept-Language. */
describe.each(dialects)('the language setting on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let other: TestUser;
  let admin: TestUser;
  const { call, ok } = requester(() => t);

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
    other = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'Other member' });
    admin = await buildUser(t.deps, { isAdmin: true, name: 'Installation admin' });
  });
  afterAll(() => t.close());

  const signIn = async (email: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: TEST_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'praxis_session')!;
    return { cookie: `${cookie.name}=${cookie.value}`, csrf: json(res).csrfToken as string, body: json(res) };
  };
  const userRow = (id: string) => t.deps.db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const languageAudits = async (id: string) =>
    (await t.deps.db.selectFrom('audit_entry').selectAll().where('record_id', '=', id).where('action', '=', 'update').execute())
      .map((e) => JSON.parse(e.changes as string))
      .filter((c) => 'language' in c);

  it('is set on the account, read back in the session at the next sign-in, trailed and versioned', async () => {
    const first = await signIn(manager.email);
    expect(first.body.user.language).toBeNull();
    const before = await userRow(manager.id);

    const changed = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: { cookie: first.cookie, 'x-csrf-token': first.csrf },
      payload: { language: 'de' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(json(changed)).toMatchObject({ id: manager.id, email: manager.email, language: 'de' });

    // the same session reads it at once (the actor cache is invalidated by the write), and so does a new sign-in
    const session = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: first.cookie } });
    expect(json(session).user.language).toBe('de');
    expect((await signIn(manager.email)).body.user.language).toBe('de');

    const after = await userRow(manager.id);
    expect(after.language).toBe('de');
    expect(after.version).toBe(before.version + 1);
    expect(await languageAudits(manager.id)).toEqual([{ language: { from: null, to: 'de' } }]);

    // the same value again changes nothing and trails nothing; null follows the browser again
    await ok('PATCH', '/api/me', manager, { language: 'de' });
    expect((await userRow(manager.id)).version).toBe(after.version);
    expect(await ok('PATCH', '/api/me', manager, { language: null })).toMatchObject({ language: null });
    expect(await languageAudits(manager.id)).toEqual([{ language: { from: null, to: 'de' } }, { language: { from: 'de', to: null } }]);
  });

  it('makes what the server words for the user follow it, whatever Accept-Language says', async () => {
    await ok('PATCH', '/api/me', manager, { language: 'de' });
    const csv = async (acceptLanguage?: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/scopes/${scopeId}/risks.csv`,
        headers: { ...manager.headers, ...(acceptLanguage && { 'accept-language': acceptLanguage }) },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.body.split('\n')[0]!.split(',').slice(0, 3);
    };
    expect(await csv()).toEqual(['Kennung', 'Titel', 'Status']);
    expect(await csv('en-GB,en;q=0.9')).toEqual(['Kennung', 'Titel', 'Status']);
    // and the server's messages too
    const refused = await call('PATCH', '/api/me', manager, { language: 'fr' });
    expect(json(refused).error.message).toBe('Sprache muss einer dieser Werte sein: "en", "de"');

    // without a setting, Accept-Language decides again
    await ok('PATCH', '/api/me', manager, { language: null });
    expect(await csv('de-DE')).toEqual(['Kennung', 'Titel', 'Status']);
    expect(await csv()).toEqual(['reference', 'title', 'status']);
  });

  it('refuses an unknown language or another field with a 400 naming the field, and writes nothing', async () => {
    const before = await userRow(other.id);
    for (const payload of [{ language: 'fr' }, { language: 'DE' }, { language: 7 }, {}]) {
      const res = await call('PATCH', '/api/me', other, payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(json(res).error).toMatchObject({ code: 'validation_failed', field: 'body.language' });
    }
    const extra = await call('PATCH', '/api/me', other, { language: 'de', name: 'Renamed' });
    expect(extra.statusCode).toBe(400);
    expect(await userRow(other.id)).toEqual(before);
    expect(await languageAudits(other.id)).toEqual([]);
  });

  it("changes only the caller's own account: nobody sets someone else's language", async () => {
    await ok('PATCH', '/api/me', manager, { language: null });
    await ok('PATCH', '/api/me', other, { language: 'de' });
    expect((await userRow(manager.id)).language).toBeNull();
    expect((await userRow(other.id)).language).toBe('de');

    const managerRow = await userRow(manager.id);
    // a member cannot change another account at all; an administrator cannot set someone else's language
    const byMember = await call('PATCH', `/api/users/${manager.id}`, other, { version: managerRow.version, language: 'de' });
    expect(byMember.statusCode, byMember.body).toBe(403);
    const byAdmin = await call('PATCH', `/api/users/${manager.id}`, admin, { version: managerRow.version, language: 'de' });
    expect(byAdmin.statusCode, byAdmin.body).toBe(400);
    expect(json(byAdmin).error.field).toBe('body.language');
    expect((await userRow(manager.id)).language).toBeNull();

    const anonymous = await t.app.inject({ method: 'PATCH', url: '/api/me', payload: { language: 'de' } });
    expect(anonymous.statusCode).toBe(401);
  });
});
