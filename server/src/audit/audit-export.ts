import fs from 'node:fs';
import path from 'node:path';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText } from '../shared/errors.ts';
import { createCheckpoint, toCheckpointFile, writeCheckpointFile } from './audit-checkpoint.ts';
import { canonicalEntry, hashedFieldsOf } from './audit-hash.ts';
import * as repo from './audit.repository.ts';

/*
 * The trail export for an auditor who verifies it without Praxis (README "Verifying the audit trail without Praxis"):
 *
 *   trail.txt        one line per entry: `<seq> <prev_hash> <hash> <signature or -> <canonical entry JSON>`, where
 *                    hash = sha256(prev_hash || canonical entry JSON) over the line's own bytes, so that
 *                    `printf '%s%s' "$prev" "$entry" | sha256sum` recomputes it;
 *   checkpoint.json  a checkpoint signed now, for the last exported entry (also `praxis audit verify --checkpoint`);
 *   checkpoint.txt   the exact text it signs (praxis-audit-checkpoint:<seq>:<hash>:<at>, no newline);
 *   checkpoint.sig   its raw Ed25519 signature (`openssl pkeyutl -verify -rawin`);
 *   public-key.pem   the installation's public key (SPKI PEM).
 */

export interface TrailExport {
  dir: string;
  entries: number;
  seq: number;
  hash: string;
  keyId: string;
}

export async function exportTrail(deps: Deps, dir: string): Promise<TrailExport> {
  // the checkpoint first: the export ends at the entry it vouches for, whatever is appended meanwhile
  const checkpoint = await createCheckpoint(deps, 'command');
  if (!checkpoint) throw new AppError('invalid_state', errorText('auditTrail.empty'));
  fs.mkdirSync(dir, { recursive: true });
  const out = fs.createWriteStream(path.join(dir, 'trail.txt'));
  let entries = 0;
  try {
    for await (const row of repo.iterateChain(deps.db)) {
      if (row.seq > checkpoint.seq) break;
      const line = `${row.seq} ${row.prev_hash} ${row.hash} ${row.signature ?? '-'} ${canonicalEntry(hashedFieldsOf(row))}\n`;
      if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', resolve));
      entries += 1;
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  const file = toCheckpointFile(checkpoint);
  writeCheckpointFile(path.join(dir, 'checkpoint.json'), file);
  fs.writeFileSync(path.join(dir, 'checkpoint.txt'), file.signed);
  fs.writeFileSync(path.join(dir, 'checkpoint.sig'), Buffer.from(file.signature, 'base64'));
  fs.writeFileSync(path.join(dir, 'public-key.pem'), file.publicKey);
  return { dir, entries, seq: file.seq, hash: file.hash, keyId: file.keyId };
}
