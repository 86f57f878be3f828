import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';
import { threatCategories } from './bsi-elementary-threats.ts';
export type { ThreatCategory } from './bsi-elementary-threats.ts';
import { acceptanceAuthorities, MAX_SCALE_LEVELS, protectionNeeds, refineMethod, riskMethodFields } from './risk-method.ts';

// ---------------------------------------------------------------- risk method

const scaleLevel = z.object({ value: z.number(), label: z.string(), description: z.string() });
const riskLevel = z.object({ key: z.string(), label: z.string(), colour: z.string(), order: z.number() });

export const riskMethodResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  /** the method's version number (1, 2, …); PUT sends it back as `version` */
  version: z.number(),
  current: z.boolean(),
  createdAt: z.string(),
  createdBy: userRef,
  likelihood: z.array(scaleLevel),
  impact: z.array(scaleLevel),
  levels: z.array(riskLevel),
  matrix: z.array(z.array(z.string())),
  acceptance: z.array(z.object({ level: z.string(), acceptedBy: z.enum(acceptanceAuthorities) })),
});
export type RiskMethodResponse = z.infer<typeof riskMethodResponse>;

export const riskMethodVersionsResponse = z.object({
  items: z.array(riskMethodResponse.extend({ riskCount: z.number() })),
});

/** A new version of the method; `version` is the version the client edited (409 when another was saved since). */
export const updateRiskMethodBody = z.strictObject({ version: versionSchema, ...riskMethodFields }).superRefine(refineMethod);
export type UpdateRiskMethodInput = z.infer<typeof updateRiskMethodBody>;

// ---------------------------------------------------------------- threats and warnings

export const threatSources = ['builtin', 'custom'] as const;

export const threatResponse = z.object({
  id: z.string(),
  scopeId: z.string().nullable(),
  code: z.string(),
  title: z.string(),
  category: z.enum(threatCategories),
  source: z.enum(threatSources),
  description: z.string(),
});
export type ThreatResponse = z.infer<typeof threatResponse>;

export const listThreatsQuery = z.strictObject({ scopeId: idSchema.optional() });

export const createThreatBody = z.strictObject({
  /** e.g. "THR-0003"; given automatically when left out */
  code: z
    .string()
    .trim()
    .min(1)
    .max(30, { error: 'code has at most 30 characters' })
    .refine((c) => !/^G 0\.\d+$/.test(c), { error: 'validation:threatCodeBuiltin' })
    .optional(),
  title: z.string().trim().min(1, { error: 'title is required' }).max(200, { error: 'title has at most 200 characters' }),
  category: z.enum(threatCategories, { error: `category must be one of ${threatCategories.join(', ')}` }),
  description: z.string().max(10000).default(''),
});
export type CreateThreatInput = z.infer<typeof createThreatBody>;

export const warningSeverities = ['low', 'medium', 'high', 'critical'] as const;

export const threatWarningResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  threat: z.object({ id: z.string(), code: z.string(), title: z.string() }).nullable(),
  title: z.string(),
  source: z.string(),
  receivedOn: z.string(),
  description: z.string(),
  severity: z.enum(warningSeverities),
  createdAt: z.string(),
});
export type ThreatWarningResponse = z.infer<typeof threatWarningResponse>;

export const createThreatWarningBody = z.strictObject({
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  /** who warned: a CERT, a vendor advisory, a supplier, a newsletter… */
  source: z.string().trim().min(1, { error: 'source is required: who issued the warning?' }).max(300),
  receivedOn: dateSchema,
  description: z.string().max(20000).default(''),
  severity: z.enum(warningSeverities, { error: `severity must be one of ${warningSeverities.join(', ')}` }),
  threatId: idSchema.nullable().default(null),
});
export type CreateThreatWarningInput = z.infer<typeof createThreatWarningBody>;

export const listThreatWarningsQuery = z.strictObject({ ...pageQuery });

// ---------------------------------------------------------------- risks

