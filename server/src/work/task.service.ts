import { listPage } from '../db/paging.ts';
import { diffChanges } from '../audit/audit-hash.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type Actor, can, requireScopePermission, roleIn } from '../auth/actor.ts';
import type { Tx } from '../db/database.ts';
import type { TaskTable } from '../db/schema.ts';
import { updateVersioned } from '../db/versioned.ts';
import { type ComposedText, fallbackLanguage, renderStored, type Text, type TextParam } from '../i18n/i18n.ts';
import { wordedOnce } from '../i18n/worded-once.ts';
import { findProcessDefinition } from '../isms/process-model.ts';
import { levelLabelIn } from '../processes/risk-assessment/index.ts';
import { processName } from '../isms/process-texts.ts';
import { findMembership } from '../scopes/scope.repository.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { conflictWithCurrent, errorText, forbidden, invalid, notFound, versionConflict } from '../shared/errors.ts';
import { checkDueNotBeforeCreation } from '../shared/date-rules.ts';
import { newId } from '../shared/ids.ts';
import { nextReference } from '../shared/references.ts';
import type { TaskResponse, TaskStatus } from './task.schemas.ts';
import * as repo from './task.repository.ts';
import { storedCompletionNote, storedDescription, storedNote } from './work.ts';

type TaskRow = TaskTable & { scope_name: string; assignee_name: string | null; assignee_email: string | null };

type StoredParams = Record<string, TextParam>;

/**
 * A generated text's parameters in the reader's language. A risk level's label (`levelLabel`) stored with its level's
 * key (`level`) is worded like the risk method's levels: a built-in label in the reader's language ('Hoch' for a German
 * reader), a label someone typed as typed. Older rows stored the label without the key: theirs stays as stored (no
 * migration rewrites them). A parameter that is a text of its own (the reason inside a note) is worded alike.
 */
function paramsIn(params: StoredParams, lang: string): StoredParams {
  const nested = Object.entries(params).filter(([, v]) => typeof v === 'object' && v !== null && v.params);
  const inner: StoredParams = Object.fromEntries(
    nested.map(([k, v]) => {
      const text = v as ComposedText;
      return [k, { ...text, params: paramsIn(text.params!, lang) }];
    }),
  );
  const { level, levelLabel } = params;
  if (typeof level !== 'string' || typeof levelLabel !== 'string') return nested.length ? { ...params, ...inner } : params;
  return { ...params, ...inner, levelLabel: levelLabelIn(level, levelLabel, lang) };
}

/** Stored parameters (JSON text) in the reader's language (`paramsIn`); text that cannot be read stays as it is. */
function storedParamsIn(params: string | null, lang: string): string | null {
  if (!params) return params;
  try {
    return JSON.stringify(paramsIn(JSON.parse(params) as StoredParams, lang));
  } catch {
    return params;
  }
}

/** A stored text (key and parameters) in the reader's language, worded once per language (`wordedOnce`); one without a key is its words. */
const storedIn = (lang: string, text: string, key: string | null, params: string | null): string =>
  key ? wordedOnce(`s\0${lang}\0${key}\0${params}\0${text}`, () => renderStored(lang, text, key, storedParamsIn(params, lang))) : text;

/** A process's name in the reader's language (`processName`), worded once per language. */
const processNameIn = (lang: string, key: string): string => wordedOnce(`p\0${lang}\0${key}`, () => processName(lang, key));

/** A generated title in the reader's language (from its key and parameters); a title someone typed stays as it is. */
export const taskTitle = (row: Pick<TaskTable, 'title' | 'title_key' | 'title_params'>, lang: string = fallbackLanguage): string =>
  storedIn(lang, row.title, row.title_key, row.title_params);

/**
 * A generated description in the reader's language (from its key and parameters); a description someone typed, or an
 * older one that could not be read back as a catalog text, stays as it is.
 */
export const taskDescription = (
  row: Pick<TaskTable, 'description' | 'description_key' | 'description_params'>,
  lang: string = fallbackLanguage,
): string => storedIn(lang, row.description, row.description_key, row.description_params);

/**
 * What completed or cancelled a task (or settled its hand-off) in the reader's language, from its key and parameters; a
 * note stored without a key (an older row that could not be read back) stays as stored.
 */
export const noteIn = (note: string | null, key: string | null, params: string | null, lang: string = fallbackLanguage): string | null =>
  note === null ? null : storedIn(lang, note, key, params);

export function presentTask(row: TaskRow, today: string, lang: string = fallbackLanguage): TaskResponse {
  const active = row.status === 'open' || row.status === 'in_progress';
  return {
    id: row.id,
    scopeId: row.scope_id,
    scopeName: row.scope_name,
    reference: row.reference,
    title: taskTitle(row, lang),
    description: taskDescription(row, lang),
    processKey: row.process_key,
    processName: processNameIn(lang, row.process_key),
    origin:
      row.origin_record_type || row.origin_process_key
        ? {
            processKey: row.origin_process_key,
            recordType: row.origin_record_type,
            recordId: row.origin_record_id,
            recordRef: row.origin_record_ref,
          }
        : null,
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? '', email: row.assignee_email ?? '' } : null,
    dueOn: row.due_on,
    overdue: active && row.due_on !== null && row.due_on < today,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    purpose: row.purpose,
    completionNote: noteIn(row.completion_note, row.completion_note_key ?? null, row.completion_note_params ?? null, lang),
    version: row.version,
  };
}

