import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { AnyImportDeclaration, ImportProgress } from '../shared/import/import-engine.ts';
import type { ImportReport } from '../shared/import/import.schemas.ts';
import type { Deps } from '../shared/context.ts';
import type { CliResult } from './actions.ts';
import type { CliLanguage } from './cli-language.ts';

/** What `praxis import` imports: the module whose declaration does it (loaded when the command runs), and the web area whose catalog names its fields. */
const kinds = {
  assets: {
    area: 'assets',
    declaration: async () => (await import('../processes/asset-management/index.ts')).assetImport,
  },
  risks: {
    area: 'risks',
    declaration: async () => (await import('../processes/risk-assessment/index.ts')).riskImport,
  },
  controls: {
    area: 'controls',
    declaration: async () => (await import('../processes/control-implementation/index.ts')).controlImport,
  },
} as const;
export type ImportKind = keyof typeof kinds;

// The services load when the command runs, not when `praxis` starts (see cli/commands.ts).
const services = async () => ({
  ...(await import('../shared/import/import-engine.ts')),
  ...(await import('../scopes/scope.service.ts')),
  ...(await import('./cli-language.ts')),
  cliActor: (await import('./actions.ts')).cliActor,
  AppError: (await import('../shared/errors.ts')).AppError,
  errorText: (await import('../shared/errors.ts')).errorText,
  render: (await import('../i18n/i18n.ts')).render,
  webTexts: (await import('../i18n/web-catalogs.ts')).webTexts,
});
type Services = Awaited<ReturnType<typeof services>>;

/**
 * The report of an import or a dry run as the command prints it, in `lang`: the file and scope, which column fills which
 * field (the field's label as the import wizard shows it, and in brackets its name as `--mapping` takes it), the counts,
 * and every refused row with its reasons.
 */
