import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTOR_CACHE_TTL_MS } from '../auth/actor-cache.ts';
import { createToken } from '../auth/auth.service.ts';
import { buildScope, buildUser, createTestContext, dialects, json, TEST_PASSWORD, TestClock, type TestContext } from '../test/harness.ts';

const cookieOf = (res: LightMyRequestResponse) => {
  const c = res.cookies.find((x) => x.name === 'praxis_session');
  return c ? `praxis_session=${c.value}` : '';
};

/**
 * The actor cache: a repeated credential costs no SQL, and every change an actor is made of takes effect on the next
 * request — a revoked token or session, a removed membership, a disabled user. A change this process does not make (another
 * instance, the CLI) is seen once the entry's few seconds are over.
 */
describe.each(dialects)('actor cache on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock();
  let scopeId: string;
  let manager: Awaited<ReturnType<typeof buildScope>>['manager'];

  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
    ({
      scope: { id: scopeId },
      manager,
    } = await buildScope(t.deps));
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
  /** the statements spent on authenticating the request */
  const statementsOf = async (run: () => Promise<LightMyRequestResponse>) => {
    const before = t.db.database.queryCounter.auth;
    const res = await run();
    return { res, statements: t.db.database.queryCounter.auth - before };
  };

  it('resolves a token once and then answers from the cache without SQL', async () => {
    const user = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    const first = await statementsOf(() => get('/api/health', user.headers));
    expect(first.res.statusCode).toBe(200);
    expect(first.statements).toBeGreaterThan(0);
    const again = await statementsOf(() => get('/api/health', user.headers));
    expect(again.res.statusCode).toBe(200);
    expect(again.statements).toBe(0);
  });

  it('refuses a revoked token on the next request', async () => {
    const user = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    expect((await get('/api/scopes', user.headers)).statusCode).toBe(200);
    const created = await createToken(t.deps, user.actor, 'ci');
    const second = { authorization: `Bearer ${created.token}` };
    expect((await get('/api/scopes', second)).statusCode).toBe(200);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/me/tokens/${created.id}`, headers: user.headers });
    expect(revoked.statusCode).toBe(204);
    expect((await get('/api/scopes', second)).statusCode).toBe(401);
    expect((await get('/api/scopes', user.headers)).statusCode).toBe(200);
  });

  it('ends a session on logout for the very next request', async () => {
    const user = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: TEST_PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const headers = { cookie: cookieOf(login), 'x-csrf-token': json(login).csrfToken };
    expect((await get('/api/auth/session', headers)).statusCode).toBe(200);
    expect((await get(`/api/scopes/${scopeId}/risks`, headers)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(204);
    expect((await get(`/api/scopes/${scopeId}/risks`, headers)).statusCode).toBe(401);
  });

  it('takes a removed membership and a changed role into account at once', async () => {
    const member = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    const risks = `/api/scopes/${scopeId}/risks`;
    expect((await get(risks, member.headers)).statusCode).toBe(200);
    const create = () => t.app.inject({ method: 'POST', url: risks, headers: member.headers, payload: { title: 'Cached role' } });
    expect((await create()).statusCode).toBe(201);
    const members = json(await get(`/api/scopes/${scopeId}/members`, manager.headers)) as { userId: string; version: number }[];
    const row = members.find((m) => m.userId === member.id)!;
    const demoted = await t.app.inject({
      method: 'PATCH',
      url: `/api/scopes/${scopeId}/members/${member.id}`,
      headers: manager.headers,
      payload: { version: row.version, role: 'employee' },
    });
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect((await create()).statusCode).toBe(403);
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/scopes/${scopeId}/members/${member.id}`, headers: manager.headers });
    expect(removed.statusCode, removed.body).toBe(204);
    expect((await get(risks, member.headers)).statusCode).toBe(404);
  });

  it('refuses a disabled user on the next request', async () => {
    const admin = await buildUser(t.deps, { isAdmin: true });
    const user = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    expect((await get('/api/scopes', user.headers)).statusCode).toBe(200);
    const current = await t.deps.db.selectFrom('app_user').select('version').where('id', '=', user.id).executeTakeFirstOrThrow();
    const disabled = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      headers: admin.headers,
      payload: { version: current.version, status: 'disabled' },
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect((await get('/api/scopes', user.headers)).statusCode).toBe(401);
  });

  it('sees a change made elsewhere (another instance, the CLI) once the entry expires', async () => {
    const user = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    expect((await get('/api/scopes', user.headers)).statusCode).toBe(200);
    // a write this process's query builder does not make, as another instance's would be
    await sql`update app_user set status = 'disabled' where id = ${user.id}`.execute(t.deps.db);
    expect((await get('/api/scopes', user.headers)).statusCode).toBe(200);
    clock.advance(ACTOR_CACHE_TTL_MS);
    expect((await get('/api/scopes', user.headers)).statusCode).toBe(401);
  });
});
