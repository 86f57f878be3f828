import type { ReadinessCheck } from './readiness.ts';

/**
 * The governance interface's readiness check: the scope of the ISMS is described (ISO 27001 4.3). The scope is not a
 * process module of its own, so its check lives here.
 */
export const governanceReadinessChecks: ReadinessCheck[] = [
  {
    key: 'scope-described',
    phase: 'plan',
    processKey: 'governance-interface',
    labelKey: 'checks.scopeDescribed.label',
    explanationKey: 'checks.scopeDescribed.explanation',
    async evaluate(db, { scopeId }) {
      const row = await db.selectFrom('scope').select('description').where('id', '=', scopeId).executeTakeFirst();
      const described = (row?.description ?? '').trim().length > 0;
      return { state: described ? 'done' : 'open', figures: null, link: `/s/${scopeId}/settings`, reasonKey: null };
    },
  },
];
