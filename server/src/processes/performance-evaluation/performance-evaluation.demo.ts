import type { DemoStep } from '../../engine/module.ts';
import { demoWords, memberActor } from '../../demo/demo-context.ts';
import { addRecommendedMeasures, createMeasure, recordMeasurement, sweepMeasuresDue } from './measure.service.ts';
import { de } from './performance-evaluation.demo.de.ts';

/** A phishing click rate over the last twelve months: falling, then in breach last month (the analysis task waits). */
const clickRates = [11.6, 11.2, 10.5, 9.9, 9.4, 8.8, 8.1, 7.4, 6.9, 6.2, 7.8, 13.5];

/** What the demo's manual measure says; German in performance-evaluation.demo.de.ts. */
const en = {
  name: 'Phishing simulation click rate',
  informationNeed: 'Do staff recognise phishing emails?',
  object: 'Staff receiving the monthly phishing simulation',
  attribute: 'Clicked the simulated link',
  baseMeasures: 'Number of simulated emails delivered; number of clicks',
  derivedMeasure: 'Share of recipients who clicked',
  formula: 'clicks / emails delivered × 100',
  breachComment: 'New campaign imitating the parcel service; sales clicked most.',
  monthlyComment: 'Monthly simulation',
};
export type MeasureDemoWords = typeof en;

/**
 * Performance evaluation in the demo organisation: the recommended live measures (computed from the demo's records),
 * and one manual measure with a year of monthly values, the latest in breach with its analysis task for IT.
 */
export const performanceEvaluationDemo: DemoStep = {
  order: 90,
  run: async (ctx) => {
    const { deps, actor, scopeId } = ctx;
    const w = demoWords(ctx, { en, de });
    await addRecommendedMeasures(deps, actor, scopeId, {});
    await sweepMeasuresDue(deps);
    const it = ctx.people.get('it');
    const measure = await createMeasure(deps, actor, scopeId, {
      name: w.name,
      informationNeed: w.informationNeed,
      object: w.object,
      attribute: w.attribute,
      baseMeasures: w.baseMeasures,
      derivedMeasure: w.derivedMeasure,
      formula: w.formula,
      unit: '%',
      direction: 'lower',
      target: 8,
      breachAt: 12,
      collectionFrequency: 'monthly',
      analysisFrequency: 'quarterly',
      measuredById: it?.userId ?? null,
      analysedById: it?.userId ?? null,
      reportedById: null,
      links: [{ type: 'process', key: 'competence-awareness' }],
      sourceKind: 'manual',
      liveKey: null,
      liveParam: null,
      firstDueOn: null,
    });
    const recorder = it ? memberActor(ctx, 'it') : actor;
    const now = deps.clock.now();
    for (const [i, value] of clickRates.entries()) {
      const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (clickRates.length - 1 - i), 1, 9));
      const measuredAt = at > now ? now : at;
      await recordMeasurement(deps, recorder, scopeId, measure.id, {
        value,
        measuredAt: measuredAt.toISOString(),
        comment: i === clickRates.length - 1 ? w.breachComment : w.monthlyComment,
        evidenceUrl: null,
      });
    }
  },
};
