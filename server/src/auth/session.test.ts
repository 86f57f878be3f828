import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createTestContext, dialects, json, TEST_PASSWORD, TestClock, type TestContext } from '../test/harness.ts';

const cookieOf = (res: LightMyRequestResponse) => {
  const c = res.cookies.find((x) => x.name === 'praxis_session');
  return c ? `praxis_session=${c.value}` : '';
};

describe.each(dialects)('setup, sessions and tokens on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock();

  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  const login = (email: string, password = TEST_PASSWORD) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  it('first-run setup creates the administrator and the first scope once', async () => {
    expect(json(await t.app.inject({ method: 'GET', url: '/api/setup' }))).toEqual({ needed: true });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { admin: { email: 'a@example.com', name: 'A', password: 'short' }, scope: { name: 'S', profile: 'small' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toBe('body.admin.password');
    const badProfile = await t.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { admin: { email: 'a@example.com', name: 'A', password: 'long enough password' }, scope: { name: 'S', profile: 'tiny' } },
    });
    expect(json(badProfile).error.field).toBe('body.scope.profile');
    expect(json(await t.app.inject({ method: 'GET', url: '/api/setup' })).needed).toBe(true);

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: {
        admin: { email: 'Admin@Example.com', name: 'Admin', password: 'long enough password' },
        scope: { name: 'Example Ltd', profile: 'large' },
      },
    });
    expect(res.statusCode).toBe(201);
    const cookie = res.cookies.find((c) => c.name === 'praxis_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const session = json(res);
    expect(session.user).toMatchObject({ email: 'admin@example.com', isAdmin: true, hasPassword: true });
    expect(session.memberships).toEqual([{ scopeId: expect.any(String), scopeName: 'Example Ltd', role: 'manager' }]);
    const map = json(
      await t.app.inject({
        method: 'GET',
        url: `/api/scopes/${session.memberships[0].scopeId}/processes`,
        headers: { cookie: cookieOf(res) },
      }),
    );
    expect(map.processes).toHaveLength(18);

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { admin: { email: 'b@example.com', name: 'B', password: 'long enough password' }, scope: { name: 'X', profile: 'small' } },
    });
    expect(again.statusCode).toBe(409);
    expect(json(again).error.code).toBe('setup_already_done');
    expect(json(await t.app.inject({ method: 'GET', url: '/api/setup' })).needed).toBe(false);
  });

  it('logs in and out with a session cookie; writes need the CSRF token', async () => {
    const user = await buildUser(t.deps);
    const wrong = await login(user.email, 'not the password');
    const unknown = await login('nobody@test.example', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(json(unknown).error.message).toBe(json(wrong).error.message);

    const res = await login(user.email.toUpperCase());
    expect(res.statusCode).toBe(200);
    const cookie = cookieOf(res);
    const { csrfToken } = json(res);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).statusCode).toBe(200);

    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/me/tokens', headers: { cookie }, payload: { name: 'x' } });
    expect(noCsrf.statusCode).toBe(403);
    expect(json(noCsrf).error.code).toBe('csrf_failed');
    const withCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/me/tokens',
      headers: { cookie, 'x-csrf-token': csrfToken },
      payload: { name: 'x' },
    });
    expect(withCsrf.statusCode).toBe(201);

    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': csrfToken } })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('rate-limits password guessing per account', async () => {
    const user = await buildUser(t.deps);
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await login(user.email, `guess ${i}`)).statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes[10]).toBe(429);
    expect(json(await login(user.email)).error.code).toBe('rate_limited');
  });

  it('ends idle sessions after an hour and every session after twelve hours', async () => {
    const user = await buildUser(t.deps);
    const cookie = cookieOf(await login(user.email));
    const alive = async () => (await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).statusCode === 200;
    for (let h = 0; h < 11; h++) {
      clock.advance(50 * 60_000);
      expect(await alive()).toBe(true);
    }
    clock.advance(2 * 3600_000);
    expect(await alive()).toBe(false);

    const idle = cookieOf(await login(user.email));
    clock.advance(61 * 60_000);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: idle } })).statusCode).toBe(401);
  });

  it('API tokens are shown once, hashed at rest, and stop working when revoked', async () => {
    const user = await buildUser(t.deps);
    const cookieRes = await login(user.email);
    const h = { cookie: cookieOf(cookieRes), 'x-csrf-token': json(cookieRes).csrfToken };
    const created = json(await t.app.inject({ method: 'POST', url: '/api/me/tokens', headers: h, payload: { name: 'Import script' } }));
    expect(created.token).toMatch(/^prx_/);
    const stored = await t.deps.db.selectFrom('api_token').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(created.token.slice(4));
    const list = json(await t.app.inject({ method: 'GET', url: '/api/me/tokens', headers: h }));
    expect(JSON.stringify(list)).not.toContain(created.token);
    const bearer = { authorization: `Bearer ${created.token}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: bearer })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/me/tokens', headers: bearer, payload: { name: 'more' } })).statusCode).toBe(
      403,
    );
    expect((await t.app.inject({ method: 'DELETE', url: `/api/me/tokens/${created.id}`, headers: h })).statusCode).toBe(204);
    const revoked = await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { authorization: 'Bearer prx_forged' } })).statusCode,
    ).toBe(401);
  });

  it('changes a password only with the current one, and ends the sessions', async () => {
    const user = await buildUser(t.deps);
    const res = await login(user.email);
    const h = { cookie: cookieOf(res), 'x-csrf-token': json(res).csrfToken };
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: h,
      payload: { currentPassword: 'nope', newPassword: 'a brand new password' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).error.field).toBe('body.currentPassword');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/password',
          headers: h,
          payload: { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password' },
        })
      ).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: h.cookie } })).statusCode).toBe(401);
    expect((await login(user.email, 'a brand new password')).statusCode).toBe(200);
  });

  it('invites a new person who sets a password once; expired links are refused', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const invite = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scope.id}/members`,
      headers: manager.headers,
      payload: { email: 'new.person@test.example', name: 'New Person', role: 'viewer' },
    });
    expect(invite.statusCode).toBe(201);
    const { invitationUrl, member } = json(invite);
    expect(member).toMatchObject({ role: 'viewer', status: 'invited' });
    const token = invitationUrl.split('/').pop();
    expect(json(await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` }))).toEqual({
      email: 'new.person@test.example',
      name: 'New Person',
      scopeName: scope.name,
    });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scope.id}/members`,
      headers: manager.headers,
      payload: { email: 'new.person@test.example', role: 'viewer' },
    });
    expect(again.statusCode).toBe(409);
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/${token}/accept`,
      payload: { password: 'my own password 1' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(json(accepted).memberships).toEqual([{ scopeId: scope.id, scopeName: scope.name, role: 'viewer' }]);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: { password: 'another password' } }))
        .statusCode,
    ).toBe(404);
    expect((await login('new.person@test.example', 'my own password 1')).statusCode).toBe(200);

    const late = json(
      await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scope.id}/members`,
        headers: manager.headers,
        payload: { email: 'late@test.example', role: 'employee' },
      }),
    );
    clock.advance(15 * 86_400_000);
    expect((await t.app.inject({ method: 'GET', url: `/api/invitations/${late.invitationUrl.split('/').pop()}` })).statusCode).toBe(404);
  });

  it('disabled users can neither log in nor use their tokens; a scope keeps its last manager', async () => {
    const admin = await buildUser(t.deps, { isAdmin: true });
    const { scope, manager } = await buildScope(t.deps);
    const user = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']] });
    const u = json(await t.app.inject({ method: 'GET', url: `/api/users?q=${user.email}`, headers: admin.headers })).items[0];
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `/api/users/${user.id}`,
          headers: admin.headers,
          payload: { version: u.version, status: 'disabled' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await login(user.email)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/session', headers: user.headers })).statusCode).toBe(401);

    const m = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/members`, headers: manager.headers })).find(
      (x: { userId: string }) => x.userId === manager.id,
    );
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `/api/scopes/${scope.id}/members/${manager.id}`,
      headers: manager.headers,
      payload: { version: m.version, role: 'viewer' },
    });
    expect(demote.statusCode).toBe(409);
    expect(json(demote).error.code).toBe('invalid_state');
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/scopes/${scope.id}/members/${manager.id}`, headers: manager.headers })).statusCode,
    ).toBe(409);
  });

  it('sends security headers, JSON 404s, the OpenAPI document and health', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(json(res)).toEqual({ status: 'ok', database: dialect });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const missing = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).error.code).toBe('not_found');
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toContain('/api/scopes/{scopeId}/assets');
  });

  it('answers malformed requests to every write route with a 4xx, never a 5xx', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const admin = await buildUser(t.deps, { isAdmin: true });
    const id = '01900000-0000-7000-8000-000000000000';
    const routes: [string, string][] = [
      ['POST', '/api/setup'],
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/password'],
      ['POST', '/api/me/tokens'],
      ['POST', '/api/users'],
      ['PATCH', `/api/users/${id}`],
      ['POST', '/api/scopes'],
      ['PATCH', `/api/scopes/${scope.id}`],
      ['POST', `/api/scopes/${scope.id}/members`],
      ['PATCH', `/api/scopes/${scope.id}/members/${id}`],
      ['POST', `/api/scopes/${scope.id}/assets`],
      ['PATCH', `/api/scopes/${scope.id}/assets/${id}`],
      ['PATCH', `/api/scopes/${scope.id}/processes/risk-assessment`],
      ['POST', `/api/scopes/${scope.id}/tasks`],
      ['PATCH', `/api/scopes/${scope.id}/tasks/${id}`],
      ['POST', '/api/invitations/not-a-real-token-at-all/accept'],
    ];
    const bodies: (string | object)[] = [
      '{"broken": ',
      '[]',
      '"text"',
      'null',
      { version: 'one', name: 42, unexpected: true },
      { version: 1, name: 'x'.repeat(100_000) },
      { version: -1 },
      {},
    ];
    for (const [method, url] of routes) {
      for (const body of bodies) {
        for (const headers of [manager.headers, admin.headers]) {
          const res = await t.app.inject({
            method: method as 'POST' | 'PATCH',
            url,
            headers: { ...headers, 'content-type': 'application/json' },
            payload: typeof body === 'string' ? body : JSON.stringify(body),
          });
          expect(res.statusCode, `${method} ${url} ${JSON.stringify(body).slice(0, 40)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
          expect(json(res).error.message).toBeTruthy();
        }
      }
    }
    for (const url of [
      `/api/scopes/not-a-uuid/assets`,
      `/api/scopes/${scope.id}/assets/not-a-uuid`,
      `/api/scopes/${scope.id}/assets?page=0`,
      `/api/scopes/${scope.id}/assets?page=abc`,
    ]) {
      const res = await t.app.inject({ method: 'GET', url, headers: manager.headers });
      expect(res.statusCode, url).toBe(400);
    }
  });
});
