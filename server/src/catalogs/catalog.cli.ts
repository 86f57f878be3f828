import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Actor } from '../auth/actor.ts';
import type { CliResult } from '../cli/actions.ts';
import type { Deps } from '../shared/context.ts';
import type { CatalogResponse, ImportReport } from './catalog.schemas.ts';
import type { ImportProgress } from './catalog.service.ts';
import type { CliLanguage } from '../cli/cli-language.ts';

// The services, the acting user and the progress bar load when a catalog command runs, not when `praxis` starts (see
// cli/commands.ts).
const services = async () => ({
  ...(await import('./catalog.service.ts')),
  catalogIn: (await import('./iso27001-annex-a.de.ts')).catalogIn,
  ...(await import('../scopes/scope.service.ts')),
  cliActor: (await import('../cli/actions.ts')).cliActor,
  // the language the command words its report, table and refusals in (the CLI's one choice)
  ...(await import('../cli/cli-language.ts')),
  // not imported statically: errors load the server's texts, which `praxis --help` does without
  AppError: (await import('../shared/errors.ts')).AppError,
  errorText: (await import('../shared/errors.ts')).errorText,
});

/** What the catalog commands borrow from the CLI: the database session and the error exit. */
export interface CliHelpers {
  withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T>;
  fail(err: unknown): never;
}

/** Where import progress goes: a terminal gets a progress bar, anything else (a pipe, a log, a test) plain lines. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean };

/** The acting user (`--as`, else the first administrator), with the command's language for what the services word. */
async function actingIn(deps: Deps, as: string | undefined, lang: CliLanguage): Promise<Actor> {
  const { cliActor } = await services();
  return { ...(await cliActor(deps, as)), language: lang };
}

async function findScope(deps: Deps, actor: Actor, nameOrId: string) {
  const { listScopes, AppError, errorText } = await services();
  const scope = (await listScopes(deps, actor)).find((s) => s.id === nameOrId || s.name === nameOrId);
  if (!scope) throw new AppError('not_found', errorText('cli.noScope', { scope: nameOrId }));
  return scope;
}

