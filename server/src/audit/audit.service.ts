import type { Config, DialectName } from '../config.ts';
import type { Executor, Tx } from '../db/database.ts';
import { lockForTransaction, lockKeys } from '../db/locks.ts';
import type { Actor } from '../auth/actor.ts';
import { type Clock, isoNow } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { insertCheckpointTx, listCheckpoints, type TrustedCheckpoint } from './audit-checkpoint.ts';
import { GENESIS_HASH, type Changes, hashEntry, hashedFieldsOf } from './audit-hash.ts';
import { checkpointMessage, loadSigningKey, type PublicKeyInfo, signText, verifyText } from './audit-key.ts';
import * as repo from './audit.repository.ts';

export interface AuditRecord {
  scopeId: string | null;
  action: string;
  recordType: string;
  recordId: string;
  recordRef?: string | null;
  changes: Changes;
}

/**
 * Appends one hash-chained entry inside the caller's transaction, so the entry exists if and only if the change does.
 * The chain is global; appends are serialised by a lock (PostgreSQL) or the write lock (SQLite).
 */
export async function appendAudit(
  tx: Tx,
  ctx: { dialect: DialectName; clock: Clock; config: Pick<Config, 'auditKeyFile' | 'auditKeyGenerate' | 'auditCheckpointEvery'> },
  actor: Actor | null,
  record: AuditRecord,
): Promise<void> {
  await lockForTransaction(tx, ctx.dialect, lockKeys.auditChain);
  const last = await repo.findLastEntry(tx);
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields = {
    seq: last ? Number(last.seq) + 1 : 1,
    id: newId(),
    at: isoNow(ctx.clock),
    actorId: actor?.userId ?? null,
    actorLabel: actor ? `${actor.name} <${actor.email}>` : 'system',
    scopeId: record.scopeId,
    action: record.action,
    recordType: record.recordType,
    recordId: record.recordId,
    recordRef: record.recordRef ?? null,
    changes: JSON.stringify(record.changes),
  };
  const hash = hashEntry(prevHash, fields);
  // the signature of the hash (a key outside the database) makes an appended or re-hashed entry stand out
  const key = loadSigningKey(ctx.config);
  await repo.insertEntry(tx, {
    seq: fields.seq,
    id: fields.id,
    at: fields.at,
    actor_id: fields.actorId,
    actor_label: fields.actorLabel,
    scope_id: fields.scopeId,
    action: fields.action,
    record_type: fields.recordType,
    record_id: fields.recordId,
    record_ref: fields.recordRef,
    changes: fields.changes,
    prev_hash: prevHash,
    hash,
    key_id: key.keyId,
    signature: signText(key, hash),
  });
  if (fields.seq % ctx.config.auditCheckpointEvery === 0) await insertCheckpointTx(tx, ctx, 'threshold', { seq: fields.seq, hash });
}

export type VerifyResult =
  | {
      ok: true;
      entries: number;
      /** entries whose signature was checked against a trusted key */
      signed: number;
      /** entries without such a signature that a trusted checkpoint vouches for (written before signing began, or
       * signed by the key of the installation a backup came from) */
      coveredOnly: number;
      /** the highest entry a trusted checkpoint vouches for (null: none was given or stored) */
      checkpointSeq: number | null;
    }
  | { ok: false; entries: number; seq: number; problem: string };

/** What the verifier trusts: keys held outside the database, and checkpoints exported earlier (already checked). */
export interface Trust {
  /** keys whose signatures count: the installation's own key, the keys of checkpoint files */
  keys?: readonly PublicKeyInfo[];
  /** checkpoints from files (`praxis audit verify --checkpoint FILE`) */
  checkpoints?: readonly TrustedCheckpoint[];
}

/**
 * Walks the chain in order and reports the first entry that was edited, deleted or reordered (the hash chain). With
 * trusted keys it also checks each entry's signature and the checkpoints stored in the database, and with
 * checkpoints it finds what the chain alone cannot see:
 * - a trail cut at its end (a checkpoint vouches for an entry that is no longer there);
 * - entries edited and every later hash recomputed (the entry at a checkpoint no longer has the signed hash, and the
 *   recomputed entries' signatures do not match);
 * - entries appended by someone without the key (after the newest checkpoint every entry must carry a valid signature
 *   of a trusted key).
 * Entries written before signing began (an installation upgraded from an older release) are unsigned; they count as
 * long as they come before the first signed entry, and a checkpoint covers them.
 */
