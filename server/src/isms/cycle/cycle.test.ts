import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogRequirementTable, HandoffTable } from '../../db/schema.ts';
import { newId } from '../../shared/ids.ts';
import {
  buildScope,
  buildUser,
  dialects,
  json,
  requester,
  createTestContext,
  type TestContext,
  TestClock,
  type TestUser,
} from '../../test/harness.ts';
import { phaseStatus } from './cockpit.service.ts';
import { addDays, defaultNextStart, oneYearFrom } from './cycle.service.ts';
import { riskCountsByState } from '../../processes/risk-assessment/index.ts';
import { readinessChecks } from './readiness-checks.ts';
import { sharedReads } from './readiness.ts';

describe('cycle dates', () => {
  it('lasts one year less a day by default, across a leap day and a year end', () => {
    expect(oneYearFrom('2026-03-02')).toBe('2027-03-01');
    expect(oneYearFrom('2028-02-29')).toBe('2029-02-28');
    expect(oneYearFrom('2026-01-01')).toBe('2026-12-31');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });

  it('starts the next cycle today, or right after the current one when it has ended', () => {
    expect(defaultNextStart(undefined, '2026-03-02')).toBe('2026-03-02');
    const current = { starts_on: '2026-01-01', ends_on: '2026-12-31' };
    expect(defaultNextStart(current, '2026-09-15')).toBe('2026-09-15'); // cuts the current cycle short
    expect(defaultNextStart(current, '2027-02-10')).toBe('2027-01-01'); // no gap after an ended cycle
    expect(defaultNextStart(current, '2026-01-01')).toBe('2026-01-02'); // never on the current cycle's first day
    expect(defaultNextStart(current, '2025-12-01')).toBe('2026-01-02');
  });

  it('computes a phase status from its checks', () => {
    expect(phaseStatus([{ state: 'done' }, { state: 'not_applicable' }])).toBe('done');
    expect(phaseStatus([{ state: 'done' }, { state: 'open' }])).toBe('in_progress');
    expect(phaseStatus([{ state: 'partial' }])).toBe('in_progress');
    expect(phaseStatus([{ state: 'open' }, { state: 'not_applicable' }])).toBe('not_started');
  });
});

/** A catalog of the scope with one requirement, for a Statement of Applicability that can be approved in a few steps. */
async function seedOneRequirementCatalog(t: TestContext, scopeId: string) {
  const catalogId = newId();
  await t.deps.db
    .insertInto('catalog')
    .values({
      id: catalogId,
      scope_id: scopeId,
      key: `cycle-${catalogId.slice(-6)}`,
      title: 'Cycle catalog',
      version: '1',
      source: 'oscal',
      oscal_uuid: null,
      published: null,
      requirement_count: 1,
      withdrawn_count: 0,
      imported_by: null,
      created_at: '2026-01-01T00:00:00.000Z',
    })
    .execute();
  const row: CatalogRequirementTable = {
    id: newId(),
    catalog_id: catalogId,
    identifier: 'c1',
    parent_identifier: null,
    kind: 'control',
    label: 'C1',
    title: 'Backup',
    statement: '',
    guidance: null,
    withdrawn: false,
    depth: 0,
    sort_order: 0,
    params: null,
  };
  await t.deps.db.insertInto('catalog_requirement').values(row).execute();
  return catalogId;
}