export const riskStatuses = ['identified', 'assessed', 'treatment', 'accepted', 'closed'] as const;
export type RiskStatus = (typeof riskStatuses)[number];
export const riskBases = ['inherent', 'current', 'target'] as const;
export type RiskBasis = (typeof riskBases)[number];
export const riskSortFields = ['reference', 'title', 'inherentLevel', 'currentLevel', 'updatedAt'] as const;

/** a value on a scale of the scope's method (1 to its number of levels, checked by the service) */
const scaleValue = (name: string) =>
  z
    .number({ error: `${name} must be a whole number from 1 to the number of levels of the scale` })
    .int({ error: `${name} must be a whole number` })
    .min(1, { error: `${name} is at least 1` })
    .max(MAX_SCALE_LEVELS, { error: `${name} is at most ${MAX_SCALE_LEVELS}` })
    .nullable();

const consequences = z.strictObject({
  confidentiality: z.boolean(),
  integrity: z.boolean(),
  availability: z.boolean(),
});

const riskFields = {
  title: z.string().trim().min(1, { error: 'title is required' }).max(300, { error: 'title has at most 300 characters' }),
  description: z.string().max(20000),
  threatId: idSchema.nullable(),
  vulnerability: z.string().max(10000),
  /** which of confidentiality, integrity and availability the scenario harms */
  consequences,
  ownerId: idSchema.nullable(),
  status: z.enum(riskStatuses, { error: `status must be one of ${riskStatuses.join(', ')}` }),
  assetIds: z.array(idSchema).max(200, { error: 'at most 200 assets' }),
  inherentLikelihood: scaleValue('inherentLikelihood'),
  inherentImpact: scaleValue('inherentImpact'),
  currentLikelihood: scaleValue('currentLikelihood'),
  currentImpact: scaleValue('currentImpact'),
  targetLikelihood: scaleValue('targetLikelihood'),
  targetImpact: scaleValue('targetImpact'),
  nextReviewOn: dateSchema.nullable(),
};

export const scoringFields = [
  'inherentLikelihood',
  'inherentImpact',
  'currentLikelihood',
  'currentImpact',
  'targetLikelihood',
  'targetImpact',
] as const;

/** Levels are never sent: the server derives them from likelihood and impact by the scope's current method. */
export const createRiskBody = z.strictObject({
  ...riskFields,
  description: riskFields.description.default(''),
  threatId: riskFields.threatId.default(null),
  vulnerability: riskFields.vulnerability.default(''),
  consequences: consequences.default({ confidentiality: false, integrity: false, availability: false }),
  ownerId: riskFields.ownerId.default(null),
  status: riskFields.status.default('identified'),
  assetIds: riskFields.assetIds.default([]),
  inherentLikelihood: riskFields.inherentLikelihood.optional(),
  inherentImpact: riskFields.inherentImpact.optional(),
  currentLikelihood: riskFields.currentLikelihood.optional(),
  currentImpact: riskFields.currentImpact.optional(),
  targetLikelihood: riskFields.targetLikelihood.optional(),
  targetImpact: riskFields.targetImpact.optional(),
  nextReviewOn: riskFields.nextReviewOn.default(null),
});
export type CreateRiskInput = z.infer<typeof createRiskBody>;

export const updateRiskBody = z.strictObject({
  version: versionSchema,
  title: riskFields.title.optional(),
  description: riskFields.description.optional(),
  threatId: riskFields.threatId.optional(),
  vulnerability: riskFields.vulnerability.optional(),
  consequences: consequences.optional(),
  ownerId: riskFields.ownerId.optional(),
  status: riskFields.status.optional(),
  assetIds: riskFields.assetIds.optional(),
  inherentLikelihood: riskFields.inherentLikelihood.optional(),
  inherentImpact: riskFields.inherentImpact.optional(),
  currentLikelihood: riskFields.currentLikelihood.optional(),
  currentImpact: riskFields.currentImpact.optional(),
  targetLikelihood: riskFields.targetLikelihood.optional(),
  targetImpact: riskFields.targetImpact.optional(),
  nextReviewOn: riskFields.nextReviewOn.optional(),
});
export type UpdateRiskInput = z.infer<typeof updateRiskBody>;

