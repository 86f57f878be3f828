import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweeps } from '../../jobs/sweeps.ts';
import { newId } from '../../shared/ids.ts';
import {
  buildUser,
  createScopeContext,
  dialects,
  json,
  requester,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';
import { sweepTrainingAssignments } from './training.service.ts';

const DAY = 24 * 3600_000;

describe.each(dialects)('training programme on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let dev: TestUser; // job role "developer", department Sales
  let sales: TestUser; // department Sales
  let contributor: TestUser; // scope role contributor, department Operations
  let named: TestUser; // addressed by name
  let viewer: TestUser;
  let developerRole: { id: string };
  let awareness: { id: string; reference: string };
  let quizCourse: { id: string; reference: string };
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));

  const { call, ok } = requester(() => t);
  const s = (p: string) => `/api/scopes/${scopeId}${p}`;
  const mine = async (user: TestUser) => (await ok('GET', '/api/me/trainings', user)).items as any[];

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock }));
    const member = (role: 'employee' | 'contributor' | 'viewer', name: string) =>
      buildUser(t.deps, { memberships: [[scopeId, role]], name });
    dev = await member('employee', 'A developer');
    sales = await member('employee', 'A sales person');
    contributor = await member('contributor', 'A contributor');
    named = await member('employee', 'A named person');
    viewer = await member('viewer', 'A viewer');
    developerRole = await ok('POST', s('/job-roles'), manager, { name: 'developer' }, 201);
    await ok('PATCH', s(`/people/${dev.id}`), manager, { version: 0, department: 'Sales', jobRoleIds: [developerRole.id] });
    await ok('PATCH', s(`/people/${sales.id}`), manager, { version: 0, department: 'Sales' });
    await ok('PATCH', s(`/people/${contributor.id}`), manager, { version: 0, department: 'Operations' });
  });
  afterAll(() => t.close());

  it('creates courses with material, due period, recurrence and a quiz whose answers only managers see', async () => {
    awareness = await ok(
      'POST',
      s('/courses'),
      manager,
      { title: 'Security awareness basics', materialUrl: 'https://intranet.example/awareness', dueDays: 14, recurrenceMonths: 12 },
      201,
    );
    expect(awareness).toMatchObject({
      reference: 'TRN-0001',
      hasQuiz: false,
      quiz: null,
      dueDays: 14,
      recurrenceMonths: 12,
      status: 'active',
      targets: [],
    });
    quizCourse = await ok(
      'POST',
      s('/courses'),
      manager,
      {
        title: 'Phishing quiz',
        quiz: {
          passMark: 67,
          questions: [
            { text: 'A mail asks for your password. What do you do?', options: ['Reply', 'Report it'], correct: [1] },
            { text: 'Which passwords are good?', options: ['Long', 'Reused', 'Unique'], correct: [2, 0] },
            { text: 'Lock your screen when leaving?', options: ['Yes', 'No'], correct: [0] },
          ],
        },
      },
      201,
    );
    expect(quizCourse).toMatchObject({ reference: 'TRN-0002', hasQuiz: true, dueDays: 30, recurrenceMonths: null });
    const full = await ok('GET', s(`/courses/${quizCourse.id}`), manager);
    expect(full.quiz.questions[1]).toEqual({
      id: 'q2',
      text: 'Which passwords are good?',
      options: ['Long', 'Reused', 'Unique'],
      correct: [0, 2],
    });
    const seen = await ok('GET', s(`/courses/${quizCourse.id}`), viewer);
    expect(seen.quiz.questions[1].correct).toBeUndefined();
    expect((await call('GET', s('/courses'), viewer)).body).not.toContain('"correct"');

    const bad = await call('POST', s('/courses'), manager, {
      title: 'x',
      quiz: { passMark: 50, questions: [{ text: 'q', options: ['a', 'b'], correct: [5] }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toBe('body.quiz.questions.0.correct');
    expect(json(await call('POST', s('/courses'), manager, { title: 'x', materialUrl: 'javascript:alert(1)' })).error.field).toBe(
      'body.materialUrl',
    );
    expect((await call('POST', s('/courses'), contributor, { title: 'x' })).statusCode).toBe(403);
  });

  it('assigns by job role, department, scope role and person, each person once', async () => {
    const target = (course: string, targetType: string, targetValue: string) =>
      call('POST', s(`/courses/${course}/targets`), manager, { targetType, targetValue });
    let r = await target(awareness.id, 'job_role', developerRole.id);
    expect(r.statusCode, r.body).toBe(201);
    expect(json(r).assigned).toBe(1);
    expect(json(r).course.targets).toEqual([
      { id: expect.any(String), targetType: 'job_role', targetValue: developerRole.id, label: 'developer' },
    ]);
    r = await target(awareness.id, 'department', 'Sales');
    expect(json(r).assigned).toBe(1); // the developer is in Sales too and has it already
    r = await target(awareness.id, 'scope_role', 'contributor');
    expect(json(r).assigned).toBe(1);
    r = await target(awareness.id, 'person', named.id);
    expect(json(r)).toMatchObject({ assigned: 1 });
    expect(json(r).course.targets.map((x: { label: string }) => x.label)).toEqual(['developer', 'Sales', 'contributor', 'A named person']);
    expect((await target(awareness.id, 'person', named.id)).statusCode).toBe(409);
    expect(json(await target(awareness.id, 'scope_role', 'janitor')).error.field).toBe('body.targetValue');
    expect(json(await target(awareness.id, 'person', newId())).error.field).toBe('body.targetValue');
    expect((await target(quizCourse.id, 'department', 'Sales')).statusCode).toBe(201);

    const list = await ok('GET', s(`/training-assignments?courseId=${awareness.id}&pageSize=50`), manager);
    expect(list.total).toBe(4);
    expect(list.items.map((a: any) => a.user.name).sort()).toEqual(['A contributor', 'A developer', 'A named person', 'A sales person']);
    expect(list.items[0]).toMatchObject({ round: 1, dueOn: '2026-03-16', overdue: false, completedAt: null, attempts: 0 });
    const trail = json(await call('GET', s(`/audit?recordId=${awareness.id}`), manager)).items;
    expect(trail[0]).toMatchObject({ action: 'assign', changes: { assigned: { to: 1 } } });
  });

  it('shows employees their own open trainings with the quiz but never the answers', async () => {
    const items = await mine(dev);
    expect(items.map((i) => i.course.reference).sort()).toEqual(['TRN-0001', 'TRN-0002']);
    const quiz = items.find((i) => i.course.reference === 'TRN-0002');
    expect(quiz.quiz.passMark).toBe(67);
    expect(quiz.quiz.questions.map((q: any) => q.id)).toEqual(['q1', 'q2', 'q3']);
    const raw = (await call('GET', '/api/me/trainings', dev)).body;
    expect(raw).not.toContain('correct');
    expect(items.find((i) => i.course.reference === 'TRN-0001')).toMatchObject({
      materialUrl: 'https://intranet.example/awareness',
      quiz: null,
      scopeName: expect.any(String),
    });
    expect(await mine(viewer)).toEqual([]);
  });

  it('lets people complete only their own trainings; quiz courses by passing the quiz', async () => {
    const completed: { courseRef: string; userId: string; round: number; score: number | null }[] = [];
    t.deps.events.on('training.completed', async (_tx, _actor, e) => {
      completed.push({ courseRef: e.courseRef, userId: e.userId, round: e.round, score: e.score });
    });
    const [plain] = (await mine(dev)).filter((i) => i.course.reference === 'TRN-0001');
    // someone else's assignment does not exist for them, whatever their role
    expect((await call('POST', `/api/me/trainings/${plain.id}/complete`, sales, { version: 1 })).statusCode).toBe(404);
    expect((await call('POST', `/api/me/trainings/${plain.id}/complete`, manager, { version: 1 })).statusCode).toBe(404);
    expect((await call('POST', `/api/me/trainings/${plain.id}/complete`, dev, { version: 7 })).statusCode).toBe(409);
    const done = await ok('POST', `/api/me/trainings/${plain.id}/complete`, dev, { version: 1 });
    expect(done).toMatchObject({ completedAt: '2026-03-02T09:00:00.000Z', version: 2 });
    expect((await call('POST', `/api/me/trainings/${plain.id}/complete`, dev, { version: 2 })).statusCode).toBe(409);

    const [quiz] = (await mine(dev)).filter((i) => i.course.reference === 'TRN-0002');
    const noMark = await call('POST', `/api/me/trainings/${quiz.id}/complete`, dev, { version: 1 });
    expect(noMark.statusCode).toBe(409);
    expect(json(noMark).error.message).toMatch(/quiz/);
    const fail = await ok('POST', `/api/me/trainings/${quiz.id}/quiz`, dev, {
      version: 1,
      answers: [
        { questionId: 'q1', selected: [1] },
        { questionId: 'q2', selected: [0] },
        { questionId: 'q3', selected: [0] },
      ],
    });
    expect(fail).toMatchObject({
      score: 66,
      right: 2,
      total: 3,
      passed: false,
      assignment: { completedAt: null, attempts: 1, score: 66, passed: false },
    });
    expect(JSON.stringify(fail)).not.toContain('correct');
    const pass = await ok('POST', `/api/me/trainings/${quiz.id}/quiz`, dev, {
      version: 2,
      answers: [
        { questionId: 'q1', selected: [1] },
        { questionId: 'q2', selected: [2, 0] },
        { questionId: 'q3', selected: [0] },
      ],
    });
    expect(pass).toMatchObject({
      score: 100,
      passed: true,
      assignment: { attempts: 2, passed: true, completedAt: '2026-03-02T09:00:00.000Z' },
    });
    expect(await mine(dev)).toEqual([]);
    // a hand-off for other processes: one event per completion, none for the failed attempt
    expect(completed).toEqual([
      { courseRef: 'TRN-0001', userId: dev.id, round: 1, score: null },
      { courseRef: 'TRN-0002', userId: dev.id, round: 1, score: 100 },
    ]);
    const trail = json(await call('GET', s(`/audit?recordId=${quiz.id}`), manager)).items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['complete', 'quiz-failed']);
    expect(JSON.stringify(trail)).not.toContain('"selected"');
  });

  it('brings recurring trainings round again from a sweep that is idempotent, and picks up new members', async () => {
    expect(await sweepTrainingAssignments(t.deps)).toBe(0);
    const late = await buildUser(t.deps, { memberships: [[scopeId, 'employee']], name: 'A new sales person' });
    await ok('PATCH', s(`/people/${late.id}`), manager, { version: 0, department: 'Sales' });
    expect(await sweeps['training-assignments']!(t.deps)).toBe(2); // both Sales courses
    expect(await sweepTrainingAssignments(t.deps)).toBe(0);

    clock.advance(364 * DAY); // 2027-03-01: the completion is not a year old yet
    expect(await sweepTrainingAssignments(t.deps)).toBe(0);
    clock.advance(DAY); // 2027-03-02
    const [a, b] = await Promise.all([sweepTrainingAssignments(t.deps), sweepTrainingAssignments(t.deps)]);
    expect(a + b).toBe(1); // the developer's awareness round 2, created once whatever runs in parallel
    expect(await sweepTrainingAssignments(t.deps)).toBe(0);
    const rounds = await ok('GET', s(`/training-assignments?courseId=${awareness.id}&userId=${dev.id}`), manager);
    expect(rounds.items.map((r: any) => [r.round, r.completedAt === null])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(rounds.items[1]).toMatchObject({ dueOn: '2027-03-16', overdue: false });
    // the quiz course does not recur
    expect((await ok('GET', s(`/training-assignments?courseId=${quizCourse.id}&userId=${dev.id}`), manager)).total).toBe(1);
    const overdue = await ok('GET', s('/training-assignments?status=overdue&pageSize=50'), manager);
    expect(overdue.items.every((r: any) => r.overdue && r.completedAt === null)).toBe(true);
    expect(overdue.items.map((r: any) => r.user.name)).not.toContain('A developer');
    expect(overdue.total).toBeGreaterThan(0);
    clock.advance(-365 * DAY);
  });

  it('stops assigning a removed target, and lists assignments in a fixed number of statements', async () => {
    const course = await ok('GET', s(`/courses/${awareness.id}`), manager);
    const person = course.targets.find((x: { targetType: string }) => x.targetType === 'person');
    const after = await ok('DELETE', s(`/courses/${awareness.id}/targets/${person.id}`), manager);
    expect(after.targets).toHaveLength(3);
    expect((await call('DELETE', s(`/courses/${awareness.id}/targets/${person.id}`), manager)).statusCode).toBe(404);

    const counter = t.db.database.queryCounter;
    const count = async (url: string) => {
      const before = counter.count;
      expect((await call('GET', url, manager)).statusCode).toBe(200);
      return counter.count - before;
    };
    const small = await count(s('/training-assignments?pageSize=1'));
    expect(await count(s('/training-assignments?pageSize=100&status=open'))).toBe(small);
    expect(small).toBeLessThanOrEqual(4);
    const courses = await count(s('/courses?pageSize=1'));
    expect(await count(s('/courses?pageSize=100'))).toBe(courses);
    expect(courses).toBeLessThanOrEqual(5); // actor (2), page, count, targets
    expect((await call('GET', s('/training-assignments'), named)).statusCode).toBe(403);
  });

  it('gives the competence a course grants on completion, with the completion as evidence, and renews it', async () => {
    const competence = await ok('POST', s('/competences'), manager, { name: 'Security awareness', validityMonths: 12 }, 201);
    expect(json(await call('POST', s('/courses'), manager, { title: 'x', grantsCompetenceId: named.id })).error.field).toBe(
      'body.grantsCompetenceId',
    );
    const material = await ok(
      'POST',
      s('/documents'),
      manager,
      { type: 'policy', title: 'Acceptable use', classification: 'internal', approverIds: [manager.id], contentMd: '# Use\n' },
      201,
    );
    const course = await ok(
      'POST',
      s('/courses'),
      manager,
      { title: 'Awareness refresher', grantsCompetenceId: competence.id, materialDocumentId: material.id },
      201,
    );
    expect(course.grantsCompetenceId).toBe(competence.id);
    expect(course.materialDocumentId).toBe(material.id);
    // the course's history names the competence and the material document, not their ids
    const created = json(await call('GET', s(`/audit?recordId=${course.id}`), manager)).items.at(-1);
    expect(created.action).toBe('create');
    expect(created.changes).toMatchObject({ grantsCompetence: { to: 'Security awareness' }, materialDocument: { to: material.reference } });
    expect(created.changes).not.toHaveProperty('grantsCompetenceId');
    expect(created.changes).not.toHaveProperty('materialDocumentId');
    expect(Object.keys(course)).not.toContain('materialDocument');
    await ok('POST', s(`/courses/${course.id}/targets`), manager, { targetType: 'person', targetValue: named.id }, 201);
    const [open] = (await mine(named)).filter((i) => i.course.id === course.id);
    await ok('POST', `/api/me/trainings/${open.id}/complete`, named, { version: 1 });
    const person = (await ok('GET', s(`/people?q=${encodeURIComponent('named person')}`), manager)).items[0];
    expect(person.competences).toEqual([
      expect.objectContaining({
        competenceName: 'Security awareness',
        acquiredOn: '2026-03-02',
        expiresOn: '2027-03-02',
        evidence: `Completed ${course.reference} Awareness refresher on Mar 2, 2026`,
        version: 1,
      }),
    ]);
    const trail = json(await call('GET', s(`/audit?recordId=${person.competences[0].id}`), manager)).items;
    expect(trail[0]).toMatchObject({ action: 'create', recordRef: 'Security awareness', actor: { id: named.id } });

    // a yearly round renews it
    await ok('PATCH', s(`/courses/${course.id}`), manager, { version: 1, recurrenceMonths: 12 });
    clock.advance(365 * DAY);
    try {
      expect(await sweepTrainingAssignments(t.deps)).toBeGreaterThanOrEqual(1);
      const [next] = (await mine(named)).filter((i) => i.course.id === course.id);
      expect(next.round).toBe(2);
      // completed from a German browser: the evidence is written in German, as the person would write it
      const completed = await t.app.inject({
        method: 'POST',
        url: `/api/me/trainings/${next.id}/complete`,
        headers: { ...named.headers, 'accept-language': 'de-DE,de;q=0.9' },
        payload: { version: 1 },
      });
      expect(completed.statusCode, completed.body).toBe(200);
      const renewed = (await ok('GET', s(`/people?q=${encodeURIComponent('named person')}`), manager)).items[0].competences[0];
      expect(renewed).toMatchObject({ acquiredOn: '2027-03-02', expiresOn: '2028-03-02', version: 2, expired: false });
      expect(renewed.evidence).toBe(`${course.reference} Awareness refresher am 02.03.2027 abgeschlossen`);
    } finally {
      clock.advance(-365 * DAY);
    }
  });

  it('hides a retired course from its open assignments and assigns it to nobody', async () => {
    expect((await mine(sales)).map((i) => i.course.reference)).toContain('TRN-0002');
    const retired = await ok('PATCH', s(`/courses/${quizCourse.id}`), manager, { version: 1, status: 'retired' });
    expect(retired).toMatchObject({ status: 'retired', version: 2 });
    expect((await mine(sales)).map((i) => i.course.reference)).not.toContain('TRN-0002');
    const target = await call('POST', s(`/courses/${quizCourse.id}/targets`), manager, { targetType: 'scope_role', targetValue: 'viewer' });
    expect(target.statusCode).toBe(409);
    expect(await sweepTrainingAssignments(t.deps)).toBe(0);
  });
});
