import { diffChanges } from '../audit/audit-hash.ts';
import { appendAudit } from '../audit/audit.service.ts';
import type { Actor } from '../auth/actor.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { updateVersioned, type VersionedTable } from '../db/versioned.ts';
import { isoNow } from './clock.ts';
import type { Deps } from './context.ts';
import { AppError, notFound } from './errors.ts';

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
): Promise<T> {
  return deps.db.transaction().execute(async (tx) => {
    const before = await kind.load(tx, target.scopeId, target.id);
    if (!before) throw notFound(kind.label);
    if (target.version !== null && before.version !== target.version) {
      throw new AppError('version_conflict', `${before.reference} was changed by someone else`, { details: { current: before } });
    }
    const patch = await change(tx, before);
    if (patch) {
      const stamped = { ...patch, updated_at: isoNow(deps.clock) } as Partial<DB[Tbl]>;
      await updateVersioned(tx, kind.table, target.id, before.version, stamped);
    }
    const after = (await kind.load(tx, target.scopeId, target.id))!;
    const changes = diffChanges(kind.auditable(before), kind.auditable(after));
    if (Object.keys(changes).length > 0) {
      await appendAudit(tx, deps, actor, {
        scopeId: target.scopeId,
        action: 'update',
        recordType: kind.recordType,
        recordId: target.id,
        recordRef: after.reference,
        changes,
      });
    }
    return after;
  });
}
