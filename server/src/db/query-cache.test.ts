import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScope, buildUser, createTestContext, dialects, type TestContext } from '../test/harness.ts';
import { containsPattern, likeInsensitive } from './column.ts';
import type { Executor } from './database.ts';
import type { AppUserTable } from './schema.ts';
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
