import type { Command } from 'commander';
import { buildApp } from '../app.ts';
import { registerCatalogCommands } from '../catalogs/catalog.cli.ts';
import type { Actor } from '../auth/actor.ts';
import { setPassword } from '../auth/auth.service.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { loadConfig } from '../config.ts';
import { startReminderJob } from '../jobs/reminder.service.ts';
import { runSweeps, startSweepJob } from '../jobs/sweeps.ts';
import { createSmtpMailer } from '../mail/mailer.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { seedDemo } from '../demo/demo.service.ts';
import { createDeps } from '../deps.ts';
import { AppError } from '../shared/errors.ts';
import { findFirstAdmin, findMembershipsOfUser, findUserByEmail } from '../users/user.repository.ts';
import { insertUserTx } from '../users/user.service.ts';
import { listScopes } from '../scopes/scope.service.ts';
import type { ScopeRole } from '../auth/roles.ts';
import { toBool } from '../db/column.ts';

/** Opens the configured database, applies migrations, runs `fn`, and closes it again. */
async function withDeps<T>(fn: (deps: ReturnType<typeof createDeps>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = openDatabase(config);
  try {
    await migrateToLatest(database.db, database.dialect);
    return await fn(createDeps(config, database));
  } finally {
    await database.destroy();
  }
}

async function cliActor(deps: ReturnType<typeof createDeps>, email: string | undefined): Promise<Actor> {
  const user = email ? await findUserByEmail(deps.db, email) : await findFirstAdmin(deps.db);
  if (!user)
    throw new AppError(
      'not_found',
      email ? `No user ${email}` : 'No administrator yet: run the first-run setup or `praxis user create --admin` first',
    );
  const memberships = await findMembershipsOfUser(deps.db, user.id);
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    isAdmin: toBool(user.is_admin),
    via: 'cli',
    memberships: new Map(memberships.map((m) => [m.scope_id, m.role as ScopeRole])),
  };
}

function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`praxis: ${message}\n`);
  process.exit(err instanceof AppError ? 2 : 1);
}

export async function runCli(program: Command, argv: string[]): Promise<void> {
  program.name('praxis').description('Praxis ISMS: server and administration commands').showHelpAfterError();

  program
    .command('serve')
    .description('Apply migrations and serve Praxis (web and API) on PORT (default 3000)')
    .action(async () => {
      const config = loadConfig();
      const database = openDatabase(config);
      const applied = await migrateToLatest(database.db, database.dialect);
      const deps = createDeps(config, database);
      const app = await buildApp(deps, { logger: true, webDistDir: config.webDistDir });
      if (applied.length) app.log.info({ applied }, 'migrations applied');
      const mailer = config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : null;
      const stopReminders = mailer ? startReminderJob(deps, mailer, app.log) : () => undefined;
      const stopSweeps = startSweepJob(deps, app.log);
      if (!mailer) app.log.warn('PRAXIS_SMTP_URL is not set: reminders are not mailed (tasks in My work still are)');
      const close = async () => {
        stopReminders();
        stopSweeps();
        mailer?.close();
        await app.close();
        await database.destroy();
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
      await app.listen({ port: config.port, host: config.host });
      const where = database.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL';
      process.stdout.write(`Praxis is running at http://localhost:${config.port} (${where})\n`);
    });

  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(() =>
      withDeps(async () => {
        process.stdout.write('Database is up to date\n');
      }).catch(fail),
    );

  program
    .command('jobs')
    .description('Recurring work')
    .command('run')
    .description(
      'Run every recurring sweep once (review-due tasks, expiring acceptances, recurring trainings); `serve` runs them every 15 minutes',
    )
    .action(() =>
      withDeps(async (deps) => {
        const result = await runSweeps(deps);
        for (const [name, n] of Object.entries(result)) process.stdout.write(`${name}: ${n < 0 ? 'failed' : `${n} created`}\n`);
        if (Object.values(result).some((n) => n < 0)) process.exitCode = 1;
      }).catch(fail),
    );

  // -- commands: catalog import
  registerCatalogCommands(program, { withDeps, cliActor, fail });

  const user = program.command('user').description('Manage user accounts');
  user
    .command('create')
    .description('Create a user (the first one is usually created by the first-run setup page)')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .option('--password <password>', 'at least 12 characters (or set PRAXIS_PASSWORD)')
    .option('--admin', 'make the user an installation administrator', false)
    .action((opts: { email: string; name: string; password?: string; admin: boolean }) =>
      withDeps(async (deps) => {
        const password = opts.password ?? process.env.PRAXIS_PASSWORD;
        if (!password || password.length < 12)
          throw new AppError('validation_failed', 'password must have at least 12 characters (--password or PRAXIS_PASSWORD)');
        const row = await deps.db
          .transaction()
          .execute((tx) =>
            insertUserTx(tx, deps, null, { email: opts.email.toLowerCase(), name: opts.name, password, isAdmin: opts.admin }),
          );
        process.stdout.write(`Created user ${row.email} (${row.id})${opts.admin ? ' as administrator' : ''}\n`);
      }).catch(fail),
    );
  user
    .command('reset-password')
    .description("Set a user's password and end their sessions")
    .requiredOption('--email <email>')
    .option('--password <password>', 'at least 12 characters (or set PRAXIS_PASSWORD)')
    .action((opts: { email: string; password?: string }) =>
      withDeps(async (deps) => {
        const password = opts.password ?? process.env.PRAXIS_PASSWORD;
        if (!password || password.length < 12)
          throw new AppError('validation_failed', 'password must have at least 12 characters (--password or PRAXIS_PASSWORD)');
        const row = await findUserByEmail(deps.db, opts.email);
        if (!row) throw new AppError('not_found', `No user ${opts.email}`);
        await setPassword(deps, null, row.id, password);
        process.stdout.write(`Password of ${row.email} was reset; their sessions were ended\n`);
      }).catch(fail),
    );

  program
    .command('seed')
    .description('Load data')
    .command('demo')
    .description('Load the demo organisation into a scope that has no assets yet')
    .option('--scope <name-or-id>', 'the scope (default: the only or first scope)')
    .option('--as <email>', 'the acting user (default: the first administrator)')
    .action((opts: { scope?: string; as?: string }) =>
      withDeps(async (deps) => {
        const actor = await cliActor(deps, opts.as);
        const scopes = await listScopes(deps, actor);
        const scope = opts.scope ? scopes.find((s) => s.id === opts.scope || s.name === opts.scope) : scopes[0];
        if (!scope)
          throw new AppError('not_found', opts.scope ? `No scope "${opts.scope}"` : 'No scope yet: run the first-run setup first');
        const result = await seedDemo(deps, actor, scope.id);
        process.stdout.write(`Loaded demo data into "${scope.name}": ${result.assets} assets, ${result.tasks} open tasks\n`);
      }).catch(fail),
    );

  program
    .command('audit')
    .description('Audit trail')
    .command('verify')
    .description('Verify the hash chain of the audit trail; exits non-zero at the first entry that was edited, deleted or reordered')
    .action(() =>
      withDeps(async (deps) => {
        const result = await verifyAuditChain(deps.db);
        if (result.ok) {
          process.stdout.write(`OK: ${result.entries} audit entries, hash chain intact\n`);
        } else {
          process.stderr.write(`FAILED at entry ${result.seq}: ${result.problem} (${result.entries} entries verified before it)\n`);
          process.exitCode = 3;
        }
      }).catch(fail),
    );

  await program.parseAsync(argv);
}
