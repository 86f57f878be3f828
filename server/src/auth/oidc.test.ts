import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createDeps } from '../deps.ts';
import { buildScope, buildUser, createTestContext, dialects, json, TestClock, type TestContext } from '../test/harness.ts';
import { signInAtProvider, startOidcProvider, type TestOidcProvider } from '../test/oidc-provider.ts';
import { loadOidcConfig } from './oidc.config.ts';
import { auditWordsIn } from '../audit/audit-words.ts';
import { showAuditValue } from '../../../web/src/features/audit/audit-words.ts';

const PUBLIC_URL = 'http://praxis.test';
const CALLBACK = `${PUBLIC_URL}/api/auth/oidc/callback`;

const cookie = (res: LightMyRequestResponse, name: string) => res.cookies.find((c) => c.name === name);

describe('OIDC settings', () => {
  it('read from the environment, refused with a sentence naming the variable', () => {
    expect(loadOidcConfig({}, PUBLIC_URL)).toBeNull();
    const base = { PRAXIS_OIDC_ISSUER: 'https://id.example.com', PRAXIS_OIDC_CLIENT_ID: 'praxis', PRAXIS_OIDC_CLIENT_SECRET: 's' };
    expect(loadOidcConfig(base, PUBLIC_URL)).toMatchObject({
      redirectUrl: `${PUBLIC_URL}/api/auth/oidc/callback`,
      defaultRole: 'employee',
      groupsClaim: 'groups',
      allowHttp: false,
    });
    expect(() => loadOidcConfig({ ...base, PRAXIS_OIDC_ISSUER: 'http://id.example.com' }, PUBLIC_URL)).toThrow(/https/);
    expect(loadOidcConfig({ ...base, PRAXIS_OIDC_ISSUER: 'http://127.0.0.1:9000' }, PUBLIC_URL)?.allowHttp).toBe(true);
    expect(() => loadOidcConfig({ ...base, PRAXIS_OIDC_CLIENT_SECRET: '' }, PUBLIC_URL)).toThrow(/PRAXIS_OIDC_CLIENT_SECRET/);
    expect(() => loadOidcConfig({ ...base, PRAXIS_OIDC_GROUP_ROLES: '{oops' }, PUBLIC_URL)).toThrow(/PRAXIS_OIDC_GROUP_ROLES must be JSON/);
    expect(() => loadOidcConfig({ ...base, PRAXIS_OIDC_GROUP_ROLES: '[{"group":"g","scope":"s","role":"boss"}]' }, PUBLIC_URL)).toThrow(
      /role of manager/,
    );
    expect(() => loadOidcConfig({ ...base, PRAXIS_OIDC_DEFAULT_ROLE: 'boss' }, PUBLIC_URL)).toThrow(/PRAXIS_OIDC_DEFAULT_ROLE/);
    expect(loadOidcConfig({ ...base, PRAXIS_OIDC_DEFAULT_ROLE: 'none' }, PUBLIC_URL)?.defaultRole).toBeNull();
  });
});

