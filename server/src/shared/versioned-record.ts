import { diffChanges } from '../audit/audit-hash.ts';
import { appendAudit } from '../audit/audit.service.ts';
import type { Actor } from '../auth/actor.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { updateVersioned, type VersionedTable } from '../db/versioned.ts';
import { isoNow } from './clock.ts';
import type { Deps } from './context.ts';
import { changedBySomeoneElse, conflictWithCurrent, errorText, notFound, versionConflict } from './errors.ts';

/** How a module loads, names and audits one kind of versioned record. */
export interface VersionedRecordKind<T extends { reference: string; version: number }, Tbl extends VersionedTable> {
  table: Tbl;
  recordType: string;
  /** for "… not found" */
  label: string;
  load(db: Executor, scopeId: string, id: string): Promise<T | null>;
  /** the fields the audit trail compares */
  auditable(record: T): Record<string, unknown>;
}

/** The record of the scope, or 404 naming its kind. */
export async function loadVersionedRecord<T extends { reference: string; version: number }, Tbl extends VersionedTable>(
  db: Executor,
  kind: VersionedRecordKind<T, Tbl>,
  scopeId: string,
  id: string,
): Promise<T> {
  const record = await kind.load(db, scopeId, id);
  if (!record) throw notFound(kind.label);
  return record;
}

/** After inserting a record in `tx`: loads it as created and appends the audit entry of its creation. Returns the record. */
export async function auditCreatedRecord<T extends { reference: string; version: number }, Tbl extends VersionedTable>(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  kind: VersionedRecordKind<T, Tbl>,
  target: { scopeId: string; id: string },
): Promise<T> {
  const after = (await kind.load(tx, target.scopeId, target.id))!;
  await appendAudit(tx, deps, actor, {
    scopeId: target.scopeId,
    action: 'create',
    recordType: kind.recordType,
    recordId: target.id,
    recordRef: after.reference,
    changes: diffChanges(null, kind.auditable(after)),
  });
  return after;
}

/** Where a module's change differs from the default one. */
export interface ChangeOptions {
  /** the audit entry's action ('update' unless said) */
  action?: string;
  /** a stale `version` is answered "<reference> was changed by someone else since you opened it" */
  conflictSinceOpened?: boolean;
  /** bump the version and append the audit entry on every change, also without a patch or an audited difference */
  always?: boolean;
}

/**
 * The one way a service changes a versioned record: in a transaction, load it, refuse a stale `version` (409 with the
 * current record), let `change` validate and return the patch (or null when it only wrote related rows), write it with
 * the version check, and append the audit entry of what changed. Returns the record as it is afterwards.
 */
export async function changeVersionedRecord<T extends { reference: string; version: number }, Tbl extends VersionedTable>(
  deps: Deps,
  actor: Actor,
  kind: VersionedRecordKind<T, Tbl>,
  target: { scopeId: string; id: string; version: number | null },
  change: (tx: Tx, before: T) => Promise<Partial<DB[Tbl]> | null>,
  options: ChangeOptions = {},
): Promise<T> {
  const work = deps.db.transaction().execute((tx) => changeVersionedRecordTx(tx, deps, actor, kind, target, change, options));
  // someone who saved between the check and the write (db/versioned.ts): 409 with the record as it is now
  return conflictWithCurrent(work, null, () => kind.load(deps.db, target.scopeId, target.id));
}

/** changeVersionedRecord inside the caller's transaction (a spreadsheet import writes many records in one). */
export async function changeVersionedRecordTx<T extends { reference: string; version: number }, Tbl extends VersionedTable>(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  kind: VersionedRecordKind<T, Tbl>,
  target: { scopeId: string; id: string; version: number | null },
  change: (tx: Tx, before: T) => Promise<Partial<DB[Tbl]> | null>,
  options: ChangeOptions = {},
): Promise<T> {
  const before = await kind.load(tx, target.scopeId, target.id);
  if (!before) throw notFound(kind.label);
  if (target.version !== null && before.version !== target.version) {
    throw changedBySomeoneElse(before.reference, before, options.conflictSinceOpened);
  }
  const patch = await change(tx, before);
  if (patch || options.always) {
    const stamped = { ...(patch ?? ({} as Partial<DB[Tbl]>)), updated_at: isoNow(deps.clock) } as Partial<DB[Tbl]>;
    await updateVersioned(tx, kind.table, target.id, before.version, stamped);
  }
  const after = (await kind.load(tx, target.scopeId, target.id))!;
  const changes = diffChanges(kind.auditable(before), kind.auditable(after));
  if (options.always || Object.keys(changes).length > 0) {
    await appendAudit(tx, deps, actor, {
      scopeId: target.scopeId,
      action: options.action ?? 'update',
      recordType: kind.recordType,
      recordId: target.id,
      recordRef: after.reference,
      changes,
    });
  }
  return after;
}

/**
 * The one way a service deletes a versioned record: in a transaction, load it, refuse a stale `version` or a delete
 * that `remove` (a conditional delete on id and version) did not do (409 with the current record), and append the audit
 * entry of what was deleted.
 */
export async function deleteVersionedRecord<T extends { reference: string; version: number }, Tbl extends VersionedTable>(
  deps: Deps,
  actor: Actor,
  kind: VersionedRecordKind<T, Tbl>,
  target: { scopeId: string; id: string; version: number },
  remove: (tx: Tx, id: string, version: number) => Promise<boolean>,
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const before = await kind.load(tx, target.scopeId, target.id);
    if (!before) throw notFound(kind.label);
    if (before.version !== target.version || !(await remove(tx, target.id, target.version))) {
      throw versionConflict(errorText('changedBeforeDelete', { reference: before.reference }), before);
    }
    await appendAudit(tx, deps, actor, {
      scopeId: target.scopeId,
      action: 'delete',
      recordType: kind.recordType,
      recordId: target.id,
      recordRef: before.reference,
      changes: diffChanges(kind.auditable(before), null),
    });
  });
}