const today = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);

export interface NewTask {
  scopeId: string;
  title: string;
  /** a catalog text (stored as key + parameters, worded for each reader) or the words someone typed */
  description: Text | string;
  processKey: string;
  assigneeId: string | null;
  dueOn: string | null;
  origin?: { processKey?: string | null; recordType: string; recordId: string; recordRef?: string | null };
}

/** Creates a task inside the caller's transaction: used by people and by hand-offs between processes. */
export async function createTaskTx(tx: Tx, deps: Deps, actor: Actor | null, input: NewTask): Promise<TaskTable> {
  const now = isoNow(deps.clock);
  const row: TaskTable = {
    id: newId(),
    scope_id: input.scopeId,
    reference: await nextReference(tx, input.scopeId, 'TSK'),
    title: input.title,
    ...storedDescription(input.description),
    process_key: input.processKey,
    origin_process_key: input.origin?.processKey ?? null,
    origin_record_type: input.origin?.recordType ?? null,
    origin_record_id: input.origin?.recordId ?? null,
    origin_record_ref: input.origin?.recordRef ?? null,
    assignee_id: input.assigneeId,
    due_on: input.dueOn,
    status: 'open',
    created_by: actor?.userId ?? null,
    created_at: now,
    updated_at: now,
    completed_at: null,
    version: 1,
    purpose: null,
    completion_note: null,
    completion_note_key: null,
    completion_note_params: null,
    title_key: null,
    title_params: null,
  };
  await repo.insertTask(tx, row);
  await appendAudit(tx, deps, actor, {
    scopeId: input.scopeId,
    action: 'create',
    recordType: 'task',
    recordId: row.id,
    recordRef: row.reference,
    changes: diffChanges(null, auditable(row)),
  });
  return row;
}

const auditable = (t: TaskTable) => ({
  title: t.title,
  description: t.description,
  processKey: t.process_key,
  assigneeId: t.assignee_id,
  dueOn: t.due_on,
  status: t.status,
  ...(t.origin_record_type && { origin: `${t.origin_record_type}:${t.origin_record_ref ?? t.origin_record_id}` }),
});

async function checkAssignee(tx: Tx, scopeId: string, assigneeId: string | null | undefined) {
  if (assigneeId && !(await findMembership(tx, scopeId, assigneeId))) {
    throw invalid('body.assigneeId', errorText('assigneeNotMember'));
  }
}

export async function createTask(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: { title: string; description: string; processKey: string; assigneeId: string | null; dueOn: string | null },
  lang: string = fallbackLanguage,
): Promise<TaskResponse> {
  requireScopePermission(actor, scopeId, 'task:write');
  if (!findProcessDefinition(input.processKey))
    throw invalid('body.processKey', errorText('unknownProcess', { processKey: input.processKey }));
  // a task made by hand is not due in the past: its creation day is today (system-made work, createTaskTx, may be late)
  checkDueNotBeforeCreation('body.dueOn', input.dueOn, isoNow(deps.clock));
  const id = await deps.db.transaction().execute(async (tx) => {
    await checkAssignee(tx, scopeId, input.assigneeId);
    return (await createTaskTx(tx, deps, actor, { scopeId, ...input })).id;
  });
  return presentTask((await repo.findTaskWithNames(deps.db, scopeId, id))!, today(deps), lang);
}

export async function listScopeTasks(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: {
    page: number;
    pageSize: number;
    status: TaskStatus | 'active';
    assigneeId?: string | undefined;
    processKey?: string | undefined;
    q?: string | undefined;
  },
  lang: string = fallbackLanguage,
) {
  // members without task:read (employees) still see the tasks assigned to them
  const role = roleIn(actor, scopeId);
  if (!role) throw notFound('Scope');
  const assigneeId = can(actor, scopeId, 'task:read') ? q.assigneeId : actor.userId;
  const { rows, total, capped } = await repo.listTasks(
    deps.db,
    { scopeIds: [scopeId], status: q.status, assigneeId, processKey: q.processKey, q: q.q },
    q.pageSize,
    (q.page - 1) * q.pageSize,
  );
  const t = today(deps);
  return listPage(
    rows.map((r) => presentTask(r, t, lang)),
    { total, capped },
    q,
  );
}

/** "My work": the actor's tasks across every scope they are a member of, titled in the reader's language. */
export async function listMyTasks(
  deps: Deps,
  actor: Actor,
  q: { page: number; pageSize: number; status: TaskStatus | 'active' },
  lang: string = fallbackLanguage,
) {
  const { rows, total, capped } = await repo.listTasks(
    deps.db,
    { scopeIds: [...actor.memberships.keys()], assigneeId: actor.userId, status: q.status },
    q.pageSize,
    (q.page - 1) * q.pageSize,
  );
  const t = today(deps);
  return listPage(
    rows.map((r) => presentTask(r, t, lang)),
    { total, capped },
    q,
  );
}

