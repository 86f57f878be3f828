import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createDeps } from '../deps.ts';
import { createTestDatabase, dialects, json, type TestDatabase } from '../test/harness.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

/** Runs the real `praxis` command in a child process against the test database. */
async function praxis(db: TestDatabase, ...args: string[]) {
  try {
    const r = await run(
      process.execPath,
      ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'server/src/cli/main.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, ...db.env },
      },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe.each(dialects)('praxis CLI on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(() => db.destroy());

  it('migrates, creates an administrator, seeds the demo, and verifies the audit trail', async () => {
    expect((await praxis(db, 'migrate')).code).toBe(0);

    const short = await praxis(db, 'user', 'create', '--email', 'x@example.com', '--name', 'X', '--password', 'short');
    expect(short.code).not.toBe(0);
    expect(short.stderr).toMatch(/password must have at least 12 characters/);

    const created = await praxis(
      db,
      'user',
      'create',
      '--email',
      'Admin@Example.com',
      '--name',
      'Admin',
      '--password',
      'cli password 123',
      '--admin',
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Created user admin@example.com .* as administrator/);
    const duplicate = await praxis(
      db,
      'user',
      'create',
      '--email',
      'admin@example.com',
      '--name',
      'Again',
      '--password',
      'cli password 123',
    );
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toMatch(/already exists/);

    // the created administrator logs in through the web API and creates a scope
    const deps = createDeps(db.config, db.database);
    const app = await buildApp(deps);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: 'cli password 123' },
    });
    expect(login.statusCode).toBe(200);
    const cookie = `praxis_session=${login.cookies[0]!.value}`;
    const scope = json(
      await app.inject({
        method: 'POST',
        url: '/api/scopes',
        headers: { cookie, 'x-csrf-token': json(login).csrfToken },
        payload: { name: 'CLI Ltd', profile: 'small' },
      }),
    );

    const seeded = await praxis(db, 'seed', 'demo', '--scope', 'CLI Ltd');
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toMatch(/27 assets/);
    const assets = json(await app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/assets?pageSize=1`, headers: { cookie } }));
    expect(assets.total).toBe(27);
    const tasks = json(
      await app.inject({ method: 'GET', url: `/api/scopes/${scope.id}/tasks?processKey=risk-assessment`, headers: { cookie } }),
    );
    expect(tasks.total).toBeGreaterThan(0);
    const again = await praxis(db, 'seed', 'demo', '--scope', 'CLI Ltd');
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/without assets/);

    const reset = await praxis(db, 'user', 'reset-password', '--email', 'admin@example.com', '--password', 'another password 9');
    expect(reset.code, reset.stderr).toBe(0);
    expect((await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } })).statusCode).toBe(401);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'admin@example.com', password: 'another password 9' },
        })
      ).statusCode,
    ).toBe(200);
    await app.close();

    const ok = await praxis(db, 'audit', 'verify');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^OK: \d+ audit entries/);

    await db.database.db.updateTable('audit_entry').set({ action: 'forged' }).where('seq', '=', 3).execute();
    const broken = await praxis(db, 'audit', 'verify');
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/FAILED at entry 3: entry 3 was edited/);
  });
});
