import { appendAudit } from '../audit/audit.service.ts';
import type { CadenceTable } from '../db/schema.ts';
import { storedText, type Text } from '../i18n/i18n.ts';
import type { ProcessKey } from '../isms/process-model.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { openWorkTx, settleWorkTx } from '../work/work.ts';
import { addDays, DEFAULT_ESCALATION_DAYS, defaultLeadDays, MAX_LEAD_DAYS, nextAfterCompletion } from './cadence.rules.ts';
import type { CadenceSource, DueRecord } from './cadence.source.ts';
import { allCadenceSources } from './cadence.sources.ts';
import * as repo from './cadence.repository.ts';

const BATCH = 200;
const today = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);

/**
 * The `cadences` sweep (ISO 27001 9.1–9.3, 8.2: "at planned intervals"). In this order, each step in its own
 * transaction and each at most once whatever instance runs it and however often:
 * 1. an occurrence whose task was completed or cancelled is closed, and its record's next date moves by the rule
 *    (fixed: the schedule's next date; after completion: counted from the completion day); its escalation tasks end;
 * 2. each record whose next date is within its cadence's lead time gets one occurrence and one task (purpose
 *    `cadence:<date>`) for the record's owner, else the process owner (unique key: source, record, date — inserted in
 *    the task's transaction); an older open occurrence of the record, whose date the record has moved past, is cancelled;
 * 3. an occurrence overdue by the cadence's escalation days escalates to the process owner, after as many days again
 *    to the scope's managers (the level is claimed with a conditional update in the tasks' transaction).
 * Returns how many occurrences, closings and escalation steps it made.
 */
export async function sweepCadences(deps: Deps): Promise<number> {
  const sources = await allCadenceSources();
  let n = await closeSettledOccurrences(deps, sources);
  for (const source of sources) n += await followRecords(deps, source);
  for (const source of sources) n += await createDueOccurrences(deps, source);
  n += await escalateOverdue(deps);
  return n;
}

const cadenceKey = (scopeId: string, subject: string) => `${scopeId}|${subject}`;
const ESCALATION = 'cadence-escalation:';

async function closeSettledOccurrences(deps: Deps, sources: readonly CadenceSource[]): Promise<number> {
  let n = 0;
  for (const occ of await repo.findSettledOpenOccurrences(deps.db, BATCH)) {
    const done = await deps.db.transaction().execute(async (tx) => {
      const state = occ.task_status === 'done' ? 'done' : 'cancelled';
      const completedAt = occ.task_completed_at ?? isoNow(deps.clock);
      if (!(await repo.claimClose(tx, occ.id, state, completedAt))) return false;
      const ref = occ.task_id ? ((await repo.findTaskById(tx, occ.task_id))?.reference ?? null) : null;
      // the escalation reminders end with the work they chased
      await settleWorkTx(tx, deps, null, {
        scopeId: occ.scope_id,
        recordType: 'cadence_occurrence',
        recordId: occ.id,
        purposePrefix: ESCALATION,
        outcome: state,
        note: { key: state === 'done' ? 'cadences:note.occurrenceDone' : 'cadences:note.occurrenceCancelled', params: { taskRef: ref } },
      });
      const source = sources.find((s) => s.key === occ.source);
      const cadence = occ.cadence_id ? await repo.findCadenceById(tx, occ.cadence_id) : undefined;
      const rule = cadence ? cadence.rule : (source?.defaults.rule ?? null);
      const mode = cadence?.mode ?? source?.defaults.mode ?? 'fixed';
      const next = rule
        ? nextAfterCompletion({ rule, startsOn: cadence?.starts_on ?? occ.occurs_on, mode }, occ.occurs_on, completedAt.slice(0, 10))
        : null;
      const changes: Record<string, { from: unknown; to: unknown }> = { state: { from: 'open', to: state } };
      // the record's date moves only if nobody has set another one meanwhile
      if (source && (await source.moveNextOn(tx, occ.record_id, occ.occurs_on, next, isoNow(deps.clock)))) {
        changes.nextReviewOn = { from: occ.occurs_on, to: next };
        await appendAudit(tx, deps, null, {
          scopeId: occ.scope_id,
          action: 'update',
          recordType: source.recordType,
          recordId: occ.record_id,
          recordRef: occ.record_ref,
          changes: { nextReviewOn: { from: occ.occurs_on, to: next } },
        });
      }
      await appendAudit(tx, deps, null, {
        scopeId: occ.scope_id,
        action: 'update',
        recordType: 'cadence_occurrence',
        recordId: occ.id,
        recordRef: occ.record_ref,
        changes,
      });
      return true;
    });
    if (done) n++;
  }
  return n;
}

/**
 * Work follows its record: an open occurrence whose record no longer has that review date ends — done when the date
 * moved later (someone reviewed the record and set the next date), cancelled when the record was closed, deleted or
 * lost its date. Its task and escalation reminders end with it, with a note.
 */
