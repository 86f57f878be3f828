import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { openDatabase } from '../db/database.ts';
import { createDeps } from '../deps.ts';
import { resetPassword } from '../users/user.service.ts';
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
} from '../test/harness.ts';
import { isCommonPassword } from './common-passwords.ts';

const cookieOf = (res: { cookies: { name: string; value: string }[] }) => {
  const c = res.cookies.find((x) => x.name === 'praxis_session');
  return c ? `praxis_session=${c.value}` : '';
};

describe('the common password check', () => {
  it('refuses listed passwords, listed ones with digits and symbols around them, and the user’s own name', () => {
    for (const p of ['qwertyuiop123', '1q2w3e4r5t6y', 'Password2024!', 'dragon123456', '!!Sunshine2024', 'aaaaaaaaaaaa', '123456789012'])
      expect(isCommonPassword(p), p).toBe(true);
    expect(isCommonPassword('alice.smith99', ['alice.smith@example.com', 'Alice Smith'])).toBe(true);
    expect(isCommonPassword('Praxis2026!!')).toBe(true);
    for (const p of ['correct horse battery staple', 'test-password-123', 'Tr0ub4dor&3xyz', 'mango kettle violin 7'])
      expect(isCommonPassword(p), p).toBe(false);
  });
});

describe.each(dialects)('sign-in hardening on %s', (dialect) => {
  let t: TestContext;
  /** a second instance of the app on the same database (another process behind the proxy) */
  let second: { app: FastifyInstance; close(): Promise<void> };
  const clock = new TestClock();

  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
    const database = openDatabase(t.db.config, { poolSize: 2 });
    const app = await buildApp(createDeps(t.db.config, database, clock));
    second = {
      app,
      close: async () => {
        await app.close();
        await database.destroy();
      },
    };
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  const apps = () => [t.app, second.app];
  const login = (app: FastifyInstance, email: string, password: string, address = '203.0.113.1') =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: address });

  it('two instances share one budget of wrong passwords per account, from any address', async () => {
    const user = await buildUser(t.deps);
    const codes: number[] = [];
    // alternate instances and addresses: neither spreads the guesses over more budgets
    for (let i = 0; i < 11; i++) codes.push((await login(apps()[i % 2]!, user.email, `guess number ${i}`, `198.51.100.${i}`)).statusCode);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(codes[10]).toBe(429);
    const refused = await login(t.app, user.email, TEST_PASSWORD, '198.51.100.99');
    expect(refused.statusCode).toBe(429);
    expect(json(refused).error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/too many attempts/i) });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // the window slides on: after it, the right password works again
    clock.advance(31 * 60_000);
    expect((await login(second.app, user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('password spraying: one address against 40 accounts is stopped, other addresses are not', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 40; i++) users.push(await buildUser(t.deps));
    const codes: number[] = [];
    for (const [i, u] of users.entries()) codes.push((await login(apps()[i % 2]!, u.email, 'Summer2026 spray', '192.0.2.66')).statusCode);
    expect(codes.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(codes.slice(20)).toEqual(Array(20).fill(429));
    // a colleague behind another address signs in as usual
    expect((await login(t.app, users[0]!.email, TEST_PASSWORD, '192.0.2.67')).statusCode).toBe(200);
    clock.advance(31 * 60_000);
  });

  it('successful sign-ins use up no budget', async () => {
    const user = await buildUser(t.deps);
    for (let i = 0; i < 12; i++) expect((await login(apps()[i % 2]!, user.email, TEST_PASSWORD, '192.0.2.80')).statusCode).toBe(200);
  });

  it('wrong current passwords on a password change are limited across instances', async () => {
    const user = await buildUser(t.deps);
    const session = await login(t.app, user.email, TEST_PASSWORD, '192.0.2.90');
    const headers = { cookie: cookieOf(session), 'x-csrf-token': json(session).csrfToken as string };
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await apps()[i % 2]!.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers,
        payload: { currentPassword: `wrong guess ${i}`, newPassword: 'mango kettle violin 7' },
      });
      codes.push(res.statusCode);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill(400));
    expect(codes.slice(5)).toEqual(Array(20).fill(429));
    // even the right current password waits for the window
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'mango kettle violin 7' },
    });
    expect(right.statusCode).toBe(429);
    clock.advance(31 * 60_000);
    const later = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'mango kettle violin 7' },
    });
    expect(later.statusCode).toBe(204);
  });

  it('refuses common passwords at setup, invitation, change, creation and reset with a clear message', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const inv = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scope.id}/members`,
      headers: manager.headers,
      payload: { email: 'new.colleague@example.com', name: 'New Colleague', role: 'contributor' },
    });
    expect(inv.statusCode).toBe(201);
    const token = (json(inv).invitationUrl as string).replace('/invite/', '');
    for (const password of ['1q2w3e4r5t6y', 'newcolleague2026', 'Password2024!']) {
      const res = await t.app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: { password } });
      expect(res.statusCode, password).toBe(400);
      expect(json(res).error).toMatchObject({ field: 'body.password', message: expect.stringMatching(/too common/) });
    }
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/invitations/${token}/accept`, payload: { password: 'mango kettle violin 7' } }))
        .statusCode,
    ).toBe(200);

    const user = await buildUser(t.deps);
    const session = await login(t.app, user.email, TEST_PASSWORD, '192.0.2.91');
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: cookieOf(session), 'x-csrf-token': json(session).csrfToken as string },
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'dragon123456' },
    });
    expect(change.statusCode).toBe(400);
    expect(json(change).error).toMatchObject({ field: 'body.newPassword', message: expect.stringMatching(/too common/) });

    const admin = await buildUser(t.deps, { isAdmin: true });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { email: 'someone@example.com', name: 'Someone', password: 'baseball1234', isAdmin: false },
    });
    expect(created.statusCode).toBe(400);
    expect(json(created).error.field).toBe('body.password');
    await expect(resetPassword(t.deps, null, user.email, 'superman2024!')).rejects.toThrow(/too common/);
  });

  it('a fresh installation refuses a common administrator password', async () => {
    const fresh = await createTestContext(dialect);
    try {
      const res = await fresh.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: {
          admin: { email: 'first@example.com', name: 'First Admin', password: 'qwertyuiop123' },
          scope: { name: 'S', profile: 'small' },
        },
      });
      expect(res.statusCode).toBe(400);
      expect(json(res).error).toMatchObject({ field: 'body.admin.password', message: expect.stringMatching(/too common/) });
      expect(json(await fresh.app.inject({ method: 'GET', url: '/api/setup' })).needed).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('API responses are never stored; static assets keep their caching', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).headers['cache-control']).toBe('no-store');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/session' })).headers['cache-control']).toBe('no-store');
    const user = await buildUser(t.deps);
    expect((await t.app.inject({ method: 'GET', url: '/api/me/tokens', headers: user.headers })).headers['cache-control']).toBe('no-store');
    expect((await login(t.app, user.email, 'a wrong password', '192.0.2.92')).headers['cache-control']).toBe('no-store');

    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-dist-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Praxis</title>');
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    const web = await buildApp(t.deps, { webDistDir: dist });
    try {
      const asset = await web.inject({ method: 'GET', url: '/assets/index-abc123.js' });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).not.toContain('no-store');
      expect((await web.inject({ method: 'GET', url: '/api/health' })).headers['cache-control']).toBe('no-store');
      expect((await web.inject({ method: 'GET', url: '/api/nothing-here' })).headers['cache-control']).toBe('no-store');
    } finally {
      await web.close();
      fs.rmSync(dist, { recursive: true, force: true });
    }
  });
});
