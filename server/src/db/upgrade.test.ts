import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { createDeps } from '../deps.ts';
import { runSweeps } from '../jobs/sweeps.ts';
import { createTestDatabase, dialects, json, TestClock } from '../test/harness.ts';
import { migrateToLatest, migrationNames } from './migrate.ts';
import { previousRelease } from './migrations-manifest.ts';

/**
 * Upgrades never break: a database built and filled by the previous release (its code, taken from git history, loads
 * the demo organisation through its own services) is migrated to the latest schema; then every sweep runs (now, and
 * with the clock a year and more on, when reviews, retention and acceptances have come due) and every register of the
 * scope is read through the API.
 *
 * The previous release is a commit of main (`previousRelease` in migrations-manifest.ts, or PRAXIS_UPGRADE_FROM).
 */
const PREVIOUS_RELEASE = previousRelease;
const root = path.resolve(import.meta.dirname, '../../..');
const DAY = 86_400_000;

/** Why the previous release's code cannot be had here (the test is skipped then), or undefined. */
function unavailable(): string | undefined {
  try {
    execFileSync('git', ['cat-file', '-e', `${PREVIOUS_RELEASE}^{commit}`], { cwd: root, stdio: 'ignore' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'git is not installed';
    return `commit ${PREVIOUS_RELEASE} is not in this clone's history (a shallow clone?)`;
  }
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'tar is not installed';
  }
  return undefined;
}

const skipReason = unavailable();
if (skipReason) console.warn(`upgrade test skipped: ${skipReason}`);

/** The previous release's modules this test drives (its own code, typed loosely: it is another version). */
interface PreviousRelease {
  loadConfig(env: Record<string, string | undefined>): any;
  openDatabase(config: any, options?: { poolSize?: number }): { db: any; destroy(): Promise<void> };
  migrateToLatest(db: any, dialect: string): Promise<string[]>;
  createDeps(config: any, database: any): any;
  hashPassword(password: string): Promise<string>;
  createScopeTx(tx: any, deps: any, actor: any, input: object, managerId: string): Promise<{ id: string }>;
  createToken(deps: any, actor: any, name: string): Promise<{ token: string }>;
  newId(): string;
  seedDemo(deps: any, actor: any, scopeId: string): Promise<{ assets: number; tasks: number }>;
}

/** Writes the previous release's `server/src` into `dir` (git archive, read-only on the repository). */
function extractPreviousRelease(dir: string): void {
  const tar = execFileSync('git', ['archive', '--format=tar', PREVIOUS_RELEASE, 'server/src'], {
    cwd: root,
    maxBuffer: 512 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  // its imports of packages resolve to this checkout's node_modules
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
}

async function loadPreviousRelease(dir: string): Promise<PreviousRelease> {
  const mod = (file: string) => import(pathToFileURL(path.join(dir, 'server/src', file)).href);
  const [config, database, migrate, deps, password, scopes, auth, ids, demo] = await Promise.all([
    mod('config.ts'),
    mod('db/database.ts'),
    mod('db/migrate.ts'),
    mod('deps.ts'),
    mod('auth/password.ts'),
    mod('scopes/scope.service.ts'),
    mod('auth/auth.service.ts'),
    mod('shared/ids.ts'),
    mod('demo/demo.service.ts'),
  ]);
  return {
    loadConfig: config.loadConfig,
    openDatabase: database.openDatabase,
    migrateToLatest: migrate.migrateToLatest,
    createDeps: deps.createDeps,
    hashPassword: password.hashPassword,
    createScopeTx: scopes.createScopeTx,
    createToken: auth.createToken,
    newId: ids.newId,
    seedDemo: demo.seedDemo,
  };
}

/** Rows per table, for the registers the previous release filled. */
async function countRows(db: any, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select((eb: any) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

const filledTables = ['app_user', 'membership', 'asset', 'risk', 'incident', 'task', 'document', 'controlled_record', 'control'];

describe.skipIf(!!skipReason)(
  `upgrade from the previous release (${PREVIOUS_RELEASE})${skipReason ? `: skipped, ${skipReason}` : ''}`,
  () => {
    let dir: string;
    let previous: PreviousRelease;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-upgrade-'));
      extractPreviousRelease(dir);
      previous = await loadPreviousRelease(dir);
    }, 300_000);
    afterAll(() => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    describe.each(dialects)('on %s', (dialect) => {
      it('migrates a filled database, runs every sweep and reads every register', { timeout: 900_000 }, async () => {
        const target = await createTestDatabase(dialect);
        try {
          // -- the previous release builds its schema and loads the demo organisation through its own services
          const config = previous.loadConfig({ ...target.env, PRAXIS_DATA_DIR: target.config.dataDir });
          const oldDatabase = previous.openDatabase(config, { poolSize: 3 });
          let token: string;
          let scopeId: string;
          let before: Record<string, number>;
          let oldMigrations: string[];
          try {
            oldMigrations = await previous.migrateToLatest(oldDatabase.db, dialect);
            const oldDeps = previous.createDeps(config, oldDatabase);
            const now = new Date().toISOString();
            const managerId = previous.newId();
            await oldDatabase.db
              .insertInto('app_user')
              .values({
                id: managerId,
                email: 'manager@upgrade.example',
                name: 'Upgrade manager',
                password_hash: await previous.hashPassword('upgrade password 1'),
                is_admin: false,
                status: 'active',
                created_at: now,
                updated_at: now,
                version: 1,
              })
              .execute();
            const manager = {
              userId: managerId,
              email: 'manager@upgrade.example',
              name: 'Upgrade manager',
              isAdmin: false,
              via: 'session',
              memberships: new Map<string, string>(),
            };
            const scope = await oldDatabase.db
              .transaction()
              .execute((tx: any) =>
                previous.createScopeTx(tx, oldDeps, manager, { name: 'Upgrade Ltd', profile: 'small', description: '' }, managerId),
              );
            scopeId = scope.id;
            manager.memberships.set(scopeId, 'manager');
            token = (await previous.createToken(oldDeps, manager, 'upgrade')).token;
            const seeded = await previous.seedDemo(oldDeps, manager, scopeId);
            expect(seeded.assets).toBeGreaterThan(0);
            before = await countRows(oldDatabase.db, filledTables);
          } finally {
            await oldDatabase.destroy();
          }
          for (const table of filledTables) expect(before[table], `the previous release filled ${table}`).toBeGreaterThan(0);

          // -- this release migrates it
          const applied = await migrateToLatest(target.database.db, dialect);
          expect(applied).toEqual(migrationNames.filter((name) => !oldMigrations.includes(name)));
          expect(await migrateToLatest(target.database.db, dialect)).toEqual([]);
          expect(await countRows(target.database.db, filledTables)).toEqual(before);

          // -- every sweep runs on the upgraded data, now and when reviews, retention and acceptances have come due
          const clock = new TestClock(new Date());
          const deps = createDeps(target.config, target.database, clock);
          const failures: string[] = [];
          const log = {
            error: (obj: unknown, msg: string) => failures.push(`${msg}: ${(obj as { err?: Error }).err?.message ?? String(obj)}`),
          };
          const sweptNow = await runSweeps(deps, log);
          clock.advance(400 * DAY);
          const sweptLater = await runSweeps(deps, log);
          clock.advance(3 * 366 * DAY);
          const sweptMuchLater = await runSweeps(deps, log);
          expect(failures, 'sweeps that fail on the upgraded database').toEqual([]);
          for (const result of [sweptNow, sweptLater, sweptMuchLater]) {
            for (const [name, n] of Object.entries(result)) expect(n, `sweep ${name}`).toBeGreaterThanOrEqual(0);
          }
          const createdLater = [sweptLater, sweptMuchLater].flatMap((r) => Object.values(r)).reduce((a, b) => a + b, 0);
          expect(createdLater, 'the sweeps found work in the upgraded data once it came due').toBeGreaterThan(0);

          // -- every register of the scope (every GET of the API under the scope) answers, and so does each first record
          const app = await buildApp(deps);
          try {
            const headers = { authorization: `Bearer ${token}` };
            const spec = json(await app.inject({ method: 'GET', url: '/api/docs/json' }));
            const getPaths = Object.entries(spec.paths as Record<string, Record<string, unknown>>)
              .filter(([, ops]) => 'get' in ops)
              .map(([p]) => p)
              .filter((p) => p.startsWith('/api/scopes/{scopeId}/'));
            const lists = getPaths.filter((p) => !p.slice('/api/scopes/{scopeId}/'.length).includes('{'));
            expect(lists.length).toBeGreaterThan(10);
            const statuses: Record<string, number> = {};
            const firstIds: Record<string, string> = {};
            for (const p of lists) {
              const res = await app.inject({ method: 'GET', url: p.replace('{scopeId}', scopeId), headers });
              statuses[p] = res.statusCode;
              const body = res.headers['content-type']?.toString().startsWith('application/json') ? json(res) : undefined;
              const first = Array.isArray(body?.items) ? body.items[0] : Array.isArray(body) ? body[0] : undefined;
              if (typeof first?.id === 'string') firstIds[p] = first.id;
            }
            for (const p of getPaths) {
              const m = /^(.*)\/\{id\}$/.exec(p);
              const id = m && firstIds[m[1]!];
              if (!id) continue;
              const res = await app.inject({ method: 'GET', url: p.replace('{scopeId}', scopeId).replace('{id}', id), headers });
              statuses[p] = res.statusCode;
            }
            const broken = Object.entries(statuses).filter(([, s]) => s >= 500 || s === 401 || s === 403 || s === 404);
            expect(broken, 'registers that fail after the upgrade').toEqual([]);

            // the filled registers list what the previous release stored
            const total = async (url: string) => {
              const res = await app.inject({ method: 'GET', url: `/api/scopes/${scopeId}/${url}`, headers });
              expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
              return json(res).total as number;
            };
            expect(await total('assets?pageSize=1')).toBe(before.asset);
            expect(await total('risks?pageSize=1')).toBe(before.risk);
            expect(await total('incidents?pageSize=1')).toBe(before.incident);
            expect(await total('documents?pageSize=1')).toBe(before.document);
            expect(await total('records?pageSize=1')).toBe(before.controlled_record);
            expect(await total('tasks?pageSize=1')).toBeGreaterThan(0);
          } finally {
            await app.close();
          }

          // the audit trail written by both releases is one intact chain
          const audit = await verifyAuditChain(deps.db);
          expect(audit.ok, JSON.stringify(audit)).toBe(true);
        } finally {
          await target.destroy();
        }
      });
    });
  },
);
