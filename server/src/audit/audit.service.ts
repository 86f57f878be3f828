import type { DialectName } from '../config.ts';
import type { Tx } from '../db/database.ts';
import { lockForTransaction, lockKeys } from '../db/locks.ts';
import type { Actor } from '../auth/actor.ts';
import { type Clock, isoNow } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { GENESIS_HASH, type Changes, hashEntry } from './audit-hash.ts';
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
  ctx: { dialect: DialectName; clock: Clock },
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
    hash: hashEntry(prevHash, fields),
  });
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; seq: number; problem: string };

/** Walks the chain in order and reports the first entry that was edited, deleted or reordered. */
export async function verifyAuditChain(db: Parameters<typeof repo.iterateChain>[0]): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for await (const row of repo.iterateChain(db)) {
    if (row.seq !== expectedSeq) {
      return { ok: false, entries: count, seq: expectedSeq, problem: `entry ${expectedSeq} is missing (next is ${row.seq})` };
    }
    if (row.prev_hash !== prevHash) {
      return {
        ok: false,
        entries: count,
        seq: row.seq,
        problem: `entry ${row.seq} does not follow entry ${row.seq - 1} (deleted or reordered)`,
      };
    }
    const hash = hashEntry(prevHash, {
      seq: row.seq,
      id: row.id,
      at: row.at,
      actorId: row.actor_id,
      actorLabel: row.actor_label,
      scopeId: row.scope_id,
      action: row.action,
      recordType: row.record_type,
      recordId: row.record_id,
      recordRef: row.record_ref,
      changes: row.changes,
    });
    if (hash !== row.hash) {
      return { ok: false, entries: count, seq: row.seq, problem: `entry ${row.seq} was edited (its hash does not match its content)` };
    }
    prevHash = row.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, entries: count };
}
