import type { Config, DialectName } from '../config.ts';
import { beforeCommit, type Executor, registerTransactionState, type Tx } from '../db/database.ts';
import type { Actor } from '../auth/actor.ts';
import { type Clock, isoNow } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { type ComposedText, english, type TextParam } from '../i18n/i18n.ts';
import { listCheckpoints, type TrustedCheckpoint } from './audit-checkpoint.ts';
import { canonicalChangesOf, GENESIS_HASH, type Changes, hashEntry, hashedFieldsOf } from './audit-hash.ts';
import { checkpointMessage, type PublicKeyInfo, verifyText } from './audit-key.ts';
import { writeEntriesTx } from './audit-seal.ts';
import * as repo from './audit.repository.ts';

export interface AuditRecord {
  scopeId: string | null;
  action: string;
  recordType: string;
  recordId: string;
  recordRef?: string | null;
  changes: Changes;
}

type AuditContext = {
  dialect: DialectName;
  clock: Clock;
  config: Pick<Config, 'auditKeyFile' | 'auditKeyGenerate' | 'auditCheckpointEvery'>;
};

/** An entry asked for and not yet written: what it says is fixed when it is asked for. */
interface PendingEntry {
  ctx: AuditContext;
  id: string;
  actorId: string | null;
  actorLabel: string;
  record: AuditRecord;
  changes: string;
  /** the canonical form the hash covers, made here rather than under the chain's lock */
  canonicalChanges: string;
}

/** The entries each open transaction has asked for, written together just before it commits (flushAuditTx). */
const pendingEntries = new WeakMap<Tx, PendingEntry[]>();

/*
 * A savepoint rolled back (withSavepoint) takes back the entries asked for inside it: the buffer as it was is kept by
 * reference and length. When a flush inside the savepoint wrote the buffer (a checkpoint), the rollback removed those
 * rows, so the entries asked for before the savepoint are pending again.
 */
registerTransactionState({
  mark: (tx) => {
    const pending = pendingEntries.get(tx);
    return { pending, length: pending?.length ?? 0 };
  },
  rewind: (tx, mark) => {
    const { pending, length } = mark as { pending: PendingEntry[] | undefined; length: number };
    if (!pending || length === 0) {
      pendingEntries.delete(tx);
      return;
    }
    if (pendingEntries.get(tx) === pending) {
      pending.length = length;
      return;
    }
    pendingEntries.set(tx, pending.slice(0, length));
    beforeCommit(tx, flushAuditTx);
  },
});

/** Who watches the entries asked for: the tests' check that every word an entry carries has a label (audit-vocabulary). */
const appendObservers: ((record: AuditRecord) => void)[] = [];

/** Calls `observer` with every entry asked for from now on (tests only: server/src/test/audit-vocabulary.setup.ts). */
export function observeAuditAppends(observer: (record: AuditRecord) => void): void {
  appendObservers.push(observer);
}

/**
 * Appends one hash-chained entry in the caller's transaction, so the entry exists if and only if the change does.
 * The entry is kept on the transaction and written, with every other entry of the transaction, as its last work before
 * the commit (flushAuditTx): only then is the chain's lock taken, so writers are serialised for the write of their
 * entries and the commit, not for their whole work. Fails for a transaction not opened by `db.transaction()` of
 * openDatabase (db/database.ts beforeCommit), so that no entry is ever lost silently.
 */
export async function appendAudit(tx: Tx, ctx: AuditContext, actor: Actor | null, record: AuditRecord): Promise<void> {
  let pending = pendingEntries.get(tx);
  if (!pending) {
    beforeCommit(tx, flushAuditTx);
    pending = [];
    pendingEntries.set(tx, pending);
  }
  const changes = JSON.stringify(record.changes);
  for (const observe of appendObservers) observe(record);
  pending.push({
    ctx,
    id: newId(),
    actorId: actor?.userId ?? null,
    actorLabel: actor ? `${actor.name} <${actor.email}>` : 'system',
    record,
    changes,
    canonicalChanges: canonicalChangesOf(changes),
  });
}

