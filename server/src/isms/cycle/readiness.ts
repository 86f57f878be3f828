import type { Executor } from '../../db/database.ts';
import type { ProcessKey } from '../process-model.ts';
import type { pdcaPhases } from '../process.schemas.ts';

/**
 * Readiness checks: what the ISMS cycle's Plan / Do / Check / Act status is computed from (ISO 27001 4.4, 6–10). Each
 * process module contributes the checks of its part of the cycle in `<module>.readiness.ts`. A check reads the module's
 * own tables with one or two index-backed aggregate statements (never a statement per row), so that the cockpit stays
 * fast whatever the size of the registers.
 */
export type PdcaPhase = (typeof pdcaPhases)[number];

export const readinessStates = ['done', 'partial', 'open', 'not_applicable'] as const;
export type ReadinessState = (typeof readinessStates)[number];

export interface ReadinessContext {
  scopeId: string;
  /** the cycle evaluated: its first and last day, YYYY-MM-DD */
  cycle: { startsOn: string; endsOn: string };
  /** YYYY-MM-DD (UTC) */
  today: string;
  /**
   * Reads shared by the checks of one evaluation: checks that need the same aggregate (e.g. the scope's risks counted by
   * status and level) ask for it by key, and it runs once. `evaluateChecks` provides it.
   */
  shared?: SharedReads;
}

export type SharedReads = <T>(key: string, read: () => Promise<T>) => Promise<T>;

/** A fresh set of shared reads for one evaluation of the checks. */
export function sharedReads(): SharedReads {
  const reads = new Map<string, Promise<unknown>>();
  return <T>(key: string, read: () => Promise<T>) => {
    let p = reads.get(key);
    if (!p) {
      p = read();
      reads.set(key, p);
    }
    return p as Promise<T>;
  };
}

export interface ReadinessResult {
  state: ReadinessState;
  /** e.g. 37 of 40 risks assessed; null when the check is yes or no */
  figures: { done: number; total: number } | null;
  /** the web path of the page where to act on it */
  link: string | null;
  /** an i18n key (namespace cockpit) saying why the check has its state, when the label alone does not */
  reasonKey: string | null;
}

export interface ReadinessCheck {
  /** stable, unique over all modules, e.g. "risks-assessed" */
  key: string;
  phase: PdcaPhase;
  /** the process of the model that owns the check */
  processKey: ProcessKey;
  /** i18n keys (namespace cockpit): a short label and a sentence on what it takes */
  labelKey: string;
  explanationKey: string;
  evaluate(db: Executor, context: ReadinessContext): Promise<ReadinessResult>;
}

/** The state of a count: all done → done; some → partial; none → open; nothing to do → `empty`. */
export function stateOf(done: number, total: number, empty: ReadinessState = 'open'): ReadinessState {
  if (total === 0) return empty;
  if (done >= total) return 'done';
  return done > 0 ? 'partial' : 'open';
}

export const figures = (done: unknown, total: unknown) => ({ done: Number(done ?? 0), total: Number(total ?? 0) });

/** A cycle's first day as the instant timestamps are compared with (both dialects store UTC ISO timestamps). */
export const startOfDay = (day: string) => `${day}T00:00:00.000Z`;
