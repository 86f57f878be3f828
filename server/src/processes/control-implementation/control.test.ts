import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../audit/audit.service.ts';
import { ANNEX_A_KEY } from '../../catalogs/iso27001-annex-a.ts';
import {
  buildScope,
  buildUser,
  createScopeContext,
  dialects,
  json,
  TestClock,
  type TestContext,
  type TestUser,
} from '../../test/harness.ts';
import { iterateControls } from './control.repository.ts';
import { addControlLinksTx, createControlTx, isOverdue } from './control.service.ts';

describe('control rules (small)', () => {
  it('is overdue only after the due date and while not done', () => {
    expect(isOverdue({ status: 'planned', dueOn: '2026-03-01' }, '2026-03-02')).toBe(true);
    expect(isOverdue({ status: 'in_progress', dueOn: '2026-03-02' }, '2026-03-02')).toBe(false);
    expect(isOverdue({ status: 'implemented', dueOn: '2026-01-01' }, '2026-03-02')).toBe(false);
    expect(isOverdue({ status: 'not_applicable', dueOn: '2026-01-01' }, '2026-03-02')).toBe(false);
    expect(isOverdue({ status: 'planned', dueOn: null }, '2026-03-02')).toBe(false);
  });
});

describe.each(dialects)('control library on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  let annexA: { id: string; requirements: { id: string; identifier: string }[] };
  const clock = new TestClock(new Date('2026-03-02T09:00:00.000Z'));
  const base = () => `/api/scopes/${scopeId}/controls`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect, { clock }));
    const catalogs = json(await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/catalogs`, headers: manager.headers }));
    const id = catalogs.find((c: { key: string }) => c.key === ANNEX_A_KEY).id;
    const reqs = json(
      await t.app.inject({
        method: 'GET',
        url: `/api/scopes/${scopeId}/catalogs/${id}/requirements?kind=control&pageSize=200`,
        headers: manager.headers,
      }),
    );
    annexA = { id, requirements: reqs.items };
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, user = manager) =>
    t.app.inject({ method: 'POST', url: base(), headers: user.headers, payload: body });
  const risk = async (title: string, sid = scopeId, user = manager) =>
    json(await t.app.inject({ method: 'POST', url: `/api/scopes/${sid}/risks`, headers: user.headers, payload: { title } }));
  const req = (identifier: string) => annexA.requirements.find((r) => r.identifier === identifier)!.id;

  it('creates a control with a reference, links to Annex A requirements and risks, and an audit entry', async () => {
    const owner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    const r1 = await risk('Ransomware on file servers');
    const res = await create({
      title: 'Offline backups',
      description: 'Weekly offline copy',
      ownerId: owner.id,
      costEstimate: 1200.5,
      dueOn: '2026-04-30',
      requirementIds: [req('A.8.13'), req('A.5.30')],
      riskIds: [r1.id],
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = json(res);
    expect(c.reference).toMatch(/^CTL-\d{4}$/);
    expect(c).toMatchObject({
      title: 'Offline backups',
      status: 'planned',
      effectiveness: 'not_assessed',
      costEstimate: 1200.5,
      dueOn: '2026-04-30',
      overdue: false,
      owner: { id: owner.id },
      requirementCount: 2,
      riskCount: 1,
      evidenceCount: 0,
      version: 1,
    });
    expect(c.requirements.map((r: { label: string }) => r.label)).toEqual(['A.5.30', 'A.8.13']);
    expect(c.requirements[0].catalogTitle).toBe('ISO/IEC 27001:2022 Annex A');
    expect(c.risks).toEqual([{ id: r1.id, reference: r1.reference, title: 'Ransomware on file servers', status: r1.status, level: null }]);
    const audit = json(
      await t.app.inject({
        method: 'GET',
        url: `/api/scopes/${scopeId}/audit?recordType=control&recordId=${c.id}`,
        headers: manager.headers,
      }),
    );
    expect(audit.items[0]).toMatchObject({ action: 'create', recordRef: c.reference });
    expect(audit.items[0].changes.risks).toEqual({ to: [r1.reference] });
  });

  it('refuses risks of another scope and unknown requirements with 404, bad input with 400, and writes nothing', async () => {
    const other = await buildScope(t.deps);
    const foreignRisk = await risk('Foreign risk', other.scope.id, other.manager);
    const before = json(await t.app.inject({ method: 'GET', url: base(), headers: manager.headers })).total;
    const foreign = await create({ title: 'Sneaky', riskIds: [foreignRisk.id] });
    expect(foreign.statusCode).toBe(404);
    expect(json(foreign).error.field).toBe('body.riskIds');
    // a catalog of another scope is invisible here
    const doc = JSON.stringify({
      catalog: { uuid: 'x', metadata: { title: 'Private', version: '1' }, controls: [{ id: 'p-1', title: 'Private control' }] },
    });
    const { multipartBody } = await import('../../files/multipart-body.ts');
    const body = multipartBody({ name: 'c.json', content: doc });
    const imported = json(
      await t.app.inject({
        method: 'POST',
        url: `/api/scopes/${other.scope.id}/catalogs/import`,
        headers: { ...other.manager.headers, ...body.headers },
        payload: body.payload,
      }),
    );
    const privateReq = json(
      await t.app.inject({
        method: 'GET',
        url: `/api/scopes/${other.scope.id}/catalogs/${imported.catalogId}/requirements`,
        headers: other.manager.headers,
      }),
    ).items[0];
    const invisible = await create({ title: 'Sneaky', requirementIds: [privateReq.id] });
    expect(invisible.statusCode).toBe(404);
    expect(json(invisible).error.field).toBe('body.requirementIds');
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'body.title'],
      [{ title: 'x', status: 'done' }, 'body.status'],
      [{ title: 'x', effectiveness: 'great' }, 'body.effectiveness'],
      [{ title: 'x', dueOn: '30.04.2026' }, 'body.dueOn'],
      [{ title: 'x', costEstimate: -1 }, 'body.costEstimate'],
      [{ title: 'x', ownerId: other.manager.id }, 'body.ownerId'],
      [{ title: 'x', colour: 'red' }, 'body.colour'],
    ];
    for (const [payload, field] of cases) {
      const res = await create(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(json(res).error.field).toBe(field);
    }
    expect(json(await t.app.inject({ method: 'GET', url: base(), headers: manager.headers })).total).toBe(before);
  });

  it('updates with a version check, replaces links, and deletes with a version check', async () => {
    const c = json(await create({ title: 'Access reviews', requirementIds: [req('A.5.18')] }));
    const r2 = await risk('Orphaned accounts');
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${c.id}`,
      headers: manager.headers,
      payload: { version: 1, status: 'implemented', effectiveness: 'effective', implementedOn: '2026-03-01', riskIds: [r2.id] },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({ version: 2, status: 'implemented', implementedOn: '2026-03-01', riskCount: 1, requirementCount: 1 });
    // reaching "implemented" without a date records today's
    const other = json(await create({ title: 'Screen locks' }));
    expect(other.implementedOn).toBeNull();
    const done = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${other.id}`,
      headers: manager.headers,
      payload: { version: 1, status: 'verified' },
    });
    expect(json(done)).toMatchObject({ status: 'verified', implementedOn: '2026-03-02' });
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${c.id}`,
      headers: manager.headers,
      payload: { version: 1, title: 'lost' },
    });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.details.current).toMatchObject({ version: 2, title: 'Access reviews' });
    const staleDelete = await t.app.inject({ method: 'DELETE', url: `${base()}/${c.id}?version=1`, headers: manager.headers });
    expect(staleDelete.statusCode).toBe(409);
    const del = await t.app.inject({ method: 'DELETE', url: `${base()}/${c.id}?version=2`, headers: manager.headers });
    expect(del.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `${base()}/${c.id}`, headers: manager.headers })).statusCode).toBe(404);
    const audit = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audit?recordId=${c.id}`, headers: manager.headers }),
    );
    expect(audit.items.map((e: { action: string }) => e.action).sort()).toEqual(['create', 'delete', 'update']);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('createControlTx and addControlLinksTx work inside a caller’s transaction and roll back with it', async () => {
    const r = await risk('Phishing');
    const created = await t.deps.db
      .transaction()
      .execute((tx) => createControlTx(tx, t.deps, manager.actor, scopeId, { title: 'Awareness training', riskIds: [r.id] }));
    expect(created).toMatchObject({ status: 'planned', riskCount: 1, version: 1 });
    const linked = await t.deps.db
      .transaction()
      .execute((tx) =>
        addControlLinksTx(tx, t.deps, manager.actor, scopeId, created.id, { requirementIds: [req('A.6.3')], riskIds: [r.id] }),
      );
    expect(linked).toMatchObject({ version: 2, requirementCount: 1, riskCount: 1 });
    const total = json(await t.app.inject({ method: 'GET', url: base(), headers: manager.headers })).total;
    await expect(
      t.deps.db.transaction().execute(async (tx) => {
        await createControlTx(tx, t.deps, manager.actor, scopeId, { title: 'Rolled back' });
        throw new Error('the caller fails afterwards');
      }),
    ).rejects.toThrow('the caller fails afterwards');
    expect(json(await t.app.inject({ method: 'GET', url: base(), headers: manager.headers })).total).toBe(total);
    await expect(
      t.deps.db.transaction().execute((tx) => createControlTx(tx, t.deps, manager.actor, scopeId, { title: '' })),
    ).rejects.toMatchObject({ code: 'validation_failed', field: 'body.title' });
  });

  it('lists with pagination, filters (status, owner, overdue, catalog), sorting, search and CSV', async () => {
    const s = await buildScope(t.deps);
    const h = s.manager.headers;
    const url = `/api/scopes/${s.scope.id}/controls`;
    const owner = await buildUser(t.deps, { memberships: [[s.scope.id, 'contributor']] });
    // created the day before, so that a due date of 2026-03-01 is not before the day of creation
    clock.advance(-86_400_000);
    for (let i = 0; i < 12; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: h,
        payload: {
          title: `Control ${String(i).padStart(2, '0')}`,
          status: i < 4 ? 'implemented' : 'planned',
          ownerId: i % 2 ? owner.id : null,
          dueOn: i < 8 ? '2026-03-01' : '2026-12-31',
          description: i === 5 ? 'Uses the Kerberos realm' : '',
          requirementIds: i % 3 === 0 ? [req('A.8.24')] : [],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    clock.advance(86_400_000);
    const q = async (query: string) => json(await t.app.inject({ method: 'GET', url: `${url}?${query}`, headers: h }));
    const page = await q('pageSize=5&page=3&sort=title');
    expect(page.total).toBe(12);
    expect(page.items.map((c: { title: string }) => c.title)).toEqual(['Control 10', 'Control 11']);
    expect((await q('status=implemented')).total).toBe(4);
    expect((await q(`ownerId=${owner.id}`)).total).toBe(6);
    // due 2026-03-01, today 2026-03-02: controls 4..7 are planned and overdue
    const overdue = await q('overdue=true&sort=title');
    expect(overdue.items.map((c: { title: string; overdue: boolean }) => [c.title, c.overdue])).toEqual([
      ['Control 04', true],
      ['Control 05', true],
      ['Control 06', true],
      ['Control 07', true],
    ]);
    expect((await q('overdue=false')).total).toBe(8);
    expect((await q(`catalogId=${annexA.id}`)).total).toBe(4);
    expect((await q(`requirementId=${req('A.8.24')}`)).total).toBe(4);
    expect((await q('q=kerberos')).items.map((c: { title: string }) => c.title)).toEqual(['Control 05']);
    expect((await q('sort=dueOn&order=desc&pageSize=1')).items[0].dueOn).toBe('2026-12-31');
    expect((await t.app.inject({ method: 'GET', url: `${url}?pageSize=1000`, headers: h })).statusCode).toBe(400);
    const csv = await t.app.inject({ method: 'GET', url: `/api/scopes/${s.scope.id}/controls.csv?overdue=true`, headers: h });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toMatch(/^reference,title,status,effectiveness,owner/);
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain('Control 04,planned,not_assessed');
    // the requirements column names the linked requirements, as the import reads them back (a count would not be)
    const csvOf = (query: string) => t.app.inject({ method: 'GET', url: `/api/scopes/${s.scope.id}/controls.csv?${query}`, headers: h });
    const all = (await csvOf('sort=title')).body.trim().split('\n').slice(1);
    expect(all.map((l) => l.split(',')[12])).toEqual(Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 'A.8.24' : '')));
    // one ordered pass: the requirements' names once, then per batch the controls and their requirements and risks
    const counter = t.db.database.queryCounter;
    const statements = async (query: string) => {
      const before = counter.count;
      expect((await csvOf(query)).statusCode).toBe(200);
      return counter.count - before;
    };
    expect(await statements('q=Control%2005')).toBe(4);
    expect(await statements('sort=title')).toBe(4);
    // the export's keyset: batches of 5 give every control once, in the order of one single read, for every sort and
    // direction (controls without a due date included: they sort after every date)
    const db = t.db.database.db;
    const undated = await db.selectFrom('control').select(['id', 'due_on']).where('scope_id', '=', s.scope.id).limit(3).execute();
    await db
      .updateTable('control')
      .set({ due_on: null })
      .where(
        'id',
        'in',
        undated.map((c) => c.id),
      )
      .execute();
    const ids = async (query: Parameters<typeof iterateControls>[2], batch: number) => {
      const out: (string | null)[][] = [];
      for await (const rows of iterateControls(db, s.scope.id, query, '2026-03-02', batch)) out.push(...rows.map((r) => [r.id, r.due_on]));
      return out;
    };
    for (const sort of ['reference', 'title', 'status', 'effectiveness', 'dueOn', 'updatedAt'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const whole = await ids({ sort, order }, 1000);
        expect(whole).toHaveLength(12);
        expect(await ids({ sort, order }, 5), `${sort} ${order}`).toEqual(whole);
      }
    }
    const byDue = (await ids({ sort: 'dueOn', order: 'asc' }, 5)).map(([, due]) => due);
    expect(byDue.includes(null)).toBe(true);
    expect(byDue.slice(byDue.indexOf(null)).every((d) => d === null)).toBe(true);
    for (const c of undated) await db.updateTable('control').set({ due_on: c.due_on }).where('id', '=', c.id).execute();
  });

  it('runs the same number of SQL statements for a list whatever the page size', async () => {
    const counter = t.db.database.queryCounter;
    const count = async (pageSize: number) => {
      const before = counter.count;
      const res = await t.app.inject({
        method: 'GET',
        url: `${base()}?pageSize=${pageSize}&sort=updatedAt&order=desc&catalogId=${annexA.id}&q=a`,
        headers: manager.headers,
      });
      expect(res.statusCode).toBe(200);
      return counter.count - before;
    };
    const small = await count(1);
    const large = await count(200);
    expect(large).toBe(small);
    // actor (2), page, count
    expect(small).toBeLessThanOrEqual(4);
  });
});
