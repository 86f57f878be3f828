import type { Actor } from '../auth/actor.ts';
import { toBool } from '../db/column.ts';
import type { DemoLanguage } from '../demo/demo-context.ts';
import { seedDemo } from '../demo/demo.service.ts';
import { runSweeps } from '../jobs/sweeps.ts';
import { listScopes } from '../scopes/scope.service.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText } from '../shared/errors.ts';
import { findFirstAdmin, findMembershipsOfUser, findUserByEmail } from '../users/user.repository.ts';
import { insertUserTx, resetPassword } from '../users/user.service.ts';
import { isUserLanguage } from '../users/user-language.ts';

/**
 * What the `praxis` commands do, given the services' dependencies: each answers what to print and the exit code, or
 * throws an AppError. `commands.ts` loads this module only when a command runs (so that `praxis --help` starts fast);
 * tests call these functions in-process.
 */
export interface CliResult {
  stdout: string;
  stderr?: string;
  /** 0 unless said */
  exitCode?: number;
}

/** The user the CLI acts as: the one named by `--as`, else the first administrator. */
export async function cliActor(deps: Deps, email: string | undefined): Promise<Actor> {
  const user = email ? await findUserByEmail(deps.db, email) : await findFirstAdmin(deps.db);
  if (!user) throw new AppError('not_found', email ? errorText('noUser', { email }) : errorText('noAdministrator'));
  const memberships = await findMembershipsOfUser(deps.db, user.id);
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    isAdmin: toBool(user.is_admin),
    // what the command words for them (an audit pack, an export) follows their language setting
    language: isUserLanguage(user.language) ? user.language : null,
    via: 'cli',
    memberships: new Map(memberships.map((m) => [m.scope_id, m.role])),
  };
}

function passwordFrom(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const password = option ?? env.PRAXIS_PASSWORD;
  if (!password || password.length < 12) throw new AppError('validation_failed', errorText('cli.passwordTooShort', { count: 12 }));
  return password;
}

export async function migrateCommand(): Promise<CliResult> {
  return { stdout: 'Database is up to date\n' };
}

export async function jobsRunCommand(deps: Deps): Promise<CliResult> {
  const result = await runSweeps(deps);
  const stdout = Object.entries(result)
    .map(([name, n]) => `${name}: ${n < 0 ? 'failed' : `${n} created`}\n`)
    .join('');
  return { stdout, exitCode: Object.values(result).some((n) => n < 0) ? 1 : 0 };
}

export async function userCreateCommand(
  deps: Deps,
  opts: { email: string; name: string; password?: string | undefined; admin: boolean },
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const password = passwordFrom(opts.password, env);
  const row = await deps.db
    .transaction()
    .execute((tx) => insertUserTx(tx, deps, null, { email: opts.email.toLowerCase(), name: opts.name, password, isAdmin: opts.admin }));
  return { stdout: `Created user ${row.email} (${row.id})${opts.admin ? ' as administrator' : ''}\n` };
}

export async function userResetPasswordCommand(
  deps: Deps,
  opts: { email: string; password?: string | undefined },
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const password = passwordFrom(opts.password, env);
  const { user, activated } = await resetPassword(deps, null, opts.email, password);
  return {
    stdout: activated
      ? `${user.email} was invited and had no password yet: the account is now active with this password (their invitation link no longer works)\n`
      : `Password of ${user.email} was reset; their sessions were ended\n`,
  };
}

/**
 * The language the demo is written in from the CLI: `--lang`, else the shell's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`,
 * the first one set: `de_DE.UTF-8` → German), else English.
 */
export function cliDemoLanguage(option: DemoLanguage | undefined, env: NodeJS.ProcessEnv): DemoLanguage {
  if (option) return option;
  const locale = (env.LC_ALL || env.LC_MESSAGES || env.LANG || '').toLowerCase();
  return locale.startsWith('de') ? 'de' : 'en';
}

export async function seedDemoCommand(
  deps: Deps,
  opts: { scope?: string | undefined; as?: string | undefined; lang?: DemoLanguage | undefined },
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  // the demo's texts, and what the services word along the way, in the chosen language
  const actor = { ...(await cliActor(deps, opts.as)), language: cliDemoLanguage(opts.lang, env) };
  const scopes = await listScopes(deps, actor);
  const scope = opts.scope ? scopes.find((s) => s.id === opts.scope || s.name === opts.scope) : scopes[0];
  if (!scope) throw new AppError('not_found', opts.scope ? errorText('cli.noScope', { scope: opts.scope }) : errorText('cli.noScopeYet'));
  const result = await seedDemo(deps, actor, scope.id);
  return { stdout: `Loaded demo data into "${scope.name}": ${result.assets} assets, ${result.tasks} open tasks\n` };
}

export { auditVerifyCommand } from './audit.actions.ts';
