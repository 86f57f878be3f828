import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';

/** Implementation status of an applied control (ISO 27001 8.1, 8.3). */
export const controlStatuses = ['planned', 'in_progress', 'implemented', 'verified', 'not_applicable'] as const;
export type ControlStatus = (typeof controlStatuses)[number];
/** Effectiveness as measured (ISO 27001 9.1). */
export const controlEffectiveness = ['not_assessed', 'ineffective', 'partially_effective', 'effective'] as const;
export type ControlEffectiveness = (typeof controlEffectiveness)[number];
/** Statuses in which a due date no longer matters. */
export const doneStatuses: readonly ControlStatus[] = ['implemented', 'verified', 'not_applicable'];

export const controlSortFields = ['reference', 'title', 'status', 'effectiveness', 'dueOn', 'updatedAt'] as const;

const controlFields = {
  title: z.string().trim().min(1, { error: 'title is required' }).max(300, { error: 'title has at most 300 characters' }),
  description: z.string().max(20000),
  ownerId: idSchema.nullable(),
  status: z.enum(controlStatuses, { error: `status must be one of ${controlStatuses.join(', ')}` }),
  effectiveness: z.enum(controlEffectiveness, { error: `effectiveness must be one of ${controlEffectiveness.join(', ')}` }),
  costEstimate: z.number({ error: 'costEstimate must be a number' }).min(0).max(1e12).nullable(),
  dueOn: dateSchema.nullable(),
  implementedOn: dateSchema.nullable(),
  nextVerificationOn: dateSchema.nullable(),
  requirementIds: z.array(idSchema).max(500, { error: 'at most 500 requirements' }),
  riskIds: z.array(idSchema).max(500, { error: 'at most 500 risks' }),
};

export const createControlBody = z.strictObject({
  ...controlFields,
  description: controlFields.description.default(''),
  ownerId: controlFields.ownerId.default(null),
  status: controlFields.status.default('planned'),
  effectiveness: controlFields.effectiveness.default('not_assessed'),
  costEstimate: controlFields.costEstimate.default(null),
  dueOn: controlFields.dueOn.default(null),
  implementedOn: controlFields.implementedOn.default(null),
  nextVerificationOn: controlFields.nextVerificationOn.default(null),
  requirementIds: controlFields.requirementIds.default([]),
  riskIds: controlFields.riskIds.default([]),
});
/** What createControlTx takes: only the title is required. */
export type CreateControlInput = z.input<typeof createControlBody>;

export const updateControlBody = z.strictObject({
  version: versionSchema,
  title: controlFields.title.optional(),
  description: controlFields.description.optional(),
  ownerId: controlFields.ownerId.optional(),
  status: controlFields.status.optional(),
  effectiveness: controlFields.effectiveness.optional(),
  costEstimate: controlFields.costEstimate.optional(),
  dueOn: controlFields.dueOn.optional(),
  implementedOn: controlFields.implementedOn.optional(),
  nextVerificationOn: controlFields.nextVerificationOn.optional(),
  requirementIds: controlFields.requirementIds.optional(),
  riskIds: controlFields.riskIds.optional(),
});
export type UpdateControlInput = z.infer<typeof updateControlBody>;

export const listControlsQuery = z.strictObject({
  ...pageQuery,
  q: searchQuery,
  status: z.enum(controlStatuses).optional(),
  effectiveness: z.enum(controlEffectiveness).optional(),
  ownerId: idSchema.optional(),
  /** due date passed and not implemented, verified or not applicable */
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  /** linked to a requirement of this catalog */
  catalogId: idSchema.optional(),
  requirementId: idSchema.optional(),
  riskId: idSchema.optional(),
  sort: z.enum(controlSortFields).default('reference'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListControlsQuery = z.infer<typeof listControlsQuery>;
export const exportControlsQuery = listControlsQuery.omit({ page: true, pageSize: true });

export const deleteControlQuery = z.strictObject({ version: z.coerce.number().int().min(1, { error: 'version is required' }) });

export const controlResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  owner: userRef,
  status: z.enum(controlStatuses),
  effectiveness: z.enum(controlEffectiveness),
  costEstimate: z.number().nullable(),
  dueOn: z.string().nullable(),
  implementedOn: z.string().nullable(),
  /** the next planned verification (ISO 27001 9.1), scheduled by the control-verification cadence */
  nextVerificationOn: z.string().nullable(),
  lastVerifiedOn: z.string().nullable(),
  /** the next verification date has passed */
  verificationOverdue: z.boolean(),
  overdue: z.boolean(),
  requirementCount: z.number().int(),
  riskCount: z.number().int(),
  evidenceCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type ControlResponse = z.infer<typeof controlResponse>;

export const linkedRequirement = z.object({
  id: z.string(),
  catalogId: z.string(),
  catalogTitle: z.string(),
  identifier: z.string(),
  label: z.string(),
  title: z.string(),
  withdrawn: z.boolean(),
});
export const linkedRisk = z.object({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  status: z.string(),
  level: z.string().nullable(),
});
export const linkedEvidence = z.object({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  kind: z.enum(['file', 'link']),
  evidenceDate: z.string(),
  validUntil: z.string().nullable(),
  expired: z.boolean(),
});

export const controlDetailResponse = controlResponse.extend({
  requirements: z.array(linkedRequirement),
  risks: z.array(linkedRisk),
  evidence: z.array(linkedEvidence),
});
export type ControlDetailResponse = z.infer<typeof controlDetailResponse>;
