import { appendAudit } from '../audit/audit.service.ts';
import type { Actor } from '../auth/actor.ts';
import type { Tx } from '../db/database.ts';
import type { HandoffTable, TaskTable } from '../db/schema.ts';
import { updateVersioned } from '../db/versioned.ts';
import { type ComposedText, english, type Text } from '../i18n/i18n.ts';
import type { ProcessKey } from '../isms/process-model.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { nextReference } from '../shared/references.ts';
import * as repo from './task.repository.ts';

/**
 * Work follows its records. System-made work (a task for a record in a state: triage of a reported incident, approval
 * of a submitted version…) names its purpose; at most one task per record and purpose is open, so a second trigger
 * updates it instead of adding a twin. When the record moves past that state the task is completed with a note saying
 * what completed it (`settleWorkTx`), and cancelled when the record is withdrawn, reverted or deleted. A delivery along
 * an edge of the process model also writes its row in the hand-off ledger, in the same transaction, and the row is
 * settled with the work.
 */

export type WorkOutcome = 'done' | 'cancelled';

/** The record a piece of work is for. */
export interface WorkOrigin {
  processKey: string | null;
  recordType: string;
  recordId: string;
  recordRef: string | null;
}

/** A delivery along an edge of the process model: from the sending process to the receiving one. */
export interface HandoffRoute {
  from: ProcessKey;
  to: ProcessKey;
  event: string;
  source: { type: string; id: string; ref: string | null };
}

export interface OpenWork {
  scopeId: string;
  /** the process whose work it is */
  processKey: ProcessKey;
  /** why the task exists for its origin record, e.g. "triage", "approve:<user id>" */
  purpose: string;
  /** a catalog text; a parameter may be a text of its own (the title of the task an escalation is about) */
  title: ComposedText;
  /**
   * What the task asks, as a catalog text (stored as key + parameters beside its English rendering, and worded for each
   * reader); a plain string is a record's own words (e.g. the nonconformity's title) and is stored and shown as it is.
   */
  description: Text | string;
  assigneeId: string | null;
  dueOn: string | null;
  origin: WorkOrigin;
  handoff?: HandoffRoute | undefined;
}

/** A task description as stored: its English rendering, and its key with parameters when it is a catalog text. */
export function storedDescription(d: Text | string): Pick<TaskTable, 'description' | 'description_key' | 'description_params'> {
  return typeof d === 'string'
    ? { description: d, description_key: null, description_params: null }
    : { description: english(d), description_key: d.key, description_params: JSON.stringify(d.params ?? {}) };
}

/** A note Praxis wrote as stored: its English rendering with its key and parameters (a ledger row's columns). */
export function storedNote(note: ComposedText | null): repo.StoredNote {
  return note
    ? { note: english(note), note_key: note.key, note_params: JSON.stringify(note.params ?? {}) }
    : { note: null, note_key: null, note_params: null };
}

/** The same note in a task's columns. */
export function storedCompletionNote(
  note: ComposedText | null,
): Pick<TaskTable, 'completion_note' | 'completion_note_key' | 'completion_note_params'> {
  const s = storedNote(note);
  return { completion_note: s.note, completion_note_key: s.note_key, completion_note_params: s.note_params };
}

const earlier = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);

/**
 * Opens the task for a record and purpose, or updates the open one (title, description, due date if earlier, an
 * assignee if it had none). With `handoff`, the ledger row of the delivery is written in the same transaction (one open
 * row per task). Returns the task and whether it was created.
 */