export async function updateTask(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: {
    version: number;
    title?: string | undefined;
    description?: string | undefined;
    assigneeId?: string | null | undefined;
    dueOn?: string | null | undefined;
    status?: TaskStatus | undefined;
  },
  lang: string = fallbackLanguage,
): Promise<TaskResponse> {
  if (!roleIn(actor, scopeId)) throw notFound('Scope');
  const work = deps.db.transaction().execute(async (tx) => {
    const before = await repo.findTask(tx, scopeId, id);
    const mayWrite = can(actor, scopeId, 'task:write');
    if (!before || (!mayWrite && before.assignee_id !== actor.userId)) throw notFound('Task');
    // an assignee without task:write may only move the status of their own task
    const onlyStatus = Object.keys(input).every((k) => k === 'version' || k === 'status');
    if (!mayWrite && !onlyStatus) throw forbidden(errorText('onlyOwnTaskStatus'));
    if (before.version !== input.version) {
      const current = await repo.findTaskWithNames(tx, scopeId, id);
      throw versionConflict(errorText('taskChanged'), presentTask(current!, today(deps), lang));
    }
    // a moved due date may not lie before the day the task was created
    if (input.dueOn !== before.due_on) checkDueNotBeforeCreation('body.dueOn', input.dueOn, before.created_at);
    await checkAssignee(tx, scopeId, input.assigneeId);
    const now = isoNow(deps.clock);
    const patch: Partial<TaskTable> = { updated_at: now };
    if (input.title !== undefined) Object.assign(patch, { title: input.title, title_key: null, title_params: null });
    // a description someone writes replaces the generated one: it is shown as typed, in every language
    if (input.description !== undefined)
      Object.assign(patch, { description: input.description, description_key: null, description_params: null });
    if (input.assigneeId !== undefined) patch.assignee_id = input.assigneeId;
    if (input.dueOn !== undefined) patch.due_on = input.dueOn;
    const closing = input.status === 'done' || input.status === 'cancelled';
    if (input.status !== undefined && input.status !== before.status) {
      patch.status = input.status;
      patch.completed_at = closing ? now : null;
      const note = input.status === 'done' ? 'tasks:note.doneByHand' : 'tasks:note.cancelledByHand';
      Object.assign(patch, storedCompletionNote(closing ? { key: note, params: { name: actor.name } } : null));
    }
    await updateVersioned(tx, 'task', id, before.version, patch);
    // the hand-off that created the task is settled with it (and waits again if the task is reopened)
    if (patch.status !== undefined && closing)
      await repo.settleHandoffs(
        tx,
        { type: 'task', id },
        {
          at: now,
          outcome: input.status as 'done' | 'cancelled',
          note: patch.completion_note ?? null,
          note_key: patch.completion_note_key ?? null,
          note_params: patch.completion_note_params ?? null,
        },
      );
    else if (patch.status !== undefined && !closing && (before.status === 'done' || before.status === 'cancelled'))
      await repo.reopenHandoffs(tx, { type: 'task', id });
    else if (input.title !== undefined || input.assigneeId !== undefined || input.dueOn !== undefined) {
      const after = (await repo.findTask(tx, scopeId, id))!;
      await repo.updateOpenHandoffsOfWork(
        tx,
        { type: 'task', id },
        { title: after.title, assignee_id: after.assignee_id, due_on: after.due_on },
      );
    }
    const after = (await repo.findTask(tx, scopeId, id))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'task',
      recordId: id,
      recordRef: before.reference,
      changes: diffChanges(auditable(before), auditable(after)),
    });
  });
  await conflictWithCurrent(work, errorText('taskChanged'), async () => {
    const current = await repo.findTaskWithNames(deps.db, scopeId, id);
    return current && presentTask(current, today(deps), lang);
  });
  return presentTask((await repo.findTaskWithNames(deps.db, scopeId, id))!, today(deps), lang);
}

/**
 * Marks done the open tasks without a purpose that a record gave to one person (tasks made before tasks named their
 * purpose), once the work they asked for is done (with audit entries). System work names its purpose and is settled by
 * `settleWorkTx` (work.ts).
 */
export async function completeOriginTasksTx(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  origin: { recordType: string; recordId: string; assigneeId: string },
): Promise<void> {
  const now = isoNow(deps.clock);
  for (const task of await repo.findOpenTasksOfOrigin(tx, origin.recordType, origin.recordId, origin.assigneeId)) {
    if (task.purpose !== null) continue;
    await updateVersioned(tx, 'task', task.id, task.version, { status: 'done', completed_at: now, updated_at: now });
    await repo.settleHandoffs(tx, { type: 'task', id: task.id }, { at: now, outcome: 'done', ...storedNote(null) });
    await appendAudit(tx, deps, actor, {
      scopeId: task.scope_id,
      action: 'update',
      recordType: 'task',
      recordId: task.id,
      recordRef: task.reference,
      changes: { status: { from: task.status, to: 'done' } },
    });
  }
}
