import { listPage } from '../../db/paging.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, actorLanguage, requireScopePermission } from '../../auth/actor.ts';
import { toBool } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import type { ControlledRecordTable } from './records-control.tables.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow, utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, conflictInWords, conflictWithCurrent, errorText, invalid, notFound } from '../../shared/errors.ts';
import { type Text, translate } from '../../i18n/i18n.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { auditCreatedRecord, changeVersionedRecord, loadVersionedRecord, type VersionedRecordKind } from '../../shared/versioned-record.ts';
import { completeOriginTasksTx } from '../../work/task.service.ts';
import { openWorkTx, settleWorkTx } from '../../work/work.ts';
import { disposalBlocker, disposalConfirmation, retentionEndsOn } from './record-rules.ts';
import type { LinkedRecordType, ListRecordsQuery, RecordResponse, recordClassifications, recordStorages } from './record.schemas.ts';
import * as repo from './record.repository.ts';
import { removeUnreferencedBlobs } from '../../files/file-store.ts';
import { disposeLinkedContentTx } from './linked-content.ts';

const today = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);

export function presentRecord(row: repo.RecordRow, on: string): RecordResponse {
  const legalHold = toBool(row.legal_hold);
  const state = { status: row.status, retentionStartOn: row.retention_start_on, retentionMonths: row.retention_months, legalHold };
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    title: row.title,
    description: row.description,
    owner: row.owner_id ? { id: row.owner_id, name: row.owner_name ?? '', email: row.owner_email ?? '' } : null,
    processKey: row.process_key,
    classification: row.classification,
    storage: row.storage as (typeof recordStorages)[number],
    linkedRecord:
      row.linked_record_type && row.linked_record_id ? { recordType: row.linked_record_type, recordId: row.linked_record_id } : null,
    location: row.location,
    retentionMonths: row.retention_months,
    retentionStartOn: row.retention_start_on,
    retentionEndsOn: retentionEndsOn(row.retention_start_on, row.retention_months),
    disposable: disposalBlocker(state, on) === null,
    legalHold,
    legalHoldReason: row.legal_hold_reason,
    status: row.status,
    disposedAt: row.disposed_at,
    disposedBy: row.disposed_by ? { id: row.disposed_by, name: row.disposer_name ?? '', email: row.disposer_email ?? '' } : null,
    disposalRule: row.disposal_rule,
    disposalTaskId: row.disposal_task_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/** The retention rule a record was disposed of by, as stored in `disposal_rule` (English, ISO days). */
const retentionRuleEnglish = (months: number, from: string, to: string) => `retention ${months} months from ${from}, ended ${to}`;
const storedRule = /^retention (\d+) months from (\d{4}-\d{2}-\d{2}), ended (\d{4}-\d{2}-\d{2})$/;

/**
 * The retention rule a record was disposed of by in the reader's language ("Aufbewahrung 72 Monate ab 15.01.2020,
 * endete am 15.01.2026"), read back from the English stored with the record; a rule in other words as stored.
 */
export function disposalRuleIn(lang: string, stored: string | null): string | null {
  const m = stored === null ? null : storedRule.exec(stored);
  if (!m) return stored;
  const text = disposalRuleText(Number(m[1]), m[2]!, m[3]!);
  return translate(lang, text.key, text.params);
}

/** The retention rule a record was disposed of by as a text to word for a reader (`records:disposalRule`). */
const disposalRuleText = (months: number, from: string, to: string): Text => ({
  key: 'records:disposalRule',
  params: { count: months, from, to },
});

/** A record as a reader sees it: the words Praxis wrote in the reader's language. */
export function recordIn<T extends { disposalRule: string | null }>(lang: string, r: T): T {
  return { ...r, disposalRule: disposalRuleIn(lang, r.disposalRule) };
}

/** `work`, whose 409 carries the record as it is now (`details.current`) in the actor's words (its disposal rule). */
const conflictInActorWords = <T>(actor: Actor, work: Promise<T>) =>
  conflictInWords(work, (r: RecordResponse) => recordIn(actorLanguage(actor), r));

/**
 * A record as its history reads it: the linked Praxis record by its type and reference (`document:POL-0002`; entries
 * before it carry the id, `document:<id>`). Under a symbol, so that it stays out of the record as the API presents it.
 */
const linkedWords = Symbol('linkedWords');
type AuditedRecord = RecordResponse & { [linkedWords]: string | null };

const auditable = (r: AuditedRecord) => ({
  title: r.title,
  description: r.description,
  ownerId: r.owner?.id ?? null,
  processKey: r.processKey,
  classification: r.classification,
  storage: r.storage,
  linkedRecord: r[linkedWords],
  location: r.location,
  retentionMonths: r.retentionMonths,
  retentionStartOn: r.retentionStartOn,
  legalHold: r.legalHold,
  legalHoldReason: r.legalHoldReason,
  status: r.status,
});

type Storage = {
  storage: 'praxis' | 'external';
  linkedRecord: { recordType: LinkedRecordType; recordId: string } | null;
  location: string;
};

/** Where the record is kept: a Praxis record of this scope, or a named location outside Praxis (ISO 27001 7.5.3 b). */
async function checkStorage(db: Executor, scopeId: string, s: Storage): Promise<void> {
  if (s.storage === 'praxis') {
    if (!s.linkedRecord) throw invalid('body.linkedRecord', errorText('record.linkedRecordMissing'));
    if (!(await repo.linkedRecordExists(db, scopeId, s.linkedRecord.recordType, s.linkedRecord.recordId)))
      throw invalid('body.linkedRecord.recordId', errorText('record.linkedRecordNotFound', { type: s.linkedRecord.recordType }));
  } else {
    if (!s.location.trim()) throw invalid('body.location', errorText('record.locationMissing'));
    if (s.linkedRecord) throw invalid('body.linkedRecord', errorText('record.linkOnlyInPraxis'));
  }
}

async function checkOwner(db: Executor, scopeId: string, ownerId: string | null | undefined): Promise<void> {
  if (ownerId && !(await findMembership(db, scopeId, ownerId))) throw invalid('body.ownerId', errorText('ownerNotMember'));
}

const loadDetail = async (deps: Deps, db: Executor, scopeId: string, id: string): Promise<AuditedRecord | null> => {
  const row = await repo.findRecord(db, scopeId, id);
  if (!row) return null;
  const linked = row.linked_record_type && row.linked_record_id ? { type: row.linked_record_type, id: row.linked_record_id } : null;
  const reference = linked ? await repo.findLinkedReference(db, scopeId, linked.type as LinkedRecordType, linked.id) : undefined;
  return { ...presentRecord(row, today(deps)), [linkedWords]: linked ? `${linked.type}:${reference ?? linked.id}` : null };
};

export async function createRecord(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: {
    title: string;
    description: string;
    ownerId: string | null;
    processKey: string;
    classification: (typeof recordClassifications)[number];
    storage: 'praxis' | 'external';
    linkedRecord: { recordType: LinkedRecordType; recordId: string } | null;
    location: string;
    retentionMonths: number;
    retentionStartOn?: string | undefined;
  },
): Promise<RecordResponse> {
  requireScopePermission(actor, scopeId, 'record:write');
  return deps.db.transaction().execute(async (tx) => {
    await checkOwner(tx, scopeId, input.ownerId);
    await checkStorage(tx, scopeId, input);
    const now = isoNow(deps.clock);
    const row: ControlledRecordTable = {
      id: newId(),
      scope_id: scopeId,
      reference: await nextReference(tx, scopeId, 'REC'),
      title: input.title,
      description: input.description,
      owner_id: input.ownerId,
      process_key: input.processKey,
      classification: input.classification,
      storage: input.storage,
      linked_record_type: input.linkedRecord?.recordType ?? null,
      linked_record_id: input.linkedRecord?.recordId ?? null,
      location: input.storage === 'external' ? input.location : '',
      retention_months: input.retentionMonths,
      retention_start_on: input.retentionStartOn ?? today(deps),
      legal_hold: false,
      legal_hold_reason: null,
      status: 'active',
      disposed_at: null,
      disposed_by: null,
      disposal_rule: null,
      disposal_task_id: null,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insertRecord(tx, row);
    return auditCreatedRecord(tx, deps, actor, recordKind(deps), { scopeId, id: row.id });
  });
}

export async function getRecord(deps: Deps, actor: Actor, scopeId: string, id: string): Promise<RecordResponse> {
  requireScopePermission(actor, scopeId, 'record:read');
  return loadVersionedRecord(deps.db, recordKind(deps), scopeId, id);
}

export async function listRecords(deps: Deps, actor: Actor, scopeId: string, q: ListRecordsQuery) {
  requireScopePermission(actor, scopeId, 'record:read');
  const on = today(deps);
  const { rows, total, capped } = await repo.listRecords(deps.db, deps.dialect, scopeId, q, q.pageSize, (q.page - 1) * q.pageSize);
  return listPage(
    rows.map((r) => presentRecord(r, on)),
    { total, capped },
    q,
  );
}

/** The disposal queue: active records whose retention has ended and that are not on legal hold, oldest first. */
export async function listDisposalQueue(deps: Deps, actor: Actor, scopeId: string, q: { page: number; pageSize: number }) {
  requireScopePermission(actor, scopeId, 'record:read');
  const on = today(deps);
  const { rows, total, capped } = await repo.listRecords(
    deps.db,
    deps.dialect,
    scopeId,
    { sort: 'retentionEndsOn', dir: 'asc', disposableOn: on },
    q.pageSize,
    (q.page - 1) * q.pageSize,
  );
  return listPage(
    rows.map((r) => presentRecord(r, on)),
    { total, capped },
    q,
  );
}

function recordKind(deps: Deps): VersionedRecordKind<AuditedRecord, 'controlled_record'> {
  return {
    table: 'controlled_record',
    recordType: 'controlled_record',
    label: 'Record',
    load: (db, scopeId, id) => loadDetail(deps, db, scopeId, id),
    auditable,
  };
}

const refuseDisposed = (r: RecordResponse) => {
  if (r.status === 'disposed') throw new AppError('invalid_state', errorText('record.disposedNoChange', { reference: r.reference }));
};

export async function updateRecord(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: {
    version: number;
    title?: string | undefined;
    description?: string | undefined;
    ownerId?: string | null | undefined;
    processKey?: string | undefined;
    classification?: string | undefined;
    storage?: 'praxis' | 'external' | undefined;
    linkedRecord?: { recordType: LinkedRecordType; recordId: string } | null | undefined;
    location?: string | undefined;
    retentionMonths?: number | undefined;
    retentionStartOn?: string | undefined;
  },
): Promise<RecordResponse> {
  requireScopePermission(actor, scopeId, 'record:write');
  const work = changeVersionedRecord(deps, actor, recordKind(deps), { scopeId, id, version: input.version }, async (tx, before) => {
    refuseDisposed(before);
    await checkOwner(tx, scopeId, input.ownerId);
    const storage: Storage = {
      storage: input.storage ?? before.storage,
      linkedRecord:
        input.linkedRecord !== undefined
          ? input.linkedRecord
          : (input.storage ?? before.storage) === 'praxis'
            ? (before.linkedRecord as Storage['linkedRecord'])
            : null,
      location: input.location ?? before.location,
    };
    await checkStorage(tx, scopeId, storage);
    // a retention that now ends later than today takes the record out of the disposal queue, and its task with it
    const endsOn = retentionEndsOn(input.retentionStartOn ?? before.retentionStartOn, input.retentionMonths ?? before.retentionMonths);
    const stillDue = endsOn !== null && endsOn <= today(deps);
    const cancelled =
      stillDue || !before.disposalTaskId
        ? []
        : await settleWorkTx(tx, deps, actor, {
            scopeId,
            recordType: 'controlled_record',
            recordId: id,
            purposes: ['dispose'],
            outcome: 'cancelled',
            note: { key: 'tasks:note.retentionExtended', params: { recordRef: before.reference, endsOn, name: actor.name } },
          });
    return {
      ...(cancelled.length > 0 && { disposal_task_id: null }),
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
      ...(input.processKey !== undefined && { process_key: input.processKey }),
      ...(input.classification !== undefined && { classification: input.classification }),
      ...(input.retentionMonths !== undefined && { retention_months: input.retentionMonths }),
      ...(input.retentionStartOn !== undefined && { retention_start_on: input.retentionStartOn }),
      storage: storage.storage,
      linked_record_type: storage.linkedRecord?.recordType ?? null,
      linked_record_id: storage.linkedRecord?.recordId ?? null,
      location: storage.storage === 'external' ? storage.location : '',
    };
  });
  return conflictInActorWords(actor, work);
}

/** A legal hold suspends disposal whatever the retention says (ISO 27001 A.5.33, e.g. litigation or an investigation). */
export async function setLegalHold(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; hold: boolean; reason: string },
): Promise<RecordResponse> {
  requireScopePermission(actor, scopeId, 'record:dispose');
  const work = changeVersionedRecord(deps, actor, recordKind(deps), { scopeId, id, version: input.version }, async (tx, before) => {
    refuseDisposed(before);
    if (input.hold && !input.reason) throw invalid('body.reason', errorText('record.holdReason'));
    if (input.hold === before.legalHold)
      throw new AppError(
        'invalid_state',
        errorText(before.legalHold ? 'record.alreadyOnHold' : 'record.notOnHold', { reference: before.reference }),
      );
    if (!input.hold) return { legal_hold: false, legal_hold_reason: null };
    // a hold suspends disposal: the disposal task is cancelled, and the sweep gives a new one once the hold is lifted
    const cancelled = await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'controlled_record',
      recordId: id,
      purposes: ['dispose'],
      outcome: 'cancelled',
      note: { key: 'tasks:note.legalHold', params: { recordRef: before.reference, reason: input.reason, name: actor.name } },
    });
    return { legal_hold: true, legal_hold_reason: input.reason, ...(cancelled.length > 0 && { disposal_task_id: null }) };
  });
  return conflictInActorWords(actor, work);
}

