import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createTestContext, dialects, json, type TestContext } from '../../test/harness.ts';

describe.each(dialects)('improvement on %s', (dialect) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(dialect);
  });
  afterAll(() => t.close());

  it('runs a nonconformity through correction, root cause, corrective action, a change request and the effectiveness check', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const owner = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']] });
    const base = `/api/scopes/${scope.id}/nonconformities`;
    const bad = await t.app.inject({
      method: 'POST',
      url: base,
      headers: manager.headers,
      payload: { title: 'x', source: 'gossip', severity: 'minor' },
    });
    expect(json(bad).error.field).toBe('body.source');
    let nc = json(
      await t.app.inject({
        method: 'POST',
        url: base,
        headers: manager.headers,
        payload: {
          title: 'Access reviews not done',
          source: 'internal_audit',
          requirement: 'ISO 27001 A.5.18',
          severity: 'major',
          ownerId: owner.id,
        },
      }),
    );
    expect(nc).toMatchObject({ reference: 'NC-0001', status: 'open', owner: { id: owner.id } });
    nc = json(
      await t.app.inject({
        method: 'PATCH',
        url: `${base}/${nc.id}`,
        headers: owner.headers,
        payload: {
          version: nc.version,
          immediateCorrection: 'Reviewed admin accounts now',
          rootCause: ['No reminder', 'No owner for the review', 'Process not defined'],
        },
      }),
    );
    expect(nc.rootCause).toHaveLength(3);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `${base}/${nc.id}/effectiveness-check`,
          headers: owner.headers,
          payload: { version: nc.version, effectivenessDueOn: '2026-09-01' },
        })
      ).statusCode,
    ).toBe(409);
    nc = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/${nc.id}/corrective-actions`,
        headers: owner.headers,
        payload: { title: 'Define quarterly access reviews', dueOn: '2026-06-30' },
      }),
    );
    expect(nc.status).toBe('in_progress');
    expect(nc.correctiveActions[0]).toMatchObject({ title: 'Define quarterly access reviews', assignee: { id: owner.id } });
    const mine = json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: owner.headers }));
    expect(mine.items.find((x: { title: string }) => x.title === 'Define quarterly access reviews')).toMatchObject({
      processKey: 'improvement',
      origin: { recordRef: 'NC-0001' },
    });

    // the corrective action changes a process: a request for change goes to change management
    await t.app.inject({
      method: 'POST',
      url: `${base}/${nc.id}/change-request`,
      headers: owner.headers,
      payload: { title: 'Add access reviews to the access control procedure' },
    });
    const changes = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/changes`, headers: manager.headers }));
    expect(changes.items[0]).toMatchObject({
      source: 'improvement',
      sourceRecord: { type: 'nonconformity', ref: 'NC-0001' },
      status: 'requested',
    });

    const early = await t.app.inject({
      method: 'POST',
      url: `${base}/${nc.id}/effectiveness-check`,
      headers: owner.headers,
      payload: { version: nc.version, effectivenessDueOn: '2026-09-01' },
    });
    expect(early.statusCode).toBe(409);
    const task = mine.items.find((x: { title: string }) => x.title === 'Define quarterly access reviews');
    await t.app.inject({
      method: 'PATCH',
      url: `/api/scopes/${scope.id}/tasks/${task.id}`,
      headers: owner.headers,
      payload: { version: task.version, status: 'done' },
    });
    nc = json(await t.app.inject({ method: 'GET', url: `${base}/${nc.id}`, headers: owner.headers }));
    nc = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/${nc.id}/effectiveness-check`,
        headers: owner.headers,
        payload: { version: nc.version, effectivenessDueOn: '2026-09-01' },
      }),
    );
    expect(nc).toMatchObject({ status: 'effectiveness_check', effectivenessDueOn: '2026-09-01' });

    // not effective: reopened for more corrective action; effective: closed
    nc = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/${nc.id}/effectiveness`,
        headers: owner.headers,
        payload: { version: nc.version, effective: false, note: 'Two reviews were skipped' },
      }),
    );
    expect(nc).toMatchObject({ status: 'open', effectivenessResult: 'Not effective: Two reviews were skipped' });
    nc = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/${nc.id}/corrective-actions`,
        headers: owner.headers,
        payload: { title: 'Automate review reminders' },
      }),
    );
    const second = json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: owner.headers })).items.find(
      (x: { title: string }) => x.title === 'Automate review reminders',
    );
    await t.app.inject({
      method: 'PATCH',
      url: `/api/scopes/${scope.id}/tasks/${second.id}`,
      headers: owner.headers,
      payload: { version: second.version, status: 'done' },
    });
    nc = json(await t.app.inject({ method: 'GET', url: `${base}/${nc.id}`, headers: owner.headers }));
    nc = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/${nc.id}/effectiveness-check`,
        headers: owner.headers,
        payload: { version: nc.version, effectivenessDueOn: '2026-12-01' },
      }),
    );
    nc = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/${nc.id}/effectiveness`,
        headers: owner.headers,
        payload: { version: nc.version, effective: true, note: 'All reviews done on time' },
      }),
    );
    expect(nc).toMatchObject({ status: 'closed' });
    expect(nc.closedAt).toBeTruthy();
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `${base}/${nc.id}`,
          headers: owner.headers,
          payload: { version: nc.version, title: 'x' },
        })
      ).statusCode,
    ).toBe(409);
  });

  it('keeps an opportunities-for-improvement register with version checks', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const base = `/api/scopes/${scope.id}/opportunities`;
    const o = json(
      await t.app.inject({
        method: 'POST',
        url: base,
        headers: manager.headers,
        payload: { title: 'Single sign-on for all tools', benefit: 'Fewer passwords' },
      }),
    );
    expect(o).toMatchObject({ reference: 'OFI-0001', status: 'proposed', owner: { id: manager.id } });
    const planned = json(
      await t.app.inject({ method: 'PATCH', url: `${base}/${o.id}`, headers: manager.headers, payload: { version: 1, status: 'planned' } }),
    );
    expect(planned.status).toBe('planned');
    expect(
      (
        await t.app.inject({
          method: 'PATCH',
          url: `${base}/${o.id}`,
          headers: manager.headers,
          payload: { version: 1, status: 'rejected' },
        })
      ).statusCode,
    ).toBe(409);
    expect(json(await t.app.inject({ method: 'GET', url: `${base}?status=planned`, headers: manager.headers })).total).toBe(1);
    const viewer = await buildUser(t.deps, { memberships: [[scope.id, 'viewer']] });
    expect((await t.app.inject({ method: 'POST', url: base, headers: viewer.headers, payload: { title: 'x' } })).statusCode).toBe(403);
    const employee = await buildUser(t.deps, { memberships: [[scope.id, 'employee']] });
    expect((await t.app.inject({ method: 'GET', url: base, headers: employee.headers })).statusCode).toBe(403);
  });
});
