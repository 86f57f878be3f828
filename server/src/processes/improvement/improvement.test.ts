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
        payload: { title: 'Define quarterly access reviews', dueOn: '2099-06-30' },
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

  it('closes a nonconformity only with its root cause; the small profile may record why it was not determined (ISO 27001 10.2 b)', async () => {
    /** a nonconformity waiting for its effectiveness check, in a scope of the given profile */
    async function waiting(profile: 'small' | 'large') {
      const { scope, manager } = await buildScope(t.deps, { profile });
      const base = `/api/scopes/${scope.id}/nonconformities`;
      const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
        t.app.inject({ method, url, headers: manager.headers, ...(payload && { payload }) });
      let nc = json(await send('POST', base, { title: 'Backups not tested', source: 'manual', severity: 'minor' }));
      nc = json(await send('POST', `${base}/${nc.id}/corrective-actions`, { title: 'Test a restore' }));
      const task = json(await send('GET', `/api/scopes/${scope.id}/tasks?q=${encodeURIComponent('Test a restore')}`)).items[0];
      await send('PATCH', `/api/scopes/${scope.id}/tasks/${task.id}`, { version: task.version, status: 'done' });
      nc = json(await send('GET', `${base}/${nc.id}`));
      nc = json(await send('POST', `${base}/${nc.id}/effectiveness-check`, { version: nc.version, effectivenessDueOn: '2026-09-01' }));
      expect(nc.status).toBe('effectiveness_check');
      return { nc, url: `${base}/${nc.id}`, send };
    }

    // small profile: refused without a root cause, with a message in words naming the field
    const small = await waiting('small');
    const refused = await small.send('POST', `${small.url}/effectiveness`, {
      version: small.nc.version,
      effective: true,
      note: 'Restore worked',
    });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).error).toMatchObject({ code: 'unprocessable', field: 'rootCause', key: 'errors:rootCauseRequiredSmall' });
    expect(json(refused).error.message).toContain('root cause');
    expect(json(await small.send('GET', small.url))).toMatchObject({ status: 'effectiveness_check', version: small.nc.version });
    // root cause and "not determined" together are refused
    const both = await small.send('PATCH', small.url, {
      version: small.nc.version,
      rootCause: ['No test plan'],
      rootCauseNotDetermined: 'Unknown',
    });
    expect(both.statusCode).toBe(400);
    expect(json(both).error.field).toBe('body.rootCauseNotDetermined');
    const blank = await small.send('PATCH', small.url, { version: small.nc.version, rootCauseNotDetermined: '  ' });
    expect(blank.statusCode).toBe(400);
    let nc = json(
      await small.send('PATCH', small.url, { version: small.nc.version, rootCauseNotDetermined: 'The former IT provider left no records' }),
    );
    expect(nc).toMatchObject({ rootCause: [], rootCauseNotDetermined: 'The former IT provider left no records' });
    const closed = await small.send('POST', `${small.url}/effectiveness`, { version: nc.version, effective: true, note: 'Restore worked' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(json(closed).status).toBe('closed');

    // large profile: "not determined" is refused; the root cause is required
    const large = await waiting('large');
    const notDetermined = await large.send('PATCH', large.url, { version: large.nc.version, rootCauseNotDetermined: 'Unknown' });
    expect(notDetermined.statusCode).toBe(400);
    expect(json(notDetermined).error).toMatchObject({ field: 'body.rootCauseNotDetermined', key: 'errors:rootCauseNotDeterminedLarge' });
    const noCause = await large.send('POST', `${large.url}/effectiveness`, { version: large.nc.version, effective: true, note: 'Fine' });
    expect(noCause.statusCode).toBe(422);
    expect(json(noCause).error.key).toBe('errors:rootCauseRequired');
    nc = json(await large.send('PATCH', large.url, { version: large.nc.version, rootCause: ['Restores were never planned'] }));
    const done = await large.send('POST', `${large.url}/effectiveness`, { version: nc.version, effective: true, note: 'Fine' });
    expect(done.statusCode, done.body).toBe(200);
    expect(json(done)).toMatchObject({ status: 'closed', rootCause: ['Restores were never planned'], rootCauseNotDetermined: null });
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
