import { type Actor, requireScopePermission } from '../auth/actor.ts';
import type { HandoffTable } from '../db/schema.ts';
import { listHandoffs as listHandoffRows, type TransitFilter } from '../engine/ledger.repository.ts';
import type { Deps } from '../shared/context.ts';
import type { HandoffItemResponse } from './handoff.schemas.ts';
import { fallbackLanguage } from '../i18n/i18n.ts';
import { noteIn, taskTitle } from '../work/task.service.ts';
import { processName } from './process-texts.ts';

type HandoffRow = HandoffTable & {
  assignee_name: string | null;
  task_version: number | null;
  task_title: string | null;
  task_title_key: string | null;
  task_title_params: string | null;
};

/**
 * One delivery in the reader's language: the processes by their names, and work that is a task by the task's title
 * (from its key, as the task list words it); other work keeps the title its record has.
 */
export function presentHandoff(row: HandoffRow, today: string, lang: string = fallbackLanguage): HandoffItemResponse {
  const title =
    row.work_record_type === 'task' && row.task_title !== null
      ? taskTitle({ title: row.task_title, title_key: row.task_title_key, title_params: row.task_title_params }, lang)
      : row.title;
  return {
    id: row.id,
    edge: row.edge,
    from: row.from_process,
    fromName: processName(lang, row.from_process),
    to: row.to_process,
    toName: processName(lang, row.to_process),
    title,
    source: { recordType: row.source_record_type, recordId: row.source_record_id, reference: row.source_record_ref },
    work: {
      recordType: row.work_record_type,
      recordId: row.work_record_id,
      reference: row.work_record_ref,
      taskVersion: row.work_record_type === 'task' ? (row.task_version ?? null) : null,
    },
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? '' } : null,
    dueOn: row.due_on,
    overdue: row.done_at === null && row.due_on !== null && row.due_on < today,
    createdAt: row.created_at,
    doneAt: row.done_at,
    outcome: row.outcome,
    note: noteIn(row.note, row.note_key ?? null, row.note_params ?? null, lang),
  };
}

/** The hand-offs of a scope along one edge (or into one process), in transit by default, oldest first. */
export async function listHandoffs(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; edge?: string | undefined; to?: string | undefined; state: TransitFilter['state'] },
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'process:read');
  requireScopePermission(actor, scopeId, 'task:read');
  const { rows, total } = await listHandoffRows(
    deps.db,
    scopeId,
    { edge: q.edge, toProcess: q.to, state: q.state },
    q.pageSize,
    (q.page - 1) * q.pageSize,
  );
  const today = deps.clock.now().toISOString().slice(0, 10);
  return { items: rows.map((r) => presentHandoff(r, today, lang)), total, page: q.page, pageSize: q.pageSize };
}
