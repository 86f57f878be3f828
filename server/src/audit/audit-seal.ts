import type { QueryCreator } from 'kysely';
import type { Config, DialectName } from '../config.ts';
import { type AfterCommit, afterCommit, commitBehind, type Db, isCommitting, type Tx } from '../db/database.ts';
import { lockForTransaction, lockKeys } from '../db/locks.ts';
import type { AuditEntryTable, AuditPendingTable, DB } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { newId } from '../shared/ids.ts';
import { insertCheckpointTx } from './audit-checkpoint.ts';
import { canonicalChangesOf, GENESIS_HASH, type HashedFields, hashEntry } from './audit-hash.ts';
import { loadSigningKey, signText } from './audit-key.ts';
import * as repo from './audit.repository.ts';

/*
 * Sealing: giving committed entries their place in the chain (number, previous hash, hash, signature).
 *
 * SQLite: a write transaction holds the database's only write lock from its first statement to its commit, so the
 * entries are sealed inside it, as its last work (sealEntriesTx).
 * PostgreSQL: a transaction writes its entries into audit_pending (one multi-row insert, no lock, no read of the
 * chain) and commits; right after the commit one sealer per process seals every committed pending entry in one short
 * transaction of its own (sealPending: the chain's advisory lock makes it one sealer across processes too), in the
 * order of their transactions' writes, each transaction's entries together and in the order asked. So the chain's
 * lock no longer spans any writer's commit (its fsync), and one sealing (and its one commit) serves all the
 * transactions that committed meanwhile. The caller of `db.transaction().execute(…)` gets its answer once its entries
 * are sealed (afterCommit), so a reader after a write finds its entry in the trail. A process that stops between the
 * commit and the sealing loses nothing: the entries are committed and the next sealing takes them — the next write of
 * any process, the checkpoint sweep (5 s after a start, then every 15 minutes), a checkpoint, `praxis audit verify`.
 */

export type SealContext = {
  dialect: DialectName;
  clock: Clock;
  config: Pick<Config, 'auditKeyFile' | 'auditKeyGenerate' | 'auditCheckpointEvery'>;
};

/** An entry whose content is fixed and that has no place in the chain yet: the hashed fields but its number. */
export type UnsealedEntry = Omit<HashedFields, 'seq'> & {
  /** the canonical form of `changes` the hash covers, when it was made before (outside the chain's lock) */
  canonicalChanges?: string;
};

/** Rows per insert statement: 15 columns each, well below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const INSERT_CHUNK = 1000;
/** Pending entries sealed per sealing transaction. */
const SEAL_BATCH = 5000;
/**
 * From this many entries a PostgreSQL transaction (an import) seals its own entries inside it, as SQLite does: its one
 * commit holds the chain's lock (writers go on writing pending entries meanwhile; their sealing waits), instead of
 * every entry being written twice.
 */
const SEAL_IN_TRANSACTION = 100;

/** What an entry says, as the columns of a pending row and of a sealed one name it. */
const storedColumns = (e: UnsealedEntry) => ({
  id: e.id,
  at: e.at,
  actor_id: e.actorId,
  actor_label: e.actorLabel,
  scope_id: e.scopeId,
  action: e.action,
  record_type: e.recordType,
  record_id: e.recordId,
  record_ref: e.recordRef,
  changes: e.changes,
});

/**
 * Writes a transaction's entries (in the order asked) as its last work before the commit: sealed now on SQLite (and
 * for a bulk write on PostgreSQL), kept pending and sealed right after the commit on PostgreSQL.
 */
export async function writeEntriesTx(tx: Tx, ctx: SealContext, entries: UnsealedEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (ctx.dialect !== 'postgres' || entries.length >= SEAL_IN_TRANSACTION) {
    await lockForTransaction(tx, ctx.dialect, lockKeys.auditChain);
    await sealEntriesTx(tx, ctx, entries);
    return;
  }
  const batch = newId();
  const rows: AuditPendingTable[] = entries.map((e, n) => ({ ...storedColumns(e), batch, n }));
  // fewer than SEAL_IN_TRANSACTION rows: one statement, the transaction's last when it commits now, and so sent with
  // the commit (commitBehind: its failure still fails the write, whose commit then rolls back)
  const insert = tx.insertInto('audit_pending').values(rows).execute();
  if (isCommitting(tx)) commitBehind(tx, insert);
  else await insert;
  afterCommit(tx, sealAfterCommit(ctx));
}

