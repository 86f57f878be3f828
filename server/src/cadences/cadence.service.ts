import { diffChanges } from '../audit/audit-hash.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type Actor, requireScopePermission } from '../auth/actor.ts';
import type { Tx } from '../db/database.ts';
import type { CadenceTable } from '../db/schema.ts';
import { updateVersioned } from '../db/versioned.ts';
import { fallbackLanguage, render } from '../i18n/i18n.ts';
import { findProcessDefinition, processDefinitions } from '../isms/process-model.ts';
import { processName } from '../isms/process-texts.ts';
import * as processRepo from '../isms/process.repository.ts';
import { taskTitle } from '../work/task.service.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, conflictWithCurrent, errorText, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import {
  addDays,
  assertOccurs,
  type CadenceMode,
  DEFAULT_ESCALATION_DAYS,
  datesBetween,
  defaultLeadDays,
  firstOccurrence,
  legacyCadence,
  normaliseRRule,
  RuleError,
  schedule,
  ruleOfLegacy,
  toFriendly,
  toRRule,
  upcomingDates,
} from './cadence.rules.ts';
import type {
  CadenceResponse,
  CadenceSummary,
  SourceCadenceResponse,
  UpcomingItem,
  UpdateCadenceInput,
  UpdateSourceCadenceInput,
} from './cadence.schemas.ts';
import { allCadenceSources } from './cadence.sources.ts';
import * as repo from './cadence.repository.ts';

const today = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);
const PROCESS = 'process';

// -- presets (ISO 27001 9.3 "planned intervals"; BSI 200-1: a small organisation's management review may be a yearly
//    meeting of the managing director with the IT provider)

type Legacy = ReturnType<typeof legacyCadence>;

/** small: one yearly management review; large: the formal calendar (each process at the model's cadence, reviews half-yearly). */
export function presetCadence(profile: 'small' | 'large', processKey: string): Legacy {
  if (profile === 'small') return processKey === 'management-review' ? 'yearly' : 'none';
  if (processKey === 'management-review') return 'half_yearly';
  return findProcessDefinition(processKey)?.defaultCadence ?? 'none';
}

/**
 * The cadences of a new scope from its profile's preset: one per process and one per record source. Returns each
 * process's old cadence label and first review date, which the process rows are created with.
 */
export async function applyCadencePresetTx(
  tx: Tx,
  deps: Deps,
  scopeId: string,
): Promise<Map<string, { cadence: Legacy; nextReviewOn: string | null }>> {
  const scope = await tx.selectFrom('scope').select('profile').where('id', '=', scopeId).executeTakeFirstOrThrow();
  const now = isoNow(deps.clock);
  const day = today(deps);
  const out = new Map<string, { cadence: Legacy; nextReviewOn: string | null }>();
  const rows: CadenceTable[] = [];
  const row = (source: string, subject: string, rule: string | null, mode: CadenceMode, startsOn: string | null): CadenceTable => ({
    id: newId(),
    scope_id: scopeId,
    source,
    subject,
    rule,
    starts_on: startsOn,
    mode,
    lead_days: defaultLeadDays(rule),
    escalation_days: DEFAULT_ESCALATION_DAYS,
    created_at: now,
    updated_at: now,
    version: 1,
  });
  for (const def of processDefinitions) {
    const label = presetCadence(scope.profile, def.key);
    const rule = ruleOfLegacy(label);
    const first = rule ? firstOccurrence(rule, day) : null;
    rows.push(row(PROCESS, def.key, rule, 'fixed', first));
    out.set(def.key, { cadence: label, nextReviewOn: first });
  }
  for (const source of await allCadenceSources()) {
    if (source.key !== PROCESS) rows.push(row(source.key, '', source.defaults.rule, source.defaults.mode, null));
  }
  await repo.insertCadences(tx, rows);
  return out;
}

// -- a process's cadence

function ruleError(err: unknown, field: string): never {
  if (err instanceof RuleError) throw invalid(err.path ? `${field}.${err.path}` : field, err.text);
  throw err;
}

async function loadProcess(db: Deps['db'] | Tx, scopeId: string, key: string) {
  if (!findProcessDefinition(key)) throw notFound('Process');
  const sp = await processRepo.findScopeProcess(db, scopeId, key);
  if (!sp) throw notFound('Process');
  return sp;
}

const friendlyOf = (rule: string | null) => {
  const f = rule ? toFriendly(rule) : null;
  return f
    ? { frequency: f.frequency, interval: f.interval, weekday: f.weekday ?? null, monthDay: f.monthDay ?? null, month: f.month ?? null }
    : null;
};

