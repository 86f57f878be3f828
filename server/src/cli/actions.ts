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
import { emailSchema, nameSchema } from '../auth/auth.schemas.ts';
import { hasText } from '../i18n/i18n.ts';
import { checkOption, chooseLanguage, cliLanguage, cliText, wordedIn } from './cli-language.ts';

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

/** What a service's fields are as the user commands' options (a refusal about one names the option). */
const userOptions = {
  'body.email': '--email',
  'body.name': '--name',
  'body.password': '--password',
  password: '--password',
};

export async function migrateCommand(env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return { stdout: `${cliText(await cliLanguage(null, env), 'migrate.upToDate')}\n` };
}

/** A sweep by its name in words (a sweep without a text of its own reads as its name). */
const sweepName = (lang: string, name: string) => (hasText(`cli:sweep.${name}`) ? cliText(lang, `sweep.${name}`) : name);

export async function jobsRunCommand(deps: Deps, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const lang = await cliLanguage(deps, env);
  const result = await runSweeps(deps);
  const stdout = Object.entries(result)
    .map(([name, n]) => `${cliText(lang, n < 0 ? 'jobs.failed' : 'jobs.created', { sweep: sweepName(lang, name), count: n })}\n`)
    .join('');
  return { stdout, exitCode: Object.values(result).some((n) => n < 0) ? 1 : 0 };
}

export async function userCreateCommand(
  deps: Deps,
  opts: { email: string; name: string; password?: string | undefined; admin: boolean },
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const lang = await cliLanguage(deps, env);
  return wordedIn(
    lang,
    async () => {
      // the same rules as the API's and the setup page's (an email address, a name of at most 200 characters)
      const email = checkOption(lang, '--email', 'email', emailSchema, opts.email);
      const name = checkOption(lang, '--name', 'name', nameSchema, opts.name);
      const password = passwordFrom(opts.password, env);
      const row = await deps.db.transaction().execute((tx) => insertUserTx(tx, deps, null, { email, name, password, isAdmin: opts.admin }));
      // the id stays in the line for scripts that read it
      return { stdout: `${cliText(lang, opts.admin ? 'user.createdAdmin' : 'user.created', { email: row.email, id: row.id })}\n` };
    },
    userOptions,
  );
}

export async function userResetPasswordCommand(
  deps: Deps,
  opts: { email: string; password?: string | undefined },
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const lang = await cliLanguage(deps, env);
  return wordedIn(
    lang,
    async () => {
      const password = passwordFrom(opts.password, env);
      const { user, activated } = await resetPassword(deps, null, opts.email, password);
      return { stdout: `${cliText(lang, activated ? 'user.activated' : 'user.passwordReset', { email: user.email })}\n` };
    },
    userOptions,
  );
}

/**
 * The language the demo is written in from the CLI without an acting user's setting: `--lang`, else the shell's locale
 * (`de_DE.UTF-8` → German), else English. `praxis seed demo` itself takes the CLI's one choice (cli-language.ts), in
 * which the acting user's setting comes before the locale.
 */
export function cliDemoLanguage(option: DemoLanguage | undefined, env: NodeJS.ProcessEnv): DemoLanguage {
  return chooseLanguage(option, null, env);
}

export async function seedDemoCommand(
  deps: Deps,
  opts: { scope?: string | undefined; as?: string | undefined; lang?: DemoLanguage | undefined },
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  // the demo's texts, what the services word along the way and what the command prints, in the chosen language
  const lang = await cliLanguage(deps, env, { lang: opts.lang, actsAsUser: true, as: opts.as });
  return wordedIn(lang, async () => {
    const actor = { ...(await cliActor(deps, opts.as)), language: lang };
    const scopes = await listScopes(deps, actor);
    const scope = opts.scope ? scopes.find((s) => s.id === opts.scope || s.name === opts.scope) : scopes[0];
    if (!scope) throw new AppError('not_found', opts.scope ? errorText('cli.noScope', { scope: opts.scope }) : errorText('cli.noScopeYet'));
    const result = await seedDemo(deps, actor, scope.id);
    return {
      stdout: `${cliText(lang, 'demo.loaded', {
        scope: scope.name,
        assets: { key: 'cli:demo.assets', params: { count: result.assets } },
        tasks: { key: 'cli:demo.openTasks', params: { count: result.tasks } },
      })}\n`,
    };
  });
}

export { auditVerifyCommand } from './audit.actions.ts';
