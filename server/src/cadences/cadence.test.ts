import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCadences } from '../db/migrations/0015_cadences.ts';
import { up as moveProcessReviewTitles } from '../db/migrations/0036_process_review_title_key.ts';
import { runSweeps } from '../jobs/sweeps.ts';
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
} from '../test/harness.ts';
import { updateTask } from '../work/task.service.ts';
import { addDays } from './cadence.rules.ts';
import { sweepCadences } from './cadence.sweep.ts';

const DAY = 86_400_000;

describe.each(dialects)('cadences on %s', (dialect) => {
  let t: TestContext;
  let clock: TestClock;
  const { ok, call } = requester(() => t);
  const today = () => clock.now().toISOString().slice(0, 10);
  /** moves the clock to a calendar day at a given UTC time (22:30 UTC is 23:30 or 00:30 in Berlin) */
  const setDay = (day: string, time = '09:00:00') => {
    clock.current = new Date(`${day}T${time}.000Z`);
  };

  beforeAll(async () => {
    clock = new TestClock(new Date('2027-01-04T09:00:00.000Z'));
    t = await createTestContext(dialect, { clock });
  });
  afterAll(() => t.close());

  const scopeWith = async (profile: 'small' | 'large' = 'small') => {
    const { scope, manager } = await buildScope(t.deps, { profile });
    const A = `/api/scopes/${scope.id}`;
    return { scopeId: scope.id, manager, A };
  };
  const processRow = (scopeId: string, key: string) =>
    t.deps.db
      .selectFrom('scope_process')
      .selectAll()
      .where('scope_id', '=', scopeId)
      .where('process_key', '=', key)
      .executeTakeFirstOrThrow();
  const tasksOf = (recordType: string, recordId: string) =>
    t.deps.db
      .selectFrom('task')
      .selectAll()
      .where('origin_record_type', '=', recordType)
      .where('origin_record_id', '=', recordId)
      .orderBy('created_at')
      .orderBy('reference')
      .execute();
  const occurrencesOf = (recordId: string) =>
    t.deps.db.selectFrom('cadence_occurrence').selectAll().where('record_id', '=', recordId).orderBy('occurs_on').execute();
  const complete = async (user: TestUser, scopeId: string, taskId: string) => {
    const task = await t.deps.db.selectFrom('task').selectAll().where('id', '=', taskId).executeTakeFirstOrThrow();
    await updateTask(t.deps, user.actor, scopeId, taskId, { version: task.version, status: 'done' });
  };
  const setCadence = async (A: string, key: string, user: TestUser, body: Record<string, unknown>) => {
    const current = await ok('GET', `${A}/processes/${key}/cadence`, user);
    return ok('PUT', `${A}/processes/${key}/cadence`, user, { version: current.version, ...body });
  };

  it('gives a small scope one yearly management review and a large scope the formal calendar', async () => {
    const small = await scopeWith('small');
    const review = await ok('GET', `${small.A}/processes/management-review/cadence`, small.manager);
    expect(review).toMatchObject({ rule: { frequency: 'yearly', interval: 1 }, mode: 'fixed', nextReviewOn: addDays(today(), 365) });
    expect(review.nextDates).toHaveLength(3);
    expect((await ok('GET', `${small.A}/processes/internal-audit/cadence`, small.manager)).rrule).toBeNull();
    const map = await ok('GET', `${small.A}/processes`, small.manager);
    expect(map.processes.filter((p: { cadence: string }) => p.cadence !== 'none').map((p: { key: string }) => p.key)).toEqual([
      'management-review',
    ]);
    const list = await ok('GET', `${small.A}/cadences`, small.manager);
    expect(list.sources).toEqual([
      expect.objectContaining({ source: 'risk-review', processKey: 'risk-assessment', mode: 'after_completion' }),
      expect.objectContaining({ source: 'control-verification', processKey: 'control-implementation', mode: 'after_completion' }),
    ]);
    expect(list.items.filter((i: { rrule: string | null }) => i.rrule).map((i: { processKey: string }) => i.processKey)).toEqual([
      'management-review',
    ]);

    const large = await scopeWith('large');
    const rules = Object.fromEntries(
      await Promise.all(
        ['management-review', 'internal-audit', 'performance-evaluation', 'policy-management', 'risk-assessment'].map(async (k) => [
          k,
          (await ok('GET', `${large.A}/processes/${k}/cadence`, large.manager)).rrule,
        ]),
      ),
    );
    expect(rules).toEqual({
      'management-review': 'FREQ=MONTHLY;INTERVAL=6',
      'internal-audit': 'FREQ=YEARLY;INTERVAL=1',
      'performance-evaluation': 'FREQ=MONTHLY;INTERVAL=3',
      'policy-management': 'FREQ=YEARLY;INTERVAL=1',
      'risk-assessment': 'FREQ=YEARLY;INTERVAL=1',
    });
  });

  it('migrates old cadence labels into rules: an edited process keeps its cadence, an untouched scope takes its preset', async () => {
    const small = await scopeWith('small');
    const large = await scopeWith('large');
    const ids = [small.scopeId, large.scopeId];
    // as before migration 0015: labels and dates on the process rows, no cadences
    await t.deps.db.deleteFrom('cadence').where('scope_id', 'in', ids).execute();
    await t.deps.db
      .updateTable('scope_process')
      .set({ cadence: 'yearly', next_review_on: null, version: 1 })
      .where('scope_id', 'in', ids)
      .execute();
    await t.deps.db
      .updateTable('scope_process')
      .set({ cadence: 'quarterly', next_review_on: '2027-02-15', version: 3 })
      .where('scope_id', '=', small.scopeId)
      .where('process_key', '=', 'improvement')
      .execute();
    // the data migration runs over every scope of the database
    await t.deps.db.deleteFrom('cadence').execute();
    await migrateCadences(t.deps.db);
    const rules = async (scopeId: string) =>
      Object.fromEntries(
        (
          await t.deps.db
            .selectFrom('cadence')
            .select(['source', 'subject', 'rule', 'mode', 'starts_on'])
            .where('scope_id', '=', scopeId)
            .execute()
        )
          .filter((c) => c.rule)
          .map((c) => [`${c.source}:${c.subject}`, c.rule]),
      );
    expect(await rules(small.scopeId)).toEqual({
      'process:management-review': 'FREQ=YEARLY;INTERVAL=1',
      'process:improvement': 'FREQ=MONTHLY;INTERVAL=3',
      'risk-review:': 'FREQ=YEARLY;INTERVAL=1',
    });
    expect((await processRow(small.scopeId, 'improvement')).next_review_on).toBe('2027-02-15');
    expect((await processRow(small.scopeId, 'internal-audit')).cadence).toBe('none');
    const largeRules = await rules(large.scopeId);
    expect(largeRules['process:management-review']).toBe('FREQ=MONTHLY;INTERVAL=6');
    expect(largeRules['process:performance-evaluation']).toBe('FREQ=MONTHLY;INTERVAL=3');
    expect(largeRules['process:incident-management']).toBeUndefined();
    expect((await processRow(large.scopeId, 'management-review')).next_review_on).not.toBeNull();
  });

  it('reads and edits a cadence in friendly words, names the field of a bad rule, and guards access', async () => {
    const { scopeId, manager, A } = await scopeWith();
    const viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
    const outsider = (await scopeWith()).manager;
    const set = await setCadence(A, 'management-review', manager, {
      rule: { frequency: 'yearly', interval: 1, month: 3, monthDay: 1 },
      mode: 'fixed',
    });
    expect(set).toMatchObject({
      rrule: 'FREQ=YEARLY;INTERVAL=1;BYMONTH=3;BYMONTHDAY=1',
      nextReviewOn: '2027-03-01',
      leadDays: 14,
      escalationDays: 7,
    });
    expect(set.nextDates).toEqual(['2027-03-01', '2028-03-01', '2029-03-01']);
    expect((await processRow(scopeId, 'management-review')).next_review_on).toBe('2027-03-01');
    const audit = await t.deps.db
      .selectFrom('audit_entry')
      .select('changes')
      .where('record_type', '=', 'cadence')
      .where('scope_id', '=', scopeId)
      .execute();
    expect(audit.some((a) => a.changes.includes('BYMONTH=3'))).toBe(true);

    const url = `${A}/processes/management-review/cadence`;
    const put = (user: TestUser, body: Record<string, unknown>) => call('PUT', url, user, { version: set.version, mode: 'fixed', ...body });
    let res = await put(manager, { rule: 'FREQ=SOMETIMES' });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe('body.rule');
    res = await put(manager, { rule: { frequency: 'weekly', interval: 1, monthDay: 3 } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe('body.rule.monthDay');
    res = await put(manager, { rule: { frequency: 'yearly', interval: 1, month: 2, monthDay: 30 } });
    expect(res.statusCode, res.body).toBe(200); // the 30th falls back to February's last day
    expect(json(res).nextDates[0]).toMatch(/-02-2[89]$/);
    res = await put(manager, { rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }); // stale version first
    expect(res.statusCode).toBe(409);
    expect(json(res).error.details.current.version).toBe(set.version + 1);
    res = await call('PUT', url, manager, { version: set.version + 1, rule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe('body.rule');
    res = await call('PUT', url, manager, { version: set.version + 1, rule: null, leadDays: 500 });
    expect(json(res).error.field).toBe('body.leadDays');

    expect((await put(viewer, { rule: null })).statusCode).toBe(403);
    expect((await call('GET', url, viewer)).statusCode).toBe(200);
    expect((await call('GET', url, outsider)).statusCode).toBe(404);
    expect((await put(outsider, { rule: null })).statusCode).toBe(404);
    expect((await call('GET', `${A}/cadences/upcoming`, outsider)).statusCode).toBe(404);
    expect((await call('GET', `${A}/cadences`, outsider)).statusCode).toBe(404);
    expect((await call('GET', `${A}/cadences/upcoming`, viewer)).statusCode).toBe(200);
    expect((await call('GET', `${A}/processes/no-such-process/cadence`, manager)).statusCode).toBe(404);
  });

  it('creates an occurrence ahead of its date exactly once across repeated and concurrent sweeps', async () => {
    const { scopeId, manager, A } = await scopeWith();
    await setCadence(A, 'internal-audit', manager, {
      rule: { frequency: 'yearly', interval: 1 },
      mode: 'fixed',
      startsOn: addDays(today(), 20),
      leadDays: 14,
    });
    const sp = await processRow(scopeId, 'internal-audit');
    await sweepCadences(t.deps);
    expect(await tasksOf('process', sp.id)).toHaveLength(0); // 20 days ahead, 14 days lead: not yet
    clock.advance(7 * DAY);
    const results = await Promise.all([sweepCadences(t.deps), sweepCadences(t.deps), sweepCadences(t.deps)]);
    await sweepCadences(t.deps);
    const tasks = await tasksOf('process', sp.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      title: 'Carry out the internal audit programme',
      assignee_id: manager.id,
      due_on: sp.next_review_on,
      purpose: `cadence:${sp.next_review_on}`,
      title_key: 'cadences:title.auditProgramme',
    });
    expect(results.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(await occurrencesOf(sp.id)).toHaveLength(1);

    const upcoming = await ok('GET', `${A}/cadences/upcoming?pageSize=5`, manager);
    const item = upcoming.items.find((i: { processKey: string }) => i.processKey === 'internal-audit');
    expect(item).toMatchObject({ planned: false, task: { reference: tasks[0]!.reference }, assignee: { id: manager.id } });
    expect(upcoming.items.every((i: { date: string }) => i.date <= addDays(today(), 90))).toBe(true);
  });

  it('escalates an overdue risk review to the process owner, then to the managers, each once; completion moves the review date', async () => {
    const { scopeId, manager, A } = await scopeWith();
    const riskOwner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'Risk owner' });
    const processOwner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'Process owner' });
    const second = await buildUser(t.deps, { memberships: [[scopeId, 'manager']], name: 'Second manager' });
    const p = await ok('GET', `${A}/processes`, manager);
    const ra = p.processes.find((x: { key: string }) => x.key === 'risk-assessment');
    await ok('PATCH', `${A}/processes/risk-assessment`, manager, { version: ra.version, ownerId: processOwner.id });
    const due = addDays(today(), 5);
    const risk = await ok('POST', `${A}/risks`, manager, { title: 'Laptop theft', ownerId: riskOwner.id, nextReviewOn: due }, 201);

    await sweepCadences(t.deps);
    const [task] = await tasksOf('risk', risk.id);
    expect(task).toMatchObject({ assignee_id: riskOwner.id, due_on: due, process_key: 'risk-assessment' });
    expect(task!.title).toContain(risk.reference);

    setDay(addDays(due, 6));
    await sweepCadences(t.deps);
    expect(await tasksOf('cadence_occurrence', (await occurrencesOf(risk.id))[0]!.id)).toHaveLength(0);
    setDay(addDays(due, 7));
    await Promise.all([sweepCadences(t.deps), sweepCadences(t.deps)]);
    await sweepCadences(t.deps);
    const [occ] = await occurrencesOf(risk.id);
    let escalations = await tasksOf('cadence_occurrence', occ!.id);
    expect(escalations.map((e) => e.assignee_id)).toEqual([processOwner.id]);
    expect(occ!.escalation_level).toBe(1);

    setDay(addDays(due, 14));
    await Promise.all([sweepCadences(t.deps), sweepCadences(t.deps)]);
    setDay(addDays(due, 30));
    await sweepCadences(t.deps);
    escalations = await tasksOf('cadence_occurrence', occ!.id);
    expect(escalations.map((e) => e.assignee_id).sort()).toEqual([processOwner.id, manager.id, second.id].sort());
    expect((await occurrencesOf(risk.id))[0]!.escalation_level).toBe(2);
    const trail = await t.deps.db.selectFrom('audit_entry').select('changes').where('record_id', '=', occ!.id).execute();
    expect(trail.filter((a) => a.changes.includes('escalationLevel'))).toHaveLength(2);
    // the escalation's title names the overdue review by its own title, worded for the reader as a whole
    const german = await buildUser(t.deps, { memberships: [[scopeId, 'manager']], name: 'Deutschsprachige Managerin' });
    await ok('PATCH', '/api/me', german, { language: 'de' });
    const titles = async (user: TestUser) =>
      ((await ok('GET', `${A}/tasks?pageSize=100`, user)).items as { id: string; title: string }[])
        .filter((x) => escalations.some((e) => e.id === x.id))
        .map((x) => x.title);
    expect(new Set(await titles(german))).toEqual(
      new Set([`Überfällig: ${task!.reference} ${risk.reference} Laptop theft neu beurteilen`]),
    );
    expect(new Set(await titles(manager))).toEqual(new Set([`Overdue: ${task!.reference} Re-assess ${risk.reference} Laptop theft`]));

    // the risk owner does the review: the occurrence closes, the escalations end, the next review is a year on
    const doneOn = today();
    await complete(riskOwner, scopeId, task!.id);
    await sweepCadences(t.deps);
    await sweepCadences(t.deps);
    const [closed] = await occurrencesOf(risk.id);
    expect(closed!.state).toBe('done');
    expect((await tasksOf('cadence_occurrence', occ!.id)).map((e) => e.status)).toEqual(['done', 'done', 'done']);
    const after = await t.deps.db.selectFrom('risk').select('next_review_on').where('id', '=', risk.id).executeTakeFirstOrThrow();
    expect(after.next_review_on).toBe(`${Number(doneOn.slice(0, 4)) + 1}${doneOn.slice(4)}`);
  });

  it('follows its record: a review date moved on by hand completes the open review, a closed risk cancels it', async () => {
    const { manager, A } = await scopeWith();
    const risk = await ok('POST', `${A}/risks`, manager, { title: 'Ransomware', nextReviewOn: addDays(today(), 3) }, 201);
    await sweepCadences(t.deps);
    const [first] = await tasksOf('risk', risk.id);
    expect(first!.status).toBe('open');
    let current = await ok('GET', `${A}/risks/${risk.id}`, manager);
    await ok('PATCH', `${A}/risks/${risk.id}`, manager, { version: current.version, nextReviewOn: addDays(today(), 10) });
    await sweepCadences(t.deps);
    let tasks = await tasksOf('risk', risk.id);
    expect(tasks.map((x) => [x.status, x.due_on])).toEqual([
      ['done', addDays(today(), 3)],
      ['open', addDays(today(), 10)],
    ]);
    expect(tasks[0]!.completion_note).toContain('The review date moved to');
    expect((await occurrencesOf(risk.id)).map((o) => o.state)).toEqual(['done', 'open']);

    current = await ok('GET', `${A}/risks/${risk.id}`, manager);
    await ok('PATCH', `${A}/risks/${risk.id}`, manager, { version: current.version, status: 'closed' });
    await sweepCadences(t.deps);
    await sweepCadences(t.deps);
    tasks = await tasksOf('risk', risk.id);
    expect(tasks.map((x) => x.status)).toEqual(['done', 'cancelled']);
    expect(tasks[1]!.completion_note).toContain(risk.reference);
    expect((await occurrencesOf(risk.id)).map((o) => o.state)).toEqual(['done', 'cancelled']);
  });

  it('pages the upcoming reviews of 90 days, overdue first, in a fixed number of statements', async () => {
    const { manager, A } = await scopeWith();
    const url = (page: number) => `${A}/cadences/upcoming?pageSize=3&page=${page}`;
    const count = async () => {
      await call('GET', url(1), manager);
      const before = t.db.database.queryCounter.count;
      const res = await call('GET', url(1), manager);
      expect(res.statusCode, res.body).toBe(200);
      return t.db.database.queryCounter.count - before;
    };
    await ok('POST', `${A}/risks`, manager, { title: 'Risk 0', nextReviewOn: addDays(today(), 80) }, 201);
    const few = await count();
    await setCadence(A, 'communication', manager, {
      rule: { frequency: 'weekly', interval: 1, weekday: 'MO' },
      mode: 'fixed',
      leadDays: 1,
    });
    for (let i = 1; i <= 4; i++)
      await ok('POST', `${A}/risks`, manager, { title: `Risk ${i}`, nextReviewOn: addDays(today(), i * 20) }, 201);
    const late = await ok('POST', `${A}/risks`, manager, { title: 'Late risk', nextReviewOn: addDays(today(), 2) }, 201);
    await sweepCadences(t.deps);
    clock.advance(3 * DAY);
    expect(await count()).toBe(few);
    const first = await ok('GET', url(1), manager);
    // 13 weekly communication reviews, 6 risks (the late one under way and overdue)
    expect(first.total).toBe(19);
    expect(first.items[0]).toMatchObject({ overdue: true, planned: false, record: { id: late.id }, task: { status: 'open' } });
    const all = [...first.items];
    for (let page = 2; page <= Math.ceil(first.total / 3); page++) all.push(...(await ok('GET', url(page), manager)).items);
    expect(all).toHaveLength(19);
    expect(all.map((i) => i.date)).toEqual([...all.map((i) => i.date)].sort());
    expect(all.filter((i) => i.processKey === 'communication').every((i) => i.title === 'Review the process "Communication"')).toBe(true);
    // a German reader reads the process by its German name (the title keeps the process by key)
    const german = await t.app.inject({ method: 'GET', url: url(1), headers: { ...manager.headers, 'accept-language': 'de' } });
    const germanReviews = json(german).items.filter((i: { processKey: string }) => i.processKey === 'communication');
    expect(germanReviews.length).toBeGreaterThan(0);
    expect(germanReviews.every((i: { title: string }) => i.title === 'Den Prozess „Kommunikation“ überprüfen')).toBe(true);
    // a task written before migration 0036 named the process in English: it is moved to the key (its origin's
    // reference is the process key); one whose origin names no process keeps its words
    const db = t.db.database.db;
    const task = await db.selectFrom('task').selectAll().orderBy('id').executeTakeFirstOrThrow();
    const old = (suffix: string, ref: string | null) => ({
      ...task,
      id: `${task.id.slice(0, -4)}${suffix}`,
      reference: `TSK-${suffix}`,
      title: `Review the process "Communication"`,
      title_key: 'cadences:title.processReview',
      title_params: JSON.stringify({ process: 'Communication' }),
      origin_record_type: 'process',
      origin_record_id: `${task.id.slice(0, -4)}${suffix}`,
      origin_record_ref: ref,
      purpose: null,
    });
    await db
      .insertInto('task')
      .values([old('0a36', 'communication'), old('0b36', 'Not a key!')])
      .execute();
    await moveProcessReviewTitles(db);
    const after = await db
      .selectFrom('task')
      .select(['reference', 'title_key', 'title_params'])
      .where('reference', 'in', ['TSK-0a36', 'TSK-0b36'])
      .orderBy('reference')
      .execute();
    const params = (p: unknown) => (typeof p === 'string' ? JSON.parse(p) : p);
    expect(after.map((r) => [r.reference, r.title_key, params(r.title_params)])).toEqual([
      ['TSK-0a36', 'cadences:title.processReviewOf', { processKey: 'communication' }],
      ['TSK-0b36', 'cadences:title.processReview', { process: 'Communication' }],
    ]);
    await db.deleteFrom('task').where('reference', 'in', ['TSK-0a36', 'TSK-0b36']).execute();
    clock.advance(-3 * DAY);
  });

  it("sets the rule of risk reviews: a completed review moves the risk to the rule's next date; guards access", async () => {
    const { scopeId, manager, A } = await scopeWith();
    const viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
    const outsider = (await scopeWith()).manager;
    const url = `${A}/cadences/sources/risk-review`;
    const before = await ok('GET', url, viewer);
    expect(before).toMatchObject({ processKey: 'risk-assessment', rrule: 'FREQ=YEARLY;INTERVAL=1', mode: 'after_completion' });
    expect((await call('PUT', url, viewer, { version: before.version, rule: null })).statusCode).toBe(403);
    expect((await call('GET', url, outsider)).statusCode).toBe(404);
    expect((await call('GET', `${A}/cadences/sources/process`, manager)).statusCode).toBe(404);
    expect((await call('GET', `${A}/cadences/sources/nothing`, manager)).statusCode).toBe(404);
    const bad = await call('PUT', url, manager, { version: before.version, rule: { frequency: 'monthly', interval: 1, weekday: 'MO' } });
    expect(json(bad).error.field).toBe('body.rule.weekday');
    const set = await ok('PUT', url, manager, {
      version: before.version,
      rule: { frequency: 'monthly', interval: 6 },
      mode: 'after_completion',
    });
    expect(set).toMatchObject({ rrule: 'FREQ=MONTHLY;INTERVAL=6', leadDays: 10, version: before.version + 1 });

    const risk = await ok('POST', `${A}/risks`, manager, { title: 'Phishing', nextReviewOn: addDays(today(), 4) }, 201);
    await sweepCadences(t.deps);
    const [task] = await tasksOf('risk', risk.id);
    await complete(manager, scopeId, task!.id);
    await sweepCadences(t.deps);
    const [y, m, d] = today().split('-').map(Number) as [number, number, number];
    const sixMonths = new Date(Date.UTC(y, m - 1 + 6, d)).toISOString().slice(0, 10);
    const after = await t.deps.db.selectFrom('risk').select('next_review_on').where('id', '=', risk.id).executeTakeFirstOrThrow();
    expect(after.next_review_on).toBe(sixMonths);
  });

  it('counts from the last completion', async () => {
    const { scopeId, manager, A } = await scopeWith();
    await setCadence(A, 'performance-evaluation', manager, {
      rule: { frequency: 'monthly', interval: 3 },
      mode: 'after_completion',
      startsOn: addDays(today(), 2),
    });
    const first = (await processRow(scopeId, 'performance-evaluation')).next_review_on;
    // changing only the lead days the next day leaves the next review where it is
    clock.advance(DAY);
    const edited = await setCadence(A, 'performance-evaluation', manager, {
      rule: { frequency: 'monthly', interval: 3 },
      mode: 'after_completion',
      leadDays: 5,
    });
    expect(edited).toMatchObject({ nextReviewOn: first, leadDays: 5 });
    const sp = await processRow(scopeId, 'performance-evaluation');
    await sweepCadences(t.deps);
    const [task] = await tasksOf('process', sp.id);
    expect(task!.due_on).toBe(sp.next_review_on);
    // done three weeks late: the next evaluation is three months after that day, not after the due date
    setDay(addDays(sp.next_review_on!, 21));
    await complete(manager, scopeId, task!.id);
    await sweepCadences(t.deps);
    const cadence = await ok('GET', `${A}/processes/performance-evaluation/cadence`, manager);
    const [y, m, d] = today().split('-').map(Number) as [number, number, number];
    const threeMonths = new Date(Date.UTC(y, m - 1 + 3, d)).toISOString().slice(0, 10);
    expect(cadence).toMatchObject({ nextReviewOn: threeMonths, lastCompletedOn: today(), current: null });
    expect(cadence.nextDates[0]).toBe(threeMonths);
  });

  it('across a DST change: a weekly review on Mondays happens on each Monday once (Europe/Berlin, March and October)', async () => {
    const { scopeId, manager, A } = await scopeWith();
    const sp0 = await processRow(scopeId, 'communication');
    const runDays = async (from: string, to: string) => {
      for (let day = from; day <= to; day = addDays(day, 1)) {
        // late evening UTC: already the next day in Berlin — the calendar day stays the UTC day
        for (const time of ['06:30:00', '22:30:00']) {
          setDay(day, time);
          await sweepCadences(t.deps);
          for (const task of await tasksOf('process', sp0.id))
            if (task.status === 'open' && task.due_on === day && time === '22:30:00') await complete(manager, scopeId, task.id);
        }
      }
    };
    setDay('2027-03-14');
    await setCadence(A, 'communication', manager, {
      rule: { frequency: 'weekly', interval: 1, weekday: 'MO' },
      mode: 'fixed',
      startsOn: '2027-03-15',
      leadDays: 1,
    });
    await runDays('2027-03-14', '2027-04-06');
    setDay('2027-10-17');
    const sp = await processRow(scopeId, 'communication');
    await ok('PUT', `${A}/processes/communication/cadence`, manager, {
      version: (await ok('GET', `${A}/processes/communication/cadence`, manager)).version,
      rule: { frequency: 'weekly', interval: 1, weekday: 'MO' },
      mode: 'fixed',
      startsOn: '2027-03-15',
      leadDays: 1,
    });
    expect(sp.next_review_on).toBe('2027-04-12');
    await runDays('2027-10-17', '2027-11-02');
    const dates = (await occurrencesOf(sp0.id)).map((o) => o.occurs_on);
    expect(dates).toEqual(['2027-03-15', '2027-03-22', '2027-03-29', '2027-04-05', '2027-10-18', '2027-10-25', '2027-11-01']);
    expect((await tasksOf('process', sp0.id)).map((x) => x.due_on)).toEqual(dates);
  });

  it('across month ends: "monthly on the 31st" falls on the last day of shorter months', async () => {
    const { scopeId, manager, A } = await scopeWith();
    setDay('2027-01-25');
    await setCadence(A, 'records-control', manager, {
      rule: { frequency: 'monthly', interval: 1, monthDay: 31 },
      mode: 'fixed',
      startsOn: '2027-01-31',
      leadDays: 3,
    });
    const sp = await processRow(scopeId, 'records-control');
    for (let day = '2027-01-25'; day <= '2027-05-31'; day = addDays(day, 2)) {
      setDay(day);
      await sweepCadences(t.deps);
      for (const task of await tasksOf('process', sp.id)) if (task.status === 'open') await complete(manager, scopeId, task.id);
    }
    setDay('2027-06-01');
    await sweepCadences(t.deps);
    expect((await occurrencesOf(sp.id)).map((o) => o.occurs_on)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
      '2027-05-31',
    ]);
    expect((await processRow(scopeId, 'records-control')).next_review_on).toBe('2027-06-30');
  });

  it('with the clock 35 days on, `praxis jobs run` (runSweeps) gives risks and processes their review tasks', async () => {
    setDay('2027-08-02');
    const { scopeId, manager, A } = await scopeWith('large');
    const p = await ok('GET', `${A}/processes`, manager);
    const mr = p.processes.find((x: { key: string }) => x.key === 'management-review');
    // the old way of setting a cadence still works, and becomes a rule
    await ok('PATCH', `${A}/processes/management-review`, manager, {
      version: mr.version,
      cadence: 'yearly',
      nextReviewOn: addDays(today(), 30),
    });
    expect((await ok('GET', `${A}/processes/management-review/cadence`, manager)).rrule).toBe('FREQ=YEARLY;INTERVAL=1');
    const risk = await ok('POST', `${A}/risks`, manager, { title: 'Supplier outage', nextReviewOn: addDays(today(), 30) }, 201);
    const sp = await processRow(scopeId, 'management-review');
    expect(await tasksOf('risk', risk.id)).toHaveLength(0);
    clock.advance(35 * DAY);
    const result = await runSweeps(t.deps, { error: () => {} });
    expect(result.cadences).toBeGreaterThanOrEqual(2);
    expect(await tasksOf('risk', risk.id)).toHaveLength(1);
    expect((await tasksOf('process', sp.id)).map((x) => x.title)).toEqual(['Hold the management review']);
    // the risk has no owner: its task goes to the risk-assessment process owner (the manager)
    expect((await tasksOf('risk', risk.id))[0]!.assignee_id).toBe(manager.id);
  });

  it("schedules each control's verification: implementing sets it a year on, the owner's task completes it and records the day", async () => {
    setDay('2027-03-01');
    const { scopeId, manager, A } = await scopeWith();
    const owner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'Control owner' });
    const created = await ok('POST', `${A}/controls`, manager, { title: 'Backups are tested', ownerId: owner.id }, 201);
    expect(created).toMatchObject({ nextVerificationOn: null, lastVerifiedOn: null });
    // implementing it plans the first verification a year later
    const implemented = await ok('PATCH', `${A}/controls/${created.id}`, manager, { version: created.version, status: 'implemented' });
    expect(implemented).toMatchObject({ implementedOn: '2027-03-01', nextVerificationOn: '2028-03-01', verificationOverdue: false });
    // a manager plans it earlier; a date that is not a date is refused naming the field
    const bad = await call('PATCH', `${A}/controls/${created.id}`, manager, {
      version: implemented.version,
      nextVerificationOn: '2027-02-30',
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toBe('body.nextVerificationOn');
    const planned = await ok('PATCH', `${A}/controls/${created.id}`, manager, {
      version: implemented.version,
      nextVerificationOn: '2027-03-10',
    });
    expect(planned.nextVerificationOn).toBe('2027-03-10');
    // a planned control has no verification task
    const draft = await ok('POST', `${A}/controls`, manager, { title: 'Not yet', nextVerificationOn: '2027-03-08' }, 201);

    await sweepCadences(t.deps);
    await sweepCadences(t.deps);
    expect(await tasksOf('control', draft.id)).toHaveLength(0);
    const tasks = await tasksOf('control', created.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ assignee_id: owner.id, due_on: '2027-03-10', process_key: 'control-implementation' });
    expect(tasks[0]!.title).toBe(`Verify ${created.reference} Backups are tested`);

    // the owner verifies it late: the day is recorded and the next verification is a year after completion
    setDay('2027-03-25');
    expect((await ok('GET', `${A}/controls/${created.id}`, manager)).verificationOverdue).toBe(true);
    await complete(owner, scopeId, tasks[0]!.id);
    await sweepCadences(t.deps);
    const after = await ok('GET', `${A}/controls/${created.id}`, manager);
    expect(after).toMatchObject({ lastVerifiedOn: '2027-03-25', nextVerificationOn: '2028-03-25', verificationOverdue: false });
    expect((await occurrencesOf(created.id)).map((o) => o.state)).toEqual(['done']);
    // the rule of control verifications is the scope's to set, like any record source
    expect(await ok('GET', `${A}/cadences/sources/control-verification`, manager)).toMatchObject({
      processKey: 'control-implementation',
      rrule: 'FREQ=YEARLY;INTERVAL=1',
      mode: 'after_completion',
    });
  });
});