async function presentCadence(db: Deps['db'] | Tx, day: string, scopeId: string, key: string, lang: string): Promise<CadenceResponse> {
  const sp = await loadProcess(db, scopeId, key);
  const c = await repo.findCadence(db, scopeId, PROCESS, key);
  const rule = c ? c.rule : ruleOfLegacy(sp.cadence);
  const mode = c?.mode ?? 'fixed';
  const [last, open] = await Promise.all([
    repo.findLastClosedOccurrence(db, PROCESS, sp.id),
    repo.findOpenOccurrencesOfRecord(db, PROCESS, sp.id),
  ]);
  const current = open.sort((a, b) => b.occurs_on.localeCompare(a.occurs_on))[0];
  const task = current?.task_id ? await repo.findTaskById(db, current.task_id) : undefined;
  return {
    processKey: key,
    processName: processName(lang, key),
    rule: friendlyOf(rule),
    rrule: rule,
    mode,
    startsOn: c?.starts_on ?? null,
    leadDays: c?.lead_days ?? defaultLeadDays(rule),
    escalationDays: c?.escalation_days ?? DEFAULT_ESCALATION_DAYS,
    nextReviewOn: sp.next_review_on,
    nextDates: rule
      ? upcomingDates({ rule, startsOn: c?.starts_on ?? sp.next_review_on ?? day, mode }, sp.next_review_on)
      : sp.next_review_on
        ? [sp.next_review_on]
        : [],
    lastCompletedOn: last?.completed_at?.slice(0, 10) ?? null,
    current: current
      ? {
          occursOn: current.occurs_on,
          taskReference: task?.reference ?? null,
          escalationLevel: current.escalation_level,
          overdue: current.occurs_on < day,
        }
      : null,
    version: c?.version ?? 1,
  };
}

export async function getProcessCadence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  key: string,
  lang: string = fallbackLanguage,
): Promise<CadenceResponse> {
  requireScopePermission(actor, scopeId, 'process:read');
  return presentCadence(deps.db, today(deps), scopeId, key, lang);
}

/** The cadence of every process of a scope, in short (two statements). */
export async function listProcessCadences(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  lang: string = fallbackLanguage,
): Promise<{ items: CadenceSummary[]; sources: SourceCadenceResponse[] }> {
  requireScopePermission(actor, scopeId, 'process:read');
  const [processes, cadences] = await Promise.all([
    processRepo.listScopeProcesses(deps.db, scopeId),
    repo.listScopeCadences(deps.db, scopeId),
  ]);
  if (processes.length === 0) throw notFound('Scope');
  const byKey = new Map(cadences.filter((c) => c.source === PROCESS).map((c) => [c.subject, c]));
  const rowOf = new Map(processes.map((p) => [p.process_key, p]));
  const items = processDefinitions.map((def): CadenceSummary => {
    const sp = rowOf.get(def.key);
    const c = byKey.get(def.key);
    const rule = c ? c.rule : ruleOfLegacy(sp?.cadence ?? 'none');
    return {
      processKey: def.key,
      rule: friendlyOf(rule),
      rrule: rule,
      mode: c?.mode ?? 'fixed',
      leadDays: c?.lead_days ?? defaultLeadDays(rule),
      escalationDays: c?.escalation_days ?? DEFAULT_ESCALATION_DAYS,
      nextReviewOn: sp?.next_review_on ?? null,
      version: c?.version ?? 1,
    };
  });
  const sources = (await allCadenceSources())
    .filter((source) => source.key !== PROCESS && source.processKey)
    .map((source): SourceCadenceResponse => {
      const c = cadences.find((x) => x.source === source.key && x.subject === '');
      const rule = c ? c.rule : source.defaults.rule;
      return {
        source: source.key,
        processKey: source.processKey!,
        processName: processName(lang, source.processKey!),
        rule: friendlyOf(rule),
        rrule: rule,
        mode: c?.mode ?? source.defaults.mode,
        leadDays: c?.lead_days ?? defaultLeadDays(rule),
        escalationDays: c?.escalation_days ?? DEFAULT_ESCALATION_DAYS,
        version: c?.version ?? 1,
      };
    });
  return { items, sources };
}

/** The RRULE value of an API rule: the friendly form or a typed RRULE; errors name the field. */
export function ruleOfInput(rule: UpdateCadenceInput['rule']): string | null {
  if (rule === null) return null;
  try {
    return typeof rule === 'string' ? normaliseRRule(rule) : toRRule(rule);
  } catch (err) {
    ruleError(err, 'body.rule');
  }
}