/** The end of the chain: its last entry's number and hash (null: the chain is empty). */
type ChainEnd = { seq: number; hash: string } | null;

/**
 * Gives `entries` the next places in the chain: reads the chain's end once (unless the caller read it under the lock
 * already: `end`), hashes and signs each entry after the one before, inserts them in multi-row statements and stores a
 * threshold checkpoint at every entry whose number is a multiple of PRAXIS_AUDIT_CHECKPOINT_EVERY. The caller holds
 * the chain's lock. With `last`, the transaction commits right after: its last statement is sent with the commit.
 */
async function sealEntriesTx(
  tx: Tx,
  ctx: SealContext,
  entries: UnsealedEntry[],
  options: { end?: ChainEnd; last?: boolean } = {},
): Promise<void> {
  const last = options.end !== undefined ? options.end : await repo.findLastEntry(tx);
  let prevHash = last?.hash ?? GENESIS_HASH;
  let seq = last ? Number(last.seq) : 0;
  // the signature of the hash (a key outside the database) makes an appended or re-hashed entry stand out
  const key = loadSigningKey(ctx.config);
  const rows: AuditEntryTable[] = [];
  const checkpoints: { seq: number; hash: string }[] = [];
  for (const e of entries) {
    seq += 1;
    const fields = {
      seq,
      id: e.id,
      at: e.at,
      actorId: e.actorId,
      actorLabel: e.actorLabel,
      scopeId: e.scopeId,
      action: e.action,
      recordType: e.recordType,
      recordId: e.recordId,
      recordRef: e.recordRef,
      changes: e.changes,
    };
    const hash = hashEntry(prevHash, fields, e.canonicalChanges ?? canonicalChangesOf(e.changes));
    rows.push({
      ...storedColumns(e),
      seq,
      prev_hash: prevHash,
      hash,
      key_id: key.keyId,
      signature: signText(key, hash),
    });
    if (seq % ctx.config.auditCheckpointEvery === 0) checkpoints.push({ seq, hash });
    prevHash = hash;
  }
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const insert = repo.insertEntries(tx, rows.slice(i, i + INSERT_CHUNK));
    if (options.last && checkpoints.length === 0 && i + INSERT_CHUNK >= rows.length) commitBehind(tx, insert);
    else await insert;
  }
  for (const end of checkpoints) await insertCheckpointTx(tx, ctx, 'threshold', end);
}

/**
 * Takes up to SEAL_BATCH pending entries out of audit_pending, in no particular order, and the chain's end (PostgreSQL:
 * one statement that deletes them and reads the end beside them; the end is read only when there are entries).
 */
async function takePendingTx(tx: Tx, ctx: SealContext): Promise<{ rows: AuditPendingTable[]; end: ChainEnd | undefined }> {
  const taken = (db: QueryCreator<DB>) =>
    db
      .deleteFrom('audit_pending')
      .where('id', 'in', (eb) => eb.selectFrom('audit_pending').select('id').orderBy('batch').orderBy('n').limit(SEAL_BATCH))
      .returningAll();
  // SQLite writes no pending entries (it seals in the writing transaction), and has no delete inside a with
  if (ctx.dialect !== 'postgres') return { rows: await taken(tx).execute(), end: undefined };
  const rows = await tx
    .with('taken', taken)
    .selectFrom('taken')
    .leftJoin(
      (eb) => eb.selectFrom('audit_entry').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).as('chain_end'),
      (join) => join.onTrue(),
    )
    .selectAll('taken')
    .select(['chain_end.seq as end_seq', 'chain_end.hash as end_hash'])
    .execute();
  const first = rows[0];
  const end = first?.end_seq != null && first.end_hash != null ? { seq: Number(first.end_seq), hash: first.end_hash } : null;
  return { rows: rows.map(({ end_seq: _seq, end_hash: _hash, ...row }) => row), end };
}