/** A progress bar on a terminal; plain progress lines otherwise (logs, CI). */
async function progressReporter(stream: ProgressStream, lang: string): Promise<{ onProgress: ImportProgress; stop(): void }> {
  const { cliText } = await services();
  if (stream.isTTY) {
    const { default: cliProgress } = await import('cli-progress');
    // the bar's own placeholders ({bar}, {percentage}, {value}, {total}) are cli-progress's, inside the language's words
    const bar = new cliProgress.SingleBar(
      { stream, format: cliText(lang, 'catalog.progressBar'), hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onProgress: (done, total) => {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  return {
    onProgress: (done, total) => stream.write(`${cliText(lang, 'catalog.progress', { done, total })}\n`),
    stop: () => undefined,
  };
}

/**
 * The report of an import in `lang` (`where`: into which scope, or for every scope, already worded). The catalog's id
 * stays as it is: scripts read it.
 */
export async function formatImportReport(report: ImportReport, where: string, lang = 'en'): Promise<string> {
  const { cliText, cliNumber } = await services();
  const n = (count: number) => cliNumber(lang, count);
  const seconds = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(report.durationMs / 1000);
  const rows: [string, string][] = [
    ['groups', n(report.groups)],
    ['controls', cliText(lang, 'catalog.controls', { controls: n(report.controls), enhancements: n(report.enhancements) })],
    ['withdrawn', n(report.withdrawn)],
    ['requirements', cliText(lang, 'catalog.rows', { count: report.requirements, rows: n(report.requirements) })],
    ['time', cliText(lang, 'catalog.seconds', { seconds })],
    ['catalogId', report.catalogId],
  ];
  const labels = rows.map(([k]) => cliText(lang, `catalog.label.${k}`));
  const width = Math.max(...labels.map((l) => l.length)) + 1;
  return [
    cliText(lang, 'catalog.imported', { title: report.title, version: report.version, where }),
    ...rows.map(([, value], i) => `  ${labels[i]!.padEnd(width)}${value}`),
    '',
  ].join('\n');
}

async function formatCatalogs(rows: (CatalogResponse & { owner: string })[], lang: string): Promise<string> {
  const { cliText, cliNumber } = await services();
  if (rows.length === 0) return `${cliText(lang, 'catalog.none')}\n`;
  // a catalog's key is printed as it is: it names the catalog in the API and in scripts
  const table = [
    ['key', 'title', 'version', 'availableTo', 'controls', 'withdrawn'].map((k) =>
      cliText(lang, `catalog.column.${k}`).toLocaleUpperCase(lang),
    ),
    ...rows.map((c) => [c.key, c.title, c.version, c.owner, cliNumber(lang, c.controlCount), cliNumber(lang, c.withdrawnCount)]),
  ];
  const widths = table[0]!.map((_, i) => Math.min(60, Math.max(...table.map((r) => r[i]!.length))));
  return `${table
    .map((r) =>
      r
        .map((cell, i) => cell.slice(0, 60).padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/**
 * `praxis catalog import FILE [--scope NAME] [--as EMAIL]`: imports an OSCAL catalog for every scope or into one, with
 * progress on `progressTo` while it runs, and answers the report, in the CLI's language (the acting user's setting, else
 * the locale).
 */
export async function catalogImportCommand(
  deps: Deps,
  opts: { file: string; scope?: string | undefined; as?: string | undefined },
  progressTo: ProgressStream = process.stderr,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const { importCatalog, AppError, errorText, cliLanguage, cliText, wordedIn } = await services();
  const lang = await cliLanguage(deps, env, { actsAsUser: true, as: opts.as });
  return wordedIn(lang, async () => {
    const resolved = path.resolve(opts.file);
    if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
      throw new AppError('not_found', errorText('cli.noFile', { path: resolved }));
    }
    const actor = await actingIn(deps, opts.as, lang);
    const scope = opts.scope ? await findScope(deps, actor, opts.scope) : null;
    const progress = await progressReporter(progressTo, lang);
    try {
      const report = await importCatalog(deps, actor, { scopeId: scope?.id ?? null }, () => fs.promises.readFile(resolved), {
        onProgress: progress.onProgress,
      });
      progress.stop();
      const where = scope ? cliText(lang, 'catalog.intoScope', { scope: scope.name }) : cliText(lang, 'catalog.forEveryScope');
      return { stdout: await formatImportReport(report, where, lang) };
    } catch (e) {
      progress.stop();
      if (e instanceof AppError && e.field && e.code === 'validation_failed') {
        // the file is named, and the problem's JSON path in it (the text names it), a text of its own in the refusal
        throw new AppError(e.code, errorText('cli.inFile', { file: path.basename(resolved), message: e.text }));
      }
      throw e;
    }
  });
}

/** `praxis catalog list [--scope NAME] [--as EMAIL]`: the installation's catalogs, or those a scope sees. */
export async function catalogListCommand(
  deps: Deps,
  opts: { scope?: string | undefined; as?: string | undefined },
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const { listScopes, listCatalogs, listAllCatalogs, catalogIn, cliLanguage, cliText, wordedIn } = await services();
  const lang = await cliLanguage(deps, env, { actsAsUser: true, as: opts.as });
  return wordedIn(lang, async () => {
    const actor = await actingIn(deps, opts.as, lang);
    const scopes = await listScopes(deps, actor);
    const names = new Map(scopes.map((s) => [s.id, s.name]));
    const scope = opts.scope ? await findScope(deps, actor, opts.scope) : null;
    // the built-in Annex A catalog by its title in the language ("ISO/IEC 27001:2022 Anhang A")
    const rows = scope
      ? await listCatalogs(deps, actor, scope.id, lang)
      : (await listAllCatalogs(deps, actor)).map((c) => catalogIn(c, lang));
    const owner = (scopeId: string | null) =>
      scopeId ? cliText(lang, 'catalog.scope', { scope: names.get(scopeId) ?? scopeId }) : cliText(lang, 'catalog.everyScope');
    return {
      stdout: await formatCatalogs(
        rows.map((c) => ({ ...c, owner: owner(c.scopeId) })),
        lang,
      ),
    };
  });
}

/** Registers `praxis catalog import` and `praxis catalog list`; their logic is in the two functions above. */
export function registerCatalogCommands(program: Command, { withDeps, fail }: CliHelpers): void {
  const print = (result: CliResult) => {
    process.stdout.write(result.stdout);
    if (result.stderr) process.stderr.write(result.stderr);
    if (result.exitCode) process.exitCode = result.exitCode;
  };
  const catalog = program.command('catalog').description('Control catalogs (built-in ISO/IEC 27001:2022 Annex A, OSCAL imports)');
  catalog
    .command('import')
    .description('Import an OSCAL 1.x catalog (JSON) for every scope, or with --scope into one scope')
    .argument('<file>', 'the OSCAL catalog JSON file')
    .option('--scope <name-or-id>', 'import into this scope only (default: available to every scope)')
    .option('--as <email>', 'the acting user (default: the first administrator)')
    .action((file: string, opts: { scope?: string; as?: string }) =>
      withDeps((deps) => catalogImportCommand(deps, { ...opts, file }, process.stderr, process.env))
        .then(print)
        .catch(fail),
    );
  catalog
    .command('list')
    .description('List catalogs: all of the installation, or those a scope sees')
    .option('--scope <name-or-id>', 'the catalogs available to this scope')
    .option('--as <email>', 'the acting user (default: the first administrator)')
    .action((opts: { scope?: string; as?: string }) =>
      withDeps((deps) => catalogListCommand(deps, opts, process.env))
        .then(print)
        .catch(fail),
    );
}