async function followRecords(deps: Deps, source: CadenceSource): Promise<number> {
  let n = 0;
  let after: string | null = null;
  for (;;) {
    const open = await repo.listOpenOccurrencesOfSource(deps.db, source.key, after, BATCH);
    if (open.length === 0) break;
    const current = await source.currentNextOn(deps.db, [...new Set(open.map((o) => o.record_id))]);
    for (const occ of open) {
      const now = current.get(occ.record_id);
      if (now === occ.occurs_on) continue;
      const state: 'done' | 'cancelled' = now && now > occ.occurs_on ? 'done' : 'cancelled';
      const done = await deps.db.transaction().execute(async (tx) => {
        if (!(await repo.claimClose(tx, occ.id, state, isoNow(deps.clock)))) return false;
        const note: Text = now
          ? { key: 'cadences:note.reviewMoved', params: { dueOn: now } }
          : { key: 'cadences:note.recordGone', params: { recordRef: occ.record_ref } };
        const base = { scopeId: occ.scope_id, outcome: state, note };
        await settleWorkTx(tx, deps, null, {
          ...base,
          recordType: source.recordType,
          recordId: occ.record_id,
          purposes: [`cadence:${occ.occurs_on}`],
        });
        await settleWorkTx(tx, deps, null, { ...base, recordType: 'cadence_occurrence', recordId: occ.id, purposePrefix: ESCALATION });
        await appendAudit(tx, deps, null, {
          scopeId: occ.scope_id,
          action: 'update',
          recordType: 'cadence_occurrence',
          recordId: occ.id,
          recordRef: occ.record_ref,
          changes: { state: { from: 'open', to: state }, nextReviewOn: { from: occ.occurs_on, to: now ?? null } },
        });
        return true;
      });
      if (done) n++;
    }
    if (open.length < BATCH) break;
    after = open[open.length - 1]!.id;
  }
  return n;
}

async function createDueOccurrences(deps: Deps, source: CadenceSource): Promise<number> {
  const day = today(deps);
  const by = addDays(day, MAX_LEAD_DAYS);
  let n = 0;
  let after: { nextOn: string; recordId: string } | null = null;
  for (;;) {
    const rows: DueRecord[] = await source.listDue(deps.db, by, after, BATCH);
    if (rows.length === 0) break;
    const scopeIds = [...new Set(rows.map((r) => r.scopeId))];
    const [cadences, owners] = await Promise.all([
      repo.listCadencesOfSource(deps.db, source.key, scopeIds),
      repo.listProcessOwners(deps.db, scopeIds),
    ]);
    const cadenceOf = new Map(cadences.map((c) => [cadenceKey(c.scope_id, c.subject), c]));
    const ownerOf = new Map(owners.map((o) => [cadenceKey(o.scope_id, o.process_key), o.owner_id]));
    for (const r of rows) {
      const cadence = cadenceOf.get(cadenceKey(r.scopeId, r.subject));
      const lead = cadence?.lead_days ?? defaultLeadDays(source.defaults.rule);
      if (addDays(r.nextOn, -lead) > day) continue;
      const assigneeId = r.ownerId ?? ownerOf.get(cadenceKey(r.scopeId, r.processKey)) ?? null;
      if (await createOccurrence(deps, source, r, cadence, assigneeId)) n++;
    }
    if (rows.length < BATCH) break;
    const last = rows[rows.length - 1]!;
    after = { nextOn: last.nextOn, recordId: last.recordId };
  }
  return n;
}

