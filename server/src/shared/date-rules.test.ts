import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScopeContext, dialects, json, TestClock, type TestContext, type TestUser } from '../test/harness.ts';
import { checkDueNotBeforeCreation, checkEndNotBeforeStart, checkNotInFuture } from './date-rules.ts';

describe('date rules (small)', () => {
  it('refuses a due date before the creation day, a day after today and an end before its start, naming the field', () => {
    expect(() => checkDueNotBeforeCreation('body.dueOn', '2026-03-01', '2026-03-02T09:00:00.000Z')).toThrow(
      expect.objectContaining({ field: 'body.dueOn' }),
    );
    expect(() => checkDueNotBeforeCreation('body.dueOn', '2026-03-02', '2026-03-02T23:59:00.000Z')).not.toThrow();
    expect(() => checkDueNotBeforeCreation('body.dueOn', null, '2026-03-02T09:00:00.000Z')).not.toThrow();
    expect(() => checkNotInFuture('body.implementedOn', '2026-03-03', '2026-03-02')).toThrow(
      expect.objectContaining({ field: 'body.implementedOn' }),
    );
    expect(() => checkNotInFuture('body.implementedOn', '2026-03-02', '2026-03-02T10:00:00.000Z')).not.toThrow();
    expect(() => checkEndNotBeforeStart('querystring.to', '2026-03-02', '2026-03-01')).toThrow(
      expect.objectContaining({ field: 'querystring.to' }),
    );
    expect(() => checkEndNotBeforeStart('querystring.to', '2026-03-02', '2026-03-02')).not.toThrow();
    expect(() => checkEndNotBeforeStart('querystring.to', undefined, '2026-03-01')).not.toThrow();
  });
});

/**
 * Dates that cannot hold together, and negative amounts, are refused with a 400 that names the field and words the
 * problem from a catalog key (issue 12 §4): one table, each case on both databases; a refusal writes nothing.
 */