const auditable = (c: Pick<CadenceTable, 'rule' | 'starts_on' | 'mode' | 'lead_days' | 'escalation_days'> | undefined) =>
  c ? { rule: c.rule, startsOn: c.starts_on, mode: c.mode, leadDays: c.lead_days, escalationDays: c.escalation_days } : null;

/**
 * Sets a process's cadence: the rule, fixed to a schedule or counted from the last completion, the lead and escalation
 * days. The process's next review date follows, unless a review is under way (the new rule applies after it).
 */
export async function updateProcessCadence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  key: string,
  input: UpdateCadenceInput,
  lang: string = fallbackLanguage,
): Promise<CadenceResponse> {
  requireScopePermission(actor, scopeId, 'process:manage');
  const rule = ruleOfInput(input.rule);
  const day = today(deps);
  const work = deps.db.transaction().execute(async (tx) => {
    const sp = await loadProcess(tx, scopeId, key);
    const before = await repo.findCadence(tx, scopeId, PROCESS, key);
    if ((before?.version ?? 1) !== input.version) {
      throw new AppError('version_conflict', errorText('cadenceChanged'), {
        details: { current: await presentCadence(tx, day, scopeId, key, lang) },
      });
    }
    let startsOn: string | null = null;
    let next: string | null = null;
    if (rule) {
      try {
        assertOccurs(rule, input.startsOn ?? day);
      } catch (err) {
        ruleError(err, 'body.rule');
      }
      if (!input.startsOn && before?.rule === rule && before.mode === input.mode && sp.next_review_on) {
        // the same schedule (only lead or escalation days changed): the next review stays where it is
        startsOn = before.starts_on;
        next = sp.next_review_on;
      } else {
        const last = input.mode === 'after_completion' ? await repo.findLastClosedOccurrence(tx, PROCESS, sp.id) : undefined;
        ({ startsOn, next } = schedule(rule, input.mode, day, input.startsOn ?? null, last?.completed_at?.slice(0, 10) ?? null));
      }
    }
    const now = isoNow(deps.clock);
    const fields = {
      rule,
      starts_on: startsOn,
      mode: input.mode,
      lead_days: input.leadDays ?? defaultLeadDays(rule),
      escalation_days: input.escalationDays ?? before?.escalation_days ?? DEFAULT_ESCALATION_DAYS,
    };
    let cadenceId: string;
    if (before) {
      cadenceId = before.id;
      await updateVersioned(tx, 'cadence', before.id, before.version, { ...fields, updated_at: now });
    } else {
      cadenceId = newId();
      await repo.insertCadences(tx, [
        { id: cadenceId, scope_id: scopeId, source: PROCESS, subject: key, ...fields, created_at: now, updated_at: now, version: 1 },
      ]);
    }
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: before ? 'update' : 'create',
      recordType: 'cadence',
      recordId: cadenceId,
      recordRef: key,
      changes: diffChanges(auditable(before), auditable(fields)),
    });
    // a review under way keeps its date; the new rule applies from its completion
    const underWay = (await repo.findOpenOccurrencesOfRecord(tx, PROCESS, sp.id)).some((o) => o.occurs_on === sp.next_review_on);
    const patch = { cadence: legacyCadence(rule), next_review_on: underWay ? sp.next_review_on : next };
    if (patch.cadence !== sp.cadence || patch.next_review_on !== sp.next_review_on) {
      await updateVersioned(tx, 'scope_process', sp.id, sp.version, { ...patch, updated_at: now });
      await appendAudit(tx, deps, actor, {
        scopeId,
        action: 'update',
        recordType: 'process',
        recordId: sp.id,
        recordRef: key,
        changes: diffChanges(
          { cadence: sp.cadence, nextReviewOn: sp.next_review_on },
          { cadence: patch.cadence, nextReviewOn: patch.next_review_on },
        ),
      });
    }
  });
  await conflictWithCurrent(work, errorText('cadenceChanged'), () => presentCadence(deps.db, day, scopeId, key, lang));
  return presentCadence(deps.db, day, scopeId, key, lang);
}

async function loadSource(key: string) {
  const source = key === PROCESS ? undefined : (await allCadenceSources()).find((s) => s.key === key);
  if (!source?.processKey) throw notFound('Cadence source');
  return { ...source, processKey: source.processKey };
}

