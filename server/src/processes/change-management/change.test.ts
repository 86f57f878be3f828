import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createTestContext, dialects, json, type TestContext } from '../../test/harness.ts';

describe.each(dialects)('ISMS change management on %s', (dialect) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(dialect);
  });
  afterAll(() => t.close());

  it('reviews consequences, gets the process owner’s approval, implements, verifies and closes (small profile)', async () => {
    const { scope, manager } = await buildScope(t.deps, { profile: 'small' });
    const worker = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']] });
    const base = `/api/scopes/${scope.id}`;
    const db = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/assets`,
        headers: manager.headers,
        payload: { name: 'Database cluster', type: 'system' },
      }),
    );
    const shop = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/assets`,
        headers: manager.headers,
        payload: { name: 'Web shop', type: 'service', dependsOn: [db.id] },
      }),
    );

    const bad = await t.app.inject({
      method: 'POST',
      url: `${base}/changes`,
      headers: worker.headers,
      payload: { title: 'Upgrade', reason: '' },
    });
    expect(json(bad).error.field).toBe('body.reason');
    const created = await t.app.inject({
      method: 'POST',
      url: `${base}/changes`,
      headers: worker.headers,
      payload: {
        title: 'Upgrade the database cluster',
        reason: 'End of support',
        plannedOn: '2026-06-01',
        targets: [{ recordType: 'asset', recordId: db.id, label: `${db.reference} Database cluster` }],
      },
    });
    expect(created.statusCode).toBe(201);
    let c = json(created);
    expect(c).toMatchObject({ reference: 'CHG-0001', status: 'requested', source: 'manual', owner: { id: manager.id } });
    // the review lists what the targets affect through their links
    expect(c.affected).toEqual([
      { recordType: 'asset', recordId: shop.id, label: `${shop.reference} Web shop`, dependsOn: `${db.reference} Database cluster` },
    ]);

    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `${base}/changes/${c.id}/implement`,
          headers: worker.headers,
          payload: { version: c.version, tasks: [{ title: 'x' }] },
        })
      ).statusCode,
    ).toBe(409);
    const noReview = await t.app.inject({
      method: 'POST',
      url: `${base}/changes/${c.id}/submit`,
      headers: worker.headers,
      payload: { version: c.version, changeRisk: 'medium', consequences: '' },
    });
    expect(json(noReview).error.field).toBe('body.consequences');
    c = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/changes/${c.id}/submit`,
        headers: worker.headers,
        payload: { version: c.version, changeRisk: 'medium', consequences: 'Web shop down for 30 minutes' },
      }),
    );
    expect(c.status).toBe('under_review');
    expect(c.approvals).toMatchObject([{ approver: { id: manager.id }, decision: null }]);
    const decisionTask = json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: manager.headers })).items.find(
      (x: { title: string }) => x.title.startsWith('Decide on change CHG-0001'),
    );
    expect(decisionTask).toBeTruthy();

    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `${base}/changes/${c.id}/decision`,
          headers: worker.headers,
          payload: { version: c.version, decision: 'approve' },
        })
      ).statusCode,
    ).toBe(403);
    c = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/changes/${c.id}/decision`,
        headers: manager.headers,
        payload: { version: c.version, decision: 'approve' },
      }),
    );
    expect(c.status).toBe('approved');
    expect(
      json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: manager.headers })).items.some(
        (x: { id: string }) => x.id === decisionTask.id,
      ),
    ).toBe(false);

    c = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/changes/${c.id}/implement`,
        headers: worker.headers,
        payload: {
          version: c.version,
          tasks: [
            { title: 'Upgrade node 1', assigneeId: worker.id, dueOn: '2026-06-01' },
            { title: 'Upgrade node 2', assigneeId: worker.id },
          ],
        },
      }),
    );
    expect(c.status).toBe('implementing');
    expect(c.tasks.map((x: { title: string }) => x.title)).toEqual(expect.arrayContaining(['Upgrade node 1', 'Upgrade node 2']));
    const early = await t.app.inject({
      method: 'POST',
      url: `${base}/changes/${c.id}/verify`,
      headers: worker.headers,
      payload: { version: c.version, verification: 'Checked' },
    });
    expect(early.statusCode).toBe(409);
    for (const task of c.tasks.filter((x: { status: string }) => x.status === 'open')) {
      const tk = json(await t.app.inject({ method: 'GET', url: `${base}/tasks?q=${task.reference}`, headers: worker.headers })).items[0];
      await t.app.inject({
        method: 'PATCH',
        url: `${base}/tasks/${task.id}`,
        headers: worker.headers,
        payload: { version: tk.version, status: 'done' },
      });
    }
    c = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/changes/${c.id}/verify`,
        headers: worker.headers,
        payload: { version: c.version, verification: 'Failover tested, shop reachable' },
      }),
    );
    expect(c.status).toBe('verified');
    c = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/changes/${c.id}/close`,
        headers: worker.headers,
        payload: { version: c.version },
      }),
    );
    expect(c.status).toBe('closed');
    const audit = json(
      await t.app.inject({ method: 'GET', url: `${base}/audit?recordType=change_request&recordId=${c.id}`, headers: manager.headers }),
    );
    // created, submitted, decided, implementation started, verified, closed
    expect(audit.total).toBe(6);
  });

  it('names as approvers only members who may approve changes, and a member whose role lost that permission cannot decide', async () => {
    const { scope, manager } = await buildScope(t.deps, { profile: 'large' });
    const requester = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']] });
    const viewer = await buildUser(t.deps, { memberships: [[scope.id, 'viewer']] });
    const ciso = await buildUser(t.deps, { memberships: [[scope.id, 'manager']] });
    const base = `/api/scopes/${scope.id}/changes`;
    const post = (url: string, who: typeof manager, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: who.headers, payload });
    let c = json(await post(base, requester, { title: 'Open port 8443', reason: 'New service' }));
    const submit = (approverIds: string[]) =>
      post(`${base}/${c.id}/submit`, requester, { version: c.version, changeRisk: 'low', consequences: 'One more port', approverIds });
    // a viewer named on the change board is refused, and nothing is written
    const withViewer = await submit([manager.id, viewer.id]);
    expect(withViewer.statusCode).toBe(400);
    expect(json(withViewer).error).toMatchObject({ field: 'body.approverIds', key: 'errors:changeApproverRole' });
    expect(json(await t.app.inject({ method: 'GET', url: `${base}/${c.id}`, headers: manager.headers }))).toMatchObject({
      status: 'requested',
      version: c.version,
      approvals: [],
    });
    const ok = await submit([manager.id, ciso.id]);
    expect(ok.statusCode, ok.body).toBe(200);
    c = json(ok);
    // the viewer, not on the board, cannot decide; neither can a board member demoted to viewer meanwhile
    const byViewer = await post(`${base}/${c.id}/decision`, viewer, { version: c.version, decision: 'approve' });
    expect(byViewer.statusCode).toBe(403);
    await t.deps.db
      .updateTable('membership')
      .set({ role: 'viewer' })
      .where('scope_id', '=', scope.id)
      .where('user_id', '=', ciso.id)
      .execute();
    const demoted = await post(`${base}/${c.id}/decision`, ciso, { version: c.version, decision: 'approve' });
    expect(demoted.statusCode).toBe(403);
    expect(json(demoted).error.key).toBe('errors:changeApproverMayNotDecide');
    // one approval of two: the change is not approved
    c = json(await post(`${base}/${c.id}/decision`, manager, { version: c.version, decision: 'approve' }));
    expect(c.status).toBe('under_review');
  });

  it('in the small profile the process owner approves only when their role may approve changes', async () => {
    const { scope, manager } = await buildScope(t.deps, { profile: 'small' });
    const contributor = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']] });
    const process = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/processes`, headers: manager.headers }));
    const cm = process.processes.find((p: { key: string }) => p.key === 'change-management');
    const owned = await t.app.inject({
      method: 'PATCH',
      url: `/api/scopes/${scope.id}/processes/change-management`,
      headers: manager.headers,
      payload: { version: cm.version, ownerId: contributor.id },
    });
    expect(owned.statusCode, owned.body).toBe(200);
    const base = `/api/scopes/${scope.id}/changes`;
    const c = json(
      await t.app.inject({
        method: 'POST',
        url: base,
        headers: contributor.headers,
        payload: { title: 'New printer', reason: 'Old one broke' },
      }),
    );
    const sent = await t.app.inject({
      method: 'POST',
      url: `${base}/${c.id}/submit`,
      headers: contributor.headers,
      payload: { version: c.version, changeRisk: 'low', consequences: 'None' },
    });
    // neither the contributor owning the process nor the contributor sending it may approve: name an approver
    expect(sent.statusCode).toBe(400);
    expect(json(sent).error.field).toBe('body.approverIds');
    const named = await t.app.inject({
      method: 'POST',
      url: `${base}/${c.id}/submit`,
      headers: contributor.headers,
      payload: { version: c.version, changeRisk: 'low', consequences: 'None', approverIds: [manager.id] },
    });
    expect(named.statusCode, named.body).toBe(200);
  });

  it('needs a change board in the large profile, without the requester, and keeps the reasons of a rejection', async () => {
    const { scope, manager } = await buildScope(t.deps, { profile: 'large' });
    const requester = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']] });
    const ciso = await buildUser(t.deps, { memberships: [[scope.id, 'manager']] });
    const base = `/api/scopes/${scope.id}/changes`;
    let c = json(
      await t.app.inject({
        method: 'POST',
        url: base,
        headers: requester.headers,
        payload: { title: 'Allow USB storage', reason: 'Trade fair' },
      }),
    );
    const none = await t.app.inject({
      method: 'POST',
      url: `${base}/${c.id}/submit`,
      headers: requester.headers,
      payload: { version: c.version, changeRisk: 'high', consequences: 'Data could leave' },
    });
    expect(json(none).error.field).toBe('body.approverIds');
    const self = await t.app.inject({
      method: 'POST',
      url: `${base}/${c.id}/submit`,
      headers: requester.headers,
      payload: { version: c.version, changeRisk: 'high', consequences: 'Data could leave', approverIds: [requester.id, manager.id] },
    });
    expect(json(self).error.message).toMatch(/segregation of duties/);
    c = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/${c.id}/submit`,
        headers: requester.headers,
        payload: { version: c.version, changeRisk: 'high', consequences: 'Data could leave', approverIds: [manager.id, ciso.id] },
      }),
    );
    c = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/${c.id}/decision`,
        headers: manager.headers,
        payload: { version: c.version, decision: 'approve' },
      }),
    );
    expect(c.status).toBe('under_review');
    const noReason = await t.app.inject({
      method: 'POST',
      url: `${base}/${c.id}/decision`,
      headers: ciso.headers,
      payload: { version: c.version, decision: 'reject' },
    });
    expect(json(noReason).error.field).toBe('body.comment');
    c = json(
      await t.app.inject({
        method: 'POST',
        url: `${base}/${c.id}/decision`,
        headers: ciso.headers,
        payload: { version: c.version, decision: 'reject', comment: 'Use the encrypted file transfer instead' },
      }),
    );
    expect(c).toMatchObject({ status: 'rejected', decisionReason: 'Use the encrypted file transfer instead' });
    expect(c.approvals.map((a: { decision: string }) => a.decision).sort()).toEqual(['approve', 'reject']);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `${base}/${c.id}/decision`,
          headers: manager.headers,
          payload: { version: c.version, decision: 'approve' },
        })
      ).statusCode,
    ).toBe(409);
  });

  it('keeps change requests inside their scope and refuses viewers', async () => {
    const a = await buildScope(t.deps);
    const b = await buildScope(t.deps);
    const viewer = await buildUser(t.deps, { memberships: [[a.scope.id, 'viewer']] });
    const c = json(
      await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${a.scope.id}/changes`,
        headers: a.manager.headers,
        payload: { title: 'x', reason: 'y' },
      }),
    );
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/scopes/${a.scope.id}/changes/${c.id}`, headers: b.manager.headers })).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/scopes/${b.scope.id}/changes/${c.id}`, headers: b.manager.headers })).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/scopes/${a.scope.id}/changes/${c.id}`, headers: viewer.headers })).statusCode,
    ).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/scopes/${a.scope.id}/changes`,
          headers: viewer.headers,
          payload: { title: 'x', reason: 'y' },
        })
      ).statusCode,
    ).toBe(403);
  });
});
