import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../audit/audit.service.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { runSweeps } from '../../jobs/sweeps.ts';
import { newId } from '../../shared/ids.ts';
import {
  buildScope,
  buildUser,
  createScopeContext,
  dialects,
  json,
  requester,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';
import { sweepAcceptances } from './risk-acceptance.service.ts';

const DAY = 24 * 60 * 60 * 1000;

describe.each(dialects)('risk treatment and acceptance on %s', (dialect) => {
  let t: TestContext;
  let clock: TestClock;
  let scopeId: string;
  let manager: TestUser;
  let owner: TestUser;
  let controlOwner: TestUser;
  let viewer: TestUser;
  let other: Awaited<ReturnType<typeof buildScope>>;
  const req = { a: newId(), b: newId(), group: newId(), foreign: newId() };

  beforeAll(async () => {
    clock = new TestClock();
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock }));
    owner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'Risk owner' });
    controlOwner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'Control owner' });
    viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
    other = await buildScope(t.deps);
    // a catalog every scope may use, and one of another scope
    const now = clock.now().toISOString();
    const shared = newId();
    const foreign = newId();
    const catalog = (id: string, scope: string | null, key: string) => ({
      id,
      scope_id: scope,
      key,
      title: `Catalog ${key}`,
      version: '1',
      source: 'builtin' as const,
      oscal_uuid: null,
      published: null,
      requirement_count: 2,
      withdrawn_count: 0,
      imported_by: null,
      created_at: now,
    });
    await t.deps.db
      .insertInto('catalog')
      .values([catalog(shared, null, 'test-shared'), catalog(foreign, other.scope.id, 'test-foreign')])
      .execute();
    const requirement = (id: string, catalogId: string, identifier: string, kind: 'group' | 'control', order: number) => ({
      id,
      catalog_id: catalogId,
      identifier,
      parent_identifier: kind === 'control' ? 'T.5' : null,
      kind,
      // the label is what people read (NIST: id "ac-2", label "AC-2"); a control created for a requirement takes it
      label: `L${identifier}`,
      title: `Requirement ${identifier}`,
      statement: `Statement of ${identifier}`,
      guidance: null,
      withdrawn: dialect === 'postgres' ? false : 0,
      depth: kind === 'control' ? 1 : 0,
      sort_order: order,
      params: null,
    });
    await t.deps.db
      .insertInto('catalog_requirement')
      .values([
        requirement(req.group, shared, 'T.5', 'group', 0),
        requirement(req.a, shared, 'T.5.15', 'control', 1),
        requirement(req.b, shared, 'T.5.17', 'control', 2),
        requirement(req.foreign, foreign, 'F.1', 'control', 0),
      ])
      .execute();
  });
  afterAll(() => t.close());

  const { call } = requester(() => t);
  const ok = async <T = any>(p: Promise<{ statusCode: number; body: string }>, status = 200): Promise<T> => {
    const res = await p;
    expect(res.statusCode, res.body).toBe(status);
    return JSON.parse(res.body) as T;
  };
  const createRisk = (body: Record<string, unknown>, scope = scopeId, user = manager) =>
    ok(call('POST', `/api/scopes/${scope}/risks`, user, body), 201);
  const url = (riskId: string, tail = 'treatment', scope = scopeId) => `/api/scopes/${scope}/risks/${riskId}/${tail}`;
  const getRisk = (riskId: string, scope = scopeId, user = manager) => ok(call('GET', `/api/scopes/${scope}/risks/${riskId}`, user));
  /** the status changes of a risk in the audit trail, oldest first, with who made them and why */
  const statusTrail = async (riskId: string, scope = scopeId, user = manager) =>
    (
      (await ok(call('GET', `/api/scopes/${scope}/audit?recordId=${riskId}&pageSize=100`, user))).items as {
        action: string;
        actor: { id: string | null; label: string };
        changes: Record<string, { from?: unknown; to?: unknown }>;
      }[]
    )
      .filter((e) => e.action === 'update' && e.changes.status)
      .reverse()
      .map((e) => ({ ...e.changes.status, reason: e.changes.reason?.to, actor: e.actor.id }));
  const controlsOfRisk = (riskId: string) =>
    t.deps.db.selectFrom('control_risk').select('control_id').where('risk_id', '=', riskId).orderBy('control_id').execute();
  /** every task of a user (any status), oldest first */
  const tasksOf = async (user: TestUser) =>
    (
      await t.deps.db.selectFrom('task').selectAll().where('assignee_id', '=', user.id).orderBy('created_at').orderBy('reference').execute()
    ).map((k) => ({
      title: k.title,
      processKey: k.process_key,
      status: k.status,
      dueOn: k.due_on,
      origin: k.origin_record_id ? { recordType: k.origin_record_type, recordId: k.origin_record_id } : null,
    }));

  describe('treatment decision', () => {
    let control: { id: string; reference: string };

    beforeAll(async () => {
      control = await ok(
        call('POST', `/api/scopes/${scopeId}/controls`, manager, { title: 'Multi-factor login', ownerId: controlOwner.id }),
        201,
      );
    });

    it('decides a treatment with a library control and a catalog requirement, handing off tasks and a change request', async () => {
      const risk = await createRisk({ title: 'Account takeover', ownerId: owner.id, currentLikelihood: 3, currentImpact: 3 });
      // the evaluation above the criteria gave the owner a treatment task
      expect((await tasksOf(owner)).filter((k) => k.origin?.recordId === risk.id && k.status === 'open')).toHaveLength(1);

      const saved = await ok(
        call('PUT', url(risk.id), owner, {
          version: 0,
          option: 'modify',
          rationale: 'Stolen passwords are the main way in',
          objectives: ['Only strongly authenticated users reach the mail system'],
          controls: [{ controlId: control.id }, { requirementId: req.a, ownerId: controlOwner.id }],
          actions: [{ title: 'Roll out authenticator app', ownerId: owner.id, dueOn: '2026-05-01', costEstimate: 1200.5 }],
          targetLikelihood: 1,
          targetImpact: 2,
        }),
      );
      expect(saved).toMatchObject({
        reference: 'TRT-0001',
        status: 'draft',
        option: 'modify',
        version: 1,
        costTotal: 1200.5,
        risk: { reference: risk.reference, target: { likelihood: 1, impact: 2, level: { key: 'low' } } },
        objectives: ['Only strongly authenticated users reach the mail system'],
      });
      expect(saved.controls[0].control).toMatchObject({ id: control.id, owner: { id: controlOwner.id } });
      expect(saved.controls[1]).toMatchObject({
        control: null,
        requirement: { id: req.a, identifier: 'T.5.15', catalogTitle: 'Catalog test-shared' },
      });
      expect(saved.actions[0]).toMatchObject({
        title: 'Roll out authenticator app',
        status: 'open',
        taskId: null,
        owner: { id: owner.id },
      });
      // the target was scored on the risk itself, by the scope's matrix
      const riskAfter = await ok(call('GET', `/api/scopes/${scopeId}/risks/${risk.id}`, manager));
      expect(riskAfter.target).toMatchObject({ likelihood: 1, impact: 2, level: { key: 'low' } });
      expect(await controlsOfRisk(risk.id)).toHaveLength(0);

      // a request for change names the documents and controls it changes: none, or another scope's, is refused
      const policy = await ok(
        call('POST', `/api/scopes/${scopeId}/documents`, manager, {
          type: 'policy',
          title: 'Access control policy',
          classification: 'internal',
          approverIds: [],
          contentMd: '# Access',
        }),
        201,
      );
      const request = { title: 'Update the access control policy', description: 'Require a second factor for remote access' };
      const untargeted = await call('POST', url(risk.id, 'treatment/decide'), owner, { version: 1, changeRequests: [request] });
      expect(untargeted.statusCode).toBe(400);
      expect(json(untargeted).error).toMatchObject({ field: 'body.changeRequests.0.documentIds', key: 'errors:changeRequestNeedsTarget' });
      const foreign = await call('POST', url(risk.id, 'treatment/decide'), owner, {
        version: 1,
        changeRequests: [{ ...request, documentIds: [policy.id], controlIds: [newId()] }],
      });
      expect(foreign.statusCode).toBe(400);
      expect(json(foreign).error.field).toBe('body.changeRequests.0.controlIds');
      expect((await ok(call('GET', url(risk.id), owner))).status).toBe('draft'); // nothing was written

      const decided = await ok(
        call('POST', url(risk.id, 'treatment/decide'), owner, {
          version: 1,
          changeRequests: [{ ...request, documentIds: [policy.id], controlIds: [control.id] }],
        }),
      );
      expect(decided).toMatchObject({ status: 'decided', version: 2, decidedBy: { id: owner.id } });
      expect(decided.decidedAt).toBe(clock.now().toISOString());
      const created = decided.controls[1].control;
      expect(created).toMatchObject({ title: 'LT.5.15 Requirement T.5.15', owner: { id: controlOwner.id } });
      expect(created.reference).toMatch(/^CTL-\d{4}$/);
      expect((await controlsOfRisk(risk.id)).map((r) => r.control_id).sort()).toEqual([control.id, created.id].sort());
      const reqLinks = await t.deps.db.selectFrom('control_requirement').selectAll().where('requirement_id', '=', req.a).execute();
      expect(reqLinks).toEqual([{ control_id: created.id, requirement_id: req.a }]);

      // implementation tasks for the control owner, a plan task for the action owner
      expect(decided.tasks.map((k: { processKey: string; assignee: { id: string } }) => [k.processKey, k.assignee.id])).toEqual([
        ['control-implementation', controlOwner.id],
        ['control-implementation', controlOwner.id],
        ['risk-treatment', owner.id],
      ]);
      expect(decided.controls.every((c: { taskId: string | null }) => c.taskId !== null)).toBe(true);
      expect(decided.actions[0].taskId).toBe(decided.tasks[2].id);
      expect(decided.tasks[2]).toMatchObject({ title: 'Roll out authenticator app', dueOn: '2026-05-01', status: 'open' });
      const controlTasks = (await tasksOf(controlOwner)).filter((k) => k.origin?.recordId === decided.id);
      expect(controlTasks.map((k) => k.processKey)).toEqual(['control-implementation', 'control-implementation']);

      // the request for change is linked back to the risk
      expect(decided.changeRequests).toHaveLength(1);
      const change = await ok(call('GET', `/api/scopes/${scopeId}/changes/${decided.changeRequests[0].id}`, manager));
      expect(change).toMatchObject({
        title: 'Update the access control policy',
        status: 'requested',
        source: 'risk_treatment',
        sourceRecord: { type: 'risk', id: risk.id, ref: risk.reference },
      });
      expect(change.targets).toEqual(
        expect.arrayContaining([
          { recordType: 'document', recordId: policy.id, label: `${policy.reference} Access control policy` },
          { recordType: 'control', recordId: control.id, label: `${control.reference} Multi-factor login` },
        ]),
      );
      expect(change.targets).toHaveLength(2);
      // once approved, the change reaches the document's owner (a revision) and the control's owner (a change task)
      const changeUrl = `/api/scopes/${scopeId}/changes/${change.id}`;
      const sent = await ok(
        call('POST', `${changeUrl}/submit`, manager, {
          version: change.version,
          changeRisk: 'low',
          consequences: 'A policy update',
          approverIds: [manager.id],
        }),
      );
      expect((await ok(call('POST', `${changeUrl}/decision`, manager, { version: sent.version, decision: 'approve' }))).status).toBe(
        'approved',
      );
      const followUps = await t.deps.db
        .selectFrom('task')
        .select(['process_key', 'assignee_id', 'origin_record_id'])
        .where('scope_id', '=', scopeId)
        .where('origin_process_key', '=', 'change-management')
        .where('origin_record_id', 'in', [policy.id, control.id])
        .orderBy('process_key')
        .execute();
      expect(followUps).toEqual([
        { process_key: 'control-implementation', assignee_id: controlOwner.id, origin_record_id: control.id },
        { process_key: 'policy-management', assignee_id: policy.owner.id, origin_record_id: policy.id },
      ]);

      // the owner's treatment task is done
      const treat = (await tasksOf(owner)).filter((k) => k.origin?.recordId === risk.id);
      expect(treat.map((k) => k.status)).toEqual(['done']);

      // deciding again hands off nothing twice
      const again = await ok(call('POST', url(risk.id, 'treatment/decide'), owner, { version: 2 }));
      expect(again.tasks).toHaveLength(3);
      expect(again.changeRequests).toHaveLength(1);

      // the second time the requirement is chosen, the scope's control is reused
      const risk2 = await createRisk({ title: 'Shared admin accounts', ownerId: owner.id, currentLikelihood: 2, currentImpact: 3 });
      await ok(
        call('PUT', url(risk2.id), owner, {
          version: 0,
          option: 'modify',
          rationale: 'Named accounts',
          controls: [{ requirementId: req.a }],
          targetLikelihood: 1,
          targetImpact: 1,
        }),
      );
      const decided2 = await ok(call('POST', url(risk2.id, 'treatment/decide'), manager, { version: 1 }));
      expect(decided2.controls[0].control.id).toBe(created.id);
      expect(await t.deps.db.selectFrom('control_requirement').selectAll().where('requirement_id', '=', req.a).execute()).toHaveLength(1);
      expect((await controlsOfRisk(risk2.id)).map((r) => r.control_id)).toEqual([created.id]);
      // the control already has an open implementation task from the first treatment; this one adds its own
      expect(decided2.tasks).toHaveLength(1);

      const trail = json(await call('GET', `/api/scopes/${scopeId}/audit?recordId=${decided.id}`, manager)).items;
      expect(trail.map((e: { action: string }) => e.action).sort()).toEqual(['create', 'decide', 'decide']);
      expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
    });

    it('tracks the plan: edits keep the decision, finished actions implement it, a changed decision reopens it', async () => {
      const risk = await createRisk({ title: 'Laptop theft', ownerId: owner.id, currentLikelihood: 3, currentImpact: 2 });
      const v1 = await ok(
        call('PUT', url(risk.id), owner, {
          version: 0,
          option: 'modify',
          rationale: 'Encrypt and track',
          actions: [{ title: 'Encrypt disks', ownerId: controlOwner.id }],
          targetLikelihood: 1,
          targetImpact: 1,
        }),
      );
      const d = await ok(call('POST', url(risk.id, 'treatment/decide'), owner, { version: v1.version }));
      const actionId = d.actions[0].id;
      // a new action on a decided plan is handed off at once; the decision stays
      const added = await ok(
        call('PUT', url(risk.id), owner, {
          version: d.version,
          option: 'modify',
          rationale: 'Encrypt and track',
          actions: [
            { id: actionId, title: 'Encrypt disks', ownerId: controlOwner.id, status: 'done' },
            { title: 'Register serial numbers', ownerId: owner.id, dueOn: '2026-04-01', costEstimate: 50 },
          ],
        }),
      );
      expect(added.status).toBe('decided');
      expect(added.actions[0]).toMatchObject({ id: actionId, status: 'done', taskId: d.actions[0].taskId });
      expect(added.actions[1].taskId).not.toBeNull();
      expect(added.tasks).toHaveLength(2);
      const finished = await ok(
        call('PUT', url(risk.id), owner, {
          version: added.version,
          option: 'modify',
          rationale: 'Encrypt and track',
          actions: [
            { id: actionId, title: 'Encrypt disks', ownerId: controlOwner.id, status: 'done' },
            {
              id: added.actions[1].id,
              title: 'Register serial numbers',
              ownerId: owner.id,
              dueOn: '2026-04-01',
              costEstimate: 50,
              status: 'done',
            },
          ],
        }),
      );
      expect(finished.status).toBe('implemented');
      // finishing an action in the plan closes its task
      expect(finished.tasks.map((k: { status: string }) => k.status)).toEqual(['done', 'done']);
      expect(finished.costTotal).toBe(50);
      const reopened = await ok(
        call('PUT', url(risk.id), owner, { version: finished.version, option: 'share', rationale: 'Insure the devices' }),
      );
      expect(reopened).toMatchObject({ status: 'draft', decidedAt: null, actions: [] });
    });

    it('refuses stale versions with the current treatment, and decisions the rules do not allow', async () => {
      const risk = await createRisk({ title: 'Stale', ownerId: owner.id, currentLikelihood: 3, currentImpact: 3 });
      const body = { option: 'modify', rationale: '' };
      const v1 = await ok(call('PUT', url(risk.id), owner, { version: 0, ...body }));
      const exists = await call('PUT', url(risk.id), owner, { version: 0, ...body });
      expect(exists.statusCode).toBe(409);
      expect(json(exists).error.code).toBe('version_conflict');
      await ok(call('PUT', url(risk.id), manager, { version: 1, ...body, objectives: ['x'] }));
      const stale = await call('PUT', url(risk.id), owner, { version: 1, ...body, rationale: 'mine' });
      expect(stale.statusCode).toBe(409);
      expect(json(stale).error.details.current).toMatchObject({ id: v1.id, version: 2, objectives: ['x'] });
      expect((await call('POST', url(risk.id, 'treatment/decide'), owner, { version: 1 })).statusCode).toBe(409);

      const noRationale = await call('POST', url(risk.id, 'treatment/decide'), owner, { version: 2 });
      expect(noRationale.statusCode).toBe(422);
      expect(json(noRationale).error).toMatchObject({ code: 'unprocessable', field: 'rationale' });
      await ok(call('PUT', url(risk.id), owner, { version: 2, option: 'modify', rationale: 'Why', actions: [{ title: 'Do' }] }));
      const noTarget = await call('POST', url(risk.id, 'treatment/decide'), owner, { version: 3 });
      expect(noTarget.statusCode).toBe(422);
      expect(json(noTarget).error.message).toMatch(/target residual risk/);
      await ok(call('PUT', url(risk.id), owner, { version: 3, option: 'retain', rationale: 'Live with it' }));
      const retain = await call('POST', url(risk.id, 'treatment/decide'), owner, { version: 4 });
      expect(retain.statusCode).toBe(422);
      expect(json(retain).error.message).toMatch(/above the acceptance criteria/);
      // nothing was decided
      expect((await ok(call('GET', url(risk.id), viewer))).status).toBe('draft');
      const noTreatment = await createRisk({ title: 'Untreated' });
      const missing = await call('GET', url(noTreatment.id), viewer);
      expect(missing.statusCode).toBe(404);
      expect(json(missing).error.details.reason).toBe('no_treatment');
    });

    it("refuses other scopes' controls, requirements, members and risks, writing nothing", async () => {
      const risk = await createRisk({ title: 'Foreign ids', ownerId: owner.id });
      const foreignControl = await ok(call('POST', `/api/scopes/${other.scope.id}/controls`, other.manager, { title: 'Theirs' }), 201);
      const stranger = await buildUser(t.deps, { memberships: [[other.scope.id, 'contributor']] });
      const base = { version: 0, option: 'modify', rationale: 'x' };
      const cases: [unknown, string][] = [
        [{ ...base, controls: [{ controlId: foreignControl.id }] }, 'body.controls.0.controlId'],
        [{ ...base, controls: [{ requirementId: req.foreign }] }, 'body.controls.0.requirementId'],
        [{ ...base, controls: [{ requirementId: req.group }] }, 'body.controls.0.requirementId'],
        [{ ...base, controls: [{ requirementId: req.b, ownerId: stranger.id }] }, 'body.controls.0.ownerId'],
        [{ ...base, actions: [{ title: 'x', ownerId: stranger.id }] }, 'body.actions.0.ownerId'],
        [{ ...base, actions: [{ id: newId(), title: 'x' }] }, 'body.actions.0.id'],
        [{ ...base, controls: [{ requirementId: req.b }, { requirementId: req.b }] }, 'body.controls.1'],
        [{ ...base, option: 'ignore' }, 'body.option'],
        [{ ...base, targetLikelihood: 4, targetImpact: 1 }, 'body.targetLikelihood'],
        [{ ...base, surprise: true }, 'body.surprise'],
      ];
      for (const [payload, field] of cases) {
        const res = await call('PUT', url(risk.id), owner, payload);
        expect(res.statusCode, res.body).toBe(400);
        expect(json(res).error.field).toBe(field);
      }
      expect((await call('GET', url(risk.id), owner)).statusCode).toBe(404);
      const riskOfOther = await createRisk({ title: 'Theirs' }, other.scope.id, other.manager);
      expect((await call('PUT', url(riskOfOther.id), manager, base)).statusCode).toBe(404);
      expect((await call('GET', url(riskOfOther.id), manager)).statusCode).toBe(404);
      expect((await call('GET', url(risk.id, 'treatment', scopeId), other.manager)).statusCode).toBe(404);
      expect((await call('PUT', url(risk.id), viewer, base)).statusCode).toBe(403);
    });

    it('lets exactly one of concurrent decisions win, handing off once, and documents the routes', async () => {
      const risk = await createRisk({ title: 'Race', ownerId: owner.id, currentLikelihood: 3, currentImpact: 3 });
      const body = { option: 'modify', rationale: 'Fast', controls: [{ requirementId: req.b }], actions: [{ title: 'Act' }] };
      const creates = await Promise.all(
        [1, 2, 3].map(() => call('PUT', url(risk.id), owner, { version: 0, ...body, targetLikelihood: 1, targetImpact: 1 })),
      );
      expect(creates.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
      const version = json(creates.find((r) => r.statusCode === 200)!).version;
      const decisions = await Promise.all([1, 2, 3].map(() => call('POST', url(risk.id, 'treatment/decide'), owner, { version })));
      expect(decisions.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
      const decided = await ok(call('GET', url(risk.id), viewer));
      expect(decided.tasks).toHaveLength(2);
      expect(await t.deps.db.selectFrom('control_requirement').selectAll().where('requirement_id', '=', req.b).execute()).toHaveLength(1);
      const spec = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
      expect(Object.keys(spec.paths)).toEqual(
        expect.arrayContaining([
          '/api/scopes/{scopeId}/treatments',
          '/api/scopes/{scopeId}/risks/{riskId}/treatment',
          '/api/scopes/{scopeId}/risks/{riskId}/treatment/decide',
          '/api/scopes/{scopeId}/risks/{riskId}/acceptance',
          '/api/scopes/{scopeId}/risks/{riskId}/acceptance/revoke',
        ]),
      );
    });

    it('lists the treatment plan with filters, in a fixed number of statements', async () => {
      const list = `/api/scopes/${scopeId}/treatments`;
      const all = await ok(call('GET', `${list}?pageSize=100`, viewer));
      expect(all.total).toBe(5);
      const first = all.items.find((i: { reference: string }) => i.reference === 'TRT-0001');
      expect(first).toMatchObject({
        option: 'modify',
        status: 'decided',
        controlCount: 2,
        actionCount: 1,
        actionsDone: 0,
        nextDueOn: '2026-05-01',
        costTotal: 1200.5,
        risk: { title: 'Account takeover', owner: { id: owner.id }, currentLevel: 'high', targetLevel: 'low' },
      });
      expect((await ok(call('GET', `${list}?option=share`, viewer))).items.map((i: { risk: { title: string } }) => i.risk.title)).toEqual([
        'Laptop theft',
      ]);
      expect((await ok(call('GET', `${list}?status=implemented`, viewer))).total).toBe(0);
      expect((await ok(call('GET', `${list}?status=decided`, viewer))).total).toBe(3);
      const byActionOwner = await ok(call('GET', `${list}?ownerId=${controlOwner.id}`, viewer));
      expect(byActionOwner.total).toBe(0);
      expect((await ok(call('GET', `${list}?ownerId=${owner.id}`, viewer))).total).toBe(5);
      expect((await ok(call('GET', `${list}?q=takeover`, viewer))).items.map((i: { reference: string }) => i.reference)).toEqual([
        'TRT-0001',
      ]);
      const sorted = await ok(call('GET', `${list}?sort=reference&order=asc&pageSize=2&page=2`, viewer));
      expect(sorted.items.map((i: { reference: string }) => i.reference)).toEqual(['TRT-0003', 'TRT-0004']);
      expect((await call('GET', `${list}?sort=colour`, viewer)).statusCode).toBe(400);

      const counter = t.db.database.queryCounter;
      const count = async (qs: string) => {
        const before = counter.count;
        await ok(call('GET', `${list}?${qs}`, viewer));
        return counter.count - before;
      };
      const small = await count('pageSize=1');
      expect(await count('pageSize=100')).toBe(small);
      expect(await count(`pageSize=100&ownerId=${owner.id}&sort=decidedAt`)).toBe(small);
      expect(small).toBeLessThanOrEqual(6); // actor (2), page, count, actions, controls
    });
  });

  describe('residual-risk acceptance', () => {
    it('lets the risk owner accept a level within the criteria, with a default expiry of one year', async () => {
      const risk = await createRisk({ title: 'Printer jam', ownerId: owner.id, currentLikelihood: 2, currentImpact: 2 });
      const before = await ok(call('GET', url(risk.id, 'acceptance'), viewer));
      expect(before).toMatchObject({
        current: null,
        history: [],
        riskOwner: { id: owner.id },
        eligibility: { current: { level: { key: 'medium' }, acceptableBy: 'risk_owner', requiredRoles: ['risk_owner'] } },
      });
      expect((await call('POST', url(risk.id, 'acceptance'), viewer, { justification: 'x' })).statusCode).toBe(403);
      expect((await call('POST', url(risk.id, 'acceptance'), owner, {})).statusCode).toBe(400);
      const tooLong = await call('POST', url(risk.id, 'acceptance'), owner, { justification: 'x', expiresOn: '2030-01-01' });
      expect(tooLong.statusCode).toBe(400);
      expect(json(tooLong).error.field).toBe('body.expiresOn');

      const signed = await ok(call('POST', url(risk.id, 'acceptance'), owner, { justification: 'Low cost of a failure' }), 201);
      expect(signed).toMatchObject({
        reference: 'ACC-0001',
        basis: 'current',
        level: { key: 'medium', label: 'Medium' },
        likelihood: 2,
        impact: 2,
        methodVersion: 1,
        authority: 'risk_owner',
        requiredRoles: ['risk_owner'],
        status: 'effective',
        state: 'effective',
        expiresOn: '2027-03-02',
        effectiveAt: clock.now().toISOString(),
        signatures: [{ role: 'risk_owner', signer: { id: owner.id, name: 'Risk owner' }, justification: 'Low cost of a failure' }],
      });
      const again = await call('POST', url(risk.id, 'acceptance'), owner, { justification: 'again' });
      expect(again.statusCode).toBe(409);
      const overview = await ok(call('GET', url(risk.id, 'acceptance'), viewer));
      expect(overview.current.id).toBe(signed.id);
      // a German reader reads the built-in levels in German
      const german = await t.app.inject({
        method: 'GET',
        url: url(risk.id, 'acceptance'),
        headers: { ...viewer.headers, 'accept-language': 'de' },
      });
      expect(json(german).current.level).toEqual({ key: 'medium', label: 'Mittel' });
      expect(json(german).eligibility.current.level).toEqual({ key: 'medium', label: 'Mittel' });

      const revoked = await ok(call('POST', url(risk.id, 'acceptance/revoke'), owner, { version: signed.version, reason: 'New supplier' }));
      expect(revoked).toMatchObject({ status: 'revoked', endReason: 'New supplier' });
      const after = await ok(call('GET', url(risk.id, 'acceptance'), viewer));
      expect(after.current).toBeNull();
      expect(after.history.map((a: { status: string }) => a.status)).toEqual(['revoked']);
      // a new acceptance can follow
      await ok(call('POST', url(risk.id, 'acceptance'), owner, { justification: 'Accepted again', expiresOn: '2026-09-30' }), 201);
      expect((await ok(call('GET', url(risk.id, 'acceptance'), viewer))).history.map((a: { status: string }) => a.status)).toEqual([
        'effective',
        'revoked',
      ]);
    });

    it('refuses acceptance above the criteria, and accepts the target level of a decided treatment', async () => {
      const risk = await createRisk({ title: 'Ransomware', ownerId: owner.id, currentLikelihood: 3, currentImpact: 3 });
      const refused = await call('POST', url(risk.id, 'acceptance'), owner, { justification: 'We hope for the best' });
      expect(refused.statusCode).toBe(422);
      expect(json(refused).error).toMatchObject({ code: 'unprocessable' });
      expect(json(refused).error.message).toMatch(/above the risk acceptance criteria/);
      const early = await call('POST', url(risk.id, 'acceptance'), owner, { basis: 'target', justification: 'x' });
      expect(early.statusCode).toBe(422);

      const v1 = await ok(
        call('PUT', url(risk.id), owner, {
          version: 0,
          option: 'modify',
          rationale: 'Backups',
          actions: [{ title: 'Offline backups' }],
          targetLikelihood: 1,
          targetImpact: 3,
        }),
      );
      await ok(call('POST', url(risk.id, 'treatment/decide'), owner, { version: v1.version }));
      const accepted = await ok(
        call('POST', url(risk.id, 'acceptance'), owner, { basis: 'target', justification: 'Once backups run' }),
        201,
      );
      expect(accepted).toMatchObject({ basis: 'target', level: { key: 'medium' }, likelihood: 1, impact: 3, status: 'effective' });
      // another basis while one is in force
      expect((await call('POST', url(risk.id, 'acceptance'), manager, { justification: 'x' })).statusCode).toBe(409);
    });

    it('needs a management signature by someone other than the risk owner in the large profile', async () => {
      const large = await buildScope(t.deps, { profile: 'large' });
      const lid = large.scope.id;
      const riskOwner = await buildUser(t.deps, { memberships: [[lid, 'contributor']] });
      const colleague = await buildUser(t.deps, { memberships: [[lid, 'contributor']] });
      const risk = await createRisk(
        { title: 'Large medium', ownerId: riskOwner.id, currentLikelihood: 2, currentImpact: 3 },
        lid,
        large.manager,
      );
      const u = (tail: string) => url(risk.id, tail, lid);
      const first = await ok(call('POST', u('acceptance'), riskOwner, { justification: 'Small exposure' }), 201);
      expect(first).toMatchObject({
        status: 'pending',
        state: 'pending',
        requiredRoles: ['risk_owner', 'management'],
        authority: 'risk_owner',
      });
      expect((await call('POST', u('acceptance'), riskOwner, { justification: 'twice' })).statusCode).toBe(409);
      // a contributor who is not the owner may not sign for management
      expect((await call('POST', u('acceptance'), colleague, { justification: 'me too' })).statusCode).toBe(403);
      const expiry = await call('POST', u('acceptance'), large.manager, { justification: 'ok', expiresOn: '2026-12-31' });
      expect(expiry.statusCode).toBe(409);
      expect(json(expiry).error.field).toBe('body.expiresOn');
      const second = await ok(call('POST', u('acceptance'), large.manager, { justification: 'Agreed by management' }), 201);
      expect(second).toMatchObject({ status: 'effective', version: 3 });
      expect(second.signatures.map((s: { role: string; signer: { id: string } }) => [s.role, s.signer.id])).toEqual([
        ['risk_owner', riskOwner.id],
        ['management', large.manager.id],
      ]);

      // a risk the manager owns needs another manager's signature
      const own = await createRisk(
        { title: 'Owned by the manager', ownerId: large.manager.id, currentLikelihood: 4, currentImpact: 3 },
        lid,
        large.manager,
      );
      const own1 = await ok(call('POST', url(own.id, 'acceptance', lid), large.manager, { justification: 'Mine' }), 201);
      expect(own1).toMatchObject({ status: 'pending', authority: 'management', level: { key: 'high' } });
      expect((await call('POST', url(own.id, 'acceptance', lid), large.manager, { justification: 'Mine again' })).statusCode).toBe(409);
      const secondManager = await buildUser(t.deps, { memberships: [[lid, 'manager']] });
      expect((await ok(call('POST', url(own.id, 'acceptance', lid), secondManager, { justification: 'Seen' }), 201)).status).toBe(
        'effective',
      );

      // critical is above the criteria even for management
      const critical = await createRisk(
        { title: 'Critical', ownerId: riskOwner.id, currentLikelihood: 5, currentImpact: 5 },
        lid,
        large.manager,
      );
      expect((await call('POST', url(critical.id, 'acceptance', lid), large.manager, { justification: 'x' })).statusCode).toBe(422);
    });

    it('ends an acceptance when the risk is re-evaluated at a higher level', async () => {
      const risk = await createRisk({ title: 'Rising', ownerId: owner.id, currentLikelihood: 1, currentImpact: 1 });
      const a = await ok(call('POST', url(risk.id, 'acceptance'), owner, { justification: 'Negligible' }), 201);
      const accepted = await getRisk(risk.id);
      expect(accepted).toMatchObject({ status: 'accepted', version: risk.version + 1 });
      // the same level keeps it
      const same = await ok(
        call('PATCH', `/api/scopes/${scopeId}/risks/${risk.id}`, manager, {
          version: accepted.version,
          currentImpact: 2,
          currentLikelihood: 1,
        }),
      );
      expect((await ok(call('GET', url(risk.id, 'acceptance'), viewer))).current.id).toBe(a.id);
      await ok(
        call('PATCH', `/api/scopes/${scopeId}/risks/${risk.id}`, manager, {
          version: same.version,
          currentLikelihood: 3,
          currentImpact: 3,
        }),
      );
      const overview = await ok(call('GET', url(risk.id, 'acceptance'), viewer));
      expect(overview.current).toBeNull();
      expect(overview.history[0]).toMatchObject({ id: a.id, status: 'ended' });
      expect(overview.history[0].endReason).toBe(`${risk.reference} was re-evaluated at a higher level (High)`);
      // a German reader reads why it ended in German, the level by its German label
      const german = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']], name: 'Deutschsprachige Leserin' });
      await ok(call('PATCH', '/api/me', german, { language: 'de' }));
      const inGerman = await ok(call('GET', url(risk.id, 'acceptance'), german));
      expect(inGerman.history[0].endReason).toBe(`${risk.reference} wurde auf einer höheren Stufe neu bewertet (Hoch)`);
      expect(
        await t.deps.db
          .selectFrom('risk_acceptance')
          .select(['end_reason_key', 'end_reason_params'])
          .where('id', '=', a.id)
          .executeTakeFirstOrThrow(),
      ).toEqual({
        end_reason_key: 'tasks:acceptanceEnd.raised',
        end_reason_params: JSON.stringify({ riskRef: risk.reference, level: 'high', levelLabel: 'High' }),
      });
      // no treatment decided: back to assessed, in the same request
      expect(await getRisk(risk.id)).toMatchObject({ status: 'assessed', version: same.version + 2 });
      expect(await statusTrail(risk.id)).toEqual([
        { from: 'assessed', to: 'accepted', reason: `accepted:${a.reference}`, actor: owner.id },
        {
          from: 'accepted',
          to: 'assessed',
          reason: `raised:high:${a.reference}`,
          actor: manager.id,
        },
      ]);
    });

    it("moves the risk's status with the treatment decision and the acceptance, never by hand", async () => {
      const risk = await createRisk({ title: 'Stolen laptops', ownerId: owner.id, currentLikelihood: 3, currentImpact: 3 });
      expect(risk.status).toBe('assessed');
      const patchStatus = async (status: string) =>
        call('PATCH', `/api/scopes/${scopeId}/risks/${risk.id}`, manager, { version: (await getRisk(risk.id)).version, status });
      const refused = await patchStatus('treatment');
      expect(refused.statusCode).toBe(422);
      expect(json(refused).error.field).toBe('body.status');

      // a draft treatment changes nothing; deciding to modify the risk puts it in treatment
      const v1 = await ok(
        call('PUT', url(risk.id), owner, {
          version: 0,
          option: 'modify',
          rationale: 'Encrypt the disks',
          actions: [{ title: 'Encrypt disks', ownerId: owner.id }],
          targetLikelihood: 1,
          targetImpact: 3,
        }),
      );
      expect(v1.risk.status).toBe('assessed');
      const decided = await ok(call('POST', url(risk.id, 'treatment/decide'), owner, { version: v1.version }));
      expect(decided.risk.status).toBe('treatment');
      // accepted only when the acceptance of the target level takes effect
      const acc = await ok(call('POST', url(risk.id, 'acceptance'), owner, { basis: 'target', justification: 'Once encrypted' }), 201);
      expect(acc.status).toBe('effective');
      expect((await getRisk(risk.id)).status).toBe('accepted');
      // the acceptance revoked: back to the treatment
      await ok(call('POST', url(risk.id, 'acceptance/revoke'), manager, { version: acc.version, reason: 'Encryption postponed' }));
      expect((await getRisk(risk.id)).status).toBe('treatment');
      // a changed decision reopens the treatment (assessed); avoiding the risk, once decided, is a treatment again
      const avoid = { option: 'avoid', rationale: 'No customer data on laptops', actions: [] };
      const reopened = await ok(call('PUT', url(risk.id), owner, { version: decided.version, ...avoid }));
      expect(reopened).toMatchObject({ status: 'draft', risk: { status: 'assessed' } });
      const avoided = await ok(call('POST', url(risk.id, 'treatment/decide'), owner, { version: reopened.version }));
      expect(avoided.risk.status).toBe('treatment');
      expect((await patchStatus('accepted')).statusCode).toBe(422);
      expect(await statusTrail(risk.id)).toEqual([
        { from: 'assessed', to: 'treatment', reason: `decided:${v1.reference}:modify`, actor: owner.id },
        { from: 'treatment', to: 'accepted', reason: `accepted:${acc.reference}`, actor: owner.id },
        { from: 'accepted', to: 'treatment', reason: `revoked:${acc.reference}:Encryption postponed`, actor: manager.id },
        { from: 'treatment', to: 'assessed', reason: `reopened:${v1.reference}`, actor: owner.id },
        { from: 'assessed', to: 'treatment', reason: `decided:${v1.reference}:avoid`, actor: owner.id },
      ]);

      // retaining leaves a risk assessed until its acceptance takes effect; a closed risk stays closed meanwhile
      const kept = await createRisk({ title: 'Kept', ownerId: owner.id, currentLikelihood: 2, currentImpact: 2 });
      const draft = await ok(call('PUT', url(kept.id), owner, { version: 0, option: 'retain', rationale: 'Cheap to live with' }));
      expect((await ok(call('POST', url(kept.id, 'treatment/decide'), owner, { version: draft.version }))).risk.status).toBe('assessed');
      const first = await ok(call('POST', url(kept.id, 'acceptance'), owner, { justification: 'Within appetite' }), 201);
      let k = await getRisk(kept.id);
      expect(k.status).toBe('accepted');
      k = await ok(call('PATCH', `/api/scopes/${scopeId}/risks/${kept.id}`, manager, { version: k.version, status: 'closed' }));
      expect(k.status).toBe('closed');
      await ok(call('POST', url(kept.id, 'acceptance/revoke'), owner, { version: first.version, reason: 'Asset retired' }));
      await ok(call('POST', url(kept.id, 'acceptance'), owner, { justification: 'Kept on record' }), 201);
      k = await getRisk(kept.id);
      expect(k.status).toBe('closed');
      // reopening asks for the status the process gives: accepted, since an acceptance is in force
      const wrong = await call('PATCH', `/api/scopes/${scopeId}/risks/${kept.id}`, manager, { version: k.version, status: 'assessed' });
      expect(wrong.statusCode).toBe(422);
      expect(json(wrong).error.message).toMatch(/reopened, this risk is accepted/);
      const back = await ok(call('PATCH', `/api/scopes/${scopeId}/risks/${kept.id}`, manager, { version: k.version, status: 'accepted' }));
      expect(back.status).toBe('accepted');
      expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
    });
    it('keeps the status and the acceptance consistent when the risk is edited while its acceptance is signed', async () => {
      const risks = await Promise.all(
        [1, 2, 3].map((i) => createRisk({ title: `Concurrent ${i}`, ownerId: owner.id, currentLikelihood: 1, currentImpact: 2 })),
      );
      const results = await Promise.all(
        risks.flatMap((r) => [
          call('POST', url(r.id, 'acceptance'), owner, { justification: 'Low' }),
          call('PATCH', `/api/scopes/${scopeId}/risks/${r.id}`, manager, { version: r.version, title: `${r.title} (edited)` }),
        ]),
      );
      for (const [i, r] of risks.entries()) {
        const [signed, edited] = [results[2 * i]!, results[2 * i + 1]!];
        // the signature never fails on the edit; an edit that came second is stale (409), never lost silently
        expect(signed.statusCode, signed.body).toBe(201);
        expect([200, 409], edited.body).toContain(edited.statusCode);
        const now = await getRisk(r.id);
        expect(now).toMatchObject({
          status: 'accepted',
          title: edited.statusCode === 200 ? `${r.title} (edited)` : r.title,
          version: edited.statusCode === 200 ? 3 : 2,
        });
      }
      expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
    });

    // PostgreSQL only: SQLite runs one write transaction at a time. An edit holds the risk's row and then appends to the
    // audit chain; a signature takes the risk's row first, so the two wait for each other instead of deadlocking.
    it.runIf(dialect === 'postgres')('signs while an edit of the risk is in flight, without a deadlock', async () => {
      const risk = await createRisk({ title: 'In flight', ownerId: owner.id, currentLikelihood: 1, currentImpact: 2 });
      let signing: ReturnType<typeof call> | undefined;
      await t.deps.db.transaction().execute(async (tx) => {
        await updateVersioned(tx, 'risk', risk.id, risk.version, { title: 'In flight (edited)' });
        signing = call('POST', url(risk.id, 'acceptance'), owner, { justification: 'Low' });
        await new Promise((resolve) => setTimeout(resolve, 400));
        await appendAudit(tx, t.deps, null, {
          scopeId,
          action: 'update',
          recordType: 'risk',
          recordId: risk.id,
          recordRef: risk.reference,
          changes: { title: { from: 'In flight', to: 'In flight (edited)' } },
        });
      });
      const signed = await signing!;
      expect(signed.statusCode, signed.body).toBe(201);
      expect(await getRisk(risk.id)).toMatchObject({ title: 'In flight (edited)', status: 'accepted', version: risk.version + 2 });
    });
  });

  describe('expiry sweep', () => {
    it('gives the risk owner one re-review task 30 days ahead, then marks the acceptance expired, however often it runs', async () => {
      const risk = await createRisk({ title: 'Expiring', ownerId: owner.id, currentLikelihood: 1, currentImpact: 2 });
      const expiresOn = '2026-04-11'; // 40 days after the test clock's start
      await ok(call('POST', url(risk.id, 'acceptance'), owner, { justification: 'Short', expiresOn }), 201);
      const reviews = async () =>
        (await tasksOf(owner)).filter((k) => k.origin?.recordId === risk.id && k.processKey === 'risk-assessment');

      clock.current = new Date(Date.UTC(2026, 2, 2, 9));
      expect(await sweepAcceptances(t.deps)).toBe(0);
      clock.advance(11 * DAY); // 2026-03-13: 29 days before expiry
      const runs = await Promise.all([sweepAcceptances(t.deps), sweepAcceptances(t.deps)]);
      expect(runs.reduce((s, n) => s + n, 0)).toBe(1);
      expect(await sweepAcceptances(t.deps)).toBe(0);
      const tasks = await reviews();
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ dueOn: expiresOn, status: 'open' });
      expect(tasks[0]?.title).toMatch(/^Re-review risk RSK-\d{4} Expiring/);
      let current = (await ok(call('GET', url(risk.id, 'acceptance'), viewer))).current;
      expect(current).toMatchObject({ status: 'effective', state: 'expiring' });

      clock.current = new Date(Date.UTC(2026, 3, 11, 0, 30));
      expect((await runSweeps(t.deps))['risk-acceptance-expiry']).toBeGreaterThanOrEqual(1);
      expect(await sweepAcceptances(t.deps)).toBe(0);
      expect(await reviews()).toHaveLength(1);
      const overview = await ok(call('GET', url(risk.id, 'acceptance'), viewer));
      current = overview.current;
      expect(current).toBeNull();
      const day = (lang: string) =>
        new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${expiresOn}T00:00:00Z`));
      expect(overview.history[0]).toMatchObject({ status: 'expired', state: 'expired', endReason: `expired on ${day('en')}` });
      const german = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']], name: 'Deutschsprachiger Leser' });
      await ok(call('PATCH', '/api/me', german, { language: 'de' }));
      expect((await ok(call('GET', url(risk.id, 'acceptance'), german))).history[0].endReason).toBe(`abgelaufen am ${day('de')}`);
      expect(overview.history[0].reviewTaskId).not.toBeNull();
      // the expiry moves the risk back to assessed, as a change of the system
      expect((await getRisk(risk.id)).status).toBe('assessed');
      expect((await statusTrail(risk.id)).at(-1)).toEqual({
        from: 'accepted',
        to: 'assessed',
        reason: `expired:${overview.history[0].reference}:${expiresOn}`,
        actor: null,
      });
      expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
    });

    it('renews an acceptance from 30 days before its expiry without a gap, with every signature it needs', async () => {
      const large = await buildScope(t.deps, { profile: 'large' });
      const lid = large.scope.id;
      const riskOwner = await buildUser(t.deps, { memberships: [[lid, 'contributor']] });
      const risk = await createRisk(
        { title: 'Renewed', ownerId: riskOwner.id, currentLikelihood: 1, currentImpact: 1 },
        lid,
        large.manager,
      );
      const u = (tail: string) => url(risk.id, tail, lid);
      const today = clock.now().toISOString().slice(0, 10);
      const far = await ok(call('POST', u('acceptance'), riskOwner, { justification: 'First', expiresOn: '2026-06-30' }), 201);
      await ok(call('POST', u('acceptance'), large.manager, { justification: 'First, agreed' }), 201);
      const early = await call('POST', u('acceptance'), riskOwner, { justification: 'Too early' });
      expect(early.statusCode).toBe(409);
      expect(json(early).error.message).toMatch(/can be renewed from May 31, 2026/);

      clock.current = new Date(Date.UTC(2026, 5, 10, 9)); // 20 days before expiry
      // the sweep asks the risk owner to re-review; the renewal answers it
      expect(await sweepAcceptances(t.deps)).toBeGreaterThanOrEqual(1);
      const rereview = () =>
        t.deps.db
          .selectFrom('task')
          .select(['purpose', 'status', 'completion_note'])
          .where('origin_record_id', '=', risk.id)
          .where('purpose', '=', `rereview:${far.id}`)
          .execute();
      expect(await rereview()).toEqual([{ purpose: `rereview:${far.id}`, status: 'open', completion_note: null }]);
      const renewal = await ok(call('POST', u('acceptance'), riskOwner, { justification: 'Still low' }), 201);
      expect(renewal).toMatchObject({ status: 'pending', expiresOn: '2027-06-10' });
      let overview = await ok(call('GET', u('acceptance'), large.manager));
      expect(overview.current).toMatchObject({ id: far.id, status: 'effective', state: 'expiring' });
      expect(overview.renewal.id).toBe(renewal.id);
      await ok(call('POST', u('acceptance'), large.manager, { justification: 'Agreed again' }), 201);
      expect(await rereview()).toEqual([
        {
          purpose: `rereview:${far.id}`,
          status: 'done',
          completion_note: `${far.reference} of ${risk.reference} ended: renewed by ${renewal.reference}`,
        },
      ]);
      overview = await ok(call('GET', u('acceptance'), large.manager));
      expect(overview.renewal).toBeNull();
      expect(overview.current).toMatchObject({ id: renewal.id, status: 'effective', state: 'effective' });
      expect(overview.history.find((a: { id: string }) => a.id === far.id)).toMatchObject({
        status: 'ended',
        endReason: `renewed by ${renewal.reference}`,
      });
      // a German reader reads the reason, and the note of the re-review it settled, wholly in German
      const german = await buildUser(t.deps, { memberships: [[large.scope.id, 'manager']], name: 'Deutschsprachige Managerin' });
      await ok(call('PATCH', '/api/me', german, { language: 'de' }));
      expect((await ok(call('GET', u('acceptance'), german))).history.find((a: { id: string }) => a.id === far.id).endReason).toBe(
        `erneuert durch ${renewal.reference}`,
      );
      const doneTasks = (await ok(call('GET', `/api/scopes/${large.scope.id}/tasks?status=done&pageSize=100`, german))).items;
      expect(doneTasks.find((x: { purpose: string }) => x.purpose === `rereview:${far.id}`).completionNote).toBe(
        `${far.reference} von ${risk.reference} ist beendet: erneuert durch ${renewal.reference}`,
      );
      // the old expiry date passes without effect
      clock.current = new Date(Date.UTC(2026, 6, 1, 9));
      await sweepAcceptances(t.deps);
      expect((await ok(call('GET', u('acceptance'), large.manager))).current.id).toBe(renewal.id);
      expect(today).toBe('2026-04-11');
      // accepted throughout: the renewal took over without a gap, so the status changed once
      expect((await getRisk(risk.id, lid, large.manager)).status).toBe('accepted');
      expect((await statusTrail(risk.id, lid, large.manager)).map((c) => c.to)).toEqual(['accepted']);
    });
  });
});
