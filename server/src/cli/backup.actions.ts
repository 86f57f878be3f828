import { createBackup, restoreBackup } from '../backup/backup.service.ts';
import type { Deps } from '../shared/context.ts';
import type { CliResult } from './actions.ts';
import { cliLanguage, cliText, wordedIn } from './cli-language.ts';

/*
 * `praxis backup FILE` and `praxis restore FILE` (loaded by commands.ts only when one of them runs; tested in-process).
 * Counts and sizes are in the language's digits; an entry's number stays as trail.txt and the checkpoint files write it.
 */

/** A size in megabytes with one decimal in the language's digits (`12,3 MB` in German). */
const megabytes = (lang: string, bytes: number) =>
  new Intl.NumberFormat(lang, { style: 'unit', unit: 'megabyte', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    bytes / (1024 * 1024),
  );

/** What an archive holds, in words: tables and rows, stored files, audit entries. */
const contents = (r: { tables: number; rows: number; files: number; auditEntries: number }) => ({
  tables: { key: 'cli:backup.tables', params: { count: r.tables } },
  rows: { key: 'cli:backup.rows', params: { count: r.rows } },
  files: { key: 'cli:backup.files', params: { count: r.files } },
  entries: { key: 'cli:verify.entries', params: { count: r.auditEntries } },
});

const dialectName = (dialect: string) => (dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL');

export async function backupCommand(deps: Deps, file: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const lang = await cliLanguage(deps, env);
  return wordedIn(lang, async () => {
    const r = await createBackup(deps, file);
    return { stdout: `${cliText(lang, 'backup.written', { file: r.file, size: megabytes(lang, r.bytes), ...contents(r) })}\n` };
  });
}

export async function restoreCommand(deps: Deps, file: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const lang = await cliLanguage(deps, env);
  return wordedIn(lang, async () => {
    const r = await restoreBackup(deps, file);
    const params = { from: dialectName(r.sourceDialect), into: dialectName(deps.dialect), ...contents(r) };
    return {
      stdout: `${
        r.checkpointSeq
          ? cliText(lang, 'restore.doneWithCheckpoint', { ...params, seq: r.checkpointSeq })
          : cliText(lang, 'restore.done', params)
      }\n`,
    };
  });
}
