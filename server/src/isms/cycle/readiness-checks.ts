import { processModules } from '../../processes/registry.ts';
import { governanceReadinessChecks } from './governance.readiness.ts';
import type { ReadinessCheck } from './readiness.ts';

let all: readonly ReadinessCheck[] | undefined;

/**
 * Every readiness check, in the order the cockpit shows them within a phase: the platform's own (the scope described),
 * then each registered process module's, as its declaration lists them. Read on first use, when every module is loaded.
 */
export function readinessChecks(): readonly ReadinessCheck[] {
  all ??= [...governanceReadinessChecks, ...processModules.flatMap((m) => m.readiness ?? [])];
  return all;
}