export async function verifyAuditChain(db: Executor, trust: Trust = {}): Promise<VerifyResult> {
  const keys = new Map((trust.keys ?? []).map((k) => [k.keyId, k]));
  const anchors: TrustedCheckpoint[] = [...(trust.checkpoints ?? [])];
  if (keys.size > 0) {
    for (const c of await listCheckpoints(db)) {
      const key = keys.get(c.key_id);
      if (!key) continue; // another installation's checkpoint (before a restore): its own key is not trusted here
      if (!verifyText(key, checkpointMessage(c), c.signature)) {
        return {
          ok: false,
          entries: 0,
          seq: c.seq,
          problem: `the stored checkpoint of ${c.at} for entry ${c.seq} does not carry a valid signature (forged)`,
        };
      }
      anchors.push({ seq: c.seq, hash: c.hash, at: c.at, key, source: 'the database' });
    }
  }
  const anchorAt = new Map<number, TrustedCheckpoint[]>();
  for (const a of anchors) anchorAt.set(a.seq, [...(anchorAt.get(a.seq) ?? []), a]);
  const covered = anchors.reduce((max, a) => Math.max(max, a.seq), 0);
  const checkSignatures = keys.size > 0 || anchors.length > 0;

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let signed = 0;
  let coveredOnly = 0;
  let signingBegan = false;
  const fail = (seq: number, problem: string): VerifyResult => ({ ok: false, entries: count, seq, problem });
  for await (const row of repo.iterateChain(db)) {
    if (row.seq !== expectedSeq) return fail(expectedSeq, `entry ${expectedSeq} is missing (next is ${row.seq})`);
    if (row.prev_hash !== prevHash) return fail(row.seq, `entry ${row.seq} does not follow entry ${row.seq - 1} (deleted or reordered)`);
    const hash = hashEntry(prevHash, hashedFieldsOf(row));
    if (hash !== row.hash) return fail(row.seq, `entry ${row.seq} was edited (its hash does not match its content)`);
    for (const a of anchorAt.get(row.seq) ?? []) {
      if (a.hash !== row.hash) {
        return fail(
          row.seq,
          `entry ${row.seq} is not the entry the signed checkpoint of ${a.at} (${a.source}) vouches for: the trail was rewritten and re-hashed up to here`,
        );
      }
    }
    if (checkSignatures) {
      const key = row.key_id ? keys.get(row.key_id) : undefined;
      if (row.signature) signingBegan = true;
      if (key && row.signature) {
        if (!verifyText(key, row.hash, row.signature)) {
          return fail(row.seq, `entry ${row.seq} carries a signature that does not match its hash (forged or re-hashed)`);
        }
        signed += 1;
      } else if (row.seq <= covered) {
        coveredOnly += 1;
      } else if (row.signature || signingBegan) {
        return fail(
          row.seq,
          row.signature
            ? `entry ${row.seq} is signed by a key this installation does not trust (${row.key_id}) and no checkpoint covers it: forged, or restored without a checkpoint of its installation (--checkpoint)`
            : `entry ${row.seq} carries no signature although entries before it do (forged or appended without the key)`,
        );
      }
    }
    prevHash = row.hash;
    expectedSeq += 1;
    count += 1;
  }
  const beyond = anchors.filter((a) => a.seq >= expectedSeq).sort((a, b) => b.seq - a.seq)[0];
  if (beyond) {
    return fail(
      expectedSeq,
      `the trail ends at entry ${expectedSeq - 1}, but the signed checkpoint of ${beyond.at} (${beyond.source}) vouches for entry ${beyond.seq}: entries were removed from its end`,
    );
  }
  return { ok: true, entries: count, signed, coveredOnly, checkpointSeq: anchors.length ? covered : null };
}
