import { sweepAuditCheckpoints } from '../audit/audit-checkpoint.ts';
import type { Sweep } from '../engine/module.ts';
import { sweepOrphanBlobs } from '../files/file-store.ts';
import { processModules } from '../processes/registry.ts';
import type { Deps } from '../shared/context.ts';
import { sweepCadences } from '../cadences/index.ts';

export type { Sweep };

/**
 * Recurring sweeps: work that falls due with the calendar rather than with a request (a policy's review date
 * approaching, a residual-risk acceptance expiring, a yearly training coming round again).
 *
 * A sweep must be idempotent and transactional: it may run on several app instances at the same time and as often as
 * it likes, and it creates each follow-up (a task, an assignment) at most once — e.g. by a unique key or by marking the
 * source row in the same transaction. It returns how many things it created, for the log and for tests.
 */

/** Every sweep, by name. Run by `praxis serve` on an interval and by `praxis jobs run` once. */
export const sweeps: Record<string, Sweep> = {
  // every process module's sweeps, from the registry
  ...Object.fromEntries(processModules.flatMap((m) => Object.entries(m.sweeps ?? {}))),
  // the file store: stored files no record refers to any more (once a day)
  'file-orphans': sweepOrphanBlobs,
  // cadences: a task ahead of each process review and record review date, escalated when overdue
  cadences: sweepCadences,
  // the audit trail: a signed checkpoint of its end once a day, also written to PRAXIS_AUDIT_CHECKPOINT_DIR
  'audit-checkpoints': sweepAuditCheckpoints,
};

/** Runs every sweep once; a failing sweep is reported and does not stop the others. */
export async function runSweeps(deps: Deps, log: { error(obj: unknown, msg: string): void } = console): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const [name, sweep] of Object.entries(sweeps)) {
    try {
      result[name] = await sweep(deps);
    } catch (err) {
      log.error({ err, sweep: name }, `sweep ${name} failed`);
      result[name] = -1;
    }
  }
  return result;
}

/** Runs the sweeps every `intervalMs` (default 15 minutes) until stopped; one run at a time per instance. */
export function startSweepJob(deps: Deps, log: { error(obj: unknown, msg: string): void }, intervalMs = 15 * 60_000): () => void {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    void runSweeps(deps, log).finally(() => {
      running = false;
    });
  };
  const first = setTimeout(tick, 5_000);
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
