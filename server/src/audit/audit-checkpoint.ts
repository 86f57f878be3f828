import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { type Executor, runBeforeCommitWork, type Tx } from '../db/database.ts';
import type { AuditCheckpointTable } from '../db/schema.ts';
import { type Clock, isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { checkpointMessage, loadSigningKey, type PublicKeyInfo, publicKeyFromPem, signText, verifyText } from './audit-key.ts';
import { type SealContext, sealPendingTx } from './audit-seal.ts';

/*
 * Checkpoints: signed statements "the trail ended at entry <seq> with <hash> at <time>". They are kept in the database
 * (audit_checkpoint) and, to be of use against someone who can rewrite the database, outside it: the daily sweep writes
 * each one as a file into PRAXIS_AUDIT_CHECKPOINT_DIR, and `praxis audit checkpoint --out FILE` exports one on demand.
 * `praxis audit verify --checkpoint FILE` then finds a trail that was cut below, re-hashed before, or appended to
 * after a checkpoint (entries after it must carry a valid signature).
 */

export type CheckpointReason = AuditCheckpointTable['reason'];

/** A checkpoint as exported: everything needed to check it, with openssl alone if need be. */
export interface CheckpointFile {
  format: 'praxis-audit-checkpoint';
  version: 1;
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  /** SPKI PEM */
  publicKey: string;
  /** base64 Ed25519 signature of `signed` */
  signature: string;
  /** the exact text that was signed: praxis-audit-checkpoint:<seq>:<hash>:<at> */
  signed: string;
}

const checkpointFileSchema = z.object({
  format: z.literal('praxis-audit-checkpoint'),
  version: z.literal(1),
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string().min(1),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  publicKey: z.string().min(1),
  signature: z.string().min(1),
  signed: z.string(),
});

/** A checkpoint whose signature was checked, with the key that made it. */
export interface TrustedCheckpoint {
  seq: number;
  hash: string;
  at: string;
  key: PublicKeyInfo;
  /** where it came from, for messages: a file's name or "the database" */
  source: string;
}

export function toCheckpointFile(
  row: Pick<AuditCheckpointTable, 'seq' | 'hash' | 'at' | 'key_id' | 'public_key' | 'signature'>,
): CheckpointFile {
  const seq = Number(row.seq);
  return {
    format: 'praxis-audit-checkpoint',
    version: 1,
    seq,
    hash: row.hash,
    at: row.at,
    keyId: row.key_id,
    publicKey: row.public_key,
    signature: row.signature,
    signed: checkpointMessage({ seq, hash: row.hash, at: row.at }),
  };
}

/**
 * Reads an exported checkpoint and checks its signature against the key it names; refuses (AppError) a file that is
 * not a checkpoint or whose signature does not hold.
 */
export function readCheckpointFile(file: string): TrustedCheckpoint {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AppError('not_found', errorText('auditTrail.noCheckpointFile', { file }));
  }
  let parsed: z.infer<typeof checkpointFileSchema>;
  try {
    parsed = checkpointFileSchema.parse(JSON.parse(text));
  } catch {
    throw new AppError('validation_failed', errorText('auditTrail.notACheckpoint', { file }));
  }
  let key: PublicKeyInfo;
  try {
    key = publicKeyFromPem(parsed.publicKey);
  } catch {
    throw new AppError('validation_failed', errorText('auditTrail.notACheckpoint', { file }));
  }
  const message = checkpointMessage(parsed);
  if (key.keyId !== parsed.keyId || !verifyText(key, message, parsed.signature)) {
    throw new AppError('validation_failed', errorText('auditTrail.checkpointSignatureInvalid', { file }));
  }
  return { seq: parsed.seq, hash: parsed.hash, at: parsed.at, key, source: path.basename(file) };
}

export function writeCheckpointFile(file: string, checkpoint: CheckpointFile): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(checkpoint, null, 2)}\n`);
}

/**
 * Signs the trail's current end and stores the checkpoint, inside the caller's transaction (after the chain lock, so
 * that no append slips in between). Returns null while the trail is empty.
 */
export async function createCheckpointTx(tx: Tx, deps: SealContext, reason: CheckpointReason): Promise<AuditCheckpointTable | null> {
  // the entries this transaction has asked for are written first, and every committed entry not yet sealed is sealed
  // (audit-seal.ts; takes the chain's lock), so that the checkpoint is of the trail's real end
  await runBeforeCommitWork(tx);
  await sealPendingTx(tx, deps);
  const last = await tx.selectFrom('audit_entry').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!last) return null;
  return insertCheckpointTx(tx, deps, reason, { seq: Number(last.seq), hash: last.hash });
}

/** Stores a checkpoint for an entry the caller has just written (the chain lock is held). */
export async function insertCheckpointTx(
  tx: Tx,
  deps: { clock: Clock; config: Pick<Config, 'auditKeyFile' | 'auditKeyGenerate'> },
  reason: CheckpointReason,
  end: { seq: number; hash: string },
): Promise<AuditCheckpointTable> {
  const key = loadSigningKey(deps.config);
  const at = isoNow(deps.clock);
  const row: AuditCheckpointTable = {
    id: newId(),
    seq: end.seq,
    hash: end.hash,
    at,
    reason,
    key_id: key.keyId,
    public_key: key.publicKeyPem,
    signature: signText(key, checkpointMessage({ seq: end.seq, hash: end.hash, at })),
  };
  await tx.insertInto('audit_checkpoint').values(row).execute();
  return row;
}

/** A checkpoint made now, committed. */
export function createCheckpoint(deps: Deps, reason: CheckpointReason): Promise<AuditCheckpointTable | null> {
  return deps.db.transaction().execute((tx) => createCheckpointTx(tx, deps, reason));
}

export async function listCheckpoints(db: Executor) {
  const rows = await db.selectFrom('audit_checkpoint').selectAll().orderBy('seq').orderBy('at').execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * The sweep: once a day, when the trail has grown since the last checkpoint, a new one is signed, stored and written
 * to PRAXIS_AUDIT_CHECKPOINT_DIR as checkpoint-<seq>.json (outside the database). Several instances may run it at
 * once: the chain lock lets one sign, the others then find it fresh. Seals the committed entries not yet sealed first
 * (the sweep runs 5 s after a start). Returns 1 when it made one.
 */
export async function sweepAuditCheckpoints(deps: Deps): Promise<number> {
  const made = await deps.db.transaction().execute(async (tx) => {
    // entries committed and not yet sealed (a process stopped between a commit and its sealing) are sealed first
    await sealPendingTx(tx, deps);
    const [last, latest] = await Promise.all([
      tx.selectFrom('audit_entry').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst(),
      tx
        .selectFrom('audit_checkpoint')
        .select(['seq', 'at'])
        .where('reason', '!=', 'threshold')
        .orderBy('at', 'desc')
        .limit(1)
        .executeTakeFirst(),
    ]);
    if (!last) return null;
    if (latest && Number(latest.seq) >= Number(last.seq)) return null;
    if (latest && deps.clock.now().getTime() - new Date(latest.at).getTime() < DAY_MS) return null;
    return createCheckpointTx(tx, deps, 'sweep');
  });
  if (!made) return 0;
  writeCheckpointFile(path.join(deps.config.auditCheckpointDir, `checkpoint-${made.seq}.json`), toCheckpointFile(made));
  return 1;
}