export async function openWorkTx(tx: Tx, deps: Deps, actor: Actor | null, input: OpenWork): Promise<{ task: TaskTable; created: boolean }> {
  const now = isoNow(deps.clock);
  const title = english(input.title);
  const titleParams = JSON.stringify(input.title.params ?? {});
  const description = storedDescription(input.description);
  const lock = deps.dialect === 'postgres';
  const existing = await repo.findOpenTaskForPurpose(tx, input.origin.recordType, input.origin.recordId, input.purpose, lock);
  if (!existing) {
    const row: TaskTable = {
      id: newId(),
      scope_id: input.scopeId,
      reference: await nextReference(tx, input.scopeId, 'TSK'),
      title,
      ...description,
      process_key: input.processKey,
      origin_process_key: input.origin.processKey,
      origin_record_type: input.origin.recordType,
      origin_record_id: input.origin.recordId,
      origin_record_ref: input.origin.recordRef,
      assignee_id: input.assigneeId,
      due_on: input.dueOn,
      status: 'open',
      created_by: actor?.userId ?? null,
      created_at: now,
      updated_at: now,
      completed_at: null,
      version: 1,
      purpose: input.purpose,
      completion_note: null,
      completion_note_key: null,
      completion_note_params: null,
      title_key: input.title.key,
      title_params: titleParams,
    };
    if (await repo.insertTaskUnlessOpen(tx, row)) {
      await appendAudit(tx, deps, actor, {
        scopeId: input.scopeId,
        action: 'create',
        recordType: 'task',
        recordId: row.id,
        recordRef: row.reference,
        changes: {
          title: { from: null, to: row.title },
          processKey: { from: null, to: row.process_key },
          assigneeId: { from: null, to: row.assignee_id },
          dueOn: { from: null, to: row.due_on },
          purpose: { from: null, to: row.purpose },
          origin: { from: null, to: `${row.origin_record_type}:${row.origin_record_ref ?? row.origin_record_id}` },
        },
      });
      if (input.handoff) await writeLedgerRow(tx, deps, input.scopeId, input.handoff, taskWork(row));
      return { task: row, created: true };
    }
  }
  // a second trigger (or a concurrent one that committed first): update the open task instead of adding a twin
  const open = existing ?? (await repo.findOpenTaskForPurpose(tx, input.origin.recordType, input.origin.recordId, input.purpose, lock));
  if (!open) throw new Error(`The open ${input.purpose} task of ${input.origin.recordType} ${input.origin.recordId} vanished`);
  const patch: Partial<TaskTable> = {};
  if (open.title !== title || open.title_key !== input.title.key || open.title_params !== titleParams) {
    Object.assign(patch, { title, title_key: input.title.key, title_params: titleParams });
  }
  if (
    open.description !== description.description ||
    open.description_key !== description.description_key ||
    open.description_params !== description.description_params
  ) {
    Object.assign(patch, description);
  }
  const dueOn = earlier(open.due_on, input.dueOn);
  if (dueOn !== open.due_on) patch.due_on = dueOn;
  if (!open.assignee_id && input.assigneeId) patch.assignee_id = input.assigneeId;
  let task = open;
  if (Object.keys(patch).length > 0) {
    await updateVersioned(tx, 'task', open.id, open.version, { ...patch, updated_at: now });
    task = { ...open, ...patch, updated_at: now, version: open.version + 1 };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (patch.title !== undefined && patch.title !== open.title) changes.title = { from: open.title, to: patch.title };
    if (patch.description !== undefined && patch.description !== open.description)
      changes.description = { from: open.description, to: patch.description };
    if (patch.due_on !== undefined) changes.dueOn = { from: open.due_on, to: patch.due_on };
    if (patch.assignee_id !== undefined) changes.assigneeId = { from: open.assignee_id, to: patch.assignee_id };
    // the same words under another key (a row written before its text had one): the audit names the keys
    const keyChanges: Record<string, { from: unknown; to: unknown }> = {};
    if (patch.title_key !== undefined) keyChanges.titleKey = { from: open.title_key, to: input.title.key };
    if (patch.description_key !== undefined) keyChanges.descriptionKey = { from: open.description_key, to: description.description_key };
    await appendAudit(tx, deps, actor, {
      scopeId: open.scope_id,
      action: 'update',
      recordType: 'task',
      recordId: open.id,
      recordRef: open.reference,
      changes: Object.keys(changes).length ? changes : keyChanges,
    });
    await repo.updateOpenHandoffsOfWork(
      tx,
      { type: 'task', id: open.id },
      { title: task.title, assignee_id: task.assignee_id, due_on: task.due_on },
    );
  }
  // a task opened before it had a ledger row (or by another path) gets one when a delivery reaches it
  if (input.handoff && !(await repo.findOpenHandoffOfWork(tx, { type: 'task', id: task.id }))) {
    await writeLedgerRow(tx, deps, input.scopeId, input.handoff, taskWork(task));
  }
  return { task, created: false };
}

export interface WorkRecord {
  type: string;
  id: string;
  ref: string | null;
  title: string;
  assigneeId: string | null;
  dueOn: string | null;
}

const taskWork = (t: TaskTable): WorkRecord => ({
  type: 'task',
  id: t.id,
  ref: t.reference,
  title: t.title,
  assigneeId: t.assignee_id,
  dueOn: t.due_on,
});

async function writeLedgerRow(tx: Tx, deps: Deps, scopeId: string, route: HandoffRoute, work: WorkRecord): Promise<HandoffTable> {
  const row: HandoffTable = {
    id: newId(),
    scope_id: scopeId,
    edge: `${route.from}>${route.to}`,
    from_process: route.from,
    to_process: route.to,
    event: route.event,
    source_record_type: route.source.type,
    source_record_id: route.source.id,
    source_record_ref: route.source.ref,
    work_record_type: work.type,
    work_record_id: work.id,
    work_record_ref: work.ref,
    title: work.title,
    assignee_id: work.assigneeId,
    due_on: work.dueOn,
    created_at: isoNow(deps.clock),
    done_at: null,
    outcome: null,
    note: null,
    note_key: null,
    note_params: null,
  };
  await repo.insertHandoff(tx, row);
  return row;
}

/**
 * Writes the ledger row of a delivery whose work is not a task (a nonconformity, a change request, a risk created by the
 * receiver); settle it with `settleHandoffTx` when that work moves past intake.
 */
export function recordHandoffTx(tx: Tx, deps: Deps, input: { scopeId: string; route: HandoffRoute; work: WorkRecord }) {
  return writeLedgerRow(tx, deps, input.scopeId, input.route, input.work);
}

