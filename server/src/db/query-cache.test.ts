import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createTestContext, dialects, type TestContext } from '../test/harness.ts';
import { containsPattern, likeInsensitive } from './column.ts';
import type { Executor } from './database.ts';
import type { AppUserTable } from './schema.ts';
import { ANNEX_A_KEY } from '../catalogs/iso27001-annex-a.ts';
import { listCases } from './list-plans.ts';
import { cachedList } from './paging.ts';
import { cachedQuery, queryCacheSettings, queryCacheStats } from './query-cache.ts';

interface UserShape {
  [key: string]: string | number | boolean | undefined;
  search: boolean;
}
interface UserValues {
  [key: string]: string | number | boolean | bigint | null | undefined;
  status: AppUserTable['status'];
  pattern?: string;
}

const buildUsers = (db: Executor, s: UserShape, v: UserValues) => {
  let q = db.selectFrom('app_user').select(['id', 'name']).where('status', '=', v.status);
  if (s.search) q = q.where((eb) => likeInsensitive(eb.ref('name'), v.pattern as string));
  return q.orderBy('name').orderBy('id');
};
const users = cachedQuery('test.users', buildUsers);

/** The cache against the ordinary build on each database: the same rows, its own statement per database. */
describe.each(dialects)('compiled-query cache on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    scopeId = (await buildScope(t.deps)).scope.id;
    for (const name of ['Anna Alpha', 'Bernd Beta', 'Carla Alpha'])
      await buildUser(t.deps, { name, memberships: [[scopeId, 'contributor']] });
  });
  afterAll(() => t?.close());

  it('compiles a shape once; a hit gives the rows of the ordinary query, other values other rows', async () => {
    const db = t.deps.db;
    const compiled = queryCacheStats.compiled;
    const alpha = await users.execute(db, { search: true }, { status: 'active', pattern: containsPattern('alpha') });
    expect(queryCacheStats.compiled).toBe(compiled + 1);
    const hits = queryCacheStats.hits;
    const again = await users.execute(db, { search: true }, { status: 'active', pattern: containsPattern('alpha') });
    const beta = await users.execute(db, { search: true }, { status: 'active', pattern: containsPattern('BETA') });
    const none = await users.execute(db, { search: true }, { status: 'disabled', pattern: containsPattern('alpha') });
    expect(queryCacheStats.compiled).toBe(compiled + 1);
    expect(queryCacheStats.hits).toBe(hits + 3);
    expect(alpha.map((r) => r.name)).toEqual(['Anna Alpha', 'Carla Alpha']);
    expect(again).toEqual(alpha);
    expect(again).toEqual(await buildUsers(db, { search: true }, { status: 'active', pattern: containsPattern('alpha') }).execute());
    expect(beta.map((r) => r.name)).toEqual(['Bernd Beta']);
    expect(none).toEqual([]);
    // another shape is another statement
    const all = await users.execute(db, { search: false }, { status: 'active' });
    expect(queryCacheStats.compiled).toBe(compiled + 2);
    expect(all.map((r) => r.name)).toEqual(expect.arrayContaining(['Anna Alpha', 'Bernd Beta', 'Carla Alpha', 'Scope manager']));
  });

  it("writes each database's own SQL; a transaction shares its database's statements", async () => {
    const db = t.deps.db;
    const q = users.compile(db, { search: false }, { status: 'active' });
    expect(q.sql).toContain(dialect === 'postgres' ? '$1' : '?');
    expect(q.sql).not.toContain(dialect === 'postgres' ? '?' : '$1');
    const compiled = queryCacheStats.compiled;
    const inTx = await db.transaction().execute((tx) => users.execute(tx, { search: false }, { status: 'active' }));
    expect(queryCacheStats.compiled).toBe(compiled);
    expect(inTx).toEqual(await users.execute(db, { search: false }, { status: 'active' }));
    // the SQLite read pool is a database of its own (its own cache), with the same rows
    if (t.db.database.reads !== db) {
      expect(await users.execute(t.db.database.reads, { search: false }, { status: 'active' })).toEqual(inTx);
      expect(queryCacheStats.compiled).toBe(compiled + 1);
    }
  });

  it('builds a call with a null value the ordinary way (is null), without caching it', async () => {
    const byEmail = cachedQuery('test.by-email', (db, _s: { any?: string }, v: { email: string | null }) =>
      db.selectFrom('app_user').select('name').where('email', 'is', v.email),
    );
    const compiled = queryCacheStats.compiled;
    expect(await byEmail.execute(t.deps.db, {}, { email: null })).toEqual([]);
    expect(queryCacheStats.compiled).toBe(compiled);
  });

  it('refuses a build that does not bind a value as a parameter of its own', async () => {
    const inlined = cachedQuery('test.inlined', (db, _s: { any?: string }, v: { needle: string }) =>
      db
        .selectFrom('app_user')
        .select('name')
        .where((eb) => likeInsensitive(eb.ref('name'), `%${v.needle}%`)),
    );
    await expect(inlined.execute(t.deps.db, {}, { needle: 'alpha' })).rejects.toThrow(/needle did not become a parameter/);
  });

  it('catches (under vitest) a build that reads a value from outside its arguments', async () => {
    let outside: string = 'active';
    const leaky = cachedQuery('test.leaky', (db, _s: { any?: string }, v: { id: string }) =>
      db
        .selectFrom('app_user')
        .select('name')
        .where('status', '=', outside as AppUserTable['status'])
        .where('id', '!=', v.id),
    );
    await leaky.execute(t.deps.db, {}, { id: 'x' });
    outside = 'disabled';
    await expect(leaky.execute(t.deps.db, {}, { id: 'x' })).rejects.toThrow(/differs from the query built for these values/);
  });

  it('switched off (the bench compares), builds every query the ordinary way with the same rows', async () => {
    const cached = await users.execute(t.deps.db, { search: true }, { status: 'active', pattern: containsPattern('alpha') });
    queryCacheSettings.enabled = false;
    try {
      const { compiled, hits } = queryCacheStats;
      expect(await users.execute(t.deps.db, { search: true }, { status: 'active', pattern: containsPattern('alpha') })).toEqual(cached);
      expect(queryCacheStats).toEqual({ compiled, hits });
    } finally {
      queryCacheSettings.enabled = true;
    }
  });

  it('pages a cached list with its capped count', async () => {
    const list = cachedList('test.members', buildUsers, buildUsers);
    const first = await list(t.deps.db, { search: false }, { status: 'active' }, 2, 0);
    const second = await list(t.deps.db, { search: false }, { status: 'active' }, 2, 2);
    expect(first.total).toBe(4);
    expect(first.capped).toBe(false);
    expect(first.rows).toHaveLength(2);
    expect(second.rows).toHaveLength(2);
    expect([...first.rows, ...second.rows]).toEqual(await buildUsers(t.deps.db, { search: false }, { status: 'active' }).execute());
  });
});

