import fs from 'node:fs';
import path from 'node:path';
import { createCheckpoint, readCheckpointFile, toCheckpointFile, writeCheckpointFile } from '../audit/audit-checkpoint.ts';
import { exportTrail } from '../audit/audit-export.ts';
import { loadSigningKey, type PublicKeyInfo, publicKeyFromPem } from '../audit/audit-key.ts';
import { sealPending } from '../audit/audit-seal.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText } from '../shared/errors.ts';
import { findFirstAdmin } from '../users/user.repository.ts';
import { type CliResult, cliActor } from './actions.ts';

/* The `praxis audit verify|checkpoint|export` commands (loaded by commands.ts only when one of them runs; tested in-process). */

export async function auditVerifyCommand(deps: Deps, opts: { checkpoint?: string[]; publicKey?: string[] } = {}): Promise<CliResult> {
  const checkpoints = (opts.checkpoint ?? []).map((file) => readCheckpointFile(file));
  const own = loadSigningKey(deps.config);
  const keys: PublicKeyInfo[] = [own, ...checkpoints.map((c) => c.key)];
  for (const file of opts.publicKey ?? []) {
    let pem: string;
    try {
      pem = fs.readFileSync(file, 'utf8');
    } catch {
      throw new AppError('not_found', errorText('auditTrail.noPublicKeyFile', { file }));
    }
    try {
      keys.push(publicKeyFromPem(pem));
    } catch (e) {
      throw new AppError('validation_failed', errorText('auditTrail.notAPublicKey', { file, problem: (e as Error).message }));
    }
  }
  // entries committed and not yet sealed into the chain are sealed first (audit-seal.ts); a verifier that may not write
  // (a read-only account) verifies the chain as sealed so far: an entry not yet sealed is not part of it yet
  await sealPending(deps).catch(() => 0);
  const result = await verifyAuditChain(deps.db, { keys, checkpoints });
  if (result.ok) {
    const anchored =
      result.checkpointSeq === null
        ? 'no signed checkpoint yet (`praxis audit checkpoint`)'
        : `signed checkpoints hold up to entry ${result.checkpointSeq}`;
    return {
      stdout: `OK: ${result.entries} audit entries, hash chain intact, ${result.signed} signatures valid${
        result.coveredOnly
          ? ` (${result.coveredOnly} entries unsigned or signed by an earlier installation's key, vouched for by a checkpoint)`
          : ''
      }, ${anchored}\n`,
    };
  }
  return {
    stdout: '',
    stderr: `FAILED at entry ${result.seq}: ${result.problem} (${result.entries} entries verified before it)\n`,
    exitCode: 3,
  };
}

export async function auditCheckpointCommand(deps: Deps, opts: { out?: string | undefined }): Promise<CliResult> {
  const row = await createCheckpoint(deps, 'command');
  if (!row) throw new AppError('invalid_state', errorText('auditTrail.empty'));
  const file = toCheckpointFile(row);
  if (opts.out) writeCheckpointFile(opts.out, file);
  return {
    stdout: `Checkpoint at entry ${file.seq} (${file.hash}) signed with key ${file.keyId}${opts.out ? `, written to ${opts.out}` : ''}\n`,
  };
}

export async function auditExportCommand(deps: Deps, opts: { out: string; as?: string | undefined }): Promise<CliResult> {
  // the entries in words follow the acting user's language (`--as`, else the first administrator; English without one)
  const language = opts.as || (await findFirstAdmin(deps.db)) ? ((await cliActor(deps, opts.as)).language ?? undefined) : undefined;
  const result = await exportTrail(deps, opts.out, language);
  return {
    stdout: `Exported ${result.entries} audit entries to ${path.join(result.dir, 'trail.txt')} with a checkpoint at entry ${result.seq} signed with key ${result.keyId} (checkpoint.json, checkpoint.txt, checkpoint.sig, public-key.pem; in words: ${result.words})\n`,
  };
}
