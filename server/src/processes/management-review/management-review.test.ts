import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import {
  buildScope,
  buildUser,
  createTestContext,
  dialects,
  json,
  requester,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';
import { openWorkTx } from '../../work/work.ts';
import { compileInputs, reviewSummary } from './index.ts';
import { managementReviewHeldCheck } from './management-review.readiness.ts';
import { sha256 } from './management-review.service.ts';

describe.each(dialects)('management review on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  const { call, ok } = requester(() => t);
  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  async function setup(profile: 'small' | 'large' = 'small') {
    const { scope, manager } = await buildScope(t.deps, { profile });
    const chair = await buildUser(t.deps, { name: 'Mona Director', memberships: [[scope.id, 'viewer']] });
    const it = await buildUser(t.deps, { name: 'Ivo IT', memberships: [[scope.id, 'contributor']] });
    const auditor = await buildUser(t.deps, { name: 'Ada Auditor', memberships: [[scope.id, 'auditor']] });
    const employee = await buildUser(t.deps, { name: 'Emil Employee', memberships: [[scope.id, 'employee']] });
    const base = `/api/scopes/${scope.id}/reviews`;
    return { scopeId: scope.id, manager, chair, it, auditor, employee, base, api: `/api/scopes/${scope.id}` };
  }
  type Setup = Awaited<ReturnType<typeof setup>>;

  const plan = (s: Setup, over: Record<string, unknown> = {}) => ({
    title: 'Management review 2026',
    chairId: s.chair.id,
    plannedOn: '2026-03-02',
    periodFrom: '2026-01-01',
    attendeeIds: [s.it.id],
    ...over,
  });

  async function move(s: Setup, by: TestUser, review: { id: string; version: number }, ...to: string[]) {
    let r = review;
    for (const x of to) r = await ok('POST', `${s.base}/${r.id}/transition`, by, { version: r.version, to: x });
    return r as any;
  }
  async function attend(s: Setup, review: any, present: string[]) {
    return ok('PATCH', `${s.base}/${review.id}`, s.manager, {
      version: review.version,
      attendees: review.attendees.map((a: { id: string }) => ({ userId: a.id, present: present.includes(a.id) })),
    });
  }
  /** a review planned, compiled, attended by chair and IT, and held */
  async function heldReview(s: Setup, over: Record<string, unknown> = {}) {
    let r = await ok('POST', s.base, s.manager, plan(s, over), 201);
    r = await move(s, s.manager, r, 'compiled');
    r = await attend(s, r, [s.chair.id, s.it.id]);
    return move(s, s.manager, r, 'held');
  }

  it('plans a review, compiles, holds and closes it with version checks, quorum and audit-trail entries', async () => {
    const s = await setup();
    const bad = async (payload: unknown, field: string) => {
      const res = await call('POST', s.base, s.manager, payload);
      expect([res.statusCode, json(res).error.field], res.body).toEqual([400, field]);
    };
    await bad(plan(s, { chairId: s.employee.id }), 'body.chairId');
    await bad(plan(s, { chairId: newId() }), 'body.chairId');
    await bad(plan(s, { periodFrom: '2026-04-01' }), 'body.periodTo');
    await bad(plan(s, { title: 'a\u0000b' }), 'body.title');
    await bad(plan(s, { plannedOn: '2026-02-30' }), 'body.plannedOn');
    expect((await call('POST', s.base, s.chair, plan(s))).statusCode).toBe(403);
    expect((await call('POST', s.base, s.auditor, plan(s))).statusCode).toBe(403);

    let r = await ok('POST', s.base, s.manager, plan(s, { periodFrom: undefined }), 201);
    expect(r).toMatchObject({
      reference: 'MR-0001',
      status: 'planned',
      chair: { name: 'Mona Director' },
      plannedOn: '2026-03-02',
      periodTo: '2026-03-02',
      inputs: null,
      canManage: true,
      canApprove: false,
    });
    // the period starts with the cycle (no earlier review)
    expect(r.periodFrom <= r.periodTo).toBe(true);
    expect(r.attendees.map((a: { name: string }) => a.name).sort()).toEqual(['Ivo IT', 'Mona Director']);

    // readers: viewer, auditor, contributor; not the employee, not another scope, not a missing id
    for (const u of [s.chair, s.auditor, s.it]) expect((await call('GET', `${s.base}/${r.id}`, u)).statusCode).toBe(200);
    expect((await call('GET', `${s.base}/${r.id}`, s.employee)).statusCode).toBe(403);
    const other = await buildScope(t.deps);
    expect((await call('GET', `/api/scopes/${other.scope.id}/reviews/${r.id}`, other.manager)).statusCode).toBe(404);
    expect((await call('GET', `${s.base}/${r.id}`, other.manager)).statusCode).toBe(404);
    expect((await call('GET', `${s.base}/${newId()}`, s.manager)).statusCode).toBe(404);

    // the chair (a viewer) may read but not run the review
    expect((await call('POST', `${s.base}/${r.id}/transition`, s.chair, { version: r.version, to: 'compiled' })).statusCode).toBe(403);
    const skip = await call('POST', `${s.base}/${r.id}/transition`, s.manager, { version: r.version, to: 'held' });
    expect([skip.statusCode, json(skip).error.field]).toEqual([409, 'body.to']);
    r = await move(s, s.manager, r, 'compiled');
    expect(r.status).toBe('compiled');
    expect(r.inputs).not.toBeNull();
    expect(r.inputsHash).toBeNull();
    const stale = await call('PATCH', `${s.base}/${r.id}`, s.manager, { version: 1, title: 'Stale' });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.details.current.version).toBe(r.version);
    // nobody present: not held
    const empty = await call('POST', `${s.base}/${r.id}/transition`, s.manager, { version: r.version, to: 'held' });
    expect([empty.statusCode, json(empty).error.field]).toEqual([422, 'body.attendees']);
    r = await attend(s, r, [s.chair.id]);
    r = await move(s, s.manager, r, 'held');
    expect(r.status).toBe('held');
    expect(r.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.inputsVerified).toBe(true);
    expect(r.canApprove).toBe(false);
    // the plan and the inputs' commentary are frozen once held
    for (const patch of [{ title: 'Later' }, { commentary: { issues: 'Later' } }, { plannedOn: '2026-04-01' }]) {
      const res = await call('PATCH', `${s.base}/${r.id}`, s.manager, { version: r.version, ...patch });
      expect(res.statusCode).toBe(409);
    }
    r = await ok('PATCH', `${s.base}/${r.id}`, s.manager, { version: r.version, discussion: 'All fine.' });
    r = await move(s, s.chair, r, 'approved');
    r = await move(s, s.manager, r, 'closed');
    expect(r).toMatchObject({ status: 'closed', approvedBy: { name: 'Mona Director' } });
    expect(r.closedAt).not.toBeNull();

    const trail = await t.deps.db
      .selectFrom('audit_entry')
      .select(['action', 'changes'])
      .where('record_id', '=', r.id)
      .orderBy('seq')
      .execute();
    expect(trail.map((e) => e.action)).toEqual(['create', 'transition', 'update', 'transition', 'update', 'transition', 'transition']);
    expect(String(trail[3]!.changes)).toContain('held');
  });

  it('holds a review in the large profile only with a quorum of attendees present', async () => {
    const s = await setup('large');
    let r = await ok('POST', s.base, s.manager, plan(s), 201);
    r = await move(s, s.manager, r, 'compiled');
    r = await attend(s, r, [s.chair.id]);
    const noQuorum = await call('POST', `${s.base}/${r.id}/transition`, s.manager, { version: r.version, to: 'held' });
    expect([noQuorum.statusCode, json(noQuorum).error.field]).toEqual([422, 'body.quorum']);
    r = await ok('PATCH', `${s.base}/${r.id}`, s.manager, { version: r.version, quorum: 2 });
    const short = await call('POST', `${s.base}/${r.id}/transition`, s.manager, { version: r.version, to: 'held' });
    expect([short.statusCode, json(short).error.details]).toEqual([422, { present: 1, quorum: 2 }]);
    r = await attend(s, r, [s.chair.id, s.it.id]);
    r = await move(s, s.manager, r, 'held');
    expect(r.status).toBe('held');
    expect((await call('PATCH', `${s.base}/${r.id}`, s.manager, { version: r.version, quorum: 0 })).statusCode).toBe(400);
  });

  it('compiles the inputs from the records of the period and freezes them, hashed, when held', async () => {
    const s = await setup();
    const nc = (title: string) => ok('POST', `${s.api}/nonconformities`, s.manager, { title, source: 'manual', severity: 'minor' }, 201);
    await nc('Backups not tested');
    await nc('Access review missing');
    await ok('POST', `${s.api}/opportunities`, s.manager, { title: 'Automate the access review' }, 201);
    await ok('POST', `${s.api}/incidents`, s.it, { title: 'Laptop lost' }, 201);
    for (const title of ['Ransomware', 'Data leak', 'Outage']) await ok('POST', `${s.api}/risks`, s.manager, { title }, 201);
    await ok('POST', `${s.api}/controls`, s.manager, { title: 'Backups', costEstimate: 1200 }, 201);
    await ok('POST', `${s.api}/controls`, s.manager, { title: 'MFA', costEstimate: 300.5 }, 201);

    let r = await ok('POST', s.base, s.manager, plan(s, { periodFrom: '2026-01-01', periodTo: '2026-03-02' }), 201);
    r = await ok('PATCH', `${s.base}/${r.id}`, s.manager, {
      version: r.version,
      commentary: { issues: 'New cloud provider', feedback: 'No complaints' },
    });
    r = await move(s, s.manager, r, 'compiled');
    const compiled = r.inputs;
    expect(compiled.period).toEqual({ from: '2026-01-01', to: '2026-03-02' });
    expect(compiled.performance.nonconformities).toMatchObject({ opened: 2, closed: 0, open: 2 });
    expect(compiled.opportunities).toMatchObject({ raised: 1, open: 1 });
    expect(compiled.incidents.reported).toBe(1);
    expect(compiled.risks.total).toBe(3);
    expect(compiled.resources.controlCosts).toBeCloseTo(1500.5);
    // no measures and no audits in this scope: empty results, said so in the minutes
    expect(compiled.performance.measures).toEqual([]);
    expect(compiled.performance.audits.held).toBe(0);

    r = await attend(s, r, [s.chair.id]);
    r = await move(s, s.manager, r, 'held');
    const frozen = r.inputs;
    expect(frozen.performance.nonconformities.opened).toBe(2);
    expect(r.commentary).toEqual({ issues: 'New cloud provider', feedback: 'No complaints' });

    // later records do not change a held review
    clock.advance(2 * 86_400_000);
    await nc('Found after the review');
    await ok('POST', `${s.api}/incidents`, s.it, { title: 'Phishing' }, 201);
    const again = await ok('GET', `${s.base}/${r.id}`, s.manager);
    expect(again.inputs).toEqual(frozen);
    expect(again.inputsHash).toBe(r.inputsHash);
    expect(again.inputsVerified).toBe(true);
    const stored = await t.deps.db
      .selectFrom('management_review')
      .select(['inputs', 'inputs_hash'])
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    expect(sha256(stored.inputs!)).toBe(stored.inputs_hash);
    expect(JSON.parse(stored.inputs!).commentary).toEqual({ issues: 'New cloud provider', feedback: 'No complaints' });

    // the next review looks back from the day after this one's period and sees only the new records
    let next = await ok('POST', s.base, s.manager, plan(s, { periodFrom: undefined, plannedOn: '2026-03-04' }), 201);
    expect(next.periodFrom).toBe('2026-03-03');
    next = await move(s, s.manager, next, 'compiled');
    expect(next.inputs.performance.nonconformities).toMatchObject({ opened: 1, open: 3 });
    expect(next.inputs.incidents.reported).toBe(1);

    // a changed stored text no longer verifies
    await t.deps.db
      .updateTable('management_review')
      .set({ inputs: stored.inputs!.replace('"opened":2', '"opened":1') })
      .where('id', '=', r.id)
      .execute();
    expect((await ok('GET', `${s.base}/${r.id}`, s.manager)).inputsVerified).toBe(false);
  });

  it('compiles the inputs with a fixed number of statements whatever the number of records', async () => {
    const s = await setup();
    const r = await ok('POST', s.base, s.manager, plan(s), 201);
    const counter = t.db.database.queryCounter;
    const count = async () => {
      const before = counter.count;
      await compileInputs(t.deps.db, s.scopeId, r.id, { from: '2026-01-01', to: '2026-12-31' }, clock.now().toISOString());
      return counter.count - before;
    };
    // one of each first: the scope's risk method is made with its first risk
    await ok('POST', `${s.api}/risks`, s.manager, { title: 'First risk' }, 201);
    const few = await count();
    for (let i = 0; i < 4; i++) {
      await ok('POST', `${s.api}/nonconformities`, s.manager, { title: `NC ${i}`, source: 'manual', severity: 'minor' }, 201);
      await ok('POST', `${s.api}/risks`, s.manager, { title: `Risk ${i}` }, 201);
      await ok('POST', `${s.api}/incidents`, s.it, { title: `Incident ${i}` }, 201);
    }
    expect(await count()).toBe(few);
    expect(few).toBeLessThanOrEqual(20);
  });

  it('records each kind of decision with its record in the same transaction, and the improvement hand-off in the ledger', async () => {
    const s = await setup();
    const sp = await t.deps.db
      .selectFrom('scope_process')
      .select('id')
      .where('scope_id', '=', s.scopeId)
      .where('process_key', '=', 'management-review')
      .executeTakeFirstOrThrow();
    // the cadences sweep's task for the planned review of this period
    const cadenceTask = await t.deps.db.transaction().execute(async (tx) =>
      openWorkTx(tx, t.deps, null, {
        scopeId: s.scopeId,
        processKey: 'management-review',
        purpose: 'cadence:2026-03-01',
        title: { key: 'cadences:title.managementReview' },
        description: '',
        assigneeId: s.manager.id,
        dueOn: '2026-03-01',
        origin: { processKey: 'management-review', recordType: 'process', recordId: sp.id, recordRef: 'management-review' },
      }),
    );
    let r = await ok('POST', s.base, s.manager, plan(s), 201);
    r = await move(s, s.manager, r, 'compiled');
    const early = await call('POST', `${s.base}/${r.id}/decisions`, s.manager, {
      version: r.version,
      kind: 'resource',
      title: 'x',
      ownerId: s.it.id,
      dueOn: '2026-04-01',
    });
    expect(early.statusCode).toBe(409);
    r = await attend(s, r, [s.chair.id, s.it.id]);
    r = await move(s, s.manager, r, 'held');
    const settled = await t.deps.db
      .selectFrom('task')
      .select(['status', 'completion_note'])
      .where('id', '=', cadenceTask.task.id)
      .executeTakeFirstOrThrow();
    expect(settled).toEqual({ status: 'done', completion_note: 'The management review MR-0001 was held' });

    const decide = (kind: string, title: string, by: TestUser = s.manager, ownerId = s.it.id) =>
      call('POST', `${s.base}/${r.id}/decisions`, by, { version: r.version, kind, title, ownerId, dueOn: '2026-06-30' });
    expect((await decide('resource', 'x', s.chair)).statusCode).toBe(403);
    const outsider = await buildUser(t.deps, {});
    const noOwner = await decide('resource', 'x', s.manager, outsider.id);
    expect([noOwner.statusCode, json(noOwner).error.field]).toEqual([400, 'body.ownerId']);
    const badKind = await decide('promotion', 'x');
    expect([badKind.statusCode, json(badKind).error.field]).toEqual([400, 'body.kind']);

    const kinds = [
      ['corrective_action', 'Remove leavers on their last day'],
      ['opportunity', 'Single sign-on for all tools'],
      ['change_request', 'Add the cloud provider to the scope'],
      ['risk_acceptance', 'Accept the residual risk of the old ERP'],
      ['policy_revision', 'Revise the access control policy'],
      ['resource', 'Half a position for security operations'],
      ['objective', 'Patch critical systems within 7 days'],
    ] as const;
    for (const [kind, title] of kinds) {
      const res = await decide(kind, title);
      expect(res.statusCode, res.body).toBe(201);
      r = json(res);
    }
    expect(r.decisionList.map((d: any) => [d.position, d.kind, d.owner.name, d.dueOn])).toEqual(
      kinds.map(([kind], i) => [i + 1, kind, 'Ivo IT', '2026-06-30']),
    );
    const [ca, ofi, chg, ...tasks] = r.decisionList;
    // the nonconformity is in progress: its corrective action is planned for the owner
    expect(ca.record).toMatchObject({ type: 'nonconformity', reference: 'NC-0001', status: 'in_progress' });
    const nc = await ok('GET', `${s.api}/nonconformities/${ca.record.id}`, s.manager);
    expect(nc).toMatchObject({ source: 'management_review', requirement: 'ISO/IEC 27001 9.3.3', owner: { name: 'Ivo IT' } });
    expect(nc.correctiveActions).toMatchObject([
      { title: 'Remove leavers on their last day', assignee: { name: 'Ivo IT' }, dueOn: '2026-06-30' },
    ]);
    expect(ofi.record).toMatchObject({ type: 'improvement_opportunity', status: 'proposed' });
    expect(chg.record).toMatchObject({ type: 'change_request', status: 'requested' });
    const change = await t.deps.db.selectFrom('change_request').selectAll().where('id', '=', chg.record.id).executeTakeFirstOrThrow();
    expect([change.source_record_type, change.source_record_id, change.owner_id]).toEqual(['management_review', r.id, s.it.id]);
    for (const d of tasks) {
      const task = await t.deps.db.selectFrom('task').selectAll().where('id', '=', d.record.id).executeTakeFirstOrThrow();
      expect(task).toMatchObject({ purpose: `decision:${d.id}`, assignee_id: s.it.id, due_on: '2026-06-30', status: 'open' });
      expect(task.title).toContain(d.title);
    }
    const processOf = async (id: string) =>
      (await t.deps.db.selectFrom('task').select('process_key').where('id', '=', id).executeTakeFirstOrThrow()).process_key;
    expect(await Promise.all(tasks.map((d: any) => processOf(d.record.id)))).toEqual([
      'risk-treatment',
      'policy-management',
      'management-review',
      'management-review',
    ]);

    // the improvement edge's deliveries are in the ledger: the corrective action's task and the opportunity
    const ledger = await t.deps.db
      .selectFrom('handoff')
      .select(['edge', 'event', 'work_record_type', 'work_record_id', 'source_record_id', 'done_at'])
      .where('scope_id', '=', s.scopeId)
      .where('edge', '=', 'management-review>improvement')
      .orderBy('created_at')
      .orderBy('work_record_type')
      .execute();
    expect(ledger).toEqual(
      expect.arrayContaining([
        {
          edge: 'management-review>improvement',
          event: 'review.decided',
          work_record_type: 'task',
          work_record_id: nc.correctiveActions[0].taskId,
          source_record_id: r.id,
          done_at: null,
        },
        {
          edge: 'management-review>improvement',
          event: 'review.decided',
          work_record_type: 'improvement_opportunity',
          work_record_id: ofi.record.id,
          source_record_id: r.id,
          done_at: null,
        },
      ]),
    );
    expect(ledger).toHaveLength(2);

    // a refused decision leaves nothing behind: the review's version is stale, no nonconformity is added
    const before = await t.deps.db.selectFrom('nonconformity').select('id').where('scope_id', '=', s.scopeId).execute();
    const staleDecision = await call('POST', `${s.base}/${r.id}/decisions`, s.manager, {
      version: 1,
      kind: 'corrective_action',
      title: 'Twice',
      ownerId: s.it.id,
      dueOn: '2026-06-30',
    });
    expect(staleDecision.statusCode).toBe(409);
    expect(await t.deps.db.selectFrom('nonconformity').select('id').where('scope_id', '=', s.scopeId).execute()).toHaveLength(
      before.length,
    );

    // the decisions feed the next review (9.3.2 a) and the cockpit's summary
    const summary = await reviewSummary(t.deps.db, s.scopeId);
    expect(summary).toMatchObject({ lastHeld: { reference: 'MR-0001' }, openDecisions: 7 });
    await t.deps.db.updateTable('task').set({ status: 'done' }).where('id', '=', tasks[2].record.id).execute();
    expect((await reviewSummary(t.deps.db, s.scopeId)).openDecisions).toBe(6);
    let next = await ok('POST', s.base, s.manager, plan(s, { plannedOn: '2026-09-01', periodFrom: undefined }), 201);
    next = await move(s, s.manager, next, 'compiled');
    expect(next.inputs.actions).toMatchObject({ open: 6, done: 1, overdue: 0 });
    expect(next.inputs.actions.decisions.find((d: any) => d.kind === 'resource')).toMatchObject({ reviewRef: 'MR-0001', open: false });
  });

  it('lets only the chair approve the minutes (a manager when the chair has left), and registers them as a record', async () => {
    const s = await setup();
    let r = await heldReview(s);
    const approve = (by: TestUser) => call('POST', `${s.base}/${r.id}/transition`, by, { version: r.version, to: 'approved' });
    expect((await ok('GET', `${s.base}/${r.id}`, s.chair)).canApprove).toBe(true);
    expect((await ok('GET', `${s.base}/${r.id}`, s.manager)).canApprove).toBe(false);
    const noDiscussion = await approve(s.chair);
    expect([noDiscussion.statusCode, json(noDiscussion).error.field]).toEqual([422, 'body.discussion']);
    r = await ok('PATCH', `${s.base}/${r.id}`, s.manager, { version: r.version, discussion: 'The ISMS works.' });
    for (const u of [s.manager, s.it, s.auditor]) expect((await approve(u)).statusCode).toBe(403);
    r = json(await approve(s.chair));
    expect(r).toMatchObject({
      status: 'approved',
      approvedBy: { name: 'Mona Director' },
      minutesRecord: { reference: expect.stringMatching(/^REC-/) },
    });
    const record = await t.deps.db
      .selectFrom('controlled_record')
      .selectAll()
      .where('id', '=', r.minutesRecord.id)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      scope_id: s.scopeId,
      process_key: 'management-review',
      retention_months: 36,
      owner_id: s.chair.id,
      status: 'active',
    });
    expect(record.title).toContain('MR-0001');
    expect((await call('PATCH', `${s.base}/${r.id}`, s.manager, { version: r.version, discussion: 'Changed' })).statusCode).toBe(409);
    expect((await call('POST', `${s.base}/${r.id}/transition`, s.chair, { version: r.version, to: 'closed' })).statusCode).toBe(403);

    // the chair left the scope: a manager approves
    let other = await heldReview(s, { title: 'Extraordinary review' });
    other = await ok('PATCH', `${s.base}/${other.id}`, s.manager, { version: other.version, discussion: 'Incident follow-up.' });
    const refused = await call('POST', `${s.base}/${other.id}/transition`, s.manager, { version: other.version, to: 'approved' });
    expect(refused.statusCode).toBe(403);
    await t.deps.db.deleteFrom('membership').where('scope_id', '=', s.scopeId).where('user_id', '=', s.chair.id).execute();
    other = await ok('POST', `${s.base}/${other.id}/transition`, s.manager, { version: other.version, to: 'approved' });
    expect(other.approvedBy.id).toBe(s.manager.id);
  });

  it('exports the minutes as PDF and DOCX with attendees, frozen inputs, discussion and decisions', async () => {
    const s = await setup();
    let r = await heldReview(s, { title: 'Annual review of the ISMS' });
    r = await ok('PATCH', `${s.base}/${r.id}`, s.manager, { version: r.version, discussion: 'Budget stays as planned.' });
    r = json(
      await call('POST', `${s.base}/${r.id}/decisions`, s.manager, {
        version: r.version,
        kind: 'corrective_action',
        title: 'Remove leavers on their last day',
        ownerId: s.it.id,
        dueOn: '2026-06-30',
      }),
    );
    const pdf = await call('GET', `${s.base}/${r.id}/minutes.pdf`, s.auditor);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');
    const docx = await call('GET', `${s.base}/${r.id}/minutes.docx`, s.chair);
    expect(docx.statusCode).toBe(200);
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    for (const text of [
      'MR-0001 Annual review of the ISMS',
      'Mona Director',
      'Budget stays as planned.',
      'Remove leavers on their last day',
      'NC-0001',
      r.inputsHash,
      'no measurements recorded in Praxis for this period',
      'no audits recorded in Praxis for this period',
    ])
      expect(xml).toContain(text);
    expect((await call('GET', `${s.base}/${r.id}/minutes.pdf`, s.employee)).statusCode).toBe(403);
  });

  it('lists with paging, filters, search and CSV in a fixed number of statements; the readiness check follows the reviews', async () => {
    const s = await setup();
    const cycle = { startsOn: '2026-01-01', endsOn: '2026-12-31' };
    const check = () => managementReviewHeldCheck.evaluate(t.deps.db, { scopeId: s.scopeId, cycle, today: '2026-03-02' });
    expect((await check()).state).toBe('open');
    await ok('POST', s.base, s.manager, plan(s, { title: 'Spring review' }), 201);
    expect((await check()).state).toBe('partial');
    await heldReview(s, { title: 'Autumn review' });
    expect((await check()).state).toBe('done');

    const list = await ok('GET', `${s.base}?status=held`, s.chair);
    expect(list.items.map((x: any) => x.title)).toEqual(['Autumn review']);
    expect((await ok('GET', `${s.base}?q=spring`, s.auditor)).items.map((x: any) => x.title)).toEqual(['Spring review']);
    const page = await ok('GET', `${s.base}?pageSize=1&page=2`, s.manager);
    expect([page.items.length, page.total]).toEqual([1, 2]);
    const counter = t.db.database.queryCounter;
    const count = async (pageSize: number) => {
      await call('GET', `${s.base}?pageSize=${pageSize}`, s.manager);
      const before = counter.count;
      expect((await call('GET', `${s.base}?pageSize=${pageSize}`, s.manager)).statusCode).toBe(200);
      return counter.count - before;
    };
    expect(await count(100)).toBe(await count(1));
    const csv = await call('GET', `/api/scopes/${s.scopeId}/reviews.csv?status=held`, s.auditor);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('Autumn review');
    expect(csv.body).toContain('Held');
    expect(csv.body).not.toContain('Spring review');
    expect((await call('GET', `/api/scopes/${s.scopeId}/review-summary`, s.chair)).statusCode).toBe(200);
    expect((await call('GET', `/api/scopes/${s.scopeId}/review-summary`, s.employee)).statusCode).toBe(403);
  });
});
