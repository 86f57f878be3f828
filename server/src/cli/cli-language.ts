import type { z } from 'zod';
import { ConfigError } from '../config.ts';
import { validationText } from '../http/errors.ts';
import { render, type Text, type TextParam, translate } from '../i18n/i18n.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, type ErrorCode } from '../shared/errors.ts';
import { findFirstAdmin, findUserByEmail } from '../users/user.repository.ts';
import { isUserLanguage, type UserLanguage } from '../users/user-language.ts';

/*
 * The language the `praxis` command words what it prints (results and refusals) in, chosen in one place for every
 * command, and its texts (the server's `cli` catalog, numbers and dates through Intl). What a command writes for
 * machines stays as it is: JSON files, checkpoints, the exported trail.txt, ids a script reads.
 */

export type CliLanguage = UserLanguage;

/** How a command lets the language be chosen. */
export interface LanguageChoice {
  /** `--lang`, where the command has it */
  lang?: CliLanguage | undefined;
  /** the command acts as a user: the one named by `--as`, else (undefined) the first administrator */
  actsAsUser?: boolean;
  as?: string | undefined;
}

/** The shell's locale: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set (`de_DE.UTF-8` → German), else English. */
export function localeLanguage(env: NodeJS.ProcessEnv): CliLanguage {
  const locale = (env.LC_ALL || env.LC_MESSAGES || env.LANG || '').toLowerCase();
  return locale.startsWith('de') ? 'de' : 'en';
}

/**
 * The rule: `--lang` where the command has it; else the language setting of the user the command acts as (`--as`, or
 * the first administrator), when they chose one; else the shell's locale; else English.
 */
export function chooseLanguage(option: CliLanguage | undefined, userLanguage: unknown, env: NodeJS.ProcessEnv): CliLanguage {
  if (option) return option;
  if (isUserLanguage(userLanguage)) return userLanguage;
  return localeLanguage(env);
}

/**
 * The language of a command (see `chooseLanguage`). A user `--as` names who does not exist leaves the choice to the
 * locale; the command itself then refuses, in that language.
 */
export async function cliLanguage(deps: Deps | null, env: NodeJS.ProcessEnv, choice: LanguageChoice = {}): Promise<CliLanguage> {
  if (choice.lang || !deps || !(choice.actsAsUser || choice.as)) return chooseLanguage(choice.lang, null, env);
  const user = choice.as ? await findUserByEmail(deps.db, choice.as) : await findFirstAdmin(deps.db);
  return chooseLanguage(undefined, user?.language, env);
}

/** A text of the `cli` catalog in the command's language: `cliText(lang, 'migrate.upToDate')`. */
export const cliText = (lang: string, key: string, params: Record<string, TextParam> = {}): string => translate(lang, `cli:${key}`, params);

/** A whole number in the language's digits (`12.345` in German). */
export const cliNumber = (lang: string, n: number): string => new Intl.NumberFormat(lang).format(n);

/**
 * A refusal as the command prints it: the AppError's code, text, field and details, its message in the command's
 * language, led by the option it is about (`--email: …`) where the command names one for its field.
 */
export class CliRefusal extends AppError {
  readonly language: string;
  constructor(cause: AppError, lang: string, option?: string) {
    super(cause.code, cause.text, {
      ...(cause.field !== undefined && { field: cause.field }),
      ...(cause.details !== undefined && { details: cause.details }),
    });
    const message = render(lang, cause.text);
    this.message = option ? cliText(lang, 'inOption', { option, message }) : message;
    this.language = lang;
  }
}

/** What a file the command was given cannot be, by the system's code: the refusal's code and its text. */
const systemTexts: Record<string, { code: ErrorCode; key: string }> = {
  EEXIST: { code: 'duplicate', key: 'exists' },
  ENOENT: { code: 'not_found', key: 'noSuchPath' },
  ENOTDIR: { code: 'not_found', key: 'noSuchPath' },
  EISDIR: { code: 'validation_failed', key: 'isDirectory' },
  EACCES: { code: 'forbidden', key: 'noPermission' },
  EPERM: { code: 'forbidden', key: 'noPermission' },
};

/**
 * A file the command cannot write or read (it exists already, its directory does not, no permission) as a refusal
 * naming the path, instead of the system's English message.
 */
function systemRefusal(e: unknown): AppError | null {
  const { code, path } = (e ?? {}) as NodeJS.ErrnoException;
  const known = e instanceof Error && code && path ? systemTexts[code] : undefined;
  if (!known || !path) return null;
  const text: Text = { key: `cli:system.${known.key}`, params: { path } };
  return new AppError(known.code, text);
}