/**
 * Every list route on the cache: its second request with the same filters compiles nothing and takes its page and its
 * count from the cache, with the response it gives with the cache off. Under vitest each cached call is also built the
 * ordinary way and must compile to the same SQL (query-cache.ts), so the filtered variants below check that each
 * filter binds its value; a search binds its LIKE pattern (containsPattern), so a searched list is cached too.
 */
describe.each(dialects)('lists on the compiled-query cache on %s', (dialect) => {
  let t: TestContext;
  let scopeId: string;
  let headers: Record<string, string>;
  let userId: string;
  let soaId: string;
  let versionPath: string;
  let measurementsPath: string;

  beforeAll(async () => {
    t = await createTestContext(dialect);
    const s = await buildScope(t.deps);
    const other = await buildScope(t.deps);
    scopeId = s.scope.id;
    // a manager of two scopes: "my work" names both
    const user = await buildUser(t.deps, {
      name: 'Two-scope manager',
      memberships: [
        [scopeId, 'manager'],
        [other.scope.id, 'manager'],
      ],
    });
    headers = user.headers;
    userId = user.id;
    for (const [path, payload] of [
      ['assets', { name: 'Mail server', type: 'system' }],
      ['changes', { title: 'New firewall', reason: 'The old one is out of support' }],
      ['nonconformities', { title: 'Backup not tested', source: 'manual', severity: 'minor' }],
      ['opportunities', { title: 'Automate reviews' }],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: `/api/scopes/${scopeId}/${path}`, headers, payload });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(201);
    }
    const soa = await t.app.inject({ method: 'POST', url: `/api/scopes/${scopeId}/soa`, headers, payload: { catalogKey: ANNEX_A_KEY } });
    expect(soa.statusCode, soa.body).toBe(201);
    soaId = soa.json().id;
    const doc = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/documents`,
      headers,
      payload: { type: 'policy', title: 'Acceptable use', contentMd: '# Use', approverIds: [userId] },
    });
    expect(doc.statusCode, doc.body).toBe(201);
    versionPath = `documents/${doc.json().id}/versions/${doc.json().versions[0].id}`;
    const measure = await t.app.inject({
      method: 'POST',
      url: `/api/scopes/${scopeId}/measures`,
      headers,
      payload: {
        name: 'Patched systems',
        informationNeed: 'Are systems patched?',
        formula: 'patched / all',
        direction: 'higher',
        target: 95,
        breachAt: 80,
        collectionFrequency: 'monthly',
        analysisFrequency: 'quarterly',
        sourceKind: 'manual',
      },
    });
    expect(measure.statusCode, measure.body).toBe(201);
    measurementsPath = `measures/${measure.json().id}/measurements`;
  });
  afterAll(() => t?.close());

  const filtered = () => [
    { label: 'assets of an owner, a tag and a protection level', path: `assets?ownerId=${userId}&tag=mail&minProtection=high` },
    { label: 'assets searched', path: 'assets?q=mail' },
    { label: 'assets of a type, searched', path: 'assets?type=system&q=SERVER' },
    { label: 'evidence searched', path: 'evidence?q=audit' },
    { label: 'risk treatments of a status, searched', path: 'treatments?status=draft&q=firewall' },
    { label: 'SoA entries searched', path: `soa/${soaId}/entries?q=A.8.7` },
    // lists whose plans still sort (not in list-plans.ts): their caching is checked here
    { label: 'competences searched', path: 'competences?q=net' },
    { label: 'job roles', path: 'job-roles' },
    { label: 'people of a department and a job role, searched', path: `people?q=two&department=IT&jobRoleId=${userId}` },
    { label: 'competence gaps of a person and a job role', path: `competence-gaps?userId=${userId}&jobRoleId=${userId}` },
    { label: 'competence gaps', path: 'competence-gaps' },
    { label: 'people overdue on awareness, searched, of a department', path: 'awareness/overdue?q=two&department=IT' },
    { label: 'people overdue on awareness', path: 'awareness/overdue' },
    { label: "a version's acknowledgements", path: `${versionPath}/acknowledgements` },
    { label: "a version's overdue acknowledgements, searched", path: `${versionPath}/acknowledgements?state=overdue&q=two` },
    { label: "a version's open acknowledgements", path: `${versionPath}/acknowledgements?state=open` },
    { label: 'my open acknowledgements (two scopes)', path: '/api/me/acknowledgements' },
    { label: "a measure's measurements", path: measurementsPath },
    { label: "a measure's measurements of a status in a window", path: `${measurementsPath}?from=2026-01-01&to=2026-12-31&status=breach` },
    { label: 'SoA entries applicable, searched', path: `soa/${soaId}/entries?applicable=undecided&q=malware` },
    { label: 'evidence expiring, of a control', path: `evidence?validity=expiring&controlId=${userId}&sort=title` },
    { label: 'evidence expired', path: 'evidence?validity=expired' },
    { label: 'tasks of an assignee, searched', path: `tasks?assigneeId=${userId}&q=review&status=open` },
    { label: 'my tasks (two scopes)', path: '/api/me/tasks' },
    { label: 'audit log of a record and an actor', path: `audit?recordId=AST-0001&actorId=${userId}&recordType=asset` },
    { label: 'policies searched, of a type, owner and review', path: `documents?q=pol&type=policy&ownerId=${userId}&reviewDue=true` },
    { label: 'changes of a status, searched', path: 'changes?status=requested&q=fire' },
    { label: 'nonconformities of a kind, searched', path: 'nonconformities?kind=observation&status=open&q=backup' },
    { label: 'opportunities of a status, searched', path: 'opportunities?status=proposed&q=auto' },
    { label: 'overdue training assignments of a person', path: `training-assignments?status=overdue&userId=${userId}` },
    { label: 'risk treatments of an owner and an option', path: `treatments?ownerId=${userId}&option=modify&sort=reference` },
  ];

  const get = async (path: string) => {
    const url = path.startsWith('/') ? path : `/api/scopes/${scopeId}/${path}`;
    const res = await t.app.inject({ method: 'GET', url, headers });
    expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
    return res.json() as { items: unknown[]; total: number };
  };

  async function expectCached(path: string, hits = 2) {
    const first = await get(path);
    const { compiled, hits: before } = queryCacheStats;
    const again = await get(path);
    expect(queryCacheStats.compiled, `${path}: compiled again`).toBe(compiled);
    expect(queryCacheStats.hits - before, `${path}: page and count from the cache`).toBeGreaterThanOrEqual(hits);
    expect(again).toEqual(first);
    queryCacheSettings.enabled = false;
    try {
      expect(await get(path)).toEqual(first);
    } finally {
      queryCacheSettings.enabled = true;
    }
  }

  it.each(listCases)('$label: compiled once, later requests bind their values', async ({ path }) => {
    await expectCached(path);
  });

  it('lists with their filters given: compiled once, the same SQL as the ordinary build', async () => {
    for (const { path } of filtered()) await expectCached(path);
    expect((await get('assets?q=mail')).total).toBe(1);
    expect((await get('assets?q=SERV')).total).toBe(1);
    expect((await get('assets?q=nothing')).total).toBe(0);
    expect((await get(`soa/${soaId}/entries?q=A.8.7`)).total).toBe(1);
    expect((await get(`soa/${soaId}/entries?q=a.8.7`)).total).toBe(1);
    expect((await get('changes?q=FIRE')).total).toBe(1);
    expect((await get('changes?q=nothing')).total).toBe(0);
  });
});
