import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffDefinitions, processDefinitions } from '../isms/process-model.ts';
import { buildScope, buildUser, createTestContext, dialects, json, TestClock, type TestContext } from '../test/harness.ts';

describe.each(dialects)('work items, process model and scopes on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-03-10T12:00:00.000Z'));
  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());
  /** a task made by hand is due today or later: a late one was made on an earlier day */
  const madeOn = async <T>(day: string, make: () => Promise<T>): Promise<T> => {
    const now = clock.current;
    clock.current = new Date(`${day}T08:00:00.000Z`);
    try {
      return await make();
    } finally {
      clock.current = now;
    }
  };

  it('validates new tasks and names the field', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const outsider = await buildUser(t.deps);
    const url = `/api/scopes/${scope.id}/tasks`;
    const cases: [object, string][] = [
      [{ title: 'x', processKey: 'astrology' }, 'body.processKey'],
      [{ title: 'x', processKey: 'internal-audit', assigneeId: outsider.id }, 'body.assigneeId'],
      [{ title: 'x', processKey: 'internal-audit', dueOn: '31.12.2026' }, 'body.dueOn'],
      [{ title: '', processKey: 'internal-audit' }, 'body.title'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.app.inject({ method: 'POST', url, headers: manager.headers, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(json(res).error.field).toBe(field);
    }
  });

  it("refuses a task made by hand that is due before today, in the reader's language, and takes one due today", async () => {
    const { scope, manager } = await buildScope(t.deps);
    const url = `/api/scopes/${scope.id}/tasks`;
    const count = async () =>
      Number(
        (
          await t.deps.db
            .selectFrom('task')
            .where('scope_id', '=', scope.id)
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const payload = { title: 'Review firewall rules', processKey: 'control-implementation', dueOn: '2026-03-09' };
    const en = await t.app.inject({ method: 'POST', url, headers: manager.headers, payload });
    expect(en.statusCode, en.body).toBe(400);
    expect(json(en).error).toMatchObject({ field: 'body.dueOn', key: 'errors:dates.dueBeforeCreation' });
    expect(json(en).error.message).toMatch(/^The due date cannot be before .*2026/);
    const de = await t.app.inject({ method: 'POST', url, headers: { ...manager.headers, 'accept-language': 'de' }, payload });
    expect(de.statusCode).toBe(400);
    expect(json(de).error.message).toMatch(/^Das Fälligkeitsdatum darf nicht vor dem .*2026/);
    expect(await count()).toBe(before);
    const today = await t.app.inject({ method: 'POST', url, headers: manager.headers, payload: { ...payload, dueOn: '2026-03-10' } });
    expect(today.statusCode, today.body).toBe(201);
    expect(json(today)).toMatchObject({ dueOn: '2026-03-10', overdue: false });
  });

  it('"My work" lists my open tasks across scopes, soonest first, with overdue flagged', async () => {
    const a = await buildScope(t.deps, { name: 'Scope A' });
    const b = await buildScope(t.deps, { name: 'Scope B' });
    const me = await buildUser(t.deps, {
      memberships: [
        [a.scope.id, 'contributor'],
        [b.scope.id, 'employee'],
      ],
    });
    const add = (s: typeof a, title: string, dueOn: string | null) =>
      t.app.inject({
        method: 'POST',
        url: `/api/scopes/${s.scope.id}/tasks`,
        headers: s.manager.headers,
        payload: { title, processKey: 'control-implementation', assigneeId: me.id, dueOn },
      });
    await add(a, 'later', '2026-04-01');
    await madeOn('2026-03-01', () => add(b, 'overdue', '2026-03-01'));
    await add(a, 'no date', null);
    await add(b, 'soon', '2026-03-12');
    await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${a.scope.id}/tasks`,
      headers: a.manager.headers,
      payload: { title: 'not mine', processKey: 'control-implementation' },
    });
    const mine = json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: me.headers }));
    expect(mine.items.map((x: { title: string }) => x.title)).toEqual(['overdue', 'soon', 'later', 'no date']);
    expect(mine.items.map((x: { overdue: boolean }) => x.overdue)).toEqual([true, false, false, false]);
    expect(mine.items.map((x: { scopeName: string }) => x.scopeName)).toEqual(['Scope B', 'Scope B', 'Scope A', 'Scope A']);

    const first = mine.items[0];
    const done = await t.app.inject({
      method: 'PATCH',
      url: `/api/scopes/${first.scopeId}/tasks/${first.id}`,
      headers: me.headers,
      payload: { version: first.version, status: 'done' },
    });
    expect(done.statusCode).toBe(200);
    expect(json(done).completedAt).toBeTruthy();
    expect(json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: me.headers })).total).toBe(3);
    expect(json(await t.app.inject({ method: 'GET', url: '/api/me/tasks?status=done', headers: me.headers })).total).toBe(1);
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/scopes/${first.scopeId}/tasks/${first.id}`,
      headers: me.headers,
      payload: { version: first.version, status: 'open' },
    });
    expect(stale.statusCode).toBe(409);
  });

  it('lets an employee assignee move their own task but nothing else', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const employee = await buildUser(t.deps, { memberships: [[scope.id, 'employee']] });
    const url = `/api/scopes/${scope.id}/tasks`;
    const own = json(
      await t.app.inject({
        method: 'POST',
        url,
        headers: manager.headers,
        payload: { title: 'Read the policy', processKey: 'competence-awareness', assigneeId: employee.id },
      }),
    );
    const other = json(
      await t.app.inject({
        method: 'POST',
        url,
        headers: manager.headers,
        payload: { title: 'Manager work', processKey: 'management-review', assigneeId: manager.id },
      }),
    );
    const listed = json(await t.app.inject({ method: 'GET', url, headers: employee.headers }));
    expect(listed.items.map((x: { id: string }) => x.id)).toEqual([own.id]);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `${url}/${own.id}`,
          headers: employee.headers,
          payload: { version: 1, title: 'renamed' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `${url}/${other.id}`,
          headers: employee.headers,
          payload: { version: 1, status: 'done' },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `${url}/${own.id}`,
          headers: employee.headers,
          payload: { version: 1, status: 'in_progress' },
        })
      ).statusCode,
    ).toBe(200);
    const audit = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/audit?recordId=${own.id}`, headers: manager.headers }),
    );
    expect(audit.items[0]).toMatchObject({ action: 'update', changes: { status: { from: 'open', to: 'in_progress' } } });
  });

  it('serves the 18 processes with hand-offs, owners, cadences and task counts', async () => {
    expect(processDefinitions).toHaveLength(18);
    const keys = new Set(processDefinitions.map((p) => p.key));
    for (const h of handoffDefinitions) expect(keys.has(h.from) && keys.has(h.to), `${h.from} → ${h.to}`).toBe(true);
    const { scope, manager } = await buildScope(t.deps);
    const url = `/api/scopes/${scope.id}/processes`;
    const map = json(await t.app.inject({ method: 'GET', url, headers: manager.headers }));
    expect(map.processes).toHaveLength(18);
    expect(new Set(map.processes.map((p: { type: string }) => p.type))).toEqual(new Set(['governance', 'core', 'support']));
    expect(new Set(map.processes.map((p: { phase: string }) => p.phase))).toEqual(new Set(['plan', 'do', 'check', 'act']));
    const treatment = map.processes.find((p: { key: string }) => p.key === 'risk-treatment');
    expect(treatment.inputs).toContain('Prioritised risks with owners');
    expect(treatment.owner.id).toBe(manager.id);

    const outsider = await buildUser(t.deps);
    const audit = map.processes.find((p: { key: string }) => p.key === 'internal-audit');
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `${url}/internal-audit`,
      headers: manager.headers,
      payload: { version: audit.version, ownerId: outsider.id },
    });
    expect(json(bad).error.field).toBe('body.ownerId');
    const set = json(
      await t.app.inject({
        method: 'PATCH',
        url: `${url}/internal-audit`,
        headers: manager.headers,
        payload: { version: audit.version, cadence: 'quarterly' },
      }),
    );
    expect(set.cadence).toBe('quarterly');
    expect(set.nextReviewOn).toBe('2026-06-09');
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `${url}/internal-audit`,
          headers: manager.headers,
          payload: { version: audit.version, cadence: 'yearly' },
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (await t.app.inject({ method: 'PATCH', url: `${url}/astrology`, headers: manager.headers, payload: { version: 1 } })).statusCode,
    ).toBe(404);

    await madeOn('2026-03-01', () =>
      t.app.inject({
        method: 'POST',
        url: `/api/scopes/${scope.id}/tasks`,
        headers: manager.headers,
        payload: { title: 'Audit plan', processKey: 'internal-audit', dueOn: '2026-03-01' },
      }),
    );
    await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scope.id}/tasks`,
      headers: manager.headers,
      payload: { title: 'Audit report', processKey: 'internal-audit', dueOn: '2026-05-01' },
    });
    const counted = json(await t.app.inject({ method: 'GET', url, headers: manager.headers })).processes.find(
      (p: { key: string }) => p.key === 'internal-audit',
    );
    expect(counted).toMatchObject({ openTasks: 2, overdueTasks: 1 });
  });

  it('loads the demo organisation once into an empty scope', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const res = await t.app.inject({ method: 'POST', url: `/api/scopes/${scope.id}/demo`, headers: manager.headers });
    expect(res.statusCode).toBe(201);
    expect(json(res).assets).toBe(27);
    expect(json(res).tasks).toBeGreaterThanOrEqual(4);
    expect((await t.app.inject({ method: 'POST', url: `/api/scopes/${scope.id}/demo`, headers: manager.headers })).statusCode).toBe(409);
    const scopeInfo = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scope.id}`, headers: manager.headers }));
    expect(scopeInfo.assetCount).toBe(27);
    const members = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/members`, headers: manager.headers }));
    expect(members.map((m: { role: string }) => m.role).sort()).toEqual([
      'auditor',
      'contributor',
      'contributor',
      'contributor',
      'employee',
      'manager',
      'viewer',
    ]);
  });

  it('updates a scope with a version check', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const url = `/api/scopes/${scope.id}`;
    expect(
      json(
        await t.app.inject({
          method: 'PATCH',
          url,
          headers: manager.headers,
          payload: { version: 1, description: 'Head office and web shop' },
        }),
      ).description,
    ).toBe('Head office and web shop');
    expect(
      (await t.app.inject({ method: 'PATCH', url, headers: manager.headers, payload: { version: 1, name: 'Stale' } })).statusCode,
    ).toBe(409);
  });
});
