import type { Command } from 'commander';
import { registerCatalogCommands } from '../catalogs/catalog.cli.ts';
import { registerAuditPackCommands } from '../audit-pack/audit-pack.cli.ts';
import { registerImportCommands } from './import.cli.ts';
import type { Deps } from '../shared/context.ts';
import type { CliResult } from './actions.ts';

/*
 * The `praxis` command's wiring. Start-up must stay fast (`praxis --help` well under a second): this module imports
 * only commander's types and light modules; the app, Fastify, the database drivers, the services and the PDF/XLSX
 * libraries load inside the command that uses them (`await import(...)`). The commands' logic is in actions.ts.
 * The descriptions below (`--help`) are in English; what a command prints as its result or refusal is in the CLI's
 * language (cli-language.ts: `--lang`, else the acting user's setting, else the shell's locale), which is why every
 * action gets `process.env`.
 */

/**
 * A configuration error (a PRAXIS_* value refused, an unreadable audit key file) in the shell's language, where no
 * command has worded it yet (cli-language.ts: `configErrorIn`); its class is not imported here, as it loads the texts.
 */
async function inShellLanguage(err: unknown): Promise<unknown> {
  if (!(err instanceof Error) || err.name !== 'ConfigError') return err;
  const { cliLanguage, configErrorIn } = await import('./cli-language.ts');
  return configErrorIn(err, await cliLanguage(null, process.env));
}

/** Opens the configured database, applies migrations, runs `fn`, and closes it again. */
async function withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { openDatabase }, { migrateToLatest }, { createDeps }] = await Promise.all([
    import('../config.ts'),
    import('../db/database.ts'),
    import('../db/migrate.ts'),
    import('../deps.ts'),
  ]);
  try {
    const config = loadConfig();
    const database = openDatabase(config);
    try {
      await migrateToLatest(database.db, database.dialect);
      return await fn(createDeps(config, database));
    } finally {
      await database.destroy();
    }
  } catch (err) {
    throw await inShellLanguage(err);
  }
}

const actions = () => import('./actions.ts');

function fail(err: unknown): never {
  // a refusal is worded in the command's language already (cli-language.ts: CliRefusal)
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`praxis: ${message}\n`);
  // an AppError (a refusal with its reason) exits 2; its class is not imported here, as it loads the server's texts
  process.exit(err instanceof Error && err.name === 'AppError' ? 2 : 1);
}

/** Runs a command's action with the database open and prints what it answers. */
function run(action: (deps: Deps) => Promise<CliResult>): Promise<void> {
  return withDeps(action)
    .then((result) => {
      process.stdout.write(result.stdout);
      if (result.stderr) process.stderr.write(result.stderr);
      if (result.exitCode) process.exitCode = result.exitCode;
    })
    .catch(fail);
}

