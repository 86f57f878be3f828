import { createBackup, restoreBackup } from '../backup/backup.service.ts';
import type { Deps } from '../shared/context.ts';
import type { CliResult } from './actions.ts';

/* `praxis backup FILE` and `praxis restore FILE` (loaded by commands.ts only when one of them runs; tested in-process). */

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export async function backupCommand(deps: Deps, file: string): Promise<CliResult> {
  const r = await createBackup(deps, file);
  return {
    stdout: `Backup written to ${r.file} (${mb(r.bytes)}): ${r.tables} tables with ${r.rows} rows, ${r.files} stored files, ${r.auditEntries} audit entries\n`,
  };
}

export async function restoreCommand(deps: Deps, file: string): Promise<CliResult> {
  const r = await restoreBackup(deps, file);
  const where = deps.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const from = r.sourceDialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  return {
    stdout:
      `Restored a ${from} backup into ${where}: ${r.tables} tables with ${r.rows} rows, ${r.files} stored files, ` +
      `${r.auditEntries} audit entries (hash chain intact${r.checkpointSeq ? `, checkpoint at entry ${r.checkpointSeq} signed with this installation's key` : ''})\n`,
  };
}
