import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../audit/audit.service.ts';
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
import { defaultMethod } from './risk-method.ts';

describe.each(dialects)('risk assessment on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let contributor: TestUser;
  const base = () => `/api/scopes/${scopeId}/risks`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock: new TestClock() }));
    contributor = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
  });
  afterAll(() => t.close());

  const { call } = requester(() => t);
  const create = (body: Record<string, unknown>, user = manager, scope = scopeId) => call('POST', `/api/scopes/${scope}/risks`, user, body);
  const patch = (id: string, body: Record<string, unknown>, user = manager, scope = scopeId) =>
    call('PATCH', `/api/scopes/${scope}/risks/${id}`, user, body);
  const audit = async (recordId: string, scope = scopeId) =>
    json(await call('GET', `/api/scopes/${scope}/audit?recordId=${recordId}`, manager)).items as {
      action: string;
      recordRef: string;
      changes: Record<string, { from?: unknown; to?: unknown }>;
    }[];
  const createAsset = async (scope: string, user: TestUser, body: Record<string, unknown>) => {
    const res = await call('POST', `/api/scopes/${scope}/assets`, user, { type: 'information', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return json(res);
  };
  const tasksOf = async (user: TestUser) => json(await call('GET', '/api/me/tasks', user));

  describe('risk method', () => {
    it('creates the default of the scope profile on first read, with an audit entry', async () => {
      const res = await call('GET', `/api/scopes/${scopeId}/risk-method`, manager);
      expect(res.statusCode).toBe(200);
      const m = json(res);
      expect(m).toMatchObject({ version: 1, current: true, createdBy: null, ...defaultMethod('small') });
      expect(json(await call('GET', `/api/scopes/${scopeId}/risk-method`, contributor)).id).toBe(m.id);
      const entries = await audit(m.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'create', recordRef: 'risk method v1' });

      // concurrent first reads create one version between them
      const fresh = await buildScope(t.deps);
      const reads = await Promise.all([1, 2, 3].map(() => call('GET', `/api/scopes/${fresh.scope.id}/risk-method`, fresh.manager)));
      expect(reads.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      expect(new Set(reads.map((r) => json(r).id)).size).toBe(1);
      expect(json(await call('GET', `/api/scopes/${fresh.scope.id}/risk-method/versions`, fresh.manager)).items).toHaveLength(1);

      const large = await buildScope(t.deps, { profile: 'large' });
      const lm = json(await call('GET', `/api/scopes/${large.scope.id}/risk-method`, large.manager));
      expect(lm.likelihood).toHaveLength(5);
      expect(lm.levels.map((l: { key: string }) => l.key)).toEqual(['low', 'medium', 'high', 'critical']);
    });

    it('saves a new version with a version check and refuses inconsistent methods, naming the field', async () => {
      const s = await buildScope(t.deps);
      const url = `/api/scopes/${s.scope.id}/risk-method`;
      const v1 = json(await call('GET', url, s.manager));
      const definition = defaultMethod('small');
      const bad = structuredClone(definition);
      bad.matrix[1]![2] = 'extreme';
      const invalid = await call('PUT', url, s.manager, { version: 1, ...bad });
      expect(invalid.statusCode).toBe(400);
      expect(json(invalid).error.field).toBe('body.matrix.1.2');
      const unknown = await call('PUT', url, s.manager, { version: 1, ...definition, levelsCount: 3 });
      expect(json(unknown).error.field).toBe('body.levelsCount');

      const changed = structuredClone(definition);
      changed.levels[2]!.label = 'Very high';
      const saved = await call('PUT', url, s.manager, { version: 1, ...changed });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(json(saved)).toMatchObject({ version: 2, current: true, createdBy: { id: s.manager.id } });
      const stale = await call('PUT', url, s.manager, { version: 1, ...definition });
      expect(stale.statusCode).toBe(409);
      expect(json(stale).error.details.current.version).toBe(2);

      const versions = json(await call('GET', `${url}/versions`, s.manager)).items;
      expect(versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
        [2, true],
        [1, false],
      ]);
      // the old version is kept as it was
      expect(versions[1].levels[2].label).toBe('High');
      expect(versions[1].id).toBe(v1.id);

      const contributorOf = await buildUser(t.deps, { memberships: [[s.scope.id, 'contributor']] });
      expect((await call('PUT', url, contributorOf, { version: 2, ...definition })).statusCode).toBe(403);
      expect((await call('GET', url, contributorOf)).statusCode).toBe(200);
    });

    it('lets exactly one of two concurrent method saves win', async () => {
      const s = await buildScope(t.deps);
      const url = `/api/scopes/${s.scope.id}/risk-method`;
      await call('GET', url, s.manager);
      const results = await Promise.all([1, 2, 3].map(() => call('PUT', url, s.manager, { version: 1, ...defaultMethod('large') })));
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
      expect(json(await call('GET', `${url}/versions`, s.manager)).items).toHaveLength(2);
    });
    it('ranks the list again when a method change re-maps the severity of its levels', async () => {
      const s = await buildScope(t.deps);
      const url = `/api/scopes/${s.scope.id}/risk-method`;
      for (const [title, l, i] of [
        ['Low', 1, 1],
        ['High', 3, 3],
        ['Medium', 2, 2],
      ] as const) {
        const res = await create({ title, currentLikelihood: l, currentImpact: i }, s.manager, s.scope.id);
        expect(res.statusCode, res.body).toBe(201);
      }
      const order = async () =>
        json(await call('GET', `/api/scopes/${s.scope.id}/risks`, s.manager)).items.map((r: { title: string }) => r.title);
      expect(await order()).toEqual(['High', 'Medium', 'Low']);
      // the same keys, their severities reversed (the matrix follows; nothing accepted, which may not get easier upwards)
      const inverted = structuredClone(defaultMethod('small'));
      const swap: Record<string, string> = { low: 'high', medium: 'medium', high: 'low' };
      for (const level of inverted.levels) level.order = 4 - level.order;
      inverted.matrix = inverted.matrix.map((row) => row.map((key) => swap[key]!));
      inverted.acceptance = [];
      const saved = await call('PUT', url, s.manager, { version: 1, ...inverted });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(await order()).toEqual(['Low', 'Medium', 'High']);
      expect(json(await call('GET', `/api/scopes/${s.scope.id}/risks?sort=currentLevel&order=asc`, s.manager)).items[0].title).toBe('High');
    });
  });

  describe('threats and warnings', () => {
    it('lists the 47 BSI elementary threats and the scope’s own, never another scope’s', async () => {
      const other = await buildScope(t.deps);
      const mine = await call('POST', `/api/scopes/${scopeId}/threats`, contributor, { title: 'Drone overflight', category: 'physical' });
      expect(mine.statusCode, mine.body).toBe(201);
      expect(json(mine)).toMatchObject({ code: 'THR-0001', source: 'custom', scopeId });
      await call('POST', `/api/scopes/${other.scope.id}/threats`, other.manager, { code: 'X-1', title: 'Foreign', category: 'human' });

      const builtins = json(await call('GET', '/api/threats', manager)).items;
      expect(builtins).toHaveLength(47);
      expect(builtins.slice(0, 3).map((x: { code: string }) => x.code)).toEqual(['G 0.1', 'G 0.2', 'G 0.3']);
      expect(builtins[9]).toMatchObject({ code: 'G 0.10', source: 'builtin', scopeId: null });
      const scoped = json(await call('GET', `/api/threats?scopeId=${scopeId}`, manager)).items;
      expect(scoped).toHaveLength(48);
      expect(scoped[47].title).toBe('Drone overflight');
      expect((await call('GET', `/api/threats?scopeId=${scopeId}`, other.manager)).statusCode).toBe(404);

      const dup = await call('POST', `/api/scopes/${scopeId}/threats`, manager, { code: 'thr-0001', title: 'Again', category: 'human' });
      expect(dup.statusCode).toBe(409);
      expect(json(dup).error.field).toBe('body.code');
      const bsi = await call('POST', `/api/scopes/${scopeId}/threats`, manager, { code: 'G 0.48', title: 'Mine', category: 'human' });
      expect(json(bsi).error.field).toBe('body.code');
      const viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
      expect((await call('POST', `/api/scopes/${scopeId}/threats`, viewer, { title: 'x', category: 'human' })).statusCode).toBe(403);
    });

    it('lets one of several people adding the same threat code at the same moment win; the others get 409, not 500', async () => {
      const code = `RACE-${dialect}`;
      const results = await Promise.all(
        [manager, contributor, manager, contributor].map((u, i) =>
          call('POST', `/api/scopes/${scopeId}/threats`, u, { code, title: `Racer ${i}`, category: 'human' }),
        ),
      );
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
      for (const r of results.filter((x) => x.statusCode === 409)) expect(json(r).error.code).toBe('duplicate');
      const scoped = json(await call('GET', `/api/threats?scopeId=${scopeId}`, manager)).items;
      expect(scoped.filter((x: { code: string }) => x.code === code)).toHaveLength(1);
    });

    it('records threats and warnings from outside', async () => {
      const malware = json(await call('GET', '/api/threats', manager)).items.find((x: { code: string }) => x.code === 'G 0.39');
      const foreign = json(await call('GET', '/api/threats', manager)).items.length; // only built-ins
      expect(foreign).toBe(47);
      const url = `/api/scopes/${scopeId}/threat-warnings`;
      const res = await call('POST', url, contributor, {
        title: 'Ransomware campaign against ERP systems',
        source: 'CERT-Bund advisory',
        receivedOn: '2026-02-27',
        severity: 'high',
        threatId: malware.id,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(json(res)).toMatchObject({ threat: { code: 'G 0.39', title: 'Malware' }, severity: 'high' });
      const list = json(await call('GET', url, manager));
      expect(list.total).toBe(1);
      expect(list.items[0].title).toBe('Ransomware campaign against ERP systems');
      const bad = await call('POST', url, manager, { title: 'x', source: 'y', receivedOn: '2026-13-01', severity: 'high' });
      expect(json(bad).error.field).toBe('body.receivedOn');
      const unknown = await call('POST', url, manager, {
        title: 'x',
        source: 'y',
        receivedOn: '2026-01-01',
        severity: 'low',
        threatId: '01900000-0000-7000-8000-000000000000',
      });
      expect(json(unknown).error.field).toBe('body.threatId');
      expect((await audit(json(res).id)).map((e) => e.action)).toEqual(['create']);
    });
  });

  describe('risk register', () => {
    it('creates a risk with a reference, scores it server-side and writes an audit entry', async () => {
      const fire = json(await call('GET', '/api/threats', manager)).items[0];
      const res = await create({
        title: 'Fire in the server room',
        threatId: fire.id,
        vulnerability: 'No fire detection',
        consequences: { confidentiality: false, integrity: false, availability: true },
        ownerId: contributor.id,
        inherentLikelihood: 2,
        inherentImpact: 3,
      });
      expect(res.statusCode, res.body).toBe(201);
      const risk = json(res);
      expect(risk.reference).toMatch(/^RSK-\d{4}$/);
      expect(risk).toMatchObject({
        status: 'identified',
        threat: { code: 'G 0.1', title: 'Fire' },
        owner: { id: contributor.id },
        consequences: { availability: true, confidentiality: false },
        inherent: { likelihood: 2, impact: 3, score: 6, level: { key: 'high', label: 'High', colour: '#e03131' } },
        current: { likelihood: null, impact: null, score: null, level: null },
        method: { version: 1 },
        version: 1,
      });
      expect(risk.assessedAt).toBe(t.clock!.now().toISOString());
      const entries = await audit(risk.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'create', recordRef: risk.reference });
      expect(entries[0]!.changes.inherent).toEqual({ to: { likelihood: 2, impact: 3, level: 'high' } });

      const evaluated = json(await patch(risk.id, { version: 1, currentLikelihood: 1, currentImpact: 2 }));
      expect(evaluated).toMatchObject({ status: 'assessed', current: { level: { key: 'low' } }, version: 2 });
      const updates = await audit(risk.id);
      expect(updates[0]).toMatchObject({ action: 'update' });
      expect(updates[0]!.changes.current).toEqual({
        from: { likelihood: null, impact: null, level: null },
        to: { likelihood: 1, impact: 2, level: 'low' },
      });
      expect(updates[0]!.changes.status).toEqual({ from: 'identified', to: 'assessed' });
    });

    it('rejects bad input with a 400 that names the field, and writes nothing', async () => {
      const other = await buildScope(t.deps);
      const foreignAsset = await createAsset(other.scope.id, other.manager, { name: 'Foreign asset' });
      const before = json(await call('GET', base(), manager)).total;
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'body.title'],
        [{ title: ' ' }, 'body.title'],
        [{ title: 'x', status: 'forgotten' }, 'body.status'],
        [{ title: 'x', currentLevel: 'low' }, 'body.currentLevel'],
        [{ title: 'x', currentLikelihood: 9 }, 'body.currentLikelihood'],
        [{ title: 'x', currentLikelihood: 1.5 }, 'body.currentLikelihood'],
        [{ title: 'x', targetImpact: 4 }, 'body.targetImpact'], // the scope's scale has 3 levels
        [{ title: 'x', consequences: { confidentiality: true } }, 'body.consequences.integrity'],
        [{ title: 'x', ownerId: '01900000-0000-7000-8000-000000000000' }, 'body.ownerId'],
        [{ title: 'x', threatId: '01900000-0000-7000-8000-000000000000' }, 'body.threatId'],
        [{ title: 'x', assetIds: ['nope'] }, 'body.assetIds.0'],
        [{ title: 'x', assetIds: [foreignAsset.id] }, 'body.assetIds'],
        [{ title: 'x', nextReviewOn: '2026-02-30' }, 'body.nextReviewOn'],
      ];
      for (const [body, field] of cases) {
        const res = await create(body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(json(res).error.field, JSON.stringify(body)).toBe(field);
      }
      expect(json(await call('GET', base(), manager)).total).toBe(before);
    });

    it('detects a stale edit with 409 and returns the current record', async () => {
      const risk = json(await create({ title: 'Stale edit' }));
      expect((await patch(risk.id, { version: 1, title: 'Stale edit 2' })).statusCode).toBe(200);
      const stale = await patch(risk.id, { version: 1, description: 'lost?' });
      expect(stale.statusCode).toBe(409);
      expect(json(stale).error.code).toBe('version_conflict');
      expect(json(stale).error.details.current).toMatchObject({ title: 'Stale edit 2', version: 2 });
      const results = await Promise.all(['A', 'B', 'C'].map((d) => patch(risk.id, { version: 2, description: d })));
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    });

    it('keeps scopes apart: 404 for other scopes, 403 for roles without the permission', async () => {
      const risk = json(await create({ title: 'Scoped' }));
      const other = await buildScope(t.deps);
      const viewer = await buildUser(t.deps, { memberships: [[scopeId, 'viewer']] });
      const employee = await buildUser(t.deps, { memberships: [[scopeId, 'employee']] });
      const auditor = await buildUser(t.deps, { memberships: [[scopeId, 'auditor']] });
      expect((await call('GET', `${base()}/${risk.id}`, other.manager)).statusCode).toBe(404);
      expect((await call('GET', base(), other.manager)).statusCode).toBe(404);
      expect((await patch(risk.id, { version: 1, title: 'stolen' }, other.manager)).statusCode).toBe(404);
      // a risk of this scope asked for under the other scope does not exist there
      expect((await call('GET', `/api/scopes/${other.scope.id}/risks/${risk.id}`, other.manager)).statusCode).toBe(404);
      expect((await patch(risk.id, { version: 1, title: 'x' }, other.manager, other.scope.id)).statusCode).toBe(404);
      expect((await call('DELETE', `/api/scopes/${other.scope.id}/risks/${risk.id}?version=1`, other.manager)).statusCode).toBe(404);

      expect((await call('GET', `${base()}/${risk.id}`, viewer)).statusCode).toBe(200);
      expect((await call('GET', `${base()}/heatmap`, auditor)).statusCode).toBe(200);
      expect((await create({ title: 'x' }, viewer)).statusCode).toBe(403);
      expect((await patch(risk.id, { version: 1, title: 'x' }, viewer)).statusCode).toBe(403);
      expect((await call('GET', base(), employee)).statusCode).toBe(403);
      expect((await call('GET', `${base()}/${risk.id}`, employee)).statusCode).toBe(403);
      expect((await call('GET', `/api/scopes/${scopeId}/risk-method`, employee)).statusCode).toBe(403);
      expect((await call('DELETE', `${base()}/${risk.id}?version=1`, contributor)).statusCode).toBe(403);
      expect(json(await call('GET', `${base()}/${risk.id}`, manager)).title).toBe('Scoped');
    });

    it('links assets of the scope and suggests the impact from their protection needs', async () => {
      const payroll = await createAsset(scopeId, manager, { name: 'Payroll data', confidentiality: 'very_high', availability: 'normal' });
      const portal = await createAsset(scopeId, manager, { name: 'Portal', type: 'service', availability: 'high' });
      const risk = json(
        await create({
          title: 'Leak of payroll data',
          consequences: { confidentiality: true, integrity: false, availability: false },
          assetIds: [payroll.id, portal.id, payroll.id],
        }),
      );
      expect(risk.assets.map((a: { id: string }) => a.id).sort()).toEqual([payroll.id, portal.id].sort());
      expect(risk.suggestedImpact).toBe(3); // very high → top of the 3-level scale
      const availability = json(
        await patch(risk.id, { version: 1, consequences: { confidentiality: false, integrity: false, availability: true } }),
      );
      expect(availability.suggestedImpact).toBe(2); // the portal's high availability need
      const none = json(
        await patch(risk.id, { version: 2, consequences: { confidentiality: false, integrity: false, availability: false } }),
      );
      expect(none.suggestedImpact).toBeNull();
      expect(json(await call('GET', `${base()}?assetId=${portal.id}`, manager)).items.map((r: { id: string }) => r.id)).toEqual([risk.id]);
      const other = await buildScope(t.deps);
      const foreign = await createAsset(other.scope.id, other.manager, { name: 'Foreign' });
      const refused = await patch(risk.id, { version: 3, assetIds: [payroll.id, foreign.id] });
      expect(refused.statusCode).toBe(400);
      expect(json(refused).error.field).toBe('body.assetIds');
    });

    it('scores with the method version current at assessment time; old risks keep theirs', async () => {
      const s = await buildScope(t.deps);
      const h = s.manager;
      const url = `/api/scopes/${s.scope.id}/risks`;
      const a = json(await create({ title: 'Scored by v1', currentLikelihood: 2, currentImpact: 2 }, h, s.scope.id));
      expect(a.current.level.key).toBe('medium');
      const v1 = a.method;
      const stricter = defaultMethod('small');
      stricter.matrix[1]![1] = 'high';
      stricter.matrix[1]![2] = 'high';
      stricter.matrix[2]![1] = 'high';
      stricter.levels[2]!.label = 'High (v2)';
      expect((await call('PUT', `/api/scopes/${s.scope.id}/risk-method`, h, { version: 1, ...stricter })).statusCode).toBe(200);

      const aAgain = json(await call('GET', `${url}/${a.id}`, h));
      expect(aAgain.method).toEqual(v1);
      expect(aAgain.current.level).toMatchObject({ key: 'medium', label: 'Medium' });
      const renamed = json(await patch(a.id, { version: 1, title: 'Still v1' }, h, s.scope.id));
      expect(renamed.method).toEqual(v1);

      const b = json(await create({ title: 'Scored by v2', currentLikelihood: 2, currentImpact: 2 }, h, s.scope.id));
      expect(b.method.version).toBe(2);
      expect(b.current.level).toMatchObject({ key: 'high', label: 'High (v2)' });

      const versions = json(await call('GET', `/api/scopes/${s.scope.id}/risk-method/versions`, h)).items;
      expect(versions.map((v: { version: number; riskCount: number }) => [v.version, v.riskCount])).toEqual([
        [2, 1],
        [1, 1],
      ]);
      // re-scoring moves the whole risk to the current version
      const rescored = json(await patch(a.id, { version: 2, targetLikelihood: 1, targetImpact: 1 }, h, s.scope.id));
      expect(rescored.method.version).toBe(2);
      expect(rescored.current.level.key).toBe('high');
    });

    it('asks to re-score values that an older, larger method allowed', async () => {
      const s = await buildScope(t.deps, { profile: 'large' });
      const risk = json(await create({ title: 'Big scale', inherentLikelihood: 5, inherentImpact: 4 }, s.manager, s.scope.id));
      expect(risk.inherent.level.key).toBe('critical');
      await call('PUT', `/api/scopes/${s.scope.id}/risk-method`, s.manager, { version: 1, ...defaultMethod('small') });
      const res = await patch(risk.id, { version: 1, currentLikelihood: 1, currentImpact: 1 }, s.manager, s.scope.id);
      expect(res.statusCode).toBe(400);
      expect(json(res).error.field).toBe('body.inherentLikelihood');
      const ok = await patch(
        risk.id,
        { version: 1, inherentLikelihood: 3, inherentImpact: 3, currentLikelihood: 1, currentImpact: 1 },
        s.manager,
        s.scope.id,
      );
      expect(ok.statusCode, ok.body).toBe(200);
      expect(json(ok)).toMatchObject({ method: { version: 2 }, inherent: { level: { key: 'high' } } });
    });

    it('hands a treatment task to the risk owner once per crossing above the acceptance criteria', async () => {
      const s = await buildScope(t.deps);
      const owner = await buildUser(t.deps, { memberships: [[s.scope.id, 'contributor']] });
      const sid = s.scope.id;
      const risk = json(await create({ title: 'Phishing', ownerId: owner.id, currentLikelihood: 2, currentImpact: 2 }, s.manager, sid));
      expect(risk.current.level.key).toBe('medium'); // acceptable by the risk owner
      expect((await tasksOf(owner)).total).toBe(0);

      const raised = await patch(risk.id, { version: 1, currentLikelihood: 3, currentImpact: 3 }, s.manager, sid);
      expect(json(raised).current.level.key).toBe('high');
      let tasks = await tasksOf(owner);
      expect(tasks.total).toBe(1);
      expect(tasks.items[0]).toMatchObject({
        processKey: 'risk-treatment',
        status: 'open',
        title: `Treat risk ${risk.reference} Phishing`,
        origin: { processKey: 'risk-assessment', recordType: 'risk', recordId: risk.id, recordRef: risk.reference },
        dueOn: '2026-04-01', // 30 days after 2026-03-02
      });
      // still above: editing, re-scoring within the high level, changing the owner — no second task
      await patch(risk.id, { version: 2, currentLikelihood: 3, currentImpact: 2 }, s.manager, sid);
      await patch(risk.id, { version: 3, description: 'more detail' }, s.manager, sid);
      await patch(risk.id, { version: 4, targetLikelihood: 1, targetImpact: 1 }, s.manager, sid);
      expect((await tasksOf(owner)).total).toBe(1);
      // back below the criteria before a treatment was decided: the task is cancelled; evaluated above again: a new
      // crossing, a new task
      await patch(risk.id, { version: 5, currentLikelihood: 1, currentImpact: 1 }, s.manager, sid);
      expect((await tasksOf(owner)).total).toBe(0);
      const cancelled = json(await call('GET', '/api/me/tasks?status=cancelled', owner));
      expect(cancelled.items).toEqual([
        expect.objectContaining({ purpose: 'treat', completionNote: expect.stringMatching(/within the acceptance criteria$/) }),
      ]);
      await patch(risk.id, { version: 6, currentLikelihood: 3, currentImpact: 3 }, s.manager, sid);
      tasks = await tasksOf(owner);
      expect(tasks.total).toBe(1);

      // an inherent level above the criteria is not an evaluation: no task
      const inherentOnly = json(
        await create({ title: 'Inherent only', ownerId: owner.id, inherentLikelihood: 3, inherentImpact: 3 }, s.manager, sid),
      );
      expect(inherentOnly.inherent.level.key).toBe('high');
      expect((await tasksOf(owner)).total).toBe(1);
      // without an owner the risk-treatment process owner (here the scope manager) receives it
      const before = (await tasksOf(s.manager)).total;
      await create({ title: 'Unowned', currentLikelihood: 3, currentImpact: 3 }, s.manager, sid);
      expect((await tasksOf(s.manager)).total).toBe(before + 1);
    });

    it('large profile: a high risk goes to treatment and only a signed acceptance, with management, makes it accepted', async () => {
      const s = await buildScope(t.deps, { profile: 'large' });
      const owner = await buildUser(t.deps, { memberships: [[s.scope.id, 'contributor']] });
      const sid = s.scope.id;
      const medium = json(await create({ title: 'Medium', ownerId: owner.id, currentLikelihood: 2, currentImpact: 4 }, s.manager, sid));
      expect(medium).toMatchObject({ status: 'assessed', current: { level: { key: 'medium' } } });
      expect((await tasksOf(owner)).total).toBe(0);
      const high = json(await create({ title: 'High', ownerId: owner.id, currentLikelihood: 4, currentImpact: 3 }, s.manager, sid));
      expect(high.current.level.key).toBe('high');
      expect((await tasksOf(owner)).total).toBe(1);
      expect((await tasksOf(owner)).items[0].description).toContain('only management may accept it');

      // ISO 27001 6.1.3 f: no status "accepted" by hand, not even by a manager, on creation or edit
      for (const [user, id] of [
        [owner, medium.id],
        [s.manager, high.id],
      ] as const) {
        const byHand = await patch(id, { version: 1, status: 'accepted' }, user, sid);
        expect(byHand.statusCode).toBe(422);
        expect(json(byHand).error).toMatchObject({ code: 'unprocessable', field: 'body.status' });
        expect(json(byHand).error.message).toMatch(/only through a signed acceptance/);
      }
      const createdAccepted = await create(
        { title: 'Born accepted', currentLikelihood: 1, currentImpact: 1, status: 'accepted' },
        s.manager,
        sid,
      );
      expect(createdAccepted.statusCode).toBe(422);
      expect(json(createdAccepted).error.field).toBe('body.status');
      const createdInTreatment = await create({ title: 'Born in treatment', status: 'treatment' }, s.manager, sid);
      expect(json(createdInTreatment).error.message).toMatch(/treatment that modifies, avoids or shares it is decided/);

      // the sign-off: in the large profile the risk owner and management (someone else, with risk:accept) sign
      const sign = (id: string, user: TestUser) =>
        call('POST', `/api/scopes/${sid}/risks/${id}/acceptance`, user, { justification: 'Within appetite' });
      expect(json(await sign(medium.id, owner)).status).toBe('pending');
      expect(json(await call('GET', `/api/scopes/${sid}/risks/${medium.id}`, owner)).status).toBe('assessed');
      expect(json(await sign(medium.id, s.manager)).status).toBe('effective');
      expect(json(await call('GET', `/api/scopes/${sid}/risks/${medium.id}`, owner))).toMatchObject({ status: 'accepted', version: 2 });
      // the high level needs management: the owner starts it, a contributor who is not the owner may not sign for management
      expect(json(await sign(high.id, owner)).status).toBe('pending');
      const other = await buildUser(t.deps, { memberships: [[sid, 'contributor']] });
      expect((await sign(high.id, other)).statusCode).toBe(403);
      expect(json(await sign(high.id, s.manager)).status).toBe('effective');
      expect(json(await call('GET', `/api/scopes/${sid}/risks/${high.id}`, owner)).status).toBe('accepted');
      // above the criteria even for management, and unscored risks have nothing to accept
      const critical = json(await create({ title: 'Critical', ownerId: owner.id, currentLikelihood: 5, currentImpact: 5 }, s.manager, sid));
      expect((await sign(critical.id, s.manager)).statusCode).toBe(422);
      expect((await patch(critical.id, { version: 1, status: 'accepted' }, s.manager, sid)).statusCode).toBe(422);
      const unscored = json(await create({ title: 'Unscored', ownerId: owner.id }, s.manager, sid));
      expect((await patch(unscored.id, { version: 1, status: 'accepted' }, s.manager, sid)).statusCode).toBe(422);
      expect(json(await call('GET', `/api/scopes/${sid}/risks/${critical.id}`, owner))).toMatchObject({ status: 'assessed', version: 1 });
      expect(json(await call('GET', `/api/scopes/${sid}/risks/${unscored.id}`, owner))).toMatchObject({ status: 'identified', version: 1 });
    });

    it('closes and reopens by hand; other statuses follow the process and a hand-picked one gets 422', async () => {
      const risk = json(await create({ title: 'Retired printer', currentLikelihood: 1, currentImpact: 2 }));
      expect(risk.status).toBe('assessed');
      const toTreatment = await patch(risk.id, { version: 1, status: 'treatment' });
      expect(toTreatment.statusCode).toBe(422);
      expect(json(toTreatment).error).toMatchObject({ code: 'unprocessable', field: 'body.status' });
      expect(json(toTreatment).error.message).toMatch(/by its process this risk is assessed/);
      expect((await patch(risk.id, { version: 1, status: 'identified' })).statusCode).toBe(422);
      // a form that sends the status it showed changes nothing
      expect(json(await patch(risk.id, { version: 1, status: 'assessed', title: 'Retired printer (3rd floor)' }))).toMatchObject({
        status: 'assessed',
        version: 2,
      });
      const closed = json(await patch(risk.id, { version: 2, status: 'closed' }));
      expect(closed).toMatchObject({ status: 'closed', version: 3 });
      // a closed risk stays closed when re-scored
      expect(json(await patch(risk.id, { version: 3, currentLikelihood: 2, currentImpact: 2 })).status).toBe('closed');
      const wrongReopen = await patch(risk.id, { version: 4, status: 'identified' });
      expect(wrongReopen.statusCode).toBe(422);
      expect(json(wrongReopen).error.message).toMatch(/reopened, this risk is assessed/);
      const reopened = json(await patch(risk.id, { version: 4, status: 'assessed' }));
      expect(reopened).toMatchObject({ status: 'assessed', version: 5 });
      const entries = await audit(risk.id);
      expect(entries.filter((e) => e.action === 'update' && e.changes.status).map((e) => e.changes.status)).toEqual([
        { from: 'closed', to: 'assessed' },
        { from: 'assessed', to: 'closed' },
      ]);
    });

    it('deletes with a version check and leaves a tombstone in the audit trail', async () => {
      const risk = json(await create({ title: 'To delete' }));
      expect((await call('DELETE', `${base()}/${risk.id}?version=7`, manager)).statusCode).toBe(409);
      expect((await call('DELETE', `${base()}/${risk.id}`, manager)).statusCode).toBe(400);
      expect((await call('DELETE', `${base()}/${risk.id}?version=1`, manager)).statusCode).toBe(204);
      expect((await call('GET', `${base()}/${risk.id}`, manager)).statusCode).toBe(404);
      const entries = await audit(risk.id);
      expect(entries[0]).toMatchObject({ action: 'delete', recordRef: risk.reference });
      expect(entries[0]!.changes.title).toEqual({ from: 'To delete' });
      expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
    });
  });

  describe('prioritised list, heat map and export', () => {
    let sid: string;
    let h: TestUser;
    let owner: TestUser;
    let assetId: string;
    const url = () => `/api/scopes/${sid}/risks`;
    const titles = (res: { items: { title: string }[] }) => res.items.map((r) => r.title);
    // [title, inherent (L, I), current (L, I)]
    const seed: [string, [number, number] | null, [number, number] | null][] = [
      ['Unscored', null, null],
      ['Low now', [3, 3], [1, 1]],
      ['Medium now', [2, 3], [2, 2]],
      ['High now', [3, 3], [3, 2]],
      ['High now, higher score', [3, 3], [3, 3]],
      ['High now, lower inherent', [2, 2], [3, 2]],
      ['Medium too', [1, 3], [2, 2]],
    ];

    beforeAll(async () => {
      const s = await buildScope(t.deps);
      sid = s.scope.id;
      h = s.manager;
      owner = await buildUser(t.deps, { memberships: [[sid, 'contributor']] });
      assetId = (await createAsset(sid, h, { name: 'ERP' })).id;
      for (const [i, [title, inherent, current]] of seed.entries()) {
        const res = await create(
          {
            title,
            ownerId: i % 2 ? owner.id : null,
            assetIds: i === 2 ? [assetId] : [],
            ...(inherent && { inherentLikelihood: inherent[0], inherentImpact: inherent[1] }),
            ...(current && { currentLikelihood: current[0], currentImpact: current[1] }),
            description: i === 3 ? 'Kerberos tickets' : '',
          },
          h,
          sid,
        );
        expect(res.statusCode, res.body).toBe(201);
      }
    });

    it('lists by priority: current level, then inherent level, then score', async () => {
      const list = json(await call('GET', url(), h));
      expect(list.total).toBe(7);
      expect(titles(list)).toEqual([
        'High now, higher score',
        'High now',
        'High now, lower inherent',
        'Medium now',
        'Medium too',
        'Low now',
        'Unscored',
      ]);
      expect(list.items[0]).toMatchObject({ current: { level: { key: 'high', colour: '#e03131' } }, owner: null });
      expect(list.items.find((r: { title: string }) => r.title === 'Medium now').assets).toEqual([
        expect.objectContaining({ id: assetId, name: 'ERP' }),
      ]);
      const asc = json(await call('GET', `${url()}?sort=currentLevel&order=asc&pageSize=2`, h));
      expect(titles(asc)).toEqual(['Unscored', 'Low now']);
      const page2 = json(await call('GET', `${url()}?sort=title&pageSize=3&page=2`, h));
      expect(titles(page2)).toEqual(['Low now', 'Medium now', 'Medium too']);
      expect(titles(json(await call('GET', `${url()}?sort=inherentLevel`, h)))[0]).toMatch(/^(Low now|High now)/);
    });

    it('filters by status, owner, level, basis cell, asset and search', async () => {
      const count = async (qs: string) => json(await call('GET', `${url()}?${qs}`, h)).total;
      expect(await count('level=high')).toBe(3);
      expect(await count('level=high&basis=inherent')).toBe(4);
      expect(await count('basis=inherent&level=medium')).toBe(2);
      expect(await count('likelihood=2&impact=2')).toBe(2);
      expect(await count('basis=inherent&likelihood=3&impact=3')).toBe(3);
      expect(await count(`ownerId=${owner.id}`)).toBe(3);
      expect(await count('status=identified')).toBe(1);
      expect(await count('status=assessed&level=medium')).toBe(2);
      expect(await count(`assetId=${assetId}`)).toBe(1);
      expect(titles(json(await call('GET', `${url()}?q=kerberos`, h)))).toEqual(['High now']);
      expect(await count('q=50%25_')).toBe(0);
      const bad = await call('GET', `${url()}?sort=colour`, h);
      expect(bad.statusCode).toBe(400);
      expect(json(bad).error.field).toBe('querystring.sort');
      expect(json(await call('GET', `${url()}?likelihood=9`, h)).error.field).toBe('querystring.likelihood');
    });

    it('draws the heat map from one grouped query, cells linking to the filtered list', async () => {
      const before = t.db.database.queryCounter.count;
      const res = await call('GET', `${url()}/heatmap`, h);
      const statements = t.db.database.queryCounter.count - before;
      expect(res.statusCode, res.body).toBe(200);
      const map = json(res);
      expect(statements).toBeLessThanOrEqual(4); // actor (2), current method, grouped counts
      expect(map).toMatchObject({ basis: 'current', method: { version: 1 }, total: 7, unscored: 1, outsideScale: 0 });
      expect(map.cells).toHaveLength(9);
      expect(map.levels.map((l: { key: string }) => l.key)).toEqual(['low', 'medium', 'high']);
      const cell = (m: typeof map, l: number, i: number) =>
        m.cells.find((c: { likelihood: number; impact: number }) => c.likelihood === l && c.impact === i);
      expect(cell(map, 2, 2)).toMatchObject({ level: 'medium', colour: '#f59f00', count: 2 });
      expect(cell(map, 3, 2)).toMatchObject({ level: 'high', count: 2 });
      expect(cell(map, 1, 3).count).toBe(0);
      for (const c of map.cells) {
        const listed = json(await call('GET', `${url()}?basis=current&likelihood=${c.likelihood}&impact=${c.impact}&pageSize=1`, h));
        expect(listed.total, `${c.likelihood},${c.impact}`).toBe(c.count);
      }
      const inherent = json(await call('GET', `${url()}/heatmap?basis=inherent&ownerId=${owner.id}`, h));
      expect(inherent).toMatchObject({ basis: 'inherent', total: 3, unscored: 0 });
      expect(cell(inherent, 3, 3).count).toBe(2);
      expect((await call('GET', `${url()}/heatmap?basis=residual`, h)).statusCode).toBe(400);
    });

    it('runs the same number of SQL statements for a list whatever the page size', async () => {
      const counter = t.db.database.queryCounter;
      const count = async (qs: string) => {
        const before = counter.count;
        const res = await call('GET', `${url()}?${qs}`, h);
        expect(res.statusCode).toBe(200);
        return counter.count - before;
      };
      const small = await count('pageSize=1');
      const large = await count('pageSize=100');
      expect(large).toBe(small);
      expect(small).toBeLessThanOrEqual(6); // actor (2), methods, page, count, assets
      expect(await count('pageSize=100&level=high&sort=updatedAt')).toBe(small);
    });

    it('exports the filtered list as CSV, neutralising formulas', async () => {
      await create({ title: '=HYPERLINK("http://x")', currentLikelihood: 3, currentImpact: 3 }, h, sid);
      const res = await call('GET', `${url()}.csv?level=high&q=hyperlink`, h);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      const lines = res.body.trim().split('\n');
      expect(lines[0]).toMatch(/^reference,title,status,owner/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`'=HYPERLINK`);
      expect(lines[1]).toContain(',High,');
      const all = (await call('GET', `${url()}.csv`, h)).body.trim().split('\n');
      expect(all).toHaveLength(9);
      const employee = await buildUser(t.deps, { memberships: [[sid, 'employee']] });
      expect((await call('GET', `${url()}.csv`, employee)).statusCode).toBe(403);
    });
  });

  describe('incident lessons', () => {
    it('turns a lesson of kind "risk" into an identified risk with the incident\'s assets, and a task pointing at it', async () => {
      const s = await buildScope(t.deps);
      const sid = s.scope.id;
      const assessor = await buildUser(t.deps, { memberships: [[sid, 'contributor']], name: 'Risk assessor' });
      const responder = await buildUser(t.deps, { memberships: [[sid, 'contributor']], name: 'Responder' });
      const processes = json(await call('GET', `/api/scopes/${sid}/processes`, s.manager)).processes as { key: string; version: number }[];
      for (const [key, ownerId] of [
        ['risk-assessment', assessor.id],
        ['incident-management', responder.id],
      ] as const) {
        const p = processes.find((x) => x.key === key)!;
        const res = await call('PATCH', `/api/scopes/${sid}/processes/${key}`, s.manager, { version: p.version, ownerId });
        expect(res.statusCode, res.body).toBe(200);
      }
      const share = await createAsset(sid, s.manager, { name: 'HR file share' });
      const laptop = await createAsset(sid, s.manager, { name: 'HR laptop' });
      await createAsset(sid, s.manager, { name: 'Unrelated server' });
      const incidents = `/api/scopes/${sid}/incidents`;
      const incident = json(await call('POST', incidents, s.manager, { title: 'HR file on a public share' }));
      const triaged = await call('POST', `${incidents}/${incident.id}/triage`, responder, {
        version: 1,
        category: 'data_leak',
        severity: 'medium',
        impactConfidentiality: true,
        impactIntegrity: false,
        impactAvailability: true,
        personalData: false,
        nis2Significant: false,
        assetIds: [share.id, laptop.id],
      });
      expect(triaged.statusCode, triaged.body).toBe(200);
      const before = json(await call('GET', `/api/scopes/${sid}/risks`, s.manager)).total;

      // a lesson that fails half-way (a corrective action owner from outside) leaves no risk behind
      const outsider = await buildUser(t.deps);
      const risky = { kind: 'risk', title: 'Share permissions drift', description: 'Nobody reviews who can read HR shares' };
      const failed = await call('POST', `${incidents}/${incident.id}/status`, responder, {
        version: json(triaged).version,
        status: 'resolved',
        lessonsLearned: 'Share permissions are not reviewed',
        followUps: [risky, { kind: 'nonconformity', title: 'x', correctiveAction: { title: 'y', ownerId: outsider.id, dueOn: null } }],
      });
      expect(failed.statusCode).toBe(400);
      expect(json(await call('GET', `/api/scopes/${sid}/risks`, s.manager)).total).toBe(before);

      const resolved = await call('POST', `${incidents}/${incident.id}/status`, responder, {
        version: json(triaged).version,
        status: 'resolved',
        lessonsLearned: 'Share permissions are not reviewed',
        followUps: [risky, { kind: 'improvement', title: 'Faster alerting' }],
      });
      expect(resolved.statusCode, resolved.body).toBe(200);
      const list = json(await call('GET', `/api/scopes/${sid}/risks?q=Share permissions drift`, s.manager));
      expect(list.total).toBe(1);
      expect(json(await call('GET', `/api/scopes/${sid}/risks`, s.manager)).total).toBe(before + 1);
      const risk = json(await call('GET', `/api/scopes/${sid}/risks/${list.items[0].id}`, s.manager));
      expect(risk).toMatchObject({
        reference: expect.stringMatching(/^RSK-\d{4}$/),
        title: 'Share permissions drift',
        status: 'identified',
        owner: { id: assessor.id, name: 'Risk assessor' },
        consequences: { confidentiality: true, integrity: false, availability: true },
        current: { level: null },
        version: 1,
      });
      expect(risk.description).toBe(
        `Nobody reviews who can read HR shares\n\nIdentified from a lesson learned of incident ${incident.reference}.`,
      );
      expect(risk.assets.map((a: { id: string }) => a.id).sort()).toEqual([share.id, laptop.id].sort());

      // the assessor's task points at the new risk
      const tasks = (await tasksOf(assessor)).items.filter((k: { processKey: string }) => k.processKey === 'risk-assessment');
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({
        title: `Assess risk from ${incident.reference}: Share permissions drift`,
        origin: { processKey: 'incident-management', recordType: 'risk', recordId: risk.id, recordRef: risk.reference },
        dueOn: '2026-03-16', // 14 days after 2026-03-02
      });
      expect(tasks[0].description).toContain(`entered the risk register as ${risk.reference}`);
      // recorded in the trail as the responder's change, in the chain
      const entries = json(await call('GET', `/api/scopes/${sid}/audit?recordId=${risk.id}`, s.manager)).items;
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ action: 'create', recordRef: risk.reference });
      expect(entries[0].changes.status).toEqual({ to: 'identified' });
      expect(entries[0].changes.assets.to.sort()).toEqual([share.reference, laptop.reference].sort());
      const raw = await t.deps.db.selectFrom('audit_entry').select(['actor_id']).where('record_id', '=', risk.id).execute();
      expect(raw.map((r) => r.actor_id)).toEqual([responder.id]);
      expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);

      // the assessor scores it: identified → assessed
      const assessed = await patch(risk.id, { version: 1, currentLikelihood: 2, currentImpact: 2 }, assessor, sid);
      expect(json(assessed)).toMatchObject({ status: 'assessed', version: 2 });
    });
  });
});
