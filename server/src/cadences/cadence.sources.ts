import type { CadenceSource } from './cadence.source.ts';
import { processReviewSource } from './sources/process-review.source.ts';
import { riskReviewSource } from './sources/risk-review.source.ts';

/**
 * The cadence sources Praxis ships. Policies and documents are not among them on purpose: policy management's own
 * `document-review-due` sweep creates their review task and a review moves `document.next_review_on`, so a second
 * task for the same review would be a duplicate. Controls have no verification date yet. A module adds its source here.
 */
export const cadenceSources: readonly CadenceSource[] = [processReviewSource, riskReviewSource];

export function findCadenceSource(key: string): CadenceSource | undefined {
  return cadenceSources.find((s) => s.key === key);
}
