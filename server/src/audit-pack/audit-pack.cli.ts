import type { Command } from 'commander';
import type { CliResult } from '../cli/actions.ts';
import type { Deps } from '../shared/context.ts';

/** What the command borrows from the CLI: the database session and the error exit (see cli/commands.ts). */
export interface CliHelpers {
  withDeps<T>(fn: (deps: Deps) => Promise<T>): Promise<T>;
  fail(err: unknown): never;
}

/**
 * `praxis audit-pack --scope <name or id> --out FILE`: writes the scope's audit pack (the same ZIP as the web's download)
 * to a file that does not exist yet, as the acting user (`--as`, default the first administrator). The services, the
 * PDF and ZIP libraries load when the command runs, not when `praxis` starts.
 */
export async function auditPackCommand(
  deps: Deps,
  opts: { scope: string; out: string; as?: string | undefined },
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const fs = await import('node:fs');
  const { pipeline } = await import('node:stream/promises');
  const { once } = await import('node:events');
  const [{ cliActor }, { listScopes }, { buildAuditPack }, { AppError, errorText }, { cliLanguage, cliNumber, cliText, wordedIn }] =
    await Promise.all([
      import('../cli/actions.ts'),
      import('../scopes/scope.service.ts'),
      import('./audit-pack.service.ts'),
      import('../shared/errors.ts'),
      import('../cli/cli-language.ts'),
    ]);
  // the pack and the answer in the CLI's language: the acting user's setting, else the locale (cli-language.ts)
  const lang = await cliLanguage(deps, env, { actsAsUser: true, as: opts.as });
  return wordedIn(lang, async () => {
    const actor = { ...(await cliActor(deps, opts.as)), language: lang };
    const scope = (await listScopes(deps, actor)).find((s) => s.id === opts.scope || s.name === opts.scope);
    if (!scope) throw new AppError('not_found', errorText('cli.noScope', { scope: opts.scope }));
    // 'wx': an existing file is never overwritten; the file is opened before anything is built
    const out = fs.createWriteStream(opts.out, { flags: 'wx' });
    await once(out, 'open');
    try {
      const pack = await buildAuditPack(deps, actor, scope.id);
      await pipeline(pack.stream, out);
    } catch (err) {
      fs.rmSync(opts.out, { force: true });
      throw err;
    }
    const size = fs.statSync(opts.out).size;
    return {
      stdout: `${cliText(lang, 'auditPack.written', { scope: scope.name, file: opts.out, count: size, bytes: cliNumber(lang, size) })}\n`,
    };
  });
}

export function registerAuditPackCommands(program: Command, { withDeps, fail }: CliHelpers): void {
  program
    .command('audit-pack')
    .description(
      "Write a scope's audit pack for a certification auditor: a ZIP with an index PDF, the documents in force and a SHA-256 manifest",
    )
    .requiredOption('--scope <name-or-id>', 'the scope')
    .requiredOption('--out <file>', 'the ZIP to write (an existing file is not overwritten)')
    .option('--as <email>', 'the acting user (default: the first administrator)')
    .action((opts: { scope: string; out: string; as?: string }) =>
      withDeps((deps) => auditPackCommand(deps, opts, process.env))
        .then((result) => {
          process.stdout.write(result.stdout);
          if (result.stderr) process.stderr.write(result.stderr);
          if (result.exitCode) process.exitCode = result.exitCode;
        })
        .catch(fail),
    );
}