async function presentSourceCadence(db: Deps['db'] | Tx, scopeId: string, key: string, lang: string): Promise<SourceCadenceResponse> {
  const source = await loadSource(key);
  const c = await repo.findCadence(db, scopeId, key, '');
  const rule = c ? c.rule : source.defaults.rule;
  return {
    source: key,
    processKey: source.processKey,
    processName: processName(lang, source.processKey),
    rule: friendlyOf(rule),
    rrule: rule,
    mode: c?.mode ?? source.defaults.mode,
    leadDays: c?.lead_days ?? defaultLeadDays(rule),
    escalationDays: c?.escalation_days ?? DEFAULT_ESCALATION_DAYS,
    version: c?.version ?? 1,
  };
}

/** The rule of a kind of record with a review date (e.g. 'risk-review'). */
export async function getSourceCadence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  key: string,
  lang: string = fallbackLanguage,
): Promise<SourceCadenceResponse> {
  requireScopePermission(actor, scopeId, 'process:read');
  return presentSourceCadence(deps.db, scopeId, key, lang);
}

/**
 * Sets the rule of a kind of record: each record keeps its own next review date; when its review is done the date
 * moves by this rule (fixed: the next date of the schedule anchored at the date that was due; counted: from the day
 * the review was done).
 */
export async function updateSourceCadence(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  key: string,
  input: UpdateSourceCadenceInput,
  lang: string = fallbackLanguage,
): Promise<SourceCadenceResponse> {
  requireScopePermission(actor, scopeId, 'process:manage');
  await loadSource(key);
  const rule = ruleOfInput(input.rule);
  if (rule) {
    try {
      assertOccurs(rule, today(deps));
    } catch (err) {
      ruleError(err, 'body.rule');
    }
  }
  const work = deps.db.transaction().execute(async (tx) => {
    const before = await repo.findCadence(tx, scopeId, key, '');
    if ((before?.version ?? 1) !== input.version) {
      throw new AppError('version_conflict', errorText('cadenceChanged'), {
        details: { current: await presentSourceCadence(tx, scopeId, key, lang) },
      });
    }
    const now = isoNow(deps.clock);
    const fields = {
      rule,
      starts_on: null,
      mode: input.mode,
      lead_days: input.leadDays ?? defaultLeadDays(rule),
      escalation_days: input.escalationDays ?? before?.escalation_days ?? DEFAULT_ESCALATION_DAYS,
    };
    const id = before?.id ?? newId();
    if (before) await updateVersioned(tx, 'cadence', before.id, before.version, { ...fields, updated_at: now });
    else
      await repo.insertCadences(tx, [
        { id, scope_id: scopeId, source: key, subject: '', ...fields, created_at: now, updated_at: now, version: 1 },
      ]);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: before ? 'update' : 'create',
      recordType: 'cadence',
      recordId: id,
      recordRef: key,
      changes: diffChanges(auditable(before), auditable(fields)),
    });
  });
  await conflictWithCurrent(work, errorText('cadenceChanged'), () => presentSourceCadence(deps.db, scopeId, key, lang));
  return presentSourceCadence(deps.db, scopeId, key, lang);
}

/**
 * The old way of setting a process's cadence (PATCH …/processes/:key with `cadence` and `nextReviewOn`), kept for API
 * compatibility: the label becomes a fixed rule anchored at the next review date (one period from today if none).
 * Returns the next review date the process row should take.
 */
export async function setLegacyCadenceTx(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  key: string,
  input: {
    cadence?: string | undefined;
    nextReviewOn?: string | null | undefined;
    current: { cadence: string; nextReviewOn: string | null };
  },
): Promise<string | null> {
  const label = input.cadence ?? input.current.cadence;
  const rule = ruleOfLegacy(label);
  const day = today(deps);
  // as this API always did: a label without a date schedules the next review a period of days from today
  const legacyDays: Record<string, number> = { monthly: 30, quarterly: 91, half_yearly: 182, yearly: 365 };
  const days = legacyDays[label];
  const nextReviewOn =
    input.nextReviewOn !== undefined ? input.nextReviewOn : (input.current.nextReviewOn ?? (rule && days ? addDays(day, days) : null));
  const before = await repo.findCadence(tx, scopeId, PROCESS, key);
  const fields = {
    rule,
    starts_on: rule ? nextReviewOn : null,
    mode: before?.mode ?? ('fixed' as const),
    lead_days: before && before.rule === rule ? before.lead_days : defaultLeadDays(rule),
    escalation_days: before?.escalation_days ?? DEFAULT_ESCALATION_DAYS,
  };
  const now = isoNow(deps.clock);
  const changes = diffChanges(auditable(before), auditable(fields));
  if (before && Object.keys(changes).length === 0) return nextReviewOn;
  let id = before?.id ?? newId();
  if (before) await updateVersioned(tx, 'cadence', before.id, before.version, { ...fields, updated_at: now });
  else {
    id = newId();
    await repo.insertCadences(tx, [
      { id, scope_id: scopeId, source: PROCESS, subject: key, ...fields, created_at: now, updated_at: now, version: 1 },
    ]);
  }
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: before ? 'update' : 'create',
    recordType: 'cadence',
    recordId: id,
    recordRef: key,
    changes,
  });
  return nextReviewOn;
}

