import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userResetPasswordCommand } from '../cli/actions.ts';
import { buildUser, createScopeContext, dialects, json, requester, type TestContext, TestClock, type TestUser } from '../test/harness.ts';

const DAY = 86_400_000;

describe.each(dialects)('invited users on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let admin: TestUser;
  const clock = new TestClock();
  const { call, ok } = requester(() => t);

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock }));
    admin = await buildUser(t.deps, { isAdmin: true, name: 'Installation admin' });
  });
  afterAll(() => t.close());

  const invite = async (email: string) => {
    const r = await ok('POST', `/api/scopes/${scopeId}/members`, manager, { email, name: 'Invited person', role: 'contributor' }, 201);
    return { userId: r.member.userId as string, token: (r.invitationUrl as string).replace('/invite/', '') };
  };
  const invitationOpens = async (token: string) => (await t.app.inject({ method: 'GET', url: `/api/invitations/${token}` })).statusCode;
  const login = async (email: string, password: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })).statusCode;
  const auditOf = (userId: string, action: string) =>
    t.deps.db.selectFrom('audit_entry').selectAll().where('record_id', '=', userId).where('action', '=', action).execute();

  it('an administrator resends an invitation: a fresh link that works, the old one stops, its expiry is listed and audited', async () => {
    const { userId, token: first } = await invite('resend@example.com');
    expect(await invitationOpens(first)).toBe(200);

    clock.advance(3 * DAY);
    const link = await ok('POST', `/api/users/${userId}/invitation`, admin, undefined, 201);
    expect(link.invitationUrl).toMatch(/^\/invite\/[\w-]+$/);
    expect(link.scopeName).toMatch(/^Scope /);
    expect(link.expiresAt).toBe(new Date(clock.now().getTime() + 14 * DAY).toISOString());
    const second = link.invitationUrl.replace('/invite/', '');
    expect(second).not.toBe(first);
    expect(await invitationOpens(first)).toBe(404);
    expect(await invitationOpens(second)).toBe(200);

    const listed = await ok('GET', '/api/users?q=resend%40example.com', admin);
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ status: 'invited', invitationExpiresAt: link.expiresAt });
    const others = await ok('GET', `/api/users?q=${encodeURIComponent(manager.email)}`, admin);
    expect(others.items[0]).toMatchObject({ status: 'active', invitationExpiresAt: null });

    const [entry] = await auditOf(userId, 'resend-invitation');
    expect(entry).toMatchObject({ actor_id: admin.id, record_ref: 'resend@example.com' });
    expect(JSON.parse(entry!.changes as string)).toEqual({ invitationExpiresAt: { from: expect.any(String), to: link.expiresAt } });

    // a second resend ends the second link as well
    const third = (await ok('POST', `/api/users/${userId}/invitation`, admin, undefined, 201)).invitationUrl.replace('/invite/', '');
    expect(await invitationOpens(second)).toBe(404);

    // accepting it activates the account; then there is nothing to resend
    const accepted = await t.app.inject({
      method: 'POST',
      url: `/api/invitations/${third}/accept`,
      payload: { password: 'invited password 1' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const again = await call('POST', `/api/users/${userId}/invitation`, admin);
    expect(again.statusCode).toBe(409);
    expect(json(again).error.message).toMatch(/has accepted the invitation/);
  });

  it('only an administrator resends, only for an invited user that exists', async () => {
    const { userId, token } = await invite('access@example.com');
    expect((await call('POST', `/api/users/${userId}/invitation`, manager)).statusCode).toBe(403);
    const member = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    expect((await call('POST', `/api/users/${userId}/invitation`, member)).statusCode).toBe(403);
    expect(await invitationOpens(token)).toBe(200);
    expect(await auditOf(userId, 'resend-invitation')).toEqual([]);

    expect((await call('POST', '/api/users/01890000-0000-7000-8000-000000000000/invitation', admin)).statusCode).toBe(404);
    expect((await call('POST', '/api/users/not-an-id/invitation', admin)).statusCode).toBe(400);
    const active = await call('POST', `/api/users/${manager.id}/invitation`, admin);
    expect(active.statusCode).toBe(409);

    const user = (await ok('GET', '/api/users?q=access%40example.com', admin)).items[0];
    await ok('PATCH', `/api/users/${userId}`, admin, { version: user.version, status: 'disabled' });
    const disabled = await call('POST', `/api/users/${userId}/invitation`, admin);
    expect(disabled.statusCode).toBe(409);
    expect(json(disabled).error.message).toMatch(/is disabled/);
  });

  it('praxis user reset-password activates an invited user and refuses a disabled one with the reason', async () => {
    const { userId, token } = await invite('cli-invited@example.com');
    const out = await userResetPasswordCommand(t.deps, { email: 'cli-invited@example.com', password: 'set by the admin 1' });
    expect(out.stdout).toMatch(/cli-invited@example.com was invited .* now active/);
    expect(await login('cli-invited@example.com', 'set by the admin 1')).toBe(200);
    expect(await invitationOpens(token)).toBe(404);
    const [entry] = await auditOf(userId, 'password-set');
    expect(JSON.parse(entry!.changes as string)).toMatchObject({ status: { from: 'invited', to: 'active' } });
    const listed = (await ok('GET', '/api/users?q=cli-invited%40example.com', admin)).items[0];
    expect(listed).toMatchObject({ status: 'active', invitationExpiresAt: null });

    // a disabled account keeps its password and stays disabled
    await ok('PATCH', `/api/users/${userId}`, admin, { version: listed.version, status: 'disabled' });
    await expect(
      userResetPasswordCommand(t.deps, { email: 'cli-invited@example.com', password: 'another password 2' }),
    ).rejects.toMatchObject({ code: 'invalid_state', message: expect.stringMatching(/is disabled, so the password was not reset/) });
    const row = await t.deps.db.selectFrom('app_user').select(['status']).where('id', '=', userId).executeTakeFirstOrThrow();
    expect(row.status).toBe('disabled');
    expect(await auditOf(userId, 'password-set')).toHaveLength(1);
  });
});
