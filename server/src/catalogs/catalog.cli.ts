import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Actor } from '../auth/actor.ts';
import type { CliResult } from '../cli/actions.ts';
import type { Deps } from '../shared/context.ts';
import type { CatalogResponse, ImportReport } from './catalog.schemas.ts';
import type { ImportProgress } from './catalog.service.ts';

// The services, the acting user and the progress bar load when a catalog command runs, not when `praxis` starts (see
// cli/commands.ts).
const services = async () => ({
  ...(await import('./catalog.service.ts')),
  ...(await import('../scopes/scope.service.ts')),
  cliActor: (await import('../cli/actions.ts')).cliActor,
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

async function findScope(deps: Deps, actor: Actor, nameOrId: string) {
  const { listScopes, AppError, errorText } = await services();
  const scope = (await listScopes(deps, actor)).find((s) => s.id === nameOrId || s.name === nameOrId);
  if (!scope) throw new AppError('not_found', errorText('cli.noScope', { scope: nameOrId }));
  return scope;
}

/** A progress bar on a terminal; plain progress lines otherwise (logs, CI). */
async function progressReporter(stream: ProgressStream): Promise<{ onProgress: ImportProgress; stop(): void }> {
  if (stream.isTTY) {
    const { default: cliProgress } = await import('cli-progress');
    const bar = new cliProgress.SingleBar(
      { stream, format: 'Importing [{bar}] {percentage}% | {value}/{total} requirements', hideCursor: true, clearOnComplete: false },
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
  return { onProgress: (done, total) => stream.write(`Imported ${done}/${total} requirements\n`), stop: () => undefined };
}

export function formatImportReport(report: ImportReport, where: string): string {
  return [
    `Imported "${report.title}" version ${report.version} ${where}`,
    `  groups:       ${report.groups}`,
    `  controls:     ${report.controls} (of which ${report.enhancements} enhancements)`,
    `  withdrawn:    ${report.withdrawn}`,
    `  requirements: ${report.requirements} rows`,
    `  time:         ${(report.durationMs / 1000).toFixed(2)} s`,
    `  catalog id:   ${report.catalogId}`,
    '',
  ].join('\n');
}

function formatCatalogs(rows: (CatalogResponse & { owner: string })[]): string {
  if (rows.length === 0) return 'No catalogs\n';
  const table = [
    ['KEY', 'TITLE', 'VERSION', 'AVAILABLE TO', 'CONTROLS', 'WITHDRAWN'],
    ...rows.map((c) => [c.key, c.title, c.version, c.owner, String(c.controlCount), String(c.withdrawnCount)]),
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
 * progress on `progressTo` while it runs, and answers the report.
 */
export async function catalogImportCommand(
  deps: Deps,
  opts: { file: string; scope?: string | undefined; as?: string | undefined },
  progressTo: ProgressStream = process.stderr,
): Promise<CliResult> {
  const { cliActor, importCatalog, AppError, errorText } = await services();
  const resolved = path.resolve(opts.file);
  if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile()) {
    throw new AppError('not_found', errorText('cli.noFile', { path: resolved }));
  }
  const actor = await cliActor(deps, opts.as);
  const scope = opts.scope ? await findScope(deps, actor, opts.scope) : null;
  const progress = await progressReporter(progressTo);
  try {
    const report = await importCatalog(deps, actor, { scopeId: scope?.id ?? null }, () => fs.promises.readFile(resolved), {
      onProgress: progress.onProgress,
    });
    progress.stop();
    return { stdout: formatImportReport(report, scope ? `into scope "${scope.name}"` : 'for every scope') };
  } catch (e) {
    progress.stop();
    if (e instanceof AppError && e.field && e.code === 'validation_failed') {
      throw new AppError(e.code, errorText('cli.inFile', { file: path.basename(resolved), message: e.message }));
    }
    throw e;
  }
}

/** `praxis catalog list [--scope NAME] [--as EMAIL]`: the installation's catalogs, or those a scope sees. */
export async function catalogListCommand(deps: Deps, opts: { scope?: string | undefined; as?: string | undefined }): Promise<CliResult> {
  const { cliActor, listScopes, listCatalogs, listAllCatalogs } = await services();
  const actor = await cliActor(deps, opts.as);
  const scopes = await listScopes(deps, actor);
  const names = new Map(scopes.map((s) => [s.id, s.name]));
  const scope = opts.scope ? await findScope(deps, actor, opts.scope) : null;
  const rows = scope ? await listCatalogs(deps, actor, scope.id) : await listAllCatalogs(deps, actor);
  return {
    stdout: formatCatalogs(rows.map((c) => ({ ...c, owner: c.scopeId ? `scope "${names.get(c.scopeId) ?? c.scopeId}"` : 'every scope' }))),
  };
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
      withDeps((deps) => catalogImportCommand(deps, { ...opts, file }))
        .then(print)
        .catch(fail),
    );
  catalog
    .command('list')
    .description('List catalogs: all of the installation, or those a scope sees')
    .option('--scope <name-or-id>', 'the catalogs available to this scope')
    .option('--as <email>', 'the acting user (default: the first administrator)')
    .action((opts: { scope?: string; as?: string }) =>
      withDeps((deps) => catalogListCommand(deps, opts))
        .then(print)
        .catch(fail),
    );
}
