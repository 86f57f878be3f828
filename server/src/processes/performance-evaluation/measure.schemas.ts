import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, userRef, versionSchema } from '../../shared/schemas.ts';

/** Performance evaluation (ISO 27001 9.1) in the form of ISO/IEC 27004: measures, measurements, analysis. */
export const measureDirections = ['higher', 'lower'] as const;
export type MeasureDirection = (typeof measureDirections)[number];
export const measureSourceKinds = ['live', 'manual', 'api'] as const;
export type MeasureSourceKind = (typeof measureSourceKinds)[number];
export const measureStatuses = ['active', 'retired'] as const;
export type MeasureStatus = (typeof measureStatuses)[number];
export const measureFrequencies = ['weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly'] as const;
export type MeasureFrequency = (typeof measureFrequencies)[number];
export const measurementStatuses = ['on_target', 'warning', 'breach'] as const;
export type MeasurementStatus = (typeof measurementStatuses)[number];
export const linkTypes = ['control', 'process', 'objective'] as const;
export type LinkType = (typeof linkTypes)[number];
export const analysisOutcomes = ['nonconformity', 'opportunity', 'no_action'] as const;
export type AnalysisOutcome = (typeof analysisOutcomes)[number];
export const trends = ['up', 'down', 'flat'] as const;
/** the live computations Praxis runs from its own records (see measure.live.ts) */
export const liveKeys = [
  'evidence-freshness',
  'controls-implemented',
  'overdue-corrective-actions',
  'incident-triage-hours',
  'incident-close-hours',
  'notifications-in-time',
  'training-completion',
  'policy-acknowledgement',
  'risks-above-criteria-untreated',
  'risks-past-review',
  'handoff-wait-hours',
] as const;
export type LiveKey = (typeof liveKeys)[number];

const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number, field: string) =>
  z
    .string()
    .max(max, { error: `${field} is at most ${max} characters` })
    .refine(noNul, { error: 'validation:noNul' });