/** The configuration errors worded already (in the language of the command that met them first). */
const wordedConfigErrors = new WeakSet<ConfigError>();

/**
 * A configuration error (a PRAXIS_* value refused, an audit key file that cannot be read) worded in `lang`, once: the
 * command that met it first words it. It stays an error of its kind (exit code 1), not a refusal; anything else is
 * returned as it is.
 */
export function configErrorIn<E>(e: E, lang: string): E {
  if (e instanceof ConfigError && !wordedConfigErrors.has(e)) {
    e.message = render(lang, e.text);
    wordedConfigErrors.add(e);
  }
  return e;
}

/**
 * Runs a command's work and words a refusal it throws in `lang` (`options`: the command's option for a service's field,
 * `{ 'body.email': '--email' }`; a field that is an option already, `--mapping`, names itself).
 */
export async function wordedIn<T>(lang: string, work: () => Promise<T>, options: Record<string, string> = {}): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ConfigError) throw configErrorIn(e, lang);
    const refusal = systemRefusal(e);
    if (refusal) throw new CliRefusal(refusal, lang);
    if (!(e instanceof AppError) || e instanceof CliRefusal) throw e;
    const option = e.field ? (options[e.field] ?? (e.field.startsWith('--') ? e.field : undefined)) : undefined;
    throw new CliRefusal(e, lang, option);
  }
}

/**
 * An option's value checked by a schema of the API (the same rules as the web form), refused as the API words it, in
 * the command's language and naming the option: `--email: Email must be an email address such as name@example.com`.
 */
export function checkOption<S extends z.ZodType>(lang: string, option: string, label: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { code, message, path, ...params } = parsed.error.issues[0]!;
  const { text } = validationText(
    lang,
    { keyword: code, instancePath: `/${[label, ...path.map(String)].join('/')}`, message, params: params as Record<string, unknown> },
    'option',
  );
  throw new CliRefusal(new AppError('validation_failed', text, { field: option }), lang, option);
}

/**
 * A refusal of commander's (a required option missing, an unknown option or command, a value not among the choices, too
 * many arguments) in the command's language: read from commander's English message by its code, the options and
 * values in it kept as typed. A message of another kind stays as commander words it.
 */
export function usageRefusal(code: string, message: string, lang: string): string {
  const text = message.replace(/^error: /, '').trim();
  const [first = '', ...rest] = text.split('\n');
  const suggestion = /^\(Did you mean (one of )?(.+)\?\)$/.exec(rest.join(' ').trim());
  const hint = suggestion
    ? ` ${cliText(lang, 'usage.didYouMean', { suggestion: new Intl.ListFormat(lang, { type: 'disjunction' }).format(suggestion[2]!.split(', ')) })}`
    : '';
  const list = (items: string) => new Intl.ListFormat(lang, { type: 'disjunction' }).format(items.split(', '));
  const read = (pattern: RegExp, key: string, names: string[]): string | null => {
    const m = pattern.exec(first);
    if (!m) return null;
    // a list of choices reads as one in the language ("en or de")
    const params = Object.fromEntries(names.map((n, i) => [n, n === 'choices' ? list(m[i + 1] ?? '') : (m[i + 1] ?? '')]));
    return cliText(lang, key, params) + hint;
  };
  const worded =
    code === 'commander.missingMandatoryOptionValue'
      ? read(/^required option '(.+)' not specified$/, 'usage.missingOption', ['option'])
      : code === 'commander.optionMissingArgument'
        ? read(/^option '(.+)' argument missing$/, 'usage.missingValue', ['option'])
        : code === 'commander.missingArgument'
          ? read(/^missing required argument '(.+)'$/, 'usage.missingArgument', ['argument'])
          : code === 'commander.unknownOption'
            ? read(/^unknown option '(.+)'$/, 'usage.unknownOption', ['option'])
            : code === 'commander.unknownCommand'
              ? read(/^unknown command '(.+)'$/, 'usage.unknownCommand', ['command'])
              : code === 'commander.excessArguments'
                ? read(/^too many arguments.*\. Expected (\d+) arguments? but got (\d+)/, 'usage.tooManyArguments', ['expected', 'count'])
                : code === 'commander.invalidArgument'
                  ? read(/^option '(.+)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/, 'usage.notAChoice', [
                      'option',
                      'value',
                      'choices',
                    ])
                  : null;
  return worded ?? text;
}
