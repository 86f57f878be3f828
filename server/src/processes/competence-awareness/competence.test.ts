import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe.each(dialects)('competence on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let owner: TestUser;
  let dev: TestUser;
  let viewer: TestUser;

  const { call, ok } = requester(() => t);
  const s = (p: string) => `/api/scopes/${scopeId}${p}`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock: new TestClock(new Date('2026-03-02T09:00:00.000Z')) }));
    owner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']], name: 'B risk owner' });
    dev = await buildUser(t.deps, { memberships: [[scopeId, 'employee']], name: 'A developer' });
    viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']], name: 'C viewer' });
  });
  afterAll(() => t.close());

  it('defines competences and the job roles that require them, names unique per scope', async () => {
    const risk = await ok('POST', s('/competences'), manager, { name: 'Risk assessment method', description: 'ISO 27005' }, 201);
    expect(risk).toMatchObject({ name: 'Risk assessment method', validityMonths: null, version: 1 });
    const secure = await ok('POST', s('/competences'), manager, { name: 'Secure coding', validityMonths: 24 }, 201);
    expect((await call('POST', s('/competences'), manager, { name: 'Secure coding' })).statusCode).toBe(409);
    expect((await call('POST', s('/competences'), owner, { name: 'x' })).statusCode).toBe(403);
    const renamed = await ok('PATCH', s(`/competences/${secure.id}`), manager, { version: 1, name: 'Secure development' });
    expect(renamed).toMatchObject({ name: 'Secure development', version: 2 });
    expect((await call('PATCH', s(`/competences/${secure.id}`), manager, { version: 1, name: 'y' })).statusCode).toBe(409);

    const role = await ok('POST', s('/job-roles'), manager, { name: 'risk owner', competenceIds: [risk.id] }, 201);
    expect(role.competences).toEqual([{ id: risk.id, name: 'Risk assessment method' }]);
    const developer = await ok('POST', s('/job-roles'), manager, { name: 'developer', competenceIds: [secure.id, risk.id] }, 201);
    expect(developer.competences.map((c: { name: string }) => c.name)).toEqual(['Risk assessment method', 'Secure development']);
    const edited = await ok('PATCH', s(`/job-roles/${developer.id}`), manager, { version: 1, competenceIds: [secure.id] });
    expect(edited).toMatchObject({ version: 2, competences: [{ name: 'Secure development' }] });
    const foreign = await buildScope(t.deps);
    const elsewhere = json(await call('POST', `/api/scopes/${foreign.scope.id}/competences`, foreign.manager, { name: 'x' }));
    expect(json(await call('POST', s('/job-roles'), manager, { name: 'tester', competenceIds: [elsewhere.id] })).error.field).toBe(
      'body.competenceIds',
    );
    const roles = await ok('GET', s('/job-roles'), viewer);
    expect(roles.items.map((r: { name: string }) => r.name)).toEqual(['developer', 'risk owner']);
    const trail = json(await call('GET', s(`/audit?recordId=${developer.id}`), manager)).items;
    expect(trail[0]).toMatchObject({
      action: 'update',
      changes: { competences: { from: ['Risk assessment method', 'Secure development'], to: ['Secure development'] } },
    });
  });

  it('keeps each person’s department and job roles with a version check', async () => {
    const roles = (await ok('GET', s('/job-roles'), manager)).items as { id: string; name: string }[];
    const id = (n: string) => roles.find((r) => r.name === n)!.id;
    const p = await ok('PATCH', s(`/people/${dev.id}`), manager, { version: 0, department: 'Engineering', jobRoleIds: [id('developer')] });
    expect(p).toMatchObject({ department: 'Engineering', jobRoles: [{ name: 'developer' }], scopeRole: 'employee', version: 1 });
    expect((await call('PATCH', s(`/people/${dev.id}`), manager, { version: 0, department: 'x' })).statusCode).toBe(409);
    await ok('PATCH', s(`/people/${owner.id}`), manager, {
      version: 0,
      department: 'Finance',
      jobRoleIds: [id('risk owner'), id('developer')],
    });
    const again = await ok('PATCH', s(`/people/${owner.id}`), manager, { version: 1, jobRoleIds: [id('risk owner')] });
    expect(again).toMatchObject({ department: 'Finance', jobRoles: [{ name: 'risk owner' }], version: 2 });
    expect((await call('PATCH', s(`/people/${owner.id}`), dev, { version: 2, department: 'x' })).statusCode).toBe(403);
    expect(json(await call('PATCH', s(`/people/${owner.id}`), manager, { version: 2, jobRoleIds: [manager.id] })).error.field).toBe(
      'body.jobRoleIds',
    );
    const outsider = await buildScope(t.deps);
    expect((await call('PATCH', s(`/people/${outsider.manager.id}`), manager, { version: 0, department: 'x' })).statusCode).toBe(404);
    const trail = json(await call('GET', s(`/audit?recordId=${owner.id}&recordType=person_profile`), manager)).items;
    expect(trail[0].changes.jobRoles).toEqual({ from: ['developer', 'risk owner'], to: ['risk owner'] });

    const list = await ok('GET', s('/people?department=Finance'), viewer);
    expect(list.items.map((x: { name: string }) => x.name)).toEqual(['B risk owner']);
    expect((await ok('GET', s(`/people?jobRoleId=${id('developer')}`), viewer)).items.map((x: { name: string }) => x.name)).toEqual([
      'A developer',
    ]);
    const all = await ok('GET', s('/people?pageSize=50'), viewer);
    expect(all.total).toBe(4);
    expect(all.items.find((x: { name: string }) => x.name === 'C viewer')).toMatchObject({ department: null, jobRoles: [], version: 0 });
  });

  it('records competences with evidence and expiry, and shows the gaps for each job role', async () => {
    const comps = (await ok('GET', s('/competences'), manager)).items as { id: string; name: string }[];
    const cid = (n: string) => comps.find((c) => c.name === n)!.id;
    let gaps = await ok('GET', s('/competence-gaps'), viewer);
    expect(gaps.items.map((g: any) => [g.user.name, g.jobRole.name, g.competence.name, g.gap])).toEqual([
      ['A developer', 'developer', 'Secure development', 'missing'],
      ['B risk owner', 'risk owner', 'Risk assessment method', 'missing'],
    ]);
    expect(gaps.items[0].department).toBe('Engineering');

    // defaults the expiry from the competence's validity (24 months)
    const held = await ok(
      'POST',
      s(`/people/${dev.id}/competences`),
      manager,
      { competenceId: cid('Secure development'), evidence: 'Secure coding course certificate', acquiredOn: '2023-02-01' },
      201,
    );
    expect(held).toMatchObject({ expiresOn: '2025-02-01', expired: true, competenceName: 'Secure development' });
    expect(
      (
        await call('POST', s(`/people/${dev.id}/competences`), manager, {
          competenceId: cid('Secure development'),
          evidence: 'x',
          acquiredOn: '2024-01-01',
        })
      ).statusCode,
    ).toBe(409);
    const noEvidence = await call('POST', s(`/people/${owner.id}/competences`), manager, {
      competenceId: cid('Risk assessment method'),
      evidence: ' ',
      acquiredOn: '2026-01-01',
    });
    expect(json(noEvidence).error.field).toBe('body.evidence');
    await ok(
      'POST',
      s(`/people/${owner.id}/competences`),
      manager,
      { competenceId: cid('Risk assessment method'), evidence: 'https://lms.example/cert/42', acquiredOn: '2026-01-10', expiresOn: null },
      201,
    );

    gaps = await ok('GET', s('/competence-gaps'), viewer);
    expect(gaps.items.map((g: any) => [g.user.name, g.gap, g.expiresOn])).toEqual([['A developer', 'expired', '2025-02-01']]);

    const renewed = await ok('PATCH', s(`/person-competences/${held.id}`), manager, {
      version: 1,
      acquiredOn: '2026-02-20',
      expiresOn: '2028-02-20',
      evidence: 'Renewed certificate',
    });
    expect(renewed).toMatchObject({ expired: false, version: 2 });
    expect(
      json(await call('PATCH', s(`/person-competences/${held.id}`), manager, { version: 2, expiresOn: '2020-01-01' })).error.field,
    ).toBe('body.expiresOn');
    expect((await ok('GET', s('/competence-gaps'), viewer)).total).toBe(0);
    const people = await ok('GET', s('/people?q=developer'), viewer);
    expect(people.items[0].competences).toEqual([
      expect.objectContaining({ competenceName: 'Secure development', evidence: 'Renewed certificate', expiresOn: '2028-02-20' }),
    ]);
    expect((await call('GET', s('/competence-gaps'), dev)).statusCode).toBe(403);
  });

  it('answers malformed requests to every records, competence and training write route with a 4xx, never a 5xx', async () => {
    const id = '01900000-0000-7000-8000-000000000000';
    const routes: [string, string][] = [
      ['POST', s('/records')],
      ['PATCH', s(`/records/${id}`)],
      ['POST', s(`/records/${id}/legal-hold`)],
      ['POST', s(`/records/${id}/dispose`)],
      ['POST', s('/competences')],
      ['PATCH', s(`/competences/${id}`)],
      ['POST', s('/job-roles')],
      ['PATCH', s(`/job-roles/${id}`)],
      ['PATCH', s(`/people/${dev.id}`)],
      ['POST', s(`/people/${dev.id}/competences`)],
      ['PATCH', s(`/person-competences/${id}`)],
      ['POST', s('/courses')],
      ['PATCH', s(`/courses/${id}`)],
      ['POST', s(`/courses/${id}/targets`)],
      ['POST', `/api/me/trainings/${id}/complete`],
      ['POST', `/api/me/trainings/${id}/quiz`],
    ];
    const bodies: (string | object)[] = [
      '{"broken": ',
      '[]',
      'null',
      { version: 'one', name: 42, unexpected: true },
      { version: 1, title: 'x'.repeat(100_000) },
      { version: -1 },
      { version: 1, answers: [{ questionId: 'q1', selected: ['a'] }] },
      { version: 1, quiz: { passMark: 500, questions: [] } },
      {},
    ];
    for (const [method, url] of routes) {
      for (const body of bodies) {
        const res = await t.app.inject({
          method: method as 'POST' | 'PATCH',
          url,
          headers: { ...manager.headers, 'content-type': 'application/json' },
          payload: typeof body === 'string' ? body : JSON.stringify(body),
        });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(body).slice(0, 40)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(json(res).error.message).toBeTruthy();
      }
    }
    for (const url of [s('/records?page=0'), s('/records/not-a-uuid'), s('/courses?status=gone'), s('/awareness/overdue?pageSize=1000')]) {
      expect((await call('GET', url, manager)).statusCode, url).toBe(400);
    }
  });

  it('lists people and gaps in a fixed number of statements whatever the page size', async () => {
    const counter = t.db.database.queryCounter;
    const count = async (url: string) => {
      const before = counter.count;
      expect((await call('GET', url, manager)).statusCode).toBe(200);
      return counter.count - before;
    };
    const people = await count(s('/people?pageSize=1'));
    expect(await count(s('/people?pageSize=100'))).toBe(people);
    expect(people).toBeLessThanOrEqual(6); // actor (2), page, count, job roles, competences
    const gaps = await count(s('/competence-gaps?pageSize=1'));
    expect(await count(s('/competence-gaps?pageSize=100'))).toBe(gaps);
    expect(gaps).toBeLessThanOrEqual(4);
    const roles = await count(s('/job-roles?pageSize=1'));
    expect(await count(s('/job-roles?pageSize=100'))).toBe(roles);
  });
});