export async function runCli(program: Command, argv: string[]): Promise<void> {
  program.name('praxis').description('Praxis ISMS: server and administration commands').showHelpAfterError();
  // commander's own refusals (a required option missing, an unknown option or command, a value not among the choices)
  // are held here and printed in the shell's language after parsing (`usageRefusal`), followed by the help commander
  // wrote after them; every command below inherits this
  let usageError: string | null = null;
  const heldAfterError: string[] = [];
  program.exitOverride().configureOutput({
    outputError: (message) => {
      usageError = message;
    },
    writeErr: (text) => {
      if (usageError === null) process.stderr.write(text);
      else heldAfterError.push(text);
    },
  });

  program
    .command('serve')
    .description('Apply migrations and serve Praxis (web and API) on PORT (default 3000)')
    .action(async () => {
      const { serve } = await import('./serve.ts');
      // a value of the environment it cannot start with is said in the shell's language; the log stays English JSON
      await serve().catch(async (err: unknown) => {
        if (err instanceof Error && err.name === 'ConfigError') fail(await inShellLanguage(err));
        throw err;
      });
    });

  program
    .command('migrate')
    .description('Apply pending database migrations')
    .action(() => run(async () => (await actions()).migrateCommand(process.env)));

  program
    .command('jobs')
    .description('Recurring work')
    .command('run')
    .description(
      'Run every recurring sweep once (review-due tasks, expiring acceptances, recurring trainings); `serve` runs them every 15 minutes',
    )
    .action(() => run(async (deps) => (await actions()).jobsRunCommand(deps, process.env)));

  // -- commands: catalog import
  registerCatalogCommands(program, { withDeps, fail });
  // -- commands: the audit pack
  registerAuditPackCommands(program, { withDeps, fail });
  // -- commands: spreadsheet import (praxis import assets, risks, controls)
  registerImportCommands(program, { withDeps, fail });

  const user = program.command('user').description('Manage user accounts');
  user
    .command('create')
    .description('Create a user (the first one is usually created by the first-run setup page)')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .option('--password <password>', 'at least 12 characters (or set PRAXIS_PASSWORD)')
    .option('--admin', 'make the user an installation administrator', false)
    .action((opts: { email: string; name: string; password?: string; admin: boolean }) =>
      run(async (deps) => (await actions()).userCreateCommand(deps, opts, process.env)),
    );
  user
    .command('reset-password')
    .description(
      "Set a user's password and end their sessions; an invited user who has no password yet becomes active with it, a disabled user is refused",
    )
    .requiredOption('--email <email>')
    .option('--password <password>', 'at least 12 characters (or set PRAXIS_PASSWORD)')
    .action((opts: { email: string; password?: string }) =>
      run(async (deps) => (await actions()).userResetPasswordCommand(deps, opts, process.env)),
    );
  user
    .command('reset-mfa')
    .description(
      "Remove a user's second factors (authenticator app, passkeys, recovery codes) and end their sessions, for one who lost them; trailed",
    )
    .argument('<email>', 'the user')
    .action((email: string) => run(async (deps) => (await import('../auth/mfa/mfa.cli.ts')).resetMfaCommand(deps, email, process.env)));

  const seedDemo = program
    .command('seed')
    .description('Load data')
    .command('demo')
    .description('Load the demo organisation into a scope that has no assets yet')
    .option('--scope <name-or-id>', 'the scope (default: the only or first scope)')
    .option('--as <email>', 'the acting user (default: the first administrator)');
  seedDemo
    .addOption(
      seedDemo
        .createOption(
          '--lang <language>',
          "the language of the demo's texts and of what the command prints (default: the acting user's language setting, else German when the locale is German, else English)",
        )
        .choices(['en', 'de']),
    )
    .action((opts: { scope?: string; as?: string; lang?: 'en' | 'de' }) =>
      run(async (deps) => (await actions()).seedDemoCommand(deps, opts, process.env)),
    );

  const auditActions = () => import('./audit.actions.ts');
  const backupActions = () => import('./backup.actions.ts');
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  const audit = program.command('audit').description('Audit trail');
  audit
    .command('verify')
    .description(
      'Verify the audit trail: its hash chain, the signatures of its entries and its signed checkpoints; with --checkpoint FILE (an exported checkpoint) it also finds a trail cut at its end, re-hashed, or appended to without the key. Exits 3 at the first problem',
    )
    .option('--checkpoint <file>', 'a checkpoint exported earlier (`audit checkpoint --out`); repeatable', collect)
    .option('--public-key <file>', "another installation's public key (PEM) whose signatures count; repeatable", collect)
    .action((opts: { checkpoint?: string[]; publicKey?: string[] }) =>
      run(async (deps) => (await auditActions()).auditVerifyCommand(deps, opts, process.env)),
    );
  audit
    .command('checkpoint')
    .description(
      "Sign the trail's current end (entry number and hash) with the audit key; --out writes it to a file to keep outside the database",
    )
    .option('--out <file>', 'write the checkpoint as JSON to this file')
    .action((opts: { out?: string }) => run(async (deps) => (await auditActions()).auditCheckpointCommand(deps, opts, process.env)));
  audit
    .command('export')
    .description(
      'Export the trail for an auditor into a directory: trail.txt, a signed checkpoint, the public key (README: verifying without Praxis) and the entries in words in the language of the acting user (trail.<language>.txt)',
    )
    .requiredOption('--out <dir>', 'the directory to write')
    .option(
      '--as <email>',
      'the acting user, whose language words the trail (default: the first administrator; without a setting, the locale)',
    )
    .action((opts: { out: string; as?: string }) =>
      run(async (deps) => (await auditActions()).auditExportCommand(deps, opts, process.env)),
    );

  program
    .command('backup')
    .description('Write a consistent archive of the database, the stored files and a manifest of their SHA-256 hashes while Praxis runs')
    .argument('<file>', 'the archive to write (.tar.gz); an existing file is not overwritten')
    .action((file: string) => run(async (deps) => (await backupActions()).backupCommand(deps, file, process.env)));
  program
    .command('restore')
    .description('Restore a backup into this new, empty installation (SQLite or PostgreSQL, whichever made the backup)')
    .argument('<file>', 'an archive written by `praxis backup`')
    .action((file: string) => run(async (deps) => (await backupActions()).restoreCommand(deps, file, process.env)));

  try {
    await program.parseAsync(argv);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('commander.')) throw err;
    const exitCode = (err as { exitCode?: number }).exitCode ?? 1;
    // help and the like: written already
    if (usageError === null) process.exit(exitCode);
    const { cliLanguage, usageRefusal } = await import('./cli-language.ts');
    process.stderr.write(`praxis: ${usageRefusal(code, usageError, await cliLanguage(null, process.env))}\n${heldAfterError.join('')}`);
    process.exit(exitCode);
  }
}