describe.each(dialects)('ISMS cycle and cockpit on %s', (dialect) => {
  let t: TestContext;
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  const { call, ok } = requester(() => t);
  beforeAll(async () => {
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  const checksOf = (cockpit: any) =>
    Object.fromEntries(
      cockpit.cycle.phases.flatMap((p: any) => p.checks.map((c: any) => [c.key, { state: c.state, figures: c.figures }])),
    ) as Record<string, { state: string; figures: { done: number; total: number } | null }>;
  const phasesOf = (cockpit: any) => Object.fromEntries(cockpit.cycle.phases.map((p: any) => [p.phase, p.status]));

  it('gives a new scope its first cycle of one year; the next cycle closes it and keeps it as history', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const other = await buildScope(t.deps);
    const contributor = await buildUser(t.deps, { memberships: [[scope.id, 'contributor']] });
    const base = `/api/scopes/${scope.id}/cycles`;

    const first = (await ok('GET', base, manager)).items;
    expect(first).toEqual([
      expect.objectContaining({ number: 1, startsOn: '2026-03-02', endsOn: '2027-03-01', current: true, closedAt: null, version: 1 }),
    ]);
    const trail = await t.deps.db
      .selectFrom('audit_entry')
      .select(['action', 'record_ref'])
      .where('record_type', '=', 'isms_cycle')
      .where('scope_id', '=', scope.id)
      .execute();
    // the cycle's number, which the history views word ("no. 1", "Nr. 1")
    expect(trail).toEqual([{ action: 'create', record_ref: '1' }]);

    expect((await call('POST', base, contributor, {})).statusCode).toBe(403);
    expect((await call('POST', base, other.manager, {})).statusCode).toBe(404);
    expect((await call('GET', base, other.manager)).statusCode).toBe(404);

    // today is the first cycle's first day: the next one starts tomorrow, and the first ends today
    const second = await ok('POST', base, manager, {}, 201);
    expect(second).toMatchObject({ number: 2, startsOn: '2026-03-03', endsOn: '2027-03-02', current: true });
    const history = (await ok('GET', base, manager)).items;
    expect(history.map((c: any) => [c.number, c.current, c.endsOn])).toEqual([
      [2, true, '2027-03-02'],
      [1, false, '2026-03-02'],
    ]);
    expect(history[1].closedAt).toBe('2026-03-02T09:00:00.000Z');

    // a start that is not after the current cycle's start is refused naming the field, and nothing changes
    const early = await call('POST', base, manager, { startsOn: '2026-03-03' });
    expect(early.statusCode).toBe(400);
    expect(json(early).error.field).toBe('body.startsOn');
    const backwards = await call('POST', base, manager, { startsOn: '2026-09-01', endsOn: '2026-08-01' });
    expect(json(backwards).error.field).toBe('body.endsOn');
    expect((await ok('GET', base, manager)).items).toHaveLength(2);

    // a start within the current cycle ends the current one the day before
    const third = await ok('POST', base, manager, { startsOn: '2026-09-01' }, 201);
    expect(third).toMatchObject({ number: 3, startsOn: '2026-09-01', endsOn: '2027-08-31' });
    const [, secondAfter] = (await ok('GET', base, manager)).items;
    expect(secondAfter).toMatchObject({ number: 2, endsOn: '2026-08-31', current: false });

    // dates are edited with the version read; they may not overlap the neighbours
    const overlap = await call('PATCH', `${base}/${secondAfter.id}`, manager, { version: secondAfter.version, startsOn: '2026-03-01' });
    expect(overlap.statusCode).toBe(400);
    expect(json(overlap).error.field).toBe('body.startsOn');
    const intoNext = await call('PATCH', `${base}/${secondAfter.id}`, manager, { version: secondAfter.version, endsOn: '2026-09-01' });
    expect(json(intoNext).error.field).toBe('body.endsOn');
    const moved = await ok('PATCH', `${base}/${third.id}`, manager, { version: third.version, endsOn: '2027-06-30' });
    expect(moved).toMatchObject({ endsOn: '2027-06-30', version: 2 });
    const stale = await call('PATCH', `${base}/${third.id}`, manager, { version: third.version, endsOn: '2027-07-31' });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.details.current).toMatchObject({ endsOn: '2027-06-30', version: 2 });
    expect((await call('PATCH', `${base}/${newId()}`, manager, { version: 1, endsOn: '2027-07-31' })).statusCode).toBe(404);
    expect((await call('PATCH', `${base}/${third.id}`, contributor, { version: 2, endsOn: '2027-07-31' })).statusCode).toBe(403);
    const updates = await t.deps.db
      .selectFrom('audit_entry')
      .select('record_ref')
      .where('record_type', '=', 'isms_cycle')
      .where('scope_id', '=', scope.id)
      .where('action', '=', 'update')
      .execute();
    expect(updates.map((u) => u.record_ref).sort()).toEqual(['1', '2', '3']);
  });

  it('moves the Plan phase as the scope is described, risks are assessed and treated and the SoA is approved', async () => {
    const { scope, manager } = await buildScope(t.deps);
    const s = `/api/scopes/${scope.id}`;
    const cockpit = () => ok('GET', `${s}/cockpit`, manager);

    let c = await cockpit();
    expect(c.cycle).toMatchObject({ number: 1, currentPhase: 'plan' });
    expect(phasesOf(c)).toEqual({ plan: 'not_started', do: 'not_started', check: 'not_started', act: 'done' });
    expect(checksOf(c)).toMatchObject({
      'scope-described': { state: 'open' },
      'risks-assessed': { state: 'open', figures: { done: 0, total: 0 } },
      'soa-approved': { state: 'open', figures: { done: 0, total: 0 } },
      'policies-published': { state: 'open' },
      'controls-implemented': { state: 'open' },
      'trainings-done': { state: 'open' },
      'corrective-actions-closed': { state: 'not_applicable' },
    });
    // the Check phase: measurements, internal audit, management review; those no module records yet stay open, saying so
    const checkPhase = c.cycle.phases.find((p: any) => p.phase === 'check');
    expect(checkPhase.checks.map((k: any) => k.key)).toEqual(['measurements-taken', 'internal-audit-held', 'management-review-held']);
    for (const k of checkPhase.checks.filter((k: any) => k.reasonKey === 'reasons.notYetRecorded'))
      expect(k).toMatchObject({ state: 'open', figures: null, link: null });

    const scopeRow = await ok('GET', s, manager);
    await ok('PATCH', s, manager, { version: scopeRow.version, description: 'Hosting of the customer portal, Berlin office' });
    // one risk evaluated above the acceptance criteria of the small profile (high must be treated), one not yet assessed
    const high = await ok('POST', `${s}/risks`, manager, { title: 'Ransomware', currentLikelihood: 3, currentImpact: 3 }, 201);
    await ok('POST', `${s}/risks`, manager, { title: 'Lost laptop' }, 201);
    c = await cockpit();
    expect(checksOf(c)).toMatchObject({
      'scope-described': { state: 'done' },
      'risk-method-set': { state: 'done' },
      'risks-assessed': { state: 'partial', figures: { done: 1, total: 2 } },
      'treatment-decided': { state: 'open', figures: { done: 0, total: 1 } },
    });
    expect(phasesOf(c).plan).toBe('in_progress');

    // the treatment decided for the high risk; the SoA approved (small profile: the manager may approve it)
    const now = clock.now().toISOString();
    await t.deps.db
      .insertInto('risk_treatment')
      .values({
        id: newId(),
        scope_id: scope.id,
        risk_id: high.id,
        reference: 'TRT-0001',
        option: 'modify',
        rationale: 'Backups',
        objectives: '[]',
        status: 'decided',
        decided_at: now,
        decided_by: manager.id,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    const catalogId = await seedOneRequirementCatalog(t, scope.id);
    let soa = await ok('POST', `${s}/soa`, manager, { catalogId }, 201);
    expect(checksOf(await cockpit())['soa-approved']).toEqual({ state: 'open', figures: { done: 0, total: 1 } });
    const url = `${s}/soa/${soa.id}`;
    const [entry] = (await ok('GET', `${url}/entries`, manager)).items;
    await ok('PATCH', `${url}/entries/${entry.id}`, manager, { version: entry.version, applicable: true, justification: 'Needed' });
    soa = await ok('POST', `${url}/submit`, manager, { version: (await ok('GET', url, manager)).version });
    await ok('POST', `${url}/approve`, manager, { version: soa.version });
    c = await cockpit();
    expect(checksOf(c)).toMatchObject({
      'treatment-decided': { state: 'done', figures: { done: 1, total: 1 } },
      'soa-approved': { state: 'done', figures: { done: 1, total: 1 } },
    });

    // in the next cycle, what was approved and assessed in the last one has to be done again
    await ok('POST', `${s}/cycles`, manager, { startsOn: '2026-03-03' }, 201);
    clock.advance(86_400_000);
    try {
      c = await cockpit();
      expect(c.cycle).toMatchObject({ number: 2, startsOn: '2026-03-03' });
      expect(checksOf(c)).toMatchObject({
        'soa-approved': { state: 'open', figures: { done: 0, total: 1 } },
        'risks-assessed': { state: 'open', figures: { done: 0, total: 2 } },
      });
    } finally {
      clock.advance(-86_400_000);
    }
  });

  describe('the cockpit', () => {
    let scopeId: string;
    let manager: TestUser;
    let peer: TestUser;
    const ledger: HandoffTable[] = [];

    /** a task made by hand is due today or later: a late one is made on its due day */
    async function addTask(title: string, processKey: string, dueOn: string | null, assignee: TestUser) {
      const now = clock.current;
      if (dueOn && dueOn < now.toISOString().slice(0, 10)) clock.current = new Date(`${dueOn}T08:00:00.000Z`);
      try {
        return await ok('POST', `/api/scopes/${scopeId}/tasks`, manager, { title, processKey, dueOn, assigneeId: assignee.id }, 201);
      } finally {
        clock.current = now;
      }
    }
    function handoff(edge: string, createdAt: string, dueOn: string | null, doneAt: string | null = null): HandoffTable {
      const [from, to] = edge.split('>') as [string, string];
      return {
        id: newId(),
        scope_id: scopeId,
        edge,
        from_process: from,
        to_process: to,
        event: 'test.event',
        source_record_type: 'risk',
        source_record_id: newId(),
        source_record_ref: 'RSK-0001',
        work_record_type: 'task',
        work_record_id: newId(),
        work_record_ref: 'TSK-0001',
        title: 'Treat risk',
        assignee_id: null,
        due_on: dueOn,
        created_at: createdAt,
        done_at: doneAt,
        outcome: doneAt ? 'done' : null,
        note: null,
      };
    }

    beforeAll(async () => {
      const built = await buildScope(t.deps);
      scopeId = built.scope.id;
      manager = built.manager;
      peer = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
      // today is 2026-03-02
      await ok('POST', `/api/scopes/${scopeId}/risks`, manager, { title: 'Phishing' }, 201); // the scope's risk method exists
      await addTask('Review firewall rules', 'control-implementation', '2026-02-10', manager);
      await addTask('Patch the mail server', 'control-implementation', '2026-02-20', peer);
      await addTask('Check backups', 'control-implementation', '2026-03-02', peer); // due today: not overdue
      await addTask('Re-assess supplier risk', 'risk-assessment', '2026-01-15', peer);
      await addTask('Write the access policy', 'policy-management', null, manager); // no due date
      const done = await addTask('Old audit task', 'internal-audit', '2026-01-01', manager);
      await ok('PATCH', `/api/scopes/${scopeId}/tasks/${done.id}`, manager, { version: done.version, status: 'done' });
      ledger.push(
        handoff('risk-assessment>risk-treatment', '2026-02-01T08:00:00.000Z', '2026-02-28'),
        handoff('risk-assessment>risk-treatment', '2026-02-25T08:00:00.000Z', '2026-03-20'),
        handoff('incident-management>improvement', '2026-02-27T10:00:00.000Z', null),
        handoff('incident-management>improvement', '2026-01-01T10:00:00.000Z', '2026-01-10', '2026-01-09T10:00:00.000Z'),
      );
      await t.deps.db.insertInto('handoff').values(ledger).execute();
    });

    it('shows overdue work by process, hand-offs waiting by edge and the next steps, from the records', async () => {
      const c = await ok('GET', `/api/scopes/${scopeId}/cockpit`, manager);
      expect(c.asOf).toBe('2026-03-02');
      expect(c.overdue.total).toBe(3);
      expect(c.overdue.byProcess).toEqual([
        {
          process: { key: 'control-implementation', name: 'Control implementation management' },
          count: 2,
          oldest: { reference: expect.stringMatching(/^TSK-/), title: 'Review firewall rules', dueOn: '2026-02-10' },
          link: `/s/${scopeId}/tasks?processKey=control-implementation`,
        },
        {
          process: { key: 'risk-assessment', name: expect.any(String) },
          count: 1,
          oldest: { reference: expect.any(String), title: 'Re-assess supplier risk', dueOn: '2026-01-15' },
          link: `/s/${scopeId}/tasks?processKey=risk-assessment`,
        },
      ]);
      expect(c.handoffs).toMatchObject({ total: 3, overdue: 1 });
      expect(c.handoffs.byEdge).toEqual([
        expect.objectContaining({
          edge: 'risk-assessment>risk-treatment',
          from: { key: 'risk-assessment', name: expect.any(String) },
          to: { key: 'risk-treatment', name: expect.any(String) },
          count: 2,
          oldestAt: '2026-02-01T08:00:00.000Z',
          overdue: 1,
        }),
        expect.objectContaining({ edge: 'incident-management>improvement', count: 1, oldestAt: '2026-02-27T10:00:00.000Z', overdue: 0 }),
      ]);
      // the manager's own overdue task first, then the open checks of the current phase (Plan)
      expect(c.nextSteps[0]).toMatchObject({ kind: 'task', title: 'Review firewall rules', dueOn: '2026-02-10' });
      expect(c.nextSteps[0].link).toMatch(new RegExp(`^/s/${scopeId}/tasks\\?q=TSK-`));
      expect(c.nextSteps.slice(1).map((n: any) => n.kind)).toEqual(c.nextSteps.slice(1).map(() => 'check'));
      expect(c.nextSteps.slice(1).map((n: any) => n.key)).toContain('scope-described');
      expect(c.nextSteps.slice(1).every((n: any) => n.phase === 'plan')).toBe(true);

      // each reader gets their own overdue tasks as next steps, longest overdue first
      const theirs = await ok('GET', `/api/scopes/${scopeId}/cockpit`, peer);
      expect(theirs.nextSteps.filter((n: any) => n.kind === 'task').map((n: any) => n.title)).toEqual([
        'Re-assess supplier risk',
        'Patch the mail server',
      ]);
    });

    it('lets auditors and viewers read it, refuses employees (403) and other scopes (404)', async () => {
      const url = `/api/scopes/${scopeId}/cockpit`;
      const role = (r: 'auditor' | 'viewer' | 'employee') => buildUser(t.deps, { memberships: [[scopeId, r]] });
      expect((await call('GET', url, await role('auditor'))).statusCode).toBe(200);
      expect((await call('GET', url, await role('viewer'))).statusCode).toBe(200);
      expect((await call('GET', url, await role('employee'))).statusCode).toBe(403);
      const other = await buildScope(t.deps);
      expect((await call('GET', url, other.manager)).statusCode).toBe(404);
      expect((await call('GET', `/api/scopes/${other.scope.id}/cockpit`, manager)).statusCode).toBe(404);
    });

    it('reads the risk register once for the checks that count risks (risk assessment and risk treatment)', async () => {
      const context = { scopeId, cycle: { startsOn: '2026-01-01', endsOn: '2026-12-31' }, today: '2026-03-01', shared: sharedReads() };
      const before = t.db.database.queryCounter.count;
      const [a, b] = await Promise.all([riskCountsByState(t.deps.db, context), riskCountsByState(t.deps.db, context)]);
      expect(t.db.database.queryCounter.count - before).toBe(1);
      expect(b).toBe(a);
      // without shared reads, each asks on its own
      const alone = t.db.database.queryCounter.count;
      await riskCountsByState(t.deps.db, { ...context, shared: undefined });
      expect(t.db.database.queryCounter.count - alone).toBe(1);
    });

    it('runs a fixed number of statements whatever the number of records', async () => {
      const url = `/api/scopes/${scopeId}/cockpit`;
      const count = async () => {
        await call('GET', url, manager); // the token's first use is recorded once
        const before = t.db.database.queryCounter.count;
        const res = await call('GET', url, manager);
        expect(res.statusCode, res.body).toBe(200);
        return t.db.database.queryCounter.count - before;
      };
      const small = await count();
      // more of everything the cockpit counts: tasks overdue in more processes, risks, controls, hand-offs
      for (const key of ['improvement', 'incident-management', 'records-control']) await addTask(`Late ${key}`, key, '2026-02-01', manager);
      for (let i = 0; i < 5; i++) await ok('POST', `/api/scopes/${scopeId}/risks`, manager, { title: `Risk ${i}` }, 201);
      await t.deps.db
        .insertInto('handoff')
        .values([
          handoff('change-management>policy-management', '2026-02-02T00:00:00.000Z', '2026-02-03'),
          handoff('improvement>change-management', '2026-02-02T00:00:00.000Z', null),
        ])
        .execute();
      const large = await count();
      expect(large).toBe(small);
      // actor (2), cycle, the readiness checks (one or two each), overdue by process, hand-offs, own tasks
      expect(small).toBeLessThanOrEqual(2 + 1 + 2 * readinessChecks().length + 3);
      const c = await ok('GET', url, manager);
      expect(c.overdue.byProcess).toHaveLength(5);
      expect(c.handoffs.byEdge).toHaveLength(4);
    });
  });
});
