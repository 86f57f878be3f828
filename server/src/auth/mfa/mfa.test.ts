import type { LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildScope,
  buildUser,
  createTestContext,
  dialects,
  json,
  TEST_PASSWORD,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';
import { resetMfaCommand } from './mfa.cli.ts';
import { openSecret } from './secret-box.ts';

const cookieOf = (res: LightMyRequestResponse, name: string) => {
  const c = res.cookies.find((x) => x.name === name);
  return c ? `${name}=${c.value}` : '';
};

describe.each(dialects)('multi-factor sign-in on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock();
  const epoch = () => Math.floor(clock.now().getTime() / 1000);
  const codeFor = (secret: string) => generate({ secret, epoch: epoch() });
  /** the next 30-second step: a TOTP code is accepted once */
  const nextStep = () => clock.advance(30_000);

  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload && { payload }) });

  /** a full session: cookie and CSRF header */
  type Session = { cookie: string; 'x-csrf-token': string };
  const sessionOf = (res: LightMyRequestResponse): Session => ({
    cookie: cookieOf(res, 'praxis_session'),
    'x-csrf-token': json(res).csrfToken,
  });
  const login = (email: string, password = TEST_PASSWORD) => inject('POST', '/api/auth/login', {}, { email, password });

  async function enrolTotp(user: TestUser) {
    const session = sessionOf(await login(user.email));
    const setup = await inject('POST', '/api/me/mfa/totp', session);
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, otpauthUri, qrDataUrl } = json(setup);
    const confirmed = await inject('POST', '/api/me/mfa/totp/confirm', session, { code: await codeFor(secret) });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    return {
      session,
      secret: secret as string,
      otpauthUri: otpauthUri as string,
      qrDataUrl: qrDataUrl as string,
      recoveryCodes: json(confirmed).recoveryCodes as string[],
    };
  }

  it('enrols an authenticator app: secret and QR shown once, stored encrypted, confirmed with a code; trails it', async () => {
    const user = await buildUser(t.deps);
    const session = sessionOf(await login(user.email));
    const status0 = json(await inject('GET', '/api/me/mfa', session));
    expect(status0).toMatchObject({ totp: { enabled: false }, passkeys: [], recoveryCodesLeft: 0 });

    const setup = json(await inject('POST', '/api/me/mfa/totp', session));
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\/Praxis:.*secret=/);
    expect(setup.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const row = await t.deps.db.selectFrom('user_totp').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(setup.secret);
    expect(openSecret(t.deps.config, row.secret_enc)).toBe(setup.secret);
    expect(row.confirmed_at).toBeNull();

    // not on until confirmed: signing in still needs the password only
    expect(json(await login(user.email)).user.email).toBe(user.email);
    const wrong = await inject('POST', '/api/me/mfa/totp/confirm', session, { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).error).toMatchObject({ field: 'body.code', key: 'errors:mfaCodeWrong' });
    const ok = await inject('POST', '/api/me/mfa/totp/confirm', session, { code: await codeFor(setup.secret) });
    expect(ok.statusCode, ok.body).toBe(200);
    const codes = json(ok).recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = await t.deps.db.selectFrom('user_recovery_code').select('code_hash').where('user_id', '=', user.id).execute();
    expect(stored.map((s) => s.code_hash).join()).not.toContain(codes[0]!.replace('-', ''));

    const status = json(await inject('GET', '/api/me/mfa', session));
    expect(status).toMatchObject({ totp: { enabled: true }, recoveryCodesLeft: 10 });
    expect(JSON.stringify(status)).not.toContain(setup.secret);
    // a second setup while one is on is refused
    expect((await inject('POST', '/api/me/mfa/totp', session)).statusCode).toBe(409);

    const trail = await t.deps.db.selectFrom('audit_entry').select('action').where('record_id', '=', user.id).execute();
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['mfa-totp-enrol', 'mfa-recovery-codes-issue']));
  });

  it('signs in in two steps: the password gives no session until the code is right; a code works once', async () => {
    const user = await buildUser(t.deps);
    const { secret } = await enrolTotp(user);
    nextStep();

    const first = await login(user.email);
    expect(first.statusCode).toBe(200);
    expect(json(first)).toEqual({ mfaRequired: true, methods: ['totp', 'recovery'] });
    expect(cookieOf(first, 'praxis_session')).toBe('');
    const pending = { cookie: cookieOf(first, 'praxis_mfa') };
    expect(pending.cookie).not.toBe('');
    expect(first.cookies.find((c) => c.name === 'praxis_mfa')).toMatchObject({ httpOnly: true, path: '/api/auth' });
    // the pending sign-in is no session
    expect((await inject('GET', '/api/auth/session', pending)).statusCode).toBe(401);
    expect(json(await inject('GET', '/api/auth/mfa', pending))).toEqual({ mfaRequired: true, methods: ['totp', 'recovery'] });

    const wrong = await inject('POST', '/api/auth/mfa', pending, { method: 'totp', code: '123456' });
    expect(wrong.statusCode).toBe(401);
    expect(json(wrong).error.field).toBe('body.code');
    const code = await codeFor(secret);
    const ok = await inject('POST', '/api/auth/mfa', pending, { method: 'totp', code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok).user.email).toBe(user.email);
    const session = sessionOf(ok);
    expect((await inject('GET', '/api/auth/session', session)).statusCode).toBe(200);
    // the challenge is used up
    expect((await inject('POST', '/api/auth/mfa', pending, { method: 'totp', code })).statusCode).toBe(401);

    // the same code in the same step, on a new sign-in: refused (replay)
    const again = { cookie: cookieOf(await login(user.email), 'praxis_mfa') };
    expect((await inject('POST', '/api/auth/mfa', again, { method: 'totp', code })).statusCode).toBe(401);
    nextStep();
    expect((await inject('POST', '/api/auth/mfa', again, { method: 'totp', code: await codeFor(secret) })).statusCode).toBe(200);

    // the challenge expires after five minutes
    const late = { cookie: cookieOf(await login(user.email), 'praxis_mfa') };
    clock.advance(5 * 60_000 + 1000);
    const expired = await inject('POST', '/api/auth/mfa', late, { method: 'totp', code: await codeFor(secret) });
    expect(expired.statusCode).toBe(401);
    expect(json(expired).error.key).toBe('errors:mfaSignInExpired');

    // API tokens are unaffected
    expect((await inject('GET', '/api/me/tokens', user.headers)).statusCode).toBe(200);
  });

  it('limits wrong second factors per sign-in and per user, in the database', async () => {
    const user = await buildUser(t.deps);
    const { secret } = await enrolTotp(user);
    nextStep();
    const pending = { cookie: cookieOf(await login(user.email), 'praxis_mfa') };
    for (let i = 0; i < 5; i++)
      expect((await inject('POST', '/api/auth/mfa', pending, { method: 'totp', code: '000000' })).statusCode).toBe(401);
    const blocked = await inject('POST', '/api/auth/mfa', pending, { method: 'totp', code: await codeFor(secret) });
    expect(blocked.statusCode).toBe(429);
    // a new sign-in gets five more, but the user's budget (10 in 15 minutes) is then used up, whatever the challenge
    const second = { cookie: cookieOf(await login(user.email), 'praxis_mfa') };
    for (let i = 0; i < 5; i++) await inject('POST', '/api/auth/mfa', second, { method: 'recovery', code: 'aaaaa-bbbbb' });
    const third = { cookie: cookieOf(await login(user.email), 'praxis_mfa') };
    expect((await inject('POST', '/api/auth/mfa', third, { method: 'totp', code: await codeFor(secret) })).statusCode).toBe(429);
    clock.advance(16 * 60_000);
    const later = { cookie: cookieOf(await login(user.email), 'praxis_mfa') };
    expect((await inject('POST', '/api/auth/mfa', later, { method: 'totp', code: await codeFor(secret) })).statusCode).toBe(200);
  });

  it('a recovery code signs in once and is trailed; regenerating replaces them; disabling needs the password or a code', async () => {
    const user = await buildUser(t.deps);
    const { secret, recoveryCodes, session } = await enrolTotp(user);
    const pending = { cookie: cookieOf(await login(user.email), 'praxis_mfa') };
    const used = recoveryCodes[3]!;
    const ok = await inject('POST', '/api/auth/mfa', pending, { method: 'recovery', code: used.toUpperCase().replace('-', ' ') });
    expect(ok.statusCode, ok.body).toBe(200);
    const trail = await t.deps.db.selectFrom('audit_entry').select(['action', 'changes']).where('record_id', '=', user.id).execute();
    expect(trail.find((e) => e.action === 'mfa-recovery-code-use')).toBeTruthy();
    const second = { cookie: cookieOf(await login(user.email), 'praxis_mfa') };
    expect((await inject('POST', '/api/auth/mfa', second, { method: 'recovery', code: used })).statusCode).toBe(401);
    expect(json(await inject('GET', '/api/me/mfa', session)).recoveryCodesLeft).toBe(9);

    const noProof = await inject('POST', '/api/me/mfa/recovery-codes', session, {});
    expect(noProof.statusCode).toBe(400);
    expect(json(noProof).error.field).toBe('body.password');
    const fresh = json(await inject('POST', '/api/me/mfa/recovery-codes', session, { password: TEST_PASSWORD })).recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    const third = { cookie: cookieOf(await login(user.email), 'praxis_mfa') };
    expect((await inject('POST', '/api/auth/mfa', third, { method: 'recovery', code: recoveryCodes[0]! })).statusCode).toBe(401);
    expect((await inject('POST', '/api/auth/mfa', third, { method: 'recovery', code: fresh[0]! })).statusCode).toBe(200);

    const wrongPassword = await inject('POST', '/api/me/mfa/totp/disable', session, { password: 'not the password' });
    expect(wrongPassword.statusCode).toBe(400);
    expect(json(wrongPassword).error.field).toBe('body.password');
    nextStep();
    const off = await inject('POST', '/api/me/mfa/totp/disable', session, { code: await codeFor(secret) });
    expect(off.statusCode, off.body).toBe(204);
    expect(json(await inject('GET', '/api/me/mfa', session))).toMatchObject({ totp: { enabled: false }, recoveryCodesLeft: 0 });
    expect(json(await login(user.email)).user.email).toBe(user.email);
    const actions = (await t.deps.db.selectFrom('audit_entry').select('action').where('record_id', '=', user.id).execute()).map(
      (e) => e.action,
    );
    expect(actions).toContain('mfa-totp-disable');
  });

  it('a secret that the configured key cannot open (the key was changed) is refused with a clear text, not a 500', async () => {
    const user = await buildUser(t.deps);
    const { secret } = await enrolTotp(user);
    nextStep();
    await t.deps.db.updateTable('user_totp').set({ secret_enc: 'v1:AAAA:AAAA:AAAA' }).where('user_id', '=', user.id).execute();
    const pending = { cookie: cookieOf(await login(user.email), 'praxis_mfa') };
    const res = await inject('POST', '/api/auth/mfa', pending, { method: 'totp', code: await codeFor(secret) });
    expect(res.statusCode).toBe(422);
    expect(json(res).error.key).toBe('errors:totpUnreadable');
  });

  it('second factors are managed in a browser session only, never with an API token', async () => {
    const user = await buildUser(t.deps);
    expect((await inject('POST', '/api/me/mfa/totp', user.headers)).statusCode).toBe(403);
    expect((await inject('POST', '/api/me/passkeys/options', user.headers)).statusCode).toBe(403);
    expect((await inject('POST', '/api/me/mfa/totp')).statusCode).toBe(401);
  });

  it('a scope that requires MFA for managers holds back a manager without it until they enrol', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const url = `/api/scopes/${scope.id}`;
    const refused = await inject('PATCH', url, manager.headers, { version: 1, requireMfaForManagers: true });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).error).toMatchObject({ key: 'errors:mfaEnrolFirst', field: 'body.requireMfaForManagers' });
    await enrolTotp(manager);
    const on = await inject('PATCH', url, manager.headers, { version: 1, requireMfaForManagers: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(json(on)).toMatchObject({ requireMfaForManagers: true, managerNeedsMfa: false, role: 'manager' });
    const trail = await t.deps.db
      .selectFrom('audit_entry')
      .select('changes')
      .where('record_id', '=', scope.id)
      .where('action', '=', 'update')
      .execute();
    expect(JSON.stringify(trail)).toContain('requireMfaForManagers');

    const other = await buildUser(t.deps, { memberships: [[scope.id, 'manager']] });
    const admin = await buildUser(t.deps, { isAdmin: true });
    const contributor = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']] });
    for (const held of [other, admin]) {
      const seen = json(await inject('GET', url, held.headers));
      expect(seen).toMatchObject({ managerNeedsMfa: true, role: 'contributor' });
      const invite = await inject('POST', `${url}/members`, held.headers, { email: `x-${Math.random()}@test.example`, role: 'viewer' });
      expect(invite.statusCode).toBe(403);
      expect(json(invite).error.key).toBe('errors:mfaRequiredForManagers');
      // a contributor's work goes on
      expect((await inject('POST', `${url}/assets`, held.headers, { name: 'Laptop', type: 'system' })).statusCode).toBe(201);
    }
    // the status page says which scopes ask for it
    const otherSession = sessionOf(await login(other.email));
    expect(json(await inject('GET', '/api/me/mfa', otherSession)).requiredBy).toEqual([{ scopeId: scope.id, scopeName: scope.name }]);
    // the requirement is about managers: a contributor is not affected
    expect(json(await inject('GET', url, contributor.headers))).toMatchObject({ managerNeedsMfa: false, role: 'contributor' });

    await enrolTotp(other);
    expect(json(await inject('GET', url, other.headers))).toMatchObject({ managerNeedsMfa: false, role: 'manager' });
    const invite = await inject('POST', `${url}/members`, other.headers, { email: `y-${Math.random()}@test.example`, role: 'viewer' });
    expect(invite.statusCode, invite.body).toBe(201);

    // only managers set it
    const byContributor = await inject('PATCH', url, contributor.headers, { version: 2, requireMfaForManagers: false });
    expect(byContributor.statusCode).toBe(403);
    const off = await inject('PATCH', url, other.headers, { version: 2, requireMfaForManagers: false });
    expect(json(off)).toMatchObject({ requireMfaForManagers: false });
    expect(json(await inject('GET', url, admin.headers))).toMatchObject({ managerNeedsMfa: false, role: 'manager' });
  });

  it('`praxis user reset-mfa EMAIL` removes the factors of a user who lost them, ends their sessions and trails it', async () => {
    const admin = await buildUser(t.deps, { isAdmin: true });
    const { session } = await enrolTotp(admin);
    await expect(resetMfaCommand(t.deps, 'nobody@test.example')).rejects.toThrow(/No user nobody@test.example/);
    const out = await resetMfaCommand(t.deps, admin.email.toUpperCase());
    expect(out.stdout).toMatch(/lost the authenticator app and every recovery code; their sessions were ended/);
    expect((await inject('GET', '/api/auth/session', session)).statusCode).toBe(401);
    expect(json(await login(admin.email)).user.email).toBe(admin.email);
    const entry = await t.deps.db
      .selectFrom('audit_entry')
      .selectAll()
      .where('record_id', '=', admin.id)
      .where('action', '=', 'mfa-reset')
      .executeTakeFirstOrThrow();
    expect(entry.actor_label).toBe('system');
    expect((await resetMfaCommand(t.deps, admin.email)).stdout).toMatch(/had no second factor/);
  });
});