const levelKey = z.string().regex(/^[a-z][a-z0-9_]{0,29}$/, { error: 'validation:levelKey' });
const queryScaleValue = z.coerce.number().int().min(1).max(MAX_SCALE_LEVELS);

const riskFilterFields = {
  q: searchQuery,
  status: z.enum(riskStatuses).optional(),
  ownerId: idSchema.optional(),
  assetId: idSchema.optional(),
  threatId: idSchema.optional(),
  /** which assessment `level`, `likelihood` and `impact` filter on (and the heat map counts) */
  basis: z.enum(riskBases).default('current'),
};

export const listRisksQuery = z.strictObject({
  ...pageQuery,
  ...riskFilterFields,
  level: levelKey.optional(),
  likelihood: queryScaleValue.optional(),
  impact: queryScaleValue.optional(),
  /** default: prioritised — current level (most severe first), then inherent level, then score */
  sort: z.enum(riskSortFields).optional(),
  /** default: desc for levels and updatedAt, asc for reference and title */
  order: z.enum(['asc', 'desc']).optional(),
});
export type ListRisksQuery = z.infer<typeof listRisksQuery>;
export const exportRisksQuery = listRisksQuery.omit({ page: true, pageSize: true });
export type RiskFilter = Omit<ListRisksQuery, 'page' | 'pageSize' | 'sort' | 'order'>;

export const heatmapQuery = z.strictObject(riskFilterFields);
export type HeatmapQuery = z.infer<typeof heatmapQuery>;

export const deleteRiskQuery = z.strictObject({ version: z.coerce.number().int().min(1, { error: 'version is required' }) });

const assessment = z.object({
  likelihood: z.number().nullable(),
  impact: z.number().nullable(),
  /** likelihood × impact */
  score: z.number().nullable(),
  /** the level by the method version that scored the risk */
  level: riskLevel.nullable(),
});

const assetRef = z.object({ id: z.string(), reference: z.string(), name: z.string() });

export const riskResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  threat: z.object({ id: z.string(), code: z.string(), title: z.string() }).nullable(),
  vulnerability: z.string(),
  consequences: z.object({ confidentiality: z.boolean(), integrity: z.boolean(), availability: z.boolean() }),
  owner: userRef,
  status: z.enum(riskStatuses),
  inherent: assessment,
  current: assessment,
  target: assessment,
  /** the method version that scored the risk (null until scored) */
  method: z.object({ id: z.string(), version: z.number() }).nullable(),
  assessedAt: z.string().nullable(),
  nextReviewOn: z.string().nullable(),
  assets: z.array(assetRef),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type RiskResponse = z.infer<typeof riskResponse>;

export const riskDetailResponse = riskResponse.extend({
  assets: z.array(
    assetRef.extend({
      confidentiality: z.enum(protectionNeeds),
      integrity: z.enum(protectionNeeds),
      availability: z.enum(protectionNeeds),
    }),
  ),
  /**
   * The impact value on the scope's current scale that the linked assets' highest protection need on the affected
   * criteria suggests (normal → lowest third, high → middle, very high → top); null without assets or criteria.
   */
  suggestedImpact: z.number().nullable(),
});
export type RiskDetailResponse = z.infer<typeof riskDetailResponse>;

export const heatmapResponse = z.object({
  basis: z.enum(riskBases),
  method: z.object({ id: z.string(), version: z.number() }),
  likelihood: z.array(scaleLevel),
  impact: z.array(scaleLevel),
  levels: z.array(riskLevel),
  /** every cell of the current matrix, with the number of matching risks scored there */
  cells: z.array(z.object({ likelihood: z.number(), impact: z.number(), level: z.string(), colour: z.string(), count: z.number() })),
  /** matching risks in all */
  total: z.number(),
  /** matching risks without likelihood and impact on this basis */
  unscored: z.number(),
  /** matching risks scored on an older method whose values lie outside the current scales */
  outsideScale: z.number(),
});
export type HeatmapResponse = z.infer<typeof heatmapResponse>;