async function createOccurrence(
  deps: Deps,
  source: CadenceSource,
  r: DueRecord,
  cadence: CadenceTable | undefined,
  assigneeId: string | null,
) {
  return deps.db.transaction().execute(async (tx) => {
    const now = isoNow(deps.clock);
    const escalationDays = cadence?.escalation_days ?? DEFAULT_ESCALATION_DAYS;
    const id = newId();
    const inserted = await repo.insertOccurrence(tx, {
      id,
      scope_id: r.scopeId,
      cadence_id: cadence?.id ?? null,
      source: source.key,
      record_id: r.recordId,
      record_ref: r.recordRef,
      process_key: r.processKey,
      occurs_on: r.nextOn,
      task_id: null,
      assignee_id: assigneeId,
      state: 'open',
      completed_at: null,
      escalation_level: 0,
      escalate_on: addDays(r.nextOn, escalationDays),
      created_at: now,
    });
    if (!inserted) return false;
    // an earlier occurrence of the record that is still open was overtaken: its date moved on (work follows its record)
    for (const old of await repo.findOpenOccurrencesOfRecord(tx, source.key, r.recordId)) {
      if (old.id === id || !(await repo.claimClose(tx, old.id, 'cancelled', now))) continue;
      const note = { key: 'cadences:note.reviewMoved', params: { dueOn: r.nextOn } };
      const base = { scopeId: r.scopeId, outcome: 'cancelled' as const, note };
      await settleWorkTx(tx, deps, null, {
        ...base,
        recordType: source.recordType,
        recordId: r.recordId,
        purposes: [`cadence:${old.occurs_on}`],
      });
      await settleWorkTx(tx, deps, null, { ...base, recordType: 'cadence_occurrence', recordId: old.id, purposePrefix: ESCALATION });
    }
    const text = source.task(r);
    const { task } = await openWorkTx(tx, deps, null, {
      scopeId: r.scopeId,
      processKey: r.processKey,
      purpose: `cadence:${r.nextOn}`,
      title: text.title,
      description: text.description,
      assigneeId,
      dueOn: r.nextOn,
      origin: { processKey: r.processKey, recordType: source.recordType, recordId: r.recordId, recordRef: r.recordRef },
    });
    await repo.setOccurrenceTask(tx, id, task.id, assigneeId);
    await appendAudit(tx, deps, null, {
      scopeId: r.scopeId,
      action: 'create',
      recordType: 'cadence_occurrence',
      recordId: id,
      recordRef: r.recordRef,
      changes: { source: { from: null, to: source.key }, occursOn: { from: null, to: r.nextOn }, task: { from: null, to: task.reference } },
    });
    return true;
  });
}

async function escalateOverdue(deps: Deps): Promise<number> {
  const day = today(deps);
  let n = 0;
  for (const occ of await repo.findEscalationsDue(deps.db, day, BATCH)) {
    const done = await deps.db.transaction().execute(async (tx) => {
      const level = occ.escalation_level;
      const days = occ.escalation_days ?? DEFAULT_ESCALATION_DAYS;
      // level 1 goes to the process owner, level 2 (after as many days again) to the scope's managers, then no more
      const escalateOn = level + 1 < 2 ? addDays(occ.occurs_on, (level + 2) * days) : null;
      if (!(await repo.claimEscalation(tx, occ.id, level, escalateOn))) return false;
      const told = new Set((await repo.listEscalations(tx, occ.id)).map((e) => e.assignee_id));
      let targets: string[];
      if (level === 0) {
        const owner = (await repo.listProcessOwners(tx, [occ.scope_id])).find((p) => p.process_key === occ.process_key)?.owner_id;
        targets = owner ? [owner] : [];
      } else {
        targets = await repo.listManagerIds(tx, occ.scope_id);
      }
      targets = targets.filter((id) => id !== occ.assignee_id && !told.has(id));
      const names = new Map(
        (await repo.findUserNames(tx, [...(occ.assignee_id ? [occ.assignee_id] : []), ...targets])).map((u) => [u.id, u.name]),
      );
      const assignee = occ.assignee_id ? (names.get(occ.assignee_id) ?? null) : null;
      // level 1 tells the process owner, level 2 the managers; the task's assignee by name, or that nobody has it
      const escalation = `cadences:description.escalation.${level === 0 ? 'owner' : 'managers'}${assignee === null ? 'Unassigned' : ''}`;
      const escalatedTitle = occ.task_title === null ? null : storedText(occ.task_title, occ.task_title_key, occ.task_title_params);
      const refs: string[] = [];
      for (const target of targets) {
        const { task } = await openWorkTx(tx, deps, null, {
          scopeId: occ.scope_id,
          processKey: occ.process_key as ProcessKey,
          purpose: `${ESCALATION}${level + 1}:${target}`,
          // the escalated task's title as a text of its own: the whole title reads in the reader's language
          title: { key: 'cadences:title.escalation', params: { taskRef: occ.task_reference, title: escalatedTitle } },
          description: {
            key: escalation,
            params: { taskRef: occ.task_reference ?? occ.record_ref, count: days * (level + 1), ...(assignee !== null && { assignee }) },
          },
          assigneeId: target,
          dueOn: addDays(day, days),
          origin: { processKey: occ.process_key, recordType: 'cadence_occurrence', recordId: occ.id, recordRef: occ.record_ref },
        });
        await repo.insertEscalation(tx, {
          id: newId(),
          occurrence_id: occ.id,
          level: level + 1,
          assignee_id: target,
          task_id: task.id,
          created_at: isoNow(deps.clock),
        });
        refs.push(task.reference);
      }
      await appendAudit(tx, deps, null, {
        scopeId: occ.scope_id,
        action: 'update',
        recordType: 'cadence_occurrence',
        recordId: occ.id,
        recordRef: occ.record_ref,
        changes: {
          escalationLevel: { from: level, to: level + 1 },
          escalatedTo: { from: null, to: targets.map((t) => names.get(t) ?? t) },
          tasks: { from: null, to: refs },
        },
      });
      return true;
    });
    if (done) n++;
  }
  return n;
}
