import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, conflictWithCurrent, errorText } from '../shared/errors.ts';
import { buildUser, createScopeContext, dialects, type TestContext, type TestUser } from '../test/harness.ts';

describe('conflictWithCurrent', () => {
  it('adds the current record to a conflict that lacks it, and keeps other errors as they are', async () => {
    const stale = Promise.reject(new AppError('version_conflict', errorText('concurrentChange')));
    const err = await conflictWithCurrent(stale, errorText('scopeChanged'), async () => ({ version: 3 })).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).details).toEqual({ current: { version: 3 } });
    expect((err as AppError).text).toEqual(errorText('scopeChanged'));
    const other = new AppError('not_found', errorText('notFound', { what: 'Scope' }));
    await expect(conflictWithCurrent(Promise.reject(other), errorText('scopeChanged'), async () => ({}))).rejects.toBe(other);
  });
});

/** Every 409 carries `details.current`: the scope, membership and process edits too. */
describe.each(dialects)('stale edits of a scope, a member and a process (%s)', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    const c = await createScopeContext(dialect);
    t = c.t;
    scopeId = c.scopeId;
    manager = c.manager;
    member = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']], name: 'Vera Viewer' });
  });
  afterAll(async () => t?.close());

  const patch = (url: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PATCH', url: `/api/scopes/${scopeId}${url}`, headers: manager.headers, payload });

  it('answers a stale scope edit with 409 and the scope as it is now', async () => {
    const first = await patch('', { version: 1, name: 'Head office' });
    expect(first.statusCode).toBe(200);
    const stale = await patch('', { version: 1, name: 'Branch office' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'version_conflict',
      key: 'errors:scopeChanged',
      details: { current: { id: scopeId, name: 'Head office', version: 2, role: 'manager' } },
    });
  });

  it('answers a stale member edit with 409 and the membership as it is now', async () => {
    const first = await patch(`/members/${member.id}`, { version: 1, role: 'auditor' });
    expect(first.statusCode).toBe(200);
    const stale = await patch(`/members/${member.id}`, { version: 1, role: 'contributor' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'version_conflict',
      key: 'errors:membershipChanged',
      details: { current: { userId: member.id, name: 'Vera Viewer', role: 'auditor', version: 2 } },
    });
  });

  it('answers a stale process edit with 409 and the process as it is now', async () => {
    const first = await patch('/processes/risk-assessment', { version: 1, ownerId: member.id });
    expect(first.statusCode).toBe(200);
    const stale = await patch('/processes/risk-assessment', { version: 1, ownerId: null });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'version_conflict',
      key: 'errors:processChanged',
      details: { current: { key: 'risk-assessment', owner: { id: member.id, name: 'Vera Viewer' }, version: 2 } },
    });
  });
});
