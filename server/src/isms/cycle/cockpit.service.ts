import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import { longReads } from '../../db/long-reads.ts';
import type { Deps } from '../../shared/context.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { taskTitle } from '../../work/task.service.ts';
import { processRef } from '../process-texts.ts';
import { pdcaPhases } from '../process.schemas.ts';
import * as cockpitRepo from './cockpit.repository.ts';
import type { CheckResponse, CockpitResponse, PhaseStatus } from './cycle.schemas.ts';
import * as repo from './cycle.repository.ts';
import { presentCycle, todayOf } from './cycle.service.ts';
import { type ReadinessCheck, type ReadinessContext, sharedReads } from './readiness.ts';
import { readinessChecks } from './readiness-checks.ts';

/** How many next steps the cockpit proposes: the actor's overdue tasks first, then the current phase's open checks. */
export const NEXT_STEPS = 6;

/** A phase is done when every check is done (or does not apply), not started when none has begun. */
export function phaseStatus(checks: Pick<CheckResponse, 'state'>[]): PhaseStatus {
  if (checks.every((c) => c.state === 'done' || c.state === 'not_applicable')) return 'done';
  return checks.some((c) => c.state === 'done' || c.state === 'partial') ? 'in_progress' : 'not_started';
}

/**
 * Evaluates the checks for a cycle; each check runs its own one or two aggregate statements over the scope's records,
 * as long reads (off the main thread on SQLite, db/long-reads.ts).
 */
export async function evaluateChecks(
  deps: Deps,
  checks: readonly ReadinessCheck[],
  context: ReadinessContext,
  lang: string = fallbackLanguage,
): Promise<CheckResponse[]> {
  const shared = { ...context, shared: context.shared ?? sharedReads() };
  const reads = longReads(deps.db);
  const results = await Promise.all(checks.map((c) => c.evaluate(reads, shared)));
  return checks.map((c, i) => ({
    key: c.key,
    process: processRef(lang, c.processKey),
    labelKey: c.labelKey,
    explanationKey: c.explanationKey,
    ...results[i]!,
  }));
}

/**
 * The manager's home: the current cycle with the status of each phase and its readiness checks, what is overdue by
 * process, the hand-offs waiting per edge, and the next steps. A fixed number of statements whatever the data size:
 * the cycle, one or two per check, and one each for overdue work, waiting hand-offs and the actor's overdue tasks.
 * Processes and generated task titles are worded in the reader's language.
 */
export async function getCockpit(deps: Deps, actor: Actor, scopeId: string, lang: string = fallbackLanguage): Promise<CockpitResponse> {
  requireScopePermission(actor, scopeId, 'process:read');
  const today = todayOf(deps);
  const cycleRow = await repo.findCurrentCycle(deps.db, scopeId);
  const [checks, overdue, waiting, mine] = await Promise.all([
    cycleRow
      ? evaluateChecks(deps, readinessChecks(), { scopeId, cycle: { startsOn: cycleRow.starts_on, endsOn: cycleRow.ends_on }, today }, lang)
      : Promise.resolve([]),
    cockpitRepo.overdueByProcess(longReads(deps.db), scopeId, today),
    cockpitRepo.waitingHandoffsByEdge(longReads(deps.db), scopeId, today),
    cockpitRepo.overdueTasksOf(deps.db, scopeId, actor.userId, today, NEXT_STEPS),
  ]);

  let cycle: CockpitResponse['cycle'] = null;
  if (cycleRow) {
    const phases = pdcaPhases.map((phase) => {
      const phaseChecks = readinessChecks().flatMap((c, i) => (c.phase === phase ? [checks[i]!] : []));
      return { phase, status: phaseStatus(phaseChecks), checks: phaseChecks };
    });
    cycle = { ...presentCycle(cycleRow), currentPhase: phases.find((p) => p.status !== 'done')?.phase ?? null, phases };
  }

  const tasksLink = (processKey: string) => `/s/${scopeId}/tasks?processKey=${encodeURIComponent(processKey)}`;
  const nextSteps: CockpitResponse['nextSteps'] = mine.map((t) => ({
    kind: 'task' as const,
    reference: t.reference,
    title: taskTitle(t, lang),
    dueOn: t.due_on,
    process: processRef(lang, t.process_key),
    link: `/s/${scopeId}/tasks?q=${encodeURIComponent(t.reference)}`,
  }));
  const current = cycle?.phases.find((p) => p.phase === cycle.currentPhase);
  for (const c of current?.checks ?? []) {
    if (nextSteps.length >= NEXT_STEPS) break;
    if (c.state !== 'open' && c.state !== 'partial') continue;
    nextSteps.push({ kind: 'check', key: c.key, labelKey: c.labelKey, phase: current!.phase, process: c.process, link: c.link });
  }

  return {
    asOf: today,
    cycle,
    overdue: {
      total: overdue.reduce((sum, r) => sum + r.count, 0),
      byProcess: overdue.map((r) => ({
        process: processRef(lang, r.process_key),
        count: r.count,
        oldest: { reference: r.reference, title: taskTitle(r, lang), dueOn: r.due_on },
        link: tasksLink(r.process_key),
      })),
    },
    handoffs: {
      total: waiting.reduce((sum, r) => sum + r.count, 0),
      overdue: waiting.reduce((sum, r) => sum + r.overdue, 0),
      byEdge: waiting.map((r) => ({
        edge: r.edge,
        from: processRef(lang, r.from_process),
        to: processRef(lang, r.to_process),
        count: r.count,
        oldestAt: r.oldest_at,
        overdue: r.overdue,
        link: `/s/${scopeId}/processes`,
      })),
    },
    nextSteps,
  };
}
