import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, createTestContext, dialects, json, TEST_PASSWORD, TestClock, type TestContext } from '../../test/harness.ts';
import { SoftAuthenticator } from './soft-authenticator.ts';

const cookieOf = (res: LightMyRequestResponse, name: string) => {
  const c = res.cookies.find((x) => x.name === name);
  return c ? `${name}=${c.value}` : '';
};

/** Passkeys end to end with a software authenticator: registration and assertions are verified by @simplewebauthn/server. */
describe.each(dialects)('passkeys on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock();
  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload && { payload }) });
  const sessionOf = (res: LightMyRequestResponse) => ({
    cookie: cookieOf(res, 'praxis_session'),
    'x-csrf-token': json(res).csrfToken as string,
  });
  const login = (email: string) => inject('POST', '/api/auth/login', {}, { email, password: TEST_PASSWORD });
  const origin = () => new URL(t.deps.config.publicUrl).origin;

  async function register(session: Record<string, string>, name: string, authenticator = new SoftAuthenticator(origin())) {
    const options = json(await inject('POST', '/api/me/passkeys/options', session));
    expect(options.rp.id).toBe(new URL(origin()).hostname);
    const res = await inject('POST', '/api/me/passkeys', session, { name, response: authenticator.register(options) });
    return { res, authenticator };
  }

  it('registers, lists, renames and removes passkeys; the first one issues recovery codes; all trailed', async () => {
    const user = await buildUser(t.deps);
    const session = sessionOf(await login(user.email));
    const { res, authenticator } = await register(session, 'Laptop');
    expect(res.statusCode, res.body).toBe(201);
    const added = json(res);
    expect(added.passkey).toMatchObject({ name: 'Laptop', version: 1, lastUsedAt: null });
    expect(added.recoveryCodes).toHaveLength(10);
    // the same authenticator cannot be registered twice; a second one adds no new codes
    const twice = await register(session, 'Again', authenticator);
    expect(twice.res.statusCode).toBe(409);
    const second = await register(session, 'Phone');
    expect(json(second.res).recoveryCodes).toBeNull();

    const list = json(await inject('GET', '/api/me/passkeys', session));
    expect(list.map((p: { name: string }) => p.name)).toEqual(['Laptop', 'Phone']);
    const renamed = await inject('PATCH', `/api/me/passkeys/${added.passkey.id}`, session, { version: 1, name: 'Work laptop' });
    expect(json(renamed)).toMatchObject({ name: 'Work laptop', version: 2 });
    const stale = await inject('PATCH', `/api/me/passkeys/${added.passkey.id}`, session, { version: 1, name: 'X' });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.details.current.name).toBe('Work laptop');
    const emptyName = await inject('PATCH', `/api/me/passkeys/${added.passkey.id}`, session, { version: 2, name: ' ' });
    expect(emptyName.statusCode).toBe(400);

    // another user's passkey is not found
    const other = sessionOf(await login((await buildUser(t.deps)).email));
    expect((await inject('DELETE', `/api/me/passkeys/${added.passkey.id}`, other)).statusCode).toBe(404);

    expect((await inject('DELETE', `/api/me/passkeys/${added.passkey.id}`, session)).statusCode).toBe(204);
    expect(json(await inject('GET', '/api/me/mfa', session)).recoveryCodesLeft).toBe(10);
    expect((await inject('DELETE', `/api/me/passkeys/${json(second.res).passkey.id}`, session)).statusCode).toBe(204);
    // no factor left: the recovery codes go with it
    expect(json(await inject('GET', '/api/me/mfa', session))).toMatchObject({ passkeys: [], recoveryCodesLeft: 0 });
    const actions = (await t.deps.db.selectFrom('audit_entry').select('action').where('record_id', '=', user.id).execute()).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['mfa-passkey-add', 'mfa-passkey-rename', 'mfa-passkey-remove']));
  });

  it('refuses a registration for another origin or without its challenge', async () => {
    const user = await buildUser(t.deps);
    const session = sessionOf(await login(user.email));
    const authenticator = new SoftAuthenticator(origin());
    const options = json(await inject('POST', '/api/me/passkeys/options', session));
    const phished = await inject('POST', '/api/me/passkeys', session, {
      name: 'X',
      response: authenticator.register(options, 'https://evil.example'),
    });
    expect(phished.statusCode).toBe(400);
    expect(json(phished).error.field).toBe('body.response');
    const wrongChallenge = await inject('POST', '/api/me/passkeys', session, {
      name: 'X',
      response: authenticator.register({ challenge: 'bm90LXRoZS1jaGFsbGVuZ2U' }),
    });
    expect(wrongChallenge.statusCode).toBe(400);
  });

  it('a passkey is the second factor after the password, and signs in without a password', async () => {
    const user = await buildUser(t.deps);
    const session = sessionOf(await login(user.email));
    const { authenticator } = await register(session, 'Laptop');

    const first = await login(user.email);
    expect(json(first)).toEqual({ mfaRequired: true, methods: ['passkey', 'recovery'] });
    const pending = { cookie: cookieOf(first, 'praxis_mfa') };
    const options = json(await inject('POST', '/api/auth/mfa/passkey-options', pending));
    expect(options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([authenticator.id]);
    // an assertion for another challenge is refused and counts as a failure
    const wrong = await inject('POST', '/api/auth/mfa', pending, {
      method: 'passkey',
      response: authenticator.authenticate({ challenge: 'b3RoZXI' }),
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await inject('POST', '/api/auth/mfa', pending, { method: 'passkey', response: authenticator.authenticate(options) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok).user.id).toBe(user.id);
    expect(json(await inject('GET', '/api/me/passkeys', sessionOf(ok)))[0].lastUsedAt).not.toBeNull();

    // passwordless: the passkey alone, with user verification
    const start = await inject('POST', '/api/auth/passkey/options');
    const startOptions = json(start);
    expect(startOptions.userVerification).toBe('required');
    const challengeCookie = { cookie: cookieOf(start, 'praxis_mfa') };
    const signedIn = await inject('POST', '/api/auth/passkey', challengeCookie, { response: authenticator.authenticate(startOptions) });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(json(signedIn).user.id).toBe(user.id);
    // the challenge was used up
    expect(
      (await inject('POST', '/api/auth/passkey', challengeCookie, { response: authenticator.authenticate(startOptions) })).statusCode,
    ).toBe(401);

    // without user verification, no passwordless sign-in
    const presenceOnly = new SoftAuthenticator(origin(), undefined, false);
    const other = await buildUser(t.deps);
    const otherSession = sessionOf(await login(other.email));
    await register(otherSession, 'Key', presenceOnly);
    const start2 = await inject('POST', '/api/auth/passkey/options');
    const refused = await inject(
      'POST',
      '/api/auth/passkey',
      { cookie: cookieOf(start2, 'praxis_mfa') },
      { response: presenceOnly.authenticate(json(start2)) },
    );
    expect(refused.statusCode).toBe(401);
    // but it does as the second factor after the password
    const p2 = await login(other.email);
    const pending2 = { cookie: cookieOf(p2, 'praxis_mfa') };
    const o2 = json(await inject('POST', '/api/auth/mfa/passkey-options', pending2));
    expect(
      (await inject('POST', '/api/auth/mfa', pending2, { method: 'passkey', response: presenceOnly.authenticate(o2) })).statusCode,
    ).toBe(200);
  });
});