const required = (max: number, field: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${field} is required` })
    .max(max, { error: `${field} is at most ${max} characters` })
    .refine(noNul, { error: 'validation:noNul' });
const finite = (field: string) => z.number({ error: `${field} must be a number` }).finite();

export const measureLink = z.strictObject({
  type: z.enum(linkTypes, { error: `link type must be one of ${linkTypes.join(', ')}` }),
  key: required(300, 'link key'),
});

const definitionFields = {
  name: required(200, 'name'),
  informationNeed: required(2000, 'informationNeed'),
  object: text(1000, 'object').default(''),
  attribute: text(1000, 'attribute').default(''),
  baseMeasures: text(2000, 'baseMeasures').default(''),
  derivedMeasure: text(2000, 'derivedMeasure').default(''),
  formula: required(2000, 'formula'),
  unit: text(50, 'unit').default(''),
  direction: z.enum(measureDirections, { error: 'direction must be higher or lower (which is better)' }),
  target: finite('target'),
  breachAt: finite('breachAt'),
  collectionFrequency: z.enum(measureFrequencies, { error: `collectionFrequency must be one of ${measureFrequencies.join(', ')}` }),
  analysisFrequency: z.enum(measureFrequencies, { error: `analysisFrequency must be one of ${measureFrequencies.join(', ')}` }),
  measuredById: idSchema.nullable().default(null),
  analysedById: idSchema.nullable().default(null),
  reportedById: idSchema.nullable().default(null),
  links: z.array(measureLink).max(100).default([]),
};

export const createMeasureBody = z.strictObject({
  ...definitionFields,
  sourceKind: z.enum(measureSourceKinds, { error: 'sourceKind must be live, manual or api' }),
  liveKey: z
    .enum(liveKeys, { error: `liveKey must be one of ${liveKeys.join(', ')}` })
    .nullable()
    .default(null),
  liveParam: text(100, 'liveParam').nullable().default(null),
  firstDueOn: dateSchema.nullable().default(null),
});
export type CreateMeasureInput = z.infer<typeof createMeasureBody>;

export const updateMeasureBody = z.strictObject({
  version: versionSchema,
  name: definitionFields.name.optional(),
  informationNeed: definitionFields.informationNeed.optional(),
  object: text(1000, 'object').optional(),
  attribute: text(1000, 'attribute').optional(),
  baseMeasures: text(2000, 'baseMeasures').optional(),
  derivedMeasure: text(2000, 'derivedMeasure').optional(),
  formula: definitionFields.formula.optional(),
  unit: text(50, 'unit').optional(),
  direction: definitionFields.direction.optional(),
  target: finite('target').optional(),
  breachAt: finite('breachAt').optional(),
  collectionFrequency: definitionFields.collectionFrequency.optional(),
  analysisFrequency: definitionFields.analysisFrequency.optional(),
  measuredById: idSchema.nullable().optional(),
  analysedById: idSchema.nullable().optional(),
  reportedById: idSchema.nullable().optional(),
  links: z.array(measureLink).max(100).optional(),
  status: z.enum(measureStatuses).optional(),
});
export type UpdateMeasureInput = z.infer<typeof updateMeasureBody>;

export const listMeasuresQuery = z.strictObject({
  ...pageQuery,
  q: text(200, 'q').optional(),
  status: z.enum(measureStatuses).optional(),
  sourceKind: z.enum(measureSourceKinds).optional(),
  latest: z.enum(measurementStatuses).optional(),
});
export type ListMeasuresQuery = z.infer<typeof listMeasuresQuery>;
export const exportMeasuresQuery = listMeasuresQuery.omit({ page: true, pageSize: true });

export const recordMeasurementBody = z.strictObject({
  value: finite('value'),
  measuredAt: z.iso.datetime({ error: 'measuredAt must be an ISO date-time' }).optional(),
  comment: text(5000, 'comment').default(''),
  evidenceUrl: z.url({ error: 'evidenceUrl must be a URL' }).max(2000).nullable().default(null),
});
export type RecordMeasurementInput = z.infer<typeof recordMeasurementBody>;

export const listMeasurementsQuery = z.strictObject({
  ...pageQuery,
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  status: z.enum(measurementStatuses).optional(),
});

export const analysisBody = z.strictObject({
  outcome: z.enum(analysisOutcomes, { error: 'outcome must be nonconformity, opportunity or no_action' }),
  note: required(10000, 'note'),
  title: text(300, 'title').optional(),
});
export type AnalysisInput = z.infer<typeof analysisBody>;

export const addRecommendedBody = z.strictObject({
  keys: z.array(z.enum(liveKeys)).max(liveKeys.length).optional(),
});

export const measurementParams = z.object({ scopeId: idSchema, id: idSchema, measurementId: idSchema });
export const trendQuery = z.strictObject({
  cycleId: idSchema.optional(),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
});

export const latestMeasurement = z
  .object({
    id: z.string(),
    value: z.number(),
    status: z.enum(measurementStatuses),
    measuredAt: z.string(),
  })
  .nullable();

export const measureResponse = z.object({
  id: z.string(),
  reference: z.string(),
  name: z.string(),
  unit: z.string(),
  direction: z.enum(measureDirections),
  target: z.number(),
  breachAt: z.number(),
  sourceKind: z.enum(measureSourceKinds),
  liveKey: z.enum(liveKeys).nullable(),
  status: z.enum(measureStatuses),
  collectionFrequency: z.enum(measureFrequencies),
  nextDueOn: z.string().nullable(),
  definitionVersion: z.number(),
  measuredBy: userRef,
  latest: latestMeasurement,
  trend: z.enum(trends).nullable(),
  version: z.number(),
});
export type MeasureResponse = z.infer<typeof measureResponse>;

export const measureDetailResponse = measureResponse.extend({
  scopeId: z.string(),
  informationNeed: z.string(),
  object: z.string(),
  attribute: z.string(),
  baseMeasures: z.string(),
  derivedMeasure: z.string(),
  formula: z.string(),
  analysisFrequency: z.enum(measureFrequencies),
  analysedBy: userRef,
  reportedBy: userRef,
  liveParam: z.string().nullable(),
  links: z.array(z.object({ type: z.enum(linkTypes), key: z.string(), label: z.string() })),
  versions: z.array(
    z.object({
      definitionVersion: z.number(),
      formula: z.string(),
      unit: z.string(),
      direction: z.enum(measureDirections),
      target: z.number(),
      breachAt: z.number(),
      createdAt: z.string(),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MeasureDetailResponse = z.infer<typeof measureDetailResponse>;

export const measurementResponse = z.object({
  id: z.string(),
  measureId: z.string(),
  definitionVersion: z.number(),
  value: z.number(),
  status: z.enum(measurementStatuses),
  measuredAt: z.string(),
  source: z.enum(measureSourceKinds),
  comment: z.string(),
  evidenceUrl: z.string().nullable(),
  recordedBy: userRef,
  analysis: z
    .object({
      outcome: z.enum(analysisOutcomes),
      note: z.string(),
      analysedAt: z.string(),
      finding: z.object({ type: z.string(), id: z.string(), ref: z.string().nullable() }).nullable(),
    })
    .nullable(),
  /** the open analysis task of a measurement in breach */
  analysisTask: z.object({ id: z.string(), reference: z.string() }).nullable(),
});
export type MeasurementResponse = z.infer<typeof measurementResponse>;

export const trendResponse = z.object({
  points: z.array(
    z.object({ measuredAt: z.string(), value: z.number(), status: z.enum(measurementStatuses), definitionVersion: z.number() }),
  ),
  target: z.number(),
  breachAt: z.number(),
  direction: z.enum(measureDirections),
  cycles: z.array(z.object({ id: z.string(), number: z.number(), startsOn: z.string(), endsOn: z.string() })),
});
export type TrendResponse = z.infer<typeof trendResponse>;

export const catalogueEntryResponse = z.object({ key: z.enum(liveKeys), name: z.string(), present: z.boolean() });