describe.each(dialects)('impossible dates and negative amounts on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  const call = (method: 'POST' | 'PATCH' | 'PUT' | 'GET', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url: `/api/scopes/${scopeId}${url}`, headers: manager.headers, ...(payload && { payload }) });
  const created = async (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: Record<string, unknown>) => {
    const res = await call(method, url, payload);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return json(res);
  };

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock }));
  });
  afterAll(() => t.close());

  type Case = {
    name: string;
    /** sets up what the request needs and returns it */
    request: () => Promise<[method: 'POST' | 'PATCH' | 'PUT' | 'GET', url: string, payload?: Record<string, unknown>]>;
    field: string;
    key: string;
  };
  const control = (body: Record<string, unknown> = {}) => created('POST', '/controls', { title: 'Offline backups', ...body });
  const task = () => created('POST', '/tasks', { title: 'Review firewall rules', processKey: 'control-implementation' });
  const nonconformity = () => created('POST', '/nonconformities', { title: 'Gap', source: 'manual', severity: 'minor' });
  const risk = () => created('POST', '/risks', { title: 'Account takeover' });
  const treatment = (riskId: string, actions: Record<string, unknown>[], version = 0): ['PUT', string, Record<string, unknown>] => [
    'PUT',
    `/risks/${riskId}/treatment`,
    { version, option: 'modify', actions },
  ];

  const cases: Case[] = [
    {
      name: 'a control implemented in the future',
      request: async () => ['POST', '/controls', { title: 'MFA', status: 'implemented', implementedOn: '2030-01-01' }],
      field: 'body.implementedOn',
      key: 'errors:dates.inFuture',
    },
    {
      name: 'a planned control with a day of implementation',
      request: async () => ['POST', '/controls', { title: 'MFA', status: 'planned', implementedOn: '2026-01-10' }],
      field: 'body.implementedOn',
      key: 'errors:control.implementedWhileOpen',
    },
    {
      name: 'a control set back to in progress while keeping its day of implementation',
      request: async () => {
        const c = await control({ status: 'implemented', implementedOn: '2026-02-01' });
        return ['PATCH', `/controls/${c.id}`, { version: c.version, status: 'in_progress', implementedOn: '2026-02-01' }];
      },
      field: 'body.implementedOn',
      key: 'errors:control.implementedWhileOpen',
    },
    {
      name: 'a control edited to be implemented in the future',
      request: async () => {
        const c = await control({ status: 'implemented' });
        return ['PATCH', `/controls/${c.id}`, { version: c.version, implementedOn: '2026-03-03' }];
      },
      field: 'body.implementedOn',
      key: 'errors:dates.inFuture',
    },
    {
      name: 'a new control due before today',
      request: async () => ['POST', '/controls', { title: 'MFA', dueOn: '2026-03-01' }],
      field: 'body.dueOn',
      key: 'errors:dates.dueBeforeCreation',
    },
    {
      name: 'a control whose due date moves before its creation day',
      request: async () => {
        const c = await control({ dueOn: '2026-04-01' });
        clock.advance(10 * 86_400_000);
        return ['PATCH', `/controls/${c.id}`, { version: c.version, dueOn: '2026-02-28' }];
      },
      field: 'body.dueOn',
      key: 'errors:dates.dueBeforeCreation',
    },
    {
      name: 'a negative cost estimate of a control',
      request: async () => ['POST', '/controls', { title: 'MFA', costEstimate: -1 }],
      field: 'body.costEstimate',
      key: 'validation:tooSmall.number',
    },
    {
      name: 'a new task due before today',
      request: async () => [
        'POST',
        '/tasks',
        { title: 'Review firewall rules', processKey: 'control-implementation', dueOn: '2026-03-01' },
      ],
      field: 'body.dueOn',
      key: 'errors:dates.dueBeforeCreation',
    },
    {
      name: 'a responder task of an incident due before today',
      request: async () => {
        const inc = await created('POST', '/incidents', { title: 'Phishing mail' });
        return ['POST', `/incidents/${inc.id}/tasks`, { title: 'Check other mailboxes', dueOn: '2026-03-01' }];
      },
      field: 'body.dueOn',
      key: 'errors:dates.dueBeforeCreation',
    },
    {
      name: 'a task whose due date moves before its creation day',
      request: async () => {
        const k = await task();
        return ['PATCH', `/tasks/${k.id}`, { version: k.version, dueOn: '2026-01-31' }];
      },
      field: 'body.dueOn',
      key: 'errors:dates.dueBeforeCreation',
    },
    {
      name: 'a corrective action due before today',
      request: async () => {
        const nc = await nonconformity();
        return ['POST', `/nonconformities/${nc.id}/corrective-actions`, { title: 'Fix it', dueOn: '2026-01-31' }];
      },
      field: 'body.dueOn',
      key: 'errors:dates.dueBeforeCreation',
    },
    {
      name: 'a new treatment action due before today',
      request: async () => treatment((await risk()).id, [{ title: 'Roll out an authenticator app', dueOn: '2026-01-31' }]),
      field: 'body.actions.0.dueOn',
      key: 'errors:dates.dueBeforeCreation',
    },
    {
      name: 'a treatment action whose due date moves before the day it was planned',
      request: async () => {
        const r = await risk();
        const saved = await created(...treatment(r.id, [{ title: 'Register serial numbers', dueOn: '2026-06-01' }]));
        const action = saved.actions[0];
        return treatment(r.id, [{ id: action.id, title: action.title, dueOn: '2026-02-01' }], saved.version);
      },
      field: 'body.actions.0.dueOn',
      key: 'errors:dates.dueBeforeCreation',
    },
    {
      name: 'a negative cost estimate of a treatment action',
      request: async () => treatment((await risk()).id, [{ title: 'Buy tokens', costEstimate: -0.01 }]),
      field: 'body.actions.0.costEstimate',
      key: 'validation:tooSmall.number',
    },
    {
      name: 'measurements asked for a period that ends before it starts',
      request: async () => ['GET', `/measures/${randomUUID()}/measurements?from=2026-03-01&to=2026-02-01`],
      field: 'querystring.to',
      key: 'errors:dates.endBeforeStart',
    },
    {
      name: 'a measure trend asked for a period that ends before it starts',
      request: async () => ['GET', `/measures/${randomUUID()}/trend?from=2026-03-01&to=2026-02-01`],
      field: 'querystring.to',
      key: 'errors:dates.endBeforeStart',
    },
  ];

  it.each(cases)('refuses $name', async ({ request, field, key }) => {
    const [method, url, payload] = await request();
    const trail = async () =>
      Number(
        (
          await t.deps.db
            .selectFrom('audit_entry')
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const entries = await trail();
    const res = await call(method, url, payload);
    expect(res.statusCode, res.body).toBe(400);
    const error = json(res).error;
    expect(error).toMatchObject({ code: 'validation_failed', field, key });
    expect(error.message).not.toMatch(/Too small|Invalid|expected/);
    expect(await trail()).toBe(entries);
  });

  it('accepts the dates that do hold together and clears the day of implementation when a control is reopened', async () => {
    const c = await control({ status: 'implemented', implementedOn: '2026-02-01', dueOn: null });
    expect(c.implementedOn).toBe('2026-02-01');
    const reopened = await created('PATCH', `/controls/${c.id}`, { version: c.version, status: 'in_progress' });
    expect(reopened).toMatchObject({ status: 'in_progress', implementedOn: null });
    // an overdue control can still be edited without moving its due date
    const late = await control({ dueOn: clock.now().toISOString().slice(0, 10) });
    clock.advance(3 * 86_400_000);
    const edited = await created('PATCH', `/controls/${late.id}`, { version: late.version, title: 'Later', dueOn: late.dueOn });
    expect(edited).toMatchObject({ title: 'Later', overdue: true });
  });
});