/** Settles the open ledger rows of a piece of work (done or cancelled, with the note saying why). */
export async function settleHandoffTx(
  tx: Tx,
  deps: Deps,
  input: { workRecordType: string; workRecordId: string; outcome: WorkOutcome; note: ComposedText },
): Promise<number> {
  return repo.settleHandoffs(
    tx,
    { type: input.workRecordType, id: input.workRecordId },
    { at: isoNow(deps.clock), outcome: input.outcome, ...storedNote(input.note) },
  );
}

export interface SettleWork {
  scopeId: string;
  recordType: string;
  recordId: string;
  /** the purposes to settle; with `purposePrefix`, also those that start so (e.g. "approve:" for every approver) */
  purposes?: readonly string[] | undefined;
  purposePrefix?: string | undefined;
  outcome: WorkOutcome;
  /** what completed or cancelled it ("INC-0004 was triaged") */
  note: ComposedText;
}

/**
 * Completes (or cancels) the open tasks of a record for the given purposes (every purpose when none is given; tasks
 * people made by hand have none and stay), with the note, an audit entry per task and their ledger rows settled.
 * Returns the tasks settled.
 */
export async function settleWorkTx(tx: Tx, deps: Deps, actor: Actor | null, input: SettleWork): Promise<TaskTable[]> {
  const all = input.purposes === undefined && input.purposePrefix === undefined;
  const open = await repo.findOpenTasksForPurposes(
    tx,
    input.recordType,
    input.recordId,
    all ? {} : { in: input.purposes, prefix: input.purposePrefix },
    deps.dialect === 'postgres',
  );
  const tasks = open.filter((t) => t.scope_id === input.scopeId);
  if (tasks.length === 0) return [];
  const now = isoNow(deps.clock);
  const note = storedNote(input.note);
  for (const task of tasks) {
    await updateVersioned(tx, 'task', task.id, task.version, {
      status: input.outcome,
      completed_at: now,
      ...storedCompletionNote(input.note),
      updated_at: now,
    });
    await appendAudit(tx, deps, actor, {
      scopeId: task.scope_id,
      action: 'update',
      recordType: 'task',
      recordId: task.id,
      recordRef: task.reference,
      changes: { status: { from: task.status, to: input.outcome }, completionNote: { from: null, to: input.note } },
    });
    await repo.settleHandoffs(tx, { type: 'task', id: task.id }, { at: now, outcome: input.outcome, ...note });
  }
  return tasks;
}

/** The open task of a record for one purpose, if any. */
export const findOpenWork = (tx: Tx, recordType: string, recordId: string, purpose: string) =>
  repo.findOpenTaskForPurpose(tx, recordType, recordId, purpose);

/** The open tasks of one purpose for some records of a type (e.g. the "reassess" tasks of a risk's assets). */
export const findOpenWorkOfRecords = (tx: Tx, recordType: string, recordIds: readonly string[], purpose: string) =>
  repo.findOpenTasksOfRecords(tx, recordType, recordIds, purpose);

/** Completes or cancels one open task the caller holds the id of (e.g. the task of a plan action), like `settleWorkTx`. */
export async function settleTaskTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  input: { scopeId: string; taskId: string; outcome: WorkOutcome; note: ComposedText },
): Promise<boolean> {
  const task = await repo.findTask(tx, input.scopeId, input.taskId);
  if (!task || (task.status !== 'open' && task.status !== 'in_progress')) return false;
  const now = isoNow(deps.clock);
  const note = storedNote(input.note);
  await updateVersioned(tx, 'task', task.id, task.version, {
    status: input.outcome,
    completed_at: now,
    ...storedCompletionNote(input.note),
    updated_at: now,
  });
  await appendAudit(tx, deps, actor, {
    scopeId: task.scope_id,
    action: 'update',
    recordType: 'task',
    recordId: task.id,
    recordRef: task.reference,
    changes: { status: { from: task.status, to: input.outcome }, completionNote: { from: null, to: input.note } },
  });
  await repo.settleHandoffs(tx, { type: 'task', id: task.id }, { at: now, outcome: input.outcome, ...note });
  return true;
}

/**
 * Completes (or cancels) the open tasks of a scope with one purpose, whatever record they came from: a purpose that names
 * its subject (e.g. "implement:<control id>", given by each treatment that selected the control) is settled by that
 * subject's own process. Like `settleWorkTx`: the note, an audit entry per task, their ledger rows settled.
 */
export async function settleWorkByPurposeTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  input: { scopeId: string; purpose: string; outcome: WorkOutcome; note: ComposedText },
): Promise<number> {
  let n = 0;
  for (const task of await repo.findOpenTasksWithPurpose(tx, input.scopeId, input.purpose, deps.dialect === 'postgres')) {
    if (await settleTaskTx(tx, deps, actor, { scopeId: input.scopeId, taskId: task.id, outcome: input.outcome, note: input.note })) n++;
  }
  return n;
}
