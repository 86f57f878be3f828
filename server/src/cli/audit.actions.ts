import { createPublicKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createCheckpoint, readCheckpointFile, toCheckpointFile, writeCheckpointFile } from '../audit/audit-checkpoint.ts';
import { exportTrail } from '../audit/audit-export.ts';
import { loadSigningKey, type PublicKeyInfo, publicKeyFromPem } from '../audit/audit-key.ts';
import { sealPending } from '../audit/audit-seal.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText } from '../shared/errors.ts';
import { type CliResult, cliActor } from './actions.ts';
import { cliLanguage, cliText, wordedIn } from './cli-language.ts';

/* The `praxis audit verify|checkpoint|export` commands (loaded by commands.ts only when one of them runs; tested in-process). */

export async function auditVerifyCommand(
  deps: Deps,
  opts: { checkpoint?: string[]; publicKey?: string[] } = {},
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const lang = await cliLanguage(deps, env);
  return wordedIn(
    lang,
    async () => {
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
        // Praxis's sentence in the command's language; what Node's crypto says about the file follows as its details
        let key: KeyObject;
        try {
          key = createPublicKey(pem);
        } catch (e) {
          throw new AppError('validation_failed', errorText('auditTrail.notAPublicKey', { file, details: (e as Error).message }));
        }
        if (key.asymmetricKeyType !== 'ed25519') {
          throw new AppError('validation_failed', errorText('auditTrail.notEd25519', { file, type: key.asymmetricKeyType ?? '' }));
        }
        keys.push(publicKeyFromPem(pem));
      }
      // entries committed and not yet sealed into the chain are sealed first (audit-seal.ts); a verifier that may not
      // write (a read-only account) verifies the chain as sealed so far: an entry not yet sealed is not part of it yet
      await sealPending(deps).catch(() => 0);
      const result = await verifyAuditChain(deps.db, { keys, checkpoints });
      if (result.ok) {
        const parts = [
          cliText(lang, 'verify.entries', { count: result.entries }),
          cliText(lang, 'verify.chainIntact'),
          cliText(lang, result.coveredOnly ? 'verify.signaturesCovered' : 'verify.signatures', {
            count: result.signed,
            covered: result.coveredOnly,
          }),
          result.checkpointSeq === null
            ? cliText(lang, 'verify.noCheckpoint')
            : cliText(lang, 'verify.checkpointUpTo', { seq: result.checkpointSeq }),
        ];
        return { stdout: `${cliText(lang, 'verify.ok', { what: parts.join(', ') })}\n` };
      }
      return {
        stdout: '',
        stderr: `${cliText(lang, 'verify.failed', { seq: result.seq, problem: result.text, count: result.entries })}\n`,
        exitCode: 3,
      };
    },
    { checkpoint: '--checkpoint' },
  );
}

export async function auditCheckpointCommand(
  deps: Deps,
  opts: { out?: string | undefined },
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const lang = await cliLanguage(deps, env);
  return wordedIn(lang, async () => {
    const row = await createCheckpoint(deps, 'command');
    if (!row) throw new AppError('invalid_state', errorText('auditTrail.empty'));
    const file = toCheckpointFile(row);
    if (opts.out) writeCheckpointFile(opts.out, file);
    // the hash and the key's id are printed as they are: they are compared with the checkpoint file
    const params = { seq: file.seq, hash: file.hash, keyId: file.keyId, file: opts.out ?? null };
    return { stdout: `${cliText(lang, opts.out ? 'checkpoint.written' : 'checkpoint.signed', params)}\n` };
  });
}

export async function auditExportCommand(
  deps: Deps,
  opts: { out: string; as?: string | undefined },
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  // the entries in words (trail.<language>.txt) and the answer follow the CLI's language: the acting user's (`--as`, else
  // the first administrator's) setting, else the locale; trail.txt, the checkpoint and the key are the same in any language
  const lang = await cliLanguage(deps, env, { actsAsUser: true, as: opts.as });
  return wordedIn(lang, async () => {
    if (opts.as) await cliActor(deps, opts.as);
    const result = await exportTrail(deps, opts.out, lang);
    return {
      stdout: `${cliText(lang, 'auditExport.done', {
        entries: { key: 'cli:verify.entries', params: { count: result.entries } },
        file: path.join(result.dir, 'trail.txt'),
        seq: result.seq,
        keyId: result.keyId,
        words: result.words,
      })}\n`,
    };
  });
}