describe.each(dialects)('single sign-on through a real OpenID provider on %s', (dialect) => {
  let t: TestContext;
  let idp: TestOidcProvider;
  let app: FastifyInstance;
  let scopeId: string;
  let otherScopeId: string;
  const clock = new TestClock(new Date());

  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
    idp = await startOidcProvider({ redirectUri: CALLBACK });
    const { scope } = await buildScope(t.deps, { name: 'Example Ltd' });
    const { scope: other } = await buildScope(t.deps, { name: 'Data Centre' });
    scopeId = scope.id;
    otherScopeId = other.id;
    const env = idp.env({
      PRAXIS_OIDC_GROUP_ROLES: JSON.stringify([
        { group: 'isms-team', scope: 'Example Ltd', role: 'manager' },
        { group: 'staff', scope: 'Example Ltd', role: 'employee' },
        { group: 'dc-auditors', scope: other.id, role: 'auditor' },
      ]),
      PRAXIS_OIDC_DEFAULT_SCOPE: 'Example Ltd',
    });
    const oidc = loadOidcConfig(env, PUBLIC_URL);
    app = await buildApp(createDeps({ ...t.db.config, publicUrl: PUBLIC_URL, oidc }, t.db.database, clock));
  });
  afterAll(async () => {
    await app.close();
    await idp.close();
    await t.close();
  });

  /** The whole round trip a browser makes: Praxis → provider (its login form) → Praxis's callback. */
  async function signIn(login: string, returnTo = '/risks') {
    const start = await app.inject({ method: 'GET', url: `/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}` });
    expect(start.statusCode).toBe(302);
    const pending = cookie(start, 'praxis_oidc');
    expect(pending).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth/oidc' });
    const authorization = new URL(start.headers.location as string);
    expect(authorization.origin).toBe(idp.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    const back = await signInAtProvider(authorization.href, login, CALLBACK);
    const callback = await app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback${back.search}`,
      headers: { cookie: `praxis_oidc=${pending!.value}` },
    });
    return { callback, back, pending: pending!.value };
  }

  const sessionOf = async (res: LightMyRequestResponse) => {
    const c = cookie(res, 'praxis_session');
    expect(c, res.headers.location as string).toBeDefined();
    const s = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: `praxis_session=${c!.value}` } });
    expect(s.statusCode).toBe(200);
    return json(s);
  };
  const membershipAudit = (email: string) =>
    t.deps.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('record_type', '=', 'membership')
      .where('record_ref', '=', email)
      .orderBy('seq')
      .execute();

  it('the sign-in page learns the provider’s name; without settings there is none', async () => {
    expect(json(await app.inject({ method: 'GET', url: '/api/auth/providers' }))).toEqual({
      sso: { name: 'Example ID', startUrl: '/api/auth/oidc/start' },
    });
    expect(json(await t.app.inject({ method: 'GET', url: '/api/auth/providers' }))).toEqual({ sso: null });
    const off = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    expect(off.statusCode).toBe(302);
    expect(off.headers.location).toBe('/login?sso=notConfigured');
  });

  it('provisions a new person just in time into the default role, and signs them in', async () => {
    idp.accounts.set('erin', { email: 'Erin.Employee@example.com', name: 'Erin Employee' });
    const { callback } = await signIn('erin');
    expect(callback.statusCode).toBe(302);
    expect(callback.headers.location).toBe('/risks');
    expect(cookie(callback, 'praxis_oidc')?.value).toBe('');
    const session = await sessionOf(callback);
    expect(session.user).toMatchObject({ email: 'erin.employee@example.com', name: 'Erin Employee', isAdmin: false, hasPassword: false });
    expect(session.memberships).toEqual([{ scopeId, scopeName: 'Example Ltd', role: 'employee' }]);
    const user = await t.deps.db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', 'erin.employee@example.com')
      .executeTakeFirstOrThrow();
    expect(user.password_hash).toBeNull();
    expect(user.status).toBe('active');
    const trail = await t.deps.db
      .selectFrom('audit_entry')
      .select(['action', 'record_type'])
      .where('record_id', '=', user.id)
      .orderBy('seq')
      .execute();
    expect(trail.map((e) => e.action)).toEqual(['create', 'link-identity', 'login']);
    const [m] = await membershipAudit(user.email);
    const created = JSON.parse(m!.changes);
    expect(created).toMatchObject({ role: { to: 'employee' }, source: { to: 'sso:default-role' } });
    // how single sign-on gave it, in the reader's language
    expect(showAuditValue(auditWordsIn('de', []), 'membership', 'source', created.source.to).text).toBe('Single Sign-on, Standardrolle');
    expect(showAuditValue(auditWordsIn('en', []), 'membership', 'source', created.source.to).text).toBe('single sign-on, default role');

    // the second time the same identity signs in: no new user, no new membership
    const again = await signIn('erin', '/');
    expect(again.callback.headers.location).toBe('/');
    expect((await sessionOf(again.callback)).user.id).toBe(user.id);
    expect(await membershipAudit(user.email)).toHaveLength(1);
  });

  it('maps the provider’s groups to scope roles at every sign-in, trailed, and takes them away with the group', async () => {
    idp.accounts.set('mia', { email: 'mia@example.com', name: 'Mia Manager', groups: ['staff', 'isms-team', 'dc-auditors', 'unknown'] });
    const first = await sessionOf((await signIn('mia')).callback);
    // the highest role where two groups name one scope
    expect(new Map(first.memberships.map((m: { scopeId: string; role: string }) => [m.scopeId, m.role]))).toEqual(
      new Map([
        [scopeId, 'manager'],
        [otherScopeId, 'auditor'],
      ]),
    );
    idp.accounts.set('mia', { email: 'mia@example.com', name: 'Mia Manager', groups: ['staff'] });
    const second = await sessionOf((await signIn('mia')).callback);
    expect(second.memberships).toEqual([{ scopeId, scopeName: 'Example Ltd', role: 'employee' }]);
    const trail = await membershipAudit('mia@example.com');
    expect(trail.map((e) => [e.action, e.scope_id])).toEqual([
      ['create', scopeId],
      ['create', otherScopeId],
      ['update', scopeId],
      ['delete', otherScopeId],
    ]);
    expect(JSON.parse(trail[2]!.changes)).toMatchObject({
      role: { from: 'manager', to: 'employee' },
      source: { to: 'sso:group:staff' },
    });
    const deleted = JSON.parse(trail[3]!.changes);
    expect(deleted.source.from).toMatch(/^sso:provider-groups:/);
    const de = auditWordsIn('de', []);
    expect(showAuditValue(de, 'membership', 'source', 'sso:group:staff').text).toBe('Single Sign-on, Gruppe staff');
    expect(showAuditValue(de, 'membership', 'source', deleted.source.from).text).toMatch(/^Gruppen von \S/);
  });

  it('links an existing account by a verified email, never by an unverified one', async () => {
    const existing = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    idp.accounts.set('unverified', { email: existing.email, emailVerified: false });
    const refused = await signIn('unverified');
    expect(refused.callback.headers.location).toBe('/login?sso=unverified');
    expect(cookie(refused.callback, 'praxis_session')).toBeUndefined();

    idp.accounts.set('verified', { email: existing.email, emailVerified: true });
    const session = await sessionOf((await signIn('verified')).callback);
    expect(session.user.id).toBe(existing.id);
    // a membership given here by hand stays as it is (no group names the scope)
    expect(session.memberships).toEqual([{ scopeId, scopeName: 'Example Ltd', role: 'contributor' }]);
  });

  it('refuses a disabled account, a replayed or foreign callback, and a sign-in without the browser’s cookie', async () => {
    idp.accounts.set('dora', { email: 'dora@example.com' });
    await sessionOf((await signIn('dora')).callback);
    await t.deps.db.updateTable('app_user').set({ status: 'disabled' }).where('email', '=', 'dora@example.com').execute();
    const disabled = await signIn('dora');
    expect(disabled.callback.headers.location).toBe('/login?sso=disabled');
    expect(cookie(disabled.callback, 'praxis_session')).toBeUndefined();

    idp.accounts.set('finn', { email: 'finn@example.com' });
    const { back, pending } = await signIn('finn');
    // the same code again: the provider has already redeemed it
    const replay = await app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback${back.search}`,
      headers: { cookie: `praxis_oidc=${pending}` },
    });
    expect(replay.headers.location).toBe('/login?sso=failed');
    // no pending cookie (another browser): expired
    const start = await app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    const fresh = await signInAtProvider(start.headers.location as string, 'finn', CALLBACK);
    const noCookie = await app.inject({ method: 'GET', url: `/api/auth/oidc/callback${fresh.search}` });
    expect(noCookie.headers.location).toBe('/login?sso=expired');
    // another attempt's cookie: the state does not match
    const other = await app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
    const wrongState = await app.inject({
      method: 'GET',
      url: `/api/auth/oidc/callback${fresh.search}`,
      headers: { cookie: `praxis_oidc=${cookie(other, 'praxis_oidc')!.value}` },
    });
    expect(wrongState.headers.location).toBe('/login?sso=failed');
    expect(cookie(wrongState, 'praxis_session')).toBeUndefined();
    // the person cancelled at the provider
    const cancelled = await app.inject({ method: 'GET', url: '/api/auth/oidc/callback?error=access_denied&state=x' });
    expect(cancelled.headers.location).toBe('/login?sso=cancelled');
  });

  it('asks for the second factor after the provider when one is enrolled', async () => {
    idp.accounts.set('tara', { email: 'tara@example.com', name: 'Tara Totp' });
    const first = (await signIn('tara')).callback;
    const session = {
      cookie: `praxis_session=${cookie(first, 'praxis_session')!.value}`,
      'x-csrf-token': (await sessionOf(first)).csrfToken,
    };
    const epoch = () => Math.floor(clock.now().getTime() / 1000);
    const setup = await app.inject({ method: 'POST', url: '/api/me/mfa/totp', headers: session });
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret } = json(setup);
    const confirm = await app.inject({
      method: 'POST',
      url: '/api/me/mfa/totp/confirm',
      headers: session,
      payload: { code: await generate({ secret, epoch: epoch() }) },
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: session });

    // the provider alone no longer signs in: the sign-in page asks for the code
    const { callback } = await signIn('tara', '/risks');
    expect(callback.headers.location).toBe('/login?mfa=1&next=%2Frisks');
    expect(cookie(callback, 'praxis_session')).toBeUndefined();
    const pending = `praxis_mfa=${cookie(callback, 'praxis_mfa')!.value}`;
    expect(json(await app.inject({ method: 'GET', url: '/api/auth/mfa', headers: { cookie: pending } }))).toMatchObject({
      mfaRequired: true,
    });
    clock.advance(30_000);
    const done = await app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      headers: { cookie: pending },
      payload: { method: 'totp', code: await generate({ secret, epoch: epoch() }) },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done).user.email).toBe('tara@example.com');
  });

  it('the same new person signing in twice at once gets one account, and no error page', async () => {
    idp.accounts.set('twin', { email: 'twin@example.com' });
    const flows = [];
    for (let i = 0; i < 2; i++) {
      const start = await app.inject({ method: 'GET', url: '/api/auth/oidc/start' });
      const back = await signInAtProvider(start.headers.location as string, 'twin', CALLBACK);
      flows.push({ back, pending: cookie(start, 'praxis_oidc')!.value });
    }
    const results = await Promise.all(
      flows.map((f) =>
        app.inject({ method: 'GET', url: `/api/auth/oidc/callback${f.back.search}`, headers: { cookie: `praxis_oidc=${f.pending}` } }),
      ),
    );
    for (const r of results) {
      expect(r.statusCode).toBe(302);
      expect(['/', '/login?sso=failed']).toContain(r.headers.location);
    }
    expect(results.some((r) => cookie(r, 'praxis_session'))).toBe(true);
    const users = await t.deps.db.selectFrom('app_user').select('id').where('email', '=', 'twin@example.com').execute();
    expect(users).toHaveLength(1);
  });

  it('never redirects to another site after sign-in', async () => {
    idp.accounts.set('olga', { email: 'olga@example.com' });
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/api/auth/logout']) {
      const { callback } = await signIn('olga', returnTo);
      expect(callback.headers.location, returnTo).toBe('/');
    }
  });
});