/**
 * Disposal (ISO 27001 7.5.3 d: retention and disposition): irreversible, so the caller must type `DISPOSE <reference>`.
 * The content goes (description and location cleared, a linked policy document's content disposed of through policy
 * management); the register entry stays as a disposed record, and the audit trail keeps a tombstone: what was disposed
 * of, when, by whom and under which retention rule.
 */
export async function disposeRecord(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; confirm: string },
): Promise<RecordResponse> {
  requireScopePermission(actor, scopeId, 'record:dispose');
  const work = deps.db.transaction().execute(async (tx) => {
    const before = await loadDetail(deps, tx, scopeId, id);
    if (!before) throw notFound('Record');
    if (before.version !== input.version)
      throw new AppError('version_conflict', errorText('recordChanged', { reference: before.reference }), { details: { current: before } });
    if (input.confirm.trim() !== disposalConfirmation(before.reference))
      throw invalid('body.confirm', errorText('record.confirmDisposal', { confirmation: disposalConfirmation(before.reference) }));
    const on = today(deps);
    const blocker = disposalBlocker(
      {
        status: before.status,
        retentionStartOn: before.retentionStartOn,
        retentionMonths: before.retentionMonths,
        legalHold: before.legalHold,
      },
      on,
    );
    if (blocker) throw new AppError('invalid_state', errorText(blocker.key, { reference: before.reference, ...blocker.params }));
    // the rule in English (the record's `disposal_rule`, worded for each reader when shown) and as a code for the audit
    // trail, worded in the reader's language by history views (audit-vocabulary.ts)
    const rule = retentionRuleEnglish(before.retentionMonths, before.retentionStartOn, before.retentionEndsOn!);
    const ruleCode = `retention:${before.retentionMonths}:${before.retentionStartOn}:${before.retentionEndsOn}`;
    const linkedContent = before.linkedRecord
      ? await disposeLinkedContentTx(tx, deps, actor, before.linkedRecord.recordType as LinkedRecordType, before.linkedRecord.recordId, {
          id: before.reference,
          label: `records-control:${before.reference}:${ruleCode}`,
        })
      : null;
    const now = isoNow(deps.clock);
    await updateVersioned(tx, 'controlled_record', id, before.version, {
      description: '',
      location: '',
      status: 'disposed',
      disposed_at: now,
      disposed_by: actor.userId,
      disposal_rule: rule,
      updated_at: now,
    });
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'dispose',
      recordType: 'controlled_record',
      recordId: id,
      recordRef: before.reference,
      // the tombstone: what it was and why it could go; the content itself is not repeated here
      changes: {
        title: { from: before.title, to: before.title },
        status: { from: before.status, to: 'disposed' },
        description: { from: before.description ? '(content)' : '', to: '' },
        location: { from: before.location ? '(location)' : '', to: '' },
        disposedAt: { to: now },
        disposedBy: { to: `${actor.name} <${actor.email}>` },
        rule: { to: ruleCode },
        processKey: { to: before.processKey },
        classification: { to: before.classification },
        linkedRecord: { to: before[linkedWords] },
        linkedContent: { to: linkedContent?.summary ?? null },
      },
    });
    // the owner's disposal task, if the sweep created one, is done
    await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'controlled_record',
      recordId: id,
      purposes: ['dispose'],
      outcome: 'done',
      note: { key: 'tasks:note.recordDisposed', params: { recordRef: before.reference, name: actor.name } },
    });
    // a disposal task from before tasks named their purpose
    const task = before.disposalTaskId ? await repo.findTaskAssignee(tx, before.disposalTaskId) : undefined;
    if (task?.assignee_id)
      await completeOriginTasksTx(tx, deps, actor, { recordType: 'controlled_record', recordId: id, assigneeId: task.assignee_id });
    await deps.events.emit(tx, actor, 'record.disposed', {
      scopeId,
      recordId: id,
      recordRef: before.reference,
      title: before.title,
      linkedRecord: before.linkedRecord,
      rule,
      ruleText: disposalRuleText(before.retentionMonths, before.retentionStartOn, before.retentionEndsOn!),
    });
    return { detail: (await loadDetail(deps, tx, scopeId, id))!, fileIds: linkedContent?.fileIds ?? [] };
  });
  const { detail, fileIds } = await conflictWithCurrent(
    conflictInWords(work, (r: RecordResponse) => recordIn(actorLanguage(actor), r)),
    null,
    async () => {
      const current = await recordKind(deps).load(deps.db, scopeId, id);
      return current && recordIn(actorLanguage(actor), current);
    },
  );
  // the bytes of disposed files go once the disposal has committed (a blob still used elsewhere stays); a failure here
  // leaves unreferenced bytes behind, never a record without its content
  try {
    await removeUnreferencedBlobs(deps, fileIds);
  } catch (err) {
    process.emitWarning(`Disposed files could not be removed yet: ${(err as Error).message}`, { code: 'PRAXIS_BLOB_CLEANUP' });
  }
  return detail;
}

