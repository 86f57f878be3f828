import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../audit/audit.service.ts';
import { buildScope, buildUser, createScopeContext, dialects, json, type TestContext, type TestUser } from '../../test/harness.ts';

describe.each(dialects)('asset register on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let manager: TestUser;
  const base = () => `/api/scopes/${scopeId}/assets`;

  beforeAll(async () => {
    ({ t, scopeId, manager } = await createScopeContext(dialect));
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, user = manager) =>
    t.app.inject({ method: 'POST', url: base(), headers: user.headers, payload: body });

  it('creates an asset with defaults, a reference and an audit entry', async () => {
    const res = await create({ name: 'Payroll data', type: 'information', tags: ['hr', 'personal-data'] });
    expect(res.statusCode).toBe(201);
    const asset = json(res);
    expect(asset.reference).toMatch(/^AST-\d{4}$/);
    expect(asset).toMatchObject({
      name: 'Payroll data',
      confidentiality: 'normal',
      lifecycleStatus: 'in_operation',
      version: 1,
      tags: ['hr', 'personal-data'],
    });
    const audit = json(
      await t.app.inject({
        method: 'GET',
        url: `/api/scopes/${scopeId}/audit?recordType=asset&recordId=${asset.id}`,
        headers: manager.headers,
      }),
    );
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ action: 'create', recordRef: asset.reference });
    expect(audit.items[0].changes.name).toEqual({ to: 'Payroll data' });
  });

  it('rejects bad input with a 400 that names the field, and writes nothing', async () => {
    const before = json(await t.app.inject({ method: 'GET', url: base(), headers: manager.headers })).total;
    const cases: [Record<string, unknown> | string, string][] = [
      [{ type: 'system' }, 'body.name'],
      [{ name: 'x', type: 'spaceship' }, 'body.type'],
      [{ name: 'x', type: 'system', confidentiality: 'extreme' }, 'body.confidentiality'],
      [{ name: 'x', type: 'system', colour: 'red' }, 'body.colour'],
      [{ name: 'x', type: 'system', dependsOn: ['not-a-uuid'] }, 'body.dependsOn.0'],
      [{ name: 'x', type: 'system', dependsOn: ['01900000-0000-7000-8000-000000000000'] }, 'body.dependsOn'],
      [{ name: 'x', type: 'system', ownerId: '01900000-0000-7000-8000-000000000000' }, 'body.ownerId'],
    ];
    for (const [body, field] of cases) {
      const res = await create(body as Record<string, unknown>);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(json(res).error.field).toBe(field);
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: base(),
      headers: { ...manager.headers, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed).error.code).toBe('validation_failed');
    const huge = await create({ name: 'x', type: 'system', description: 'a'.repeat(2 * 1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(json(await t.app.inject({ method: 'GET', url: base(), headers: manager.headers })).total).toBe(before);
  });

  it('detects a stale edit with 409 and returns the current record', async () => {
    const asset = json(await create({ name: 'Mail server', type: 'system' }));
    const first = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${asset.id}`,
      headers: manager.headers,
      payload: { version: 1, name: 'Mail server 2' },
    });
    expect(first.statusCode).toBe(200);
    expect(json(first).version).toBe(2);
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${asset.id}`,
      headers: manager.headers,
      payload: { version: 1, description: 'lost?' },
    });
    expect(stale.statusCode).toBe(409);
    expect(json(stale).error.code).toBe('version_conflict');
    expect(json(stale).error.details.current).toMatchObject({ name: 'Mail server 2', version: 2 });
    const now = json(await t.app.inject({ method: 'GET', url: `${base()}/${asset.id}`, headers: manager.headers }));
    expect(now.description).toBe('');
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const asset = json(await create({ name: 'Concurrent', type: 'service' }));
    const results = await Promise.all(
      ['A', 'B', 'C'].map((n) =>
        t.app.inject({ method: 'PATCH', url: `${base()}/${asset.id}`, headers: manager.headers, payload: { version: 1, description: n } }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const audit = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audit?recordId=${asset.id}`, headers: manager.headers }),
    );
    expect(audit.items.filter((e: { action: string }) => e.action === 'update')).toHaveLength(1);
  });

  it('keeps dependencies within the scope and refuses cycles', async () => {
    const db = json(await create({ name: 'Database', type: 'system' }));
    const app = json(await create({ name: 'Application', type: 'system', dependsOn: [db.id] }));
    const svc = json(await create({ name: 'Service', type: 'service', dependsOn: [app.id] }));
    const detail = json(await t.app.inject({ method: 'GET', url: `${base()}/${app.id}`, headers: manager.headers }));
    expect(detail.dependsOn.map((d: { id: string }) => d.id)).toEqual([db.id]);
    expect(detail.dependents.map((d: { id: string }) => d.id)).toEqual([svc.id]);
    const cycle = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${db.id}`,
      headers: manager.headers,
      payload: { version: 1, dependsOn: [svc.id] },
    });
    expect(cycle.statusCode).toBe(400);
    expect(json(cycle).error.field).toBe('body.dependsOn');
    const self = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${db.id}`,
      headers: manager.headers,
      payload: { version: 1, dependsOn: [db.id] },
    });
    expect(self.statusCode).toBe(400);
    const other = await buildScope(t.deps);
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${other.scope.id}/assets`,
      headers: other.manager.headers,
      payload: { name: 'x', type: 'system', dependsOn: [db.id] },
    });
    expect(foreign.statusCode).toBe(400);
  });

  it('raising a protection need to very high hands a re-assessment task to the risk-assessment owner', async () => {
    const riskOwner = await buildUser(t.deps, { memberships: [[scopeId, 'contributor']] });
    const proc = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/processes`, headers: manager.headers }),
    ).processes.find((p: { key: string }) => p.key === 'risk-assessment');
    const set = await t.app.inject({
      method: 'PATCH',
      url: `/api/scopes/${scopeId}/processes/risk-assessment`,
      headers: manager.headers,
      payload: { version: proc.version, ownerId: riskOwner.id },
    });
    expect(set.statusCode).toBe(200);
    const asset = json(await create({ name: 'Customer database', type: 'information', confidentiality: 'high' }));
    const noTask = json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: riskOwner.headers }));
    expect(noTask.total).toBe(0);
    const raised = await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${asset.id}`,
      headers: manager.headers,
      payload: { version: 1, confidentiality: 'very_high' },
    });
    expect(raised.statusCode).toBe(200);
    const tasks = json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: riskOwner.headers }));
    expect(tasks.total).toBe(1);
    expect(tasks.items[0]).toMatchObject({
      processKey: 'risk-assessment',
      status: 'open',
      origin: { recordType: 'asset', recordId: asset.id, recordRef: asset.reference },
    });
    expect(tasks.items[0].dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // editing something else does not create another task
    await t.app.inject({
      method: 'PATCH',
      url: `${base()}/${asset.id}`,
      headers: manager.headers,
      payload: { version: 2, description: 'still very high' },
    });
    expect(json(await t.app.inject({ method: 'GET', url: '/api/me/tasks', headers: riskOwner.headers })).total).toBe(1);
  });

  it('lists with server-side pagination, filters, sorting and search', async () => {
    const s = await buildScope(t.deps);
    const h = s.manager.headers;
    const url = `/api/scopes/${s.scope.id}/assets`;
    for (let i = 0; i < 30; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: h,
        payload: {
          name: `Server ${String(i).padStart(2, '0')}`,
          type: i % 3 === 0 ? 'service' : 'system',
          availability: i % 5 === 0 ? 'very_high' : 'normal',
          tags: i % 2 ? ['odd'] : ['even'],
          description: i === 7 ? 'hosts the Kerberos realm' : '',
        },
      });
      expect(res.statusCode).toBe(201);
    }
    const page2 = json(await t.app.inject({ method: 'GET', url: `${url}?page=2&pageSize=10&sort=name&order=desc`, headers: h }));
    expect(page2.total).toBe(30);
    expect(page2.items.map((a: { name: string }) => a.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Server ${String(19 - i).padStart(2, '0')}`),
    );
    expect(json(await t.app.inject({ method: 'GET', url: `${url}?type=service`, headers: h })).total).toBe(10);
    expect(json(await t.app.inject({ method: 'GET', url: `${url}?minProtection=very_high`, headers: h })).total).toBe(6);
    expect(json(await t.app.inject({ method: 'GET', url: `${url}?tag=odd&type=service`, headers: h })).total).toBe(5);
    const search = json(await t.app.inject({ method: 'GET', url: `${url}?q=kerberos`, headers: h }));
    expect(search.items.map((a: { name: string }) => a.name)).toEqual(['Server 07']);
    expect(json(await t.app.inject({ method: 'GET', url: `${url}?q=50%25_`, headers: h })).total).toBe(0);
    const bad = await t.app.inject({ method: 'GET', url: `${url}?sort=colour`, headers: h });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toBe('querystring.sort');
    expect((await t.app.inject({ method: 'GET', url: `${url}?pageSize=1000`, headers: h })).statusCode).toBe(400);
  });

  it('creates an asset in two statements besides begin and commit (four on SQLite), answering what a read gives', async () => {
    const counter = t.db.database.queryCounter;
    await create({ name: 'Warm-up', type: 'system' });
    const before = counter.count;
    const plain = await create({ name: 'Counted', type: 'system' });
    expect(plain.statusCode).toBe(201);
    // begin, its row with its reference (on SQLite: the reference, the row), its audit entry (on SQLite: the chain's end
    // and the entry, sealed in the transaction), commit; on PostgreSQL the entry is sealed after the commit, in a sealing
    // shared with every transaction that committed meanwhile (counted apart)
    expect(counter.count - before).toBe(dialect === 'postgres' ? 4 : 6);
    // with an owner, tags and dependencies the answer is built without reading the asset back: it equals the read
    const owner = await buildUser(t.deps, { name: 'Owner Olga', memberships: [[scopeId, 'contributor']] });
    const b = json(await create({ name: 'Beta link', type: 'service' }));
    const a = json(await create({ name: 'Alpha link', type: 'system' }));
    const res = await create({
      name: 'Linked',
      type: 'information',
      ownerId: owner.id,
      tags: ['zeta', 'alpha', 'zeta', 'Mid'],
      dependsOn: [b.id, a.id, b.id],
      confidentiality: 'high',
    });
    expect(res.statusCode).toBe(201);
    const read = await t.app.inject({ method: 'GET', url: `${base()}/${json(res).id}`, headers: manager.headers });
    expect(json(res)).toEqual(json(read));
    expect(json(res).owner).toMatchObject({ id: owner.id, name: 'Owner Olga' });
    expect(json(res).dependsOn.map((d: { name: string }) => d.name)).toEqual(['Alpha link', 'Beta link']);
    expect(json(res).tags).toEqual(['Mid', 'alpha', 'zeta']);
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('runs the same number of SQL statements for a list whatever the page size', async () => {
    const counter = t.db.database.queryCounter;
    const count = async (pageSize: number) => {
      const before = counter.count;
      const res = await t.app.inject({
        method: 'GET',
        url: `${base()}?pageSize=${pageSize}&sort=updatedAt&order=desc&tag=hr`,
        headers: manager.headers,
      });
      expect(res.statusCode).toBe(200);
      return counter.count - before;
    };
    const small = await count(1);
    const large = await count(100);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(6);
  });

  it('exports the filtered list as CSV, neutralising formulas', async () => {
    await create({ name: '=HYPERLINK("http://x")', type: 'location', tags: ['csv'] });
    const res = await t.app.inject({ method: 'GET', url: `${base()}.csv?tag=csv`, headers: manager.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toMatch(/^reference,name,type/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`'=HYPERLINK`);
  });

  it('deletes with a version check and leaves a tombstone in the audit trail', async () => {
    const asset = json(await create({ name: 'To delete', type: 'system' }));
    expect((await t.app.inject({ method: 'DELETE', url: `${base()}/${asset.id}?version=7`, headers: manager.headers })).statusCode).toBe(
      409,
    );
    expect((await t.app.inject({ method: 'DELETE', url: `${base()}/${asset.id}?version=1`, headers: manager.headers })).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ method: 'GET', url: `${base()}/${asset.id}`, headers: manager.headers })).statusCode).toBe(404);
    const audit = json(
      await t.app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/audit?recordId=${asset.reference}`, headers: manager.headers }),
    );
    expect(audit.items[0]).toMatchObject({ action: 'delete', recordId: asset.id });
    expect(audit.items[0].changes.name).toEqual({ from: 'To delete' });
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });
});