/**
 * Seals the committed pending entries (and the caller's own) inside the caller's transaction, in the order of their
 * writes, until none is left; takes the chain's lock. Returns how many it sealed. For a reader of the chain's end that
 * must see every entry (a checkpoint), and for the sealer, whose transaction commits right after (`last`: its last
 * insert is sent with the commit).
 */
export async function sealPendingTx(tx: Tx, ctx: SealContext, options: { last?: boolean } = {}): Promise<number> {
  // the lock and the first read are sent together (and behind the transaction's begin, db/dialects/postgres.ts);
  // PostgreSQL runs the read after the lock is held, so it sees every entry committed before
  const locked = lockForTransaction(tx, ctx.dialect, lockKeys.auditChain);
  locked.catch(() => {}); // its failure fails the read sent behind it, and is thrown there
  let sealed = 0;
  for (let first = true; ; first = false) {
    const taking = takePendingTx(tx, ctx);
    if (first) await Promise.all([locked, taking]);
    const { rows, end } = await taking;
    if (rows.length === 0) return sealed;
    rows.sort((a, b) => (a.batch < b.batch ? -1 : a.batch > b.batch ? 1 : a.n - b.n));
    const more = rows.length === SEAL_BATCH;
    await sealEntriesTx(
      tx,
      ctx,
      rows.map((r) => ({
        id: r.id,
        at: r.at,
        actorId: r.actor_id,
        actorLabel: r.actor_label,
        scopeId: r.scope_id,
        action: r.action,
        recordType: r.record_type,
        recordId: r.record_id,
        recordRef: r.record_ref,
        changes: r.changes,
      })),
      // commit behind the last insert only on PostgreSQL, whose commit rolls back after a failed statement
      { end, last: options.last === true && !more && ctx.dialect === 'postgres' },
    );
    sealed += rows.length;
    if (!more) return sealed;
  }
}

/** One sealer per database object: at most one sealing runs, and at most one more waits to start after it. */
class Sealer {
  private running: Promise<number> | null = null;
  private next: Promise<number> | null = null;

  private readonly db: Db;
  private readonly ctx: SealContext;

  constructor(db: Db, ctx: SealContext) {
    this.db = db;
    this.ctx = ctx;
  }

  /** Resolves when a sealing that began after this call has finished: every entry committed before it is sealed. */
  request(): Promise<number> {
    if (this.next) return this.next;
    if (!this.running) return this.start();
    this.next = this.running
      .catch(() => 0)
      .then(() => {
        this.next = null;
        return this.start();
      });
    return this.next;
  }

  private start(): Promise<number> {
    const run = this.db
      .transaction()
      .execute((tx) => sealPendingTx(tx, this.ctx, { last: true }))
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    this.running = run;
    return run;
  }
}

const sealers = new WeakMap<Db, Sealer>();

/** Seals every entry committed and not yet sealed, sharing a sealing that is about to start. Returns how many it sealed. */
export function sealPending(deps: SealContext & { db: Db }): Promise<number> {
  let sealer = sealers.get(deps.db);
  if (!sealer) {
    sealer = new Sealer(deps.db, deps);
    sealers.set(deps.db, sealer);
  }
  return sealer.request();
}

const afterCommitWork = new WeakMap<SealContext, AfterCommit>();

/**
 * The work a transaction with pending entries runs after its commit (the same function for the same context, so that
 * a transaction asks for it once). A failed sealing does not fail the write, which is committed: its entries stay
 * pending and the next sealing takes them.
 */
function sealAfterCommit(ctx: SealContext): AfterCommit {
  let work = afterCommitWork.get(ctx);
  if (!work) {
    work = async (db) => {
      try {
        await sealPending({ ...ctx, db });
      } catch (err) {
        process.emitWarning(`audit entries committed and not yet sealed (the next sealing takes them): ${(err as Error).message}`);
      }
    };
    afterCommitWork.set(ctx, work);
  }
  return work;
}