class AlreadyTasked extends Error {}

/**
 * The recurring sweep of records control: every record whose retention has ended (and that is not on legal hold) gets
 * one task for its owner, or the records-control process owner, to review and dispose of it within 30 days
 * (ISO 27001 7.5.3 d). Idempotent: the record keeps the task's id, and a parallel run that lost the race rolls back.
 */
export async function sweepDisposalTasks(deps: Deps): Promise<number> {
  const on = today(deps);
  let created = 0;
  for (const due of await repo.findDueForDisposalTask(deps.db, deps.dialect, on)) {
    try {
      created += await deps.db.transaction().execute(async (tx) => {
        const r = await repo.findRecord(tx, due.scope_id, due.id);
        if (!r || r.disposal_task_id || r.status !== 'active' || toBool(r.legal_hold)) return 0;
        const assignee = r.owner_id ?? (await findProcessOwner(tx, r.scope_id, 'records-control'));
        const ends = retentionEndsOn(r.retention_start_on, r.retention_months);
        const { task } = await openWorkTx(tx, deps, null, {
          scopeId: r.scope_id,
          purpose: 'dispose',
          title: { key: 'tasks:title.disposeRecord', params: { recordRef: r.reference, title: r.title } },
          description: {
            key: 'tasks:description.disposeRecord',
            params: { recordRef: r.reference, count: r.retention_months, startOn: r.retention_start_on, endsOn: ends },
          },
          processKey: 'records-control',
          assigneeId: assignee,
          dueOn: utcDatePlusDays(deps.clock.now(), 30),
          origin: { processKey: 'records-control', recordType: 'controlled_record', recordId: r.id, recordRef: r.reference },
        });
        if (!(await repo.setDisposalTask(tx, r.id, task.id))) throw new AlreadyTasked();
        return 1;
      });
    } catch (err) {
      if (!(err instanceof AlreadyTasked)) throw err;
    }
  }
  return created;
}