export async function formatImportReport(
  report: ImportReport,
  scopeName: string,
  lang = 'en',
  kind: ImportKind = 'assets',
): Promise<string> {
  const { cliText, cliNumber, webTexts } = await services();
  const web = webTexts(lang);
  const fieldWords = (field: string) => {
    const key = `${kinds[kind].area}:import.field.${field}`;
    return web.exists(key) ? `${web.t(key)} [${field}]` : field;
  };
  const s = report.summary;
  const heading = report.dryRun ? 'import.dryRun' : report.applied ? 'import.imported' : 'import.notImported';
  const counts: [string, number][] = [
    ['rows', s.rows],
    ['created', s.created],
    ['updated', s.updated],
    ['unchanged', s.unchanged],
    ['refused', s.refused],
  ];
  const labels = Object.fromEntries(['columns', ...counts.map(([k]) => k)].map((k) => [k, cliText(lang, `import.label.${k}`)]));
  const width = Math.max(...Object.values(labels).map((l) => l.length)) + 1;
  const columns = report.headers
    .map((h) => `${h} → ${report.mapping[h] ? fieldWords(report.mapping[h]) : cliText(lang, 'import.notImportedColumn')}`)
    .join(', ');
  const lines = [
    cliText(lang, heading, { file: report.fileName, scope: scopeName }),
    `  ${labels.columns!.padEnd(width)}${columns} (${cliText(lang, `import.mappingSource.${report.mappingSource}`)})`,
    ...counts.map(([k, n]) => `  ${labels[k]!.padEnd(width)}${cliNumber(lang, n)}`),
  ];
  for (const r of report.rows.filter((x) => x.outcome === 'refused')) {
    const problems = r.problems.map((p) => p.message).join('; ');
    lines.push(`  ${cliText(lang, r.name ? 'import.lineNamed' : 'import.line', { line: r.line, name: r.name, problems })}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface ImportCommandOptions {
  file: string;
  scope: string;
  dryRun?: boolean | undefined;
  mapping?: string | undefined;
  as?: string | undefined;
  onProgress?: ImportProgress | undefined;
}

/**
 * `praxis import <assets|risks|controls> FILE --scope NAME [--dry-run] [--mapping JSON] [--as EMAIL]`: the web wizard's
 * import from a terminal. Without --mapping the scope's saved mapping (or the guess from the headers) is used. Exit code
 * 2 when a row is refused (nothing is then imported), also on a dry run, so that scripts can check a file first. The
 * report and the refusals are in the CLI's language (cli-language.ts: the acting user's setting, else the locale).
 */
export async function importCommand(
  deps: Deps,
  kind: ImportKind,
  opts: ImportCommandOptions,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const svc = await services();
  const lang = await svc.cliLanguage(deps, env, { actsAsUser: true, as: opts.as });
  return svc.wordedIn(lang, () => importIn(svc, lang, deps, kind, opts));
}

async function importIn(svc: Services, lang: CliLanguage, deps: Deps, kind: ImportKind, opts: ImportCommandOptions): Promise<CliResult> {
  const { cliActor, listScopes, runImport, parseMapping, AppError, errorText, render } = svc;
  const declaration = (await kinds[kind].declaration()) as unknown as AnyImportDeclaration;
  const resolved = path.resolve(opts.file);
  if (!fs.existsSync(resolved) || !fs.statSync(resolved).isFile())
    throw new AppError('not_found', errorText('cli.noFile', { path: resolved }));
  const actor = { ...(await cliActor(deps, opts.as)), language: lang };
  const scope = (await listScopes(deps, actor)).find((s) => s.id === opts.scope || s.name === opts.scope);
  if (!scope) throw new AppError('not_found', errorText('cli.noScope', { scope: opts.scope }));
  const mapping = opts.mapping ? parseMapping(declaration, opts.mapping, '--mapping') : null;
  const fileName = path.basename(resolved);
  try {
    const report = await runImport(
      declaration,
      deps,
      actor,
      scope.id,
      { fileName, content: await fs.promises.readFile(resolved), mapping, dryRun: opts.dryRun ?? false },
      lang,
      opts.onProgress,
    );
    return { stdout: await formatImportReport(report, scope.name, lang, kind), ...(report.summary.refused > 0 && { exitCode: 2 }) };
  } catch (e) {
    const report = e instanceof AppError ? (e.details as { report?: ImportReport } | undefined)?.report : undefined;
    if (report && e instanceof AppError) {
      return { stdout: await formatImportReport(report, scope.name, lang, kind), stderr: `praxis: ${render(lang, e.text)}\n`, exitCode: 2 };
    }
    if (e instanceof AppError && e.field) {
      throw new AppError(e.code, errorText('cli.inFile', { file: fileName, message: e.text }));
    }
    throw e;
  }
}

/** `praxis import assets` (kept for scripts and tests that call it by name). */
export const assetImportCommand = (deps: Deps, opts: ImportCommandOptions, env: NodeJS.ProcessEnv = {}) =>
  importCommand(deps, 'assets', opts, env);

const descriptions: Record<ImportKind, string> = {
  assets: 'Import assets into a scope: rows matched by reference are updated, the others created; all or nothing',
  risks:
    'Import risks into a scope through the risk service (levels, ranks, hand-offs): rows matched by reference are updated, the others created; all or nothing',
  controls:
    'Import controls into a scope through the control service (date rules, links): rows matched by reference are updated, the others created; all or nothing',
};
const mappingExamples: Record<ImportKind, string> = {
  assets: '\'{"Asset":"name","Kind":"type","Owner":"owner"}\'',
  risks: '\'{"Risk":"title","Threat":"threat","Owner":"owner","L":"currentLikelihood","I":"currentImpact"}\'',
  controls: '\'{"Control":"title","Status":"status","Annex A":"requirements","Due":"dueOn"}\'',
};

/** Registers `praxis import assets|risks|controls`. */
export function registerImportCommands(
  program: Command,
  { withDeps, fail }: { withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T>; fail(err: unknown): never },
): void {
  const imports = program.command('import').description('Import registers from spreadsheets (XLSX or CSV)');
  for (const kind of Object.keys(kinds) as ImportKind[]) {
    imports
      .command(kind)
      .description(descriptions[kind])
      .argument('<file>', 'the XLSX or CSV file (first sheet; the first row holds the column headers)')
      .requiredOption('--scope <name-or-id>', 'the scope')
      .option('--dry-run', 'check every row and report, write nothing', false)
      .option('--mapping <json>', `column header → field as JSON, e.g. ${mappingExamples[kind]}`)
      .option('--as <email>', 'the acting user (default: the first administrator)')
      .action((file: string, opts: { scope: string; dryRun: boolean; mapping?: string; as?: string }) =>
        withDeps((deps) =>
          importCommand(
            deps,
            kind,
            {
              ...opts,
              file,
              // rows written so far, on a terminal only (numbers only: the same in every language)
              onProgress: process.stderr.isTTY ? (done, total) => process.stderr.write(`\r  ${done} / ${total}`) : undefined,
            },
            process.env,
          ),
        )
          .then((result) => {
            if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
            process.stdout.write(result.stdout);
            if (result.stderr) process.stderr.write(result.stderr);
            if (result.exitCode) process.exitCode = result.exitCode;
          })
          .catch(fail),
      );
  }
}
