import type { CadenceSource } from './cadence.source.ts';
import { processReviewSource } from './sources/process-review.source.ts';
import { riskReviewSource } from './sources/risk-review.source.ts';

/**
 * The cadence sources Praxis ships. Policies and documents are not among them on purpose: policy management's own
 * `document-review-due` sweep creates their review task and a review moves `document.next_review_on`, so a second
 * task for the same review would be a duplicate. Controls' verification is control implementation's own source
 * (`control-verification`, declared in its `index.ts`).
 */
export const cadenceSources: readonly CadenceSource[] = [processReviewSource, riskReviewSource];

/**
 * Every source the sweep schedules: the shipped ones and those process modules declare (`cadences` in their
 * `index.ts`); a module's source replaces a shipped one with the same key. The registry is read when called (it
 * imports the modules, which import services that use the cadences).
 */
export async function allCadenceSources(): Promise<readonly CadenceSource[]> {
  const { processModules } = await import('../processes/registry.ts');
  const byKey = new Map(cadenceSources.map((s) => [s.key, s]));
  for (const m of processModules) for (const s of m.cadences ?? []) byKey.set(s.key, s);
  return [...byKey.values()];
}