/**
 * Writes the entries the transaction has asked for, in the order asked (audit-seal.ts writeEntriesTx): sealed into the
 * chain now on SQLite, kept pending and sealed right after the commit on PostgreSQL. Run by the transaction before its
 * commit; run it earlier only to read the trail inside the transaction (createCheckpointTx does, through
 * runBeforeCommitWork, and seals them).
 */
export async function flushAuditTx(tx: Tx): Promise<void> {
  const pending = pendingEntries.get(tx);
  pendingEntries.delete(tx);
  if (!pending?.length) return;
  const at = isoNow(pending[0]!.ctx.clock);
  await writeEntriesTx(
    tx,
    pending[0]!.ctx,
    pending.map((p) => ({
      id: p.id,
      at,
      actorId: p.actorId,
      actorLabel: p.actorLabel,
      scopeId: p.record.scopeId,
      action: p.record.action,
      recordType: p.record.recordType,
      recordId: p.record.recordId,
      recordRef: p.record.recordRef ?? null,
      changes: p.changes,
      canonicalChanges: p.canonicalChanges,
    })),
  );
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
  | {
      ok: false;
      entries: number;
      seq: number;
      /** the problem in English (logs, the backup's refusal) */
      problem: string;
      /** the problem as a text of the `errors:auditTrail.problem` catalog, for the reader's language (`praxis audit verify`) */
      text: ComposedText;
    };

/** A problem the verifier found, as a text (`errors:auditTrail.problem.<key>`) and its parameters. */
const problemText = (key: string, params: Record<string, TextParam>): ComposedText => ({ key: `errors:auditTrail.problem.${key}`, params });
const storedSource = 'the database';
/** Where a checkpoint came from, in words: a file by its name, the stored checkpoints as such. */
const sourceParam = (source: string): TextParam =>
  source === storedSource ? { key: 'errors:auditTrail.problem.storedCheckpoints' } : source;

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
        const text = problemText('checkpointForged', { at: c.at, seq: c.seq });
        return { ok: false, entries: 0, seq: c.seq, problem: english(text), text };
      }
      anchors.push({ seq: c.seq, hash: c.hash, at: c.at, key, source: storedSource });
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
  const fail = (seq: number, text: ComposedText): VerifyResult => ({ ok: false, entries: count, seq, problem: english(text), text });
  for await (const row of repo.iterateChain(db)) {
    if (row.seq !== expectedSeq) return fail(expectedSeq, problemText('missing', { seq: expectedSeq, next: row.seq }));
    if (row.prev_hash !== prevHash) return fail(row.seq, problemText('notFollowing', { seq: row.seq, previous: row.seq - 1 }));
    const hash = hashEntry(prevHash, hashedFieldsOf(row));
    if (hash !== row.hash) return fail(row.seq, problemText('edited', { seq: row.seq }));
    for (const a of anchorAt.get(row.seq) ?? []) {
      if (a.hash !== row.hash) {
        return fail(row.seq, problemText('rewritten', { seq: row.seq, at: a.at, source: sourceParam(a.source) }));
      }
    }
    if (checkSignatures) {
      const key = row.key_id ? keys.get(row.key_id) : undefined;
      if (row.signature) signingBegan = true;
      if (key && row.signature) {
        if (!verifyText(key, row.hash, row.signature)) {
          return fail(row.seq, problemText('signatureMismatch', { seq: row.seq }));
        }
        signed += 1;
      } else if (row.seq <= covered) {
        coveredOnly += 1;
      } else if (row.signature || signingBegan) {
        return fail(
          row.seq,
          row.signature ? problemText('untrustedKey', { seq: row.seq, keyId: row.key_id }) : problemText('unsigned', { seq: row.seq }),
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
      problemText('cut', { last: expectedSeq - 1, at: beyond.at, source: sourceParam(beyond.source), seq: beyond.seq }),
    );
  }
  return { ok: true, entries: count, signed, coveredOnly, checkpointSeq: anchors.length ? covered : null };
}