// -- upcoming occurrences of a scope

/**
 * What the cadences of a scope bring in the next `days` days, overdue ones first: occurrences under way (with their
 * task and escalation) and planned ones (each record's next date, and a fixed process schedule's further dates).
 * A fixed number of statements whatever the scope holds; paged in memory.
 */
export async function listUpcoming(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; days: number },
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'process:read');
  const day = today(deps);
  const until = addDays(day, q.days);
  const cadenceSources = await allCadenceSources();
  const [cadences, open, processes, ...perSource] = await Promise.all([
    repo.listScopeCadences(deps.db, scopeId),
    repo.listScopeOpenOccurrences(deps.db, scopeId),
    processRepo.listScopeProcesses(deps.db, scopeId),
    ...cadenceSources.map((s) => s.listUpcoming(deps.db, scopeId, until)),
  ]);
  if (processes.length === 0) throw notFound('Scope');
  // processes and generated titles in the reader's language
  const nameOf = (k: string) => processName(lang, k);
  const processOwner = new Map(processes.map((p) => [p.process_key, p.owner_id]));
  const cadenceOf = new Map(cadences.map((c) => [`${c.source}|${c.subject}`, c]));
  const items: (Omit<UpcomingItem, 'assignee'> & { assigneeId: string | null })[] = [];
  const underWay = new Set(open.map((o) => `${o.source}|${o.record_id}|${o.occurs_on}`));
  for (const o of open) {
    items.push({
      date: o.occurs_on,
      overdue: o.occurs_on < day,
      planned: false,
      processKey: o.process_key,
      processName: nameOf(o.process_key),
      title:
        o.task_title === null
          ? ''
          : taskTitle({ title: o.task_title, title_key: o.task_title_key, title_params: o.task_title_params }, lang),
      record: { type: cadenceSources.find((s) => s.key === o.source)?.recordType ?? o.source, id: o.record_id, reference: o.record_ref },
      assigneeId: o.assignee_id,
      task: o.task_id && o.task_reference ? { id: o.task_id, reference: o.task_reference, status: o.task_status ?? 'open' } : null,
      escalationLevel: o.escalation_level,
    });
  }
  cadenceSources.forEach((source, i) => {
    for (const r of perSource[i] ?? []) {
      const c = cadenceOf.get(`${source.key}|${r.subject}`);
      const rule = c ? c.rule : source.defaults.rule;
      let dates = [r.nextOn];
      // a fixed schedule's further dates in the window (a counted rule's next date depends on the completion)
      if (rule && (c?.mode ?? source.defaults.mode) === 'fixed') {
        dates = [r.nextOn, ...datesBetween(rule, c?.starts_on ?? r.nextOn, addDays(r.nextOn, 1), until)];
      }
      for (const date of dates) {
        if (underWay.has(`${source.key}|${r.recordId}|${date}`)) continue;
        items.push({
          date,
          overdue: date < day,
          planned: true,
          processKey: r.processKey,
          processName: nameOf(r.processKey),
          title: render(lang, source.task(r).title),
          record: { type: source.recordType, id: r.recordId, reference: r.recordRef },
          assigneeId: r.ownerId ?? processOwner.get(r.processKey) ?? null,
          task: null,
          escalationLevel: 0,
        });
      }
    }
  });
  items.sort((a, b) => a.date.localeCompare(b.date) || a.processName.localeCompare(b.processName) || a.title.localeCompare(b.title));
  const page = items.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  const users = new Map(
    (await repo.findUserNames(deps.db, [...new Set(page.map((i) => i.assigneeId).filter((x): x is string => !!x))])).map((u) => [u.id, u]),
  );
  return {
    items: page.map(({ assigneeId, ...i }) => {
      const u = assigneeId ? users.get(assigneeId) : undefined;
      return { ...i, assignee: u ? { id: u.id, name: u.name, email: u.email } : null };
    }),
    total: items.length,
    page: q.page,
    pageSize: q.pageSize,
  };
}
