import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { expect } from 'vitest';
import { buildApp } from '../app.ts';
import type { Actor } from '../auth/actor.ts';
import { createToken } from '../auth/auth.service.ts';
import { hashPassword } from '../auth/password.ts';
import type { ScopeRole } from '../auth/roles.ts';
import { type Config, type DialectName, loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { manifestPath, migrationFiles, migrationsDir } from '../db/migrations-manifest.ts';
import type { DocumentTable, DocumentVersionTable } from '../processes/policy-management/policy-management.tables.ts';
import { createDeps } from '../deps.ts';
import { createScopeTx } from '../scopes/scope.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';

/**
 * Test harness: every medium test runs on both dialects (`describe.each(dialects)`), each on a database of its own
 * that is created for the test file and dropped afterwards. PostgreSQL comes from PRAXIS_TEST_PG_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres); tests never depend on what another run left behind.
 */
export const dialects: DialectName[] = ['sqlite', 'postgres'];

export const pgAdminUrl = process.env.PRAXIS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  config: Config;
  database: Database;
  /** for child processes (the CLI): the environment that points at this database */
  env: Record<string, string>;
  destroy(): Promise<void>;
}

export async function createTestDatabase(dialect: DialectName, options: { from?: string } = {}): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-test-'));
    if (options.from) fs.copyFileSync(options.from, path.join(dir, 'praxis.sqlite'));
    const config = loadConfig({ PRAXIS_DATA_DIR: dir });
    const database = openDatabase(config);
    return {
      config,
      database,
      env: { PRAXIS_DATA_DIR: dir, DATABASE_URL: '' },
      destroy: async () => {
        await database.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `praxis_test_${newId().replace(/-/g, '').slice(-16)}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  await admin.query(options.from ? `create database ${name} template ${options.from}` : `create database ${name}`);
  await admin.end();
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  const config = loadConfig({ DATABASE_URL: url.toString(), PRAXIS_DATA_DIR: os.tmpdir() });
  const database = openDatabase(config, { poolSize: 5 });
  return {
    config,
    database,
    env: { DATABASE_URL: url.toString() },
    destroy: async () => {
      await database.destroy();
      const c = new pg.Client({ connectionString: pgAdminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/*
 * Migrated databases. Running every migration on a fresh database costs about half a second on SQLite and two to three
 * seconds on PostgreSQL, and the suite creates a few hundred databases, so a test run migrates one template per dialect
 * and set of migrations (the manifest's hash names it) and every test database starts as a copy of it: a file copy on
 * SQLite, `create database … template …` on PostgreSQL. The migrations themselves still run from an empty database in
 * schema-drift.test.ts and upgrade.test.ts, on both dialects.
 */
const templateName = (() => {
  // the manifest and the files themselves, so that a migration being written (not in the manifest yet) changes it too
  const hash = createHash('sha256').update(fs.readFileSync(manifestPath));
  for (const file of migrationFiles()) hash.update(file).update(fs.readFileSync(path.join(migrationsDir, file)));
  return `praxis_tpl_${hash.digest('hex').slice(0, 16)}`;
})();
/** PostgreSQL templates kept besides the current one (a run on an older checkout may still use them) */
const templatesKept = 3;
/** the advisory lock that lets one worker at a time build a template (any fixed number) */
const templateLock = 727_271;

async function sqliteTemplate(): Promise<string> {
  const file = path.join(os.tmpdir(), `${templateName}.sqlite`);
  if (fs.existsSync(file)) return file;
  // built aside and renamed into place, so a worker that races this one never copies a half-migrated file
  const db = await createTestDatabase('sqlite');
  await migrateToLatest(db.database.db, 'sqlite');
  await db.database.destroy();
  const built = path.join(db.config.dataDir, 'praxis.sqlite');
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(built + suffix) && fs.statSync(built + suffix).size > 0) throw new Error(`${built}${suffix} was left behind`);
  }
  fs.renameSync(built, file);
  fs.rmSync(db.config.dataDir, { recursive: true, force: true });
  return file;
}

async function postgresTemplate(): Promise<string> {
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  const exists = async () => ((await admin.query('select 1 from pg_database where datname = $1', [templateName])).rowCount ?? 0) > 0;
  try {
    if (await exists()) return templateName;
    await admin.query('select pg_advisory_lock($1)', [templateLock]);
    try {
      if (await exists()) return templateName;
      const db = await createTestDatabase('postgres');
      await migrateToLatest(db.database.db, 'postgres');
      await db.database.destroy();
      const built = new URL(db.env.DATABASE_URL!).pathname.slice(1);
      // the pool's backends may still be leaving: a rename waits for them
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.query(`alter database ${built} rename to ${templateName}`);
          break;
        } catch (error) {
          if (attempt === 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      const older = await admin.query<{ datname: string }>(
        `select datname from pg_database where starts_with(datname, 'praxis_tpl_') and datname <> $1 order by oid desc offset ${templatesKept}`,
        [templateName],
      );
      for (const { datname } of older.rows) await admin.query(`drop database if exists ${datname}`).catch(() => undefined);
      return templateName;
    } finally {
      await admin.query('select pg_advisory_unlock($1)', [templateLock]);
    }
  } finally {
    await admin.end();
  }
}

/** A database with every migration applied: a copy of the run's migrated template. */
export async function createMigratedDatabase(dialect: DialectName): Promise<TestDatabase> {
  return createTestDatabase(dialect, { from: dialect === 'sqlite' ? await sqliteTemplate() : await postgresTemplate() });
}

/** A clock that tests can move. */
export class TestClock implements Clock {
  current: Date;
  constructor(start = new Date('2026-03-02T09:00:00.000Z')) {
    this.current = start;
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestContext {
  dialect: DialectName;
  db: TestDatabase;
  deps: Deps;
  app: FastifyInstance;
  clock: TestClock | undefined;
  close(): Promise<void>;
}

/** A migrated database, the services' dependencies and the HTTP app (not listening). */
export async function createTestContext(dialect: DialectName, options: { clock?: TestClock } = {}): Promise<TestContext> {
  const db = await createMigratedDatabase(dialect);
  const deps = createDeps(db.config, db.database, options.clock);
  const app = await buildApp(deps);
  return {
    dialect,
    db,
    deps,
    app,
    clock: options.clock,
    close: async () => {
      await app.close();
      await db.destroy();
    },
  };
}

export const TEST_PASSWORD = 'test-password-123';
let cachedHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  email: string;
  name: string;
  actor: Actor;
  /** an API token for HTTP tests: `Authorization: Bearer <token>` */
  token: string;
  headers: { authorization: string };
}

/** Factory: a user (password TEST_PASSWORD) with memberships, an actor and an API token. */
export async function buildUser(
  deps: Deps,
  options: { isAdmin?: boolean; memberships?: [scopeId: string, role: ScopeRole][]; name?: string } = {},
): Promise<TestUser> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const id = newId();
  const email = `user-${id.slice(-12)}@test.example`;
  const now = deps.clock.now().toISOString();
  const name = options.name ?? `Test user ${id.slice(-4)}`;
  await deps.db
    .insertInto('app_user')
    .values({
      id,
      email,
      name,
      password_hash: await cachedHash,
      is_admin: options.isAdmin ?? false,
      status: 'active',
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
  for (const [scopeId, role] of options.memberships ?? []) {
    await deps.db
      .insertInto('membership')
      .values({ id: newId(), scope_id: scopeId, user_id: id, role, created_at: now, updated_at: now, version: 1 })
      .execute();
  }
  const actor: Actor = {
    userId: id,
    email,
    name,
    isAdmin: options.isAdmin ?? false,
    via: 'session',
    memberships: new Map(options.memberships ?? []),
  };
  const { token } = await createToken(deps, actor, 'test');
  return { id, email, name, actor, token, headers: { authorization: `Bearer ${token}` } };
}

/** Factory: a scope (with its process model) whose manager is a new user. */
export async function buildScope(deps: Deps, options: { name?: string; profile?: 'small' | 'large' } = {}) {
  const manager = await buildUser(deps, { name: 'Scope manager' });
  const scope = await deps.db
    .transaction()
    .execute((tx) =>
      createScopeTx(
        tx,
        deps,
        manager.actor,
        { name: options.name ?? `Scope ${newId().slice(-6)}`, profile: options.profile ?? 'small', description: '' },
        manager.id,
      ),
    );
  const managerWithRole: TestUser = {
    ...manager,
    actor: { ...manager.actor, memberships: new Map([[scope.id, 'manager']]) },
  };
  return { scope, manager: managerWithRole };
}

/** The usual start of a module test: a test context and one scope with its manager. */
export async function createScopeContext(dialect: DialectName, options: { clock?: TestClock } = {}) {
  const t = await createTestContext(dialect, options);
  const { scope, manager } = await buildScope(t.deps);
  return { t, scopeId: scope.id, manager };
}

/** Fixture: a policy document row as policy management creates it, for tests that insert documents directly. */
export function documentRow(
  fields: Pick<DocumentTable, 'scope_id' | 'reference' | 'title' | 'status' | 'created_at'> & Partial<DocumentTable>,
): DocumentTable {
  return {
    id: newId(),
    doc_type: 'policy',
    description: '',
    owner_id: null,
    classification: 'internal',
    audience_kind: 'everyone',
    audience_roles: '[]',
    review_cadence_months: 12,
    retention_value: 1,
    retention_unit: 'years',
    required_approvals: null,
    ack_due_days: 14,
    current_version_id: null,
    next_review_on: null,
    review_task_for: null,
    retired_at: null,
    disposed_at: null,
    created_by: null,
    updated_at: fields.created_at,
    version: 1,
    ...fields,
  };
}

/** Fixture: a published Markdown version of a document (`published_at` is `created_at`). */
export function documentVersionRow(
  fields: Pick<DocumentVersionTable, 'scope_id' | 'document_id' | 'version_no' | 'content_md' | 'created_at'> &
    Partial<DocumentVersionTable>,
): DocumentVersionTable {
  return {
    id: newId(),
    status: 'published',
    file_id: null,
    file_name: null,
    file_media_type: null,
    file_size: null,
    change_summary: '',
    material_change: true,
    change_request_id: null,
    review_round: 1,
    author_id: null,
    submitted_at: null,
    approved_at: null,
    published_at: fields.created_at,
    published_by: null,
    superseded_at: null,
    content_disposed_at: null,
    created_by: null,
    updated_at: fields.created_at,
    version: 1,
    ...fields,
  };
}

export function json<T = any>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Requests to the test app (read when called: contexts are made in beforeAll) as a user, with an optional JSON body:
 * `call` answers the response; `ok` asserts its status (200 unless said) and answers the parsed body.
 */
export function requester(context: () => TestContext) {
  const call = (method: HttpMethod, url: string, user: TestUser, payload?: unknown) =>
    context().app.inject({ method, url, headers: user.headers, ...(payload !== undefined && { payload: payload as object }) });
  const ok = async (method: HttpMethod, url: string, user: TestUser, payload?: unknown, status = 200) => {
    const res = await call(method, url, user, payload);
    expect(res.statusCode, res.body).toBe(status);
    return json(res);
  };
  /** a request in a language (its `Accept-Language`; none: the user's own setting alone), asserting it succeeded */
  const sendIn = async (method: HttpMethod, url: string, user: TestUser, language?: string, payload?: unknown) => {
    const res = await context().app.inject({
      method,
      url,
      headers: { ...user.headers, ...(language && { 'accept-language': language }) },
      ...(payload !== undefined && { payload: payload as object }),
    });
    expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(300);
    return res;
  };
  /** `sendIn`, answering the parsed body */
  const readIn = async (method: HttpMethod, url: string, user: TestUser, language?: string, payload?: unknown) =>
    json(await sendIn(method, url, user, language, payload));
  return { call, ok, sendIn, readIn };
}
