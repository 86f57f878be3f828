import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';

export const findingKinds = ['nonconformity', 'observation'] as const;
export const findingSources = [
  'internal_audit',
  'performance_evaluation',
  'supplier_audit',
  /** an external audit: certification body or customer */
  'external_audit',
  'incident',
  'management_review',
  'manual',
] as const;
export const findingSeverities = ['minor', 'major', 'observation'] as const;
/** open → in_progress (corrective actions) → effectiveness_check → closed, or back to open when not effective */
export const findingStatuses = ['open', 'in_progress', 'effectiveness_check', 'closed'] as const;
export const opportunityStatuses = ['proposed', 'planned', 'implemented', 'rejected'] as const;

export const createNonconformityBody = z.strictObject({
  kind: z.enum(findingKinds).default('nonconformity'),
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  description: z.string().max(20000).default(''),
  source: z.enum(findingSources, { error: `source must be one of ${findingSources.join(', ')}` }),
  requirement: z.string().max(1000).default(''),
  severity: z.enum(findingSeverities, { error: 'severity must be minor, major or observation' }),
  ownerId: idSchema.nullable().default(null),
});

/** The most answers to "why?" a root-cause analysis keeps (the form offers no more). */
export const MAX_ROOT_CAUSE_STEPS = 10;

export const updateNonconformityBody = z.strictObject({
  version: versionSchema,
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(20000).optional(),
  requirement: z.string().max(1000).optional(),
  severity: z.enum(findingSeverities).optional(),
  ownerId: idSchema.nullable().optional(),
  immediateCorrection: z.string().max(20000).optional(),
  /** root-cause analysis, e.g. five whys: each answer to "why?" in order */
  rootCause: z.array(z.string().trim().min(1).max(2000)).max(MAX_ROOT_CAUSE_STEPS).optional(),
  /** small profile: why the root cause could not be determined (ISO 27001 10.2 b); null clears it */
  rootCauseNotDetermined: z.string().trim().min(1).max(2000).nullable().optional(),
});

export const correctiveActionBody = z.strictObject({
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  ownerId: idSchema.nullable().default(null),
  dueOn: dateSchema.nullable().default(null),
});

export const requestCheckBody = z.strictObject({ version: versionSchema, effectivenessDueOn: dateSchema });
export const effectivenessBody = z.strictObject({
  version: versionSchema,
  effective: z.boolean({ error: 'effective is required: did the corrective actions work?' }),
  note: z.string().trim().min(1, { error: 'note is required: what did the check find?' }).max(10000),
});
export const nonconformityChangeBody = z.strictObject({
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  description: z.string().max(10000).default(''),
});

export const listFindingsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum([...findingStatuses, 'active']).optional(),
  kind: z.enum(findingKinds).optional(),
  q: searchQuery,
});
/** The findings' CSV: the list's filters; its rows come in the order of the findings' references. */
export const exportFindingsQuery = listFindingsQuery.omit({ page: true, pageSize: true });
export type ExportFindingsQuery = z.infer<typeof exportFindingsQuery>;

export const nonconformityResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  kind: z.enum(findingKinds),
  title: z.string(),
  source: z.enum(findingSources),
  sourceRecord: z.object({ type: z.string(), id: z.string(), ref: z.string().nullable() }).nullable(),
  severity: z.enum(findingSeverities),
  status: z.enum(findingStatuses),
  owner: userRef,
  effectivenessDueOn: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
});
export type NonconformityResponse = z.infer<typeof nonconformityResponse>;

export const nonconformityDetailResponse = nonconformityResponse.extend({
  description: z.string(),
  requirement: z.string(),
  immediateCorrection: z.string(),
  rootCause: z.array(z.string()),
  /** why the root cause could not be determined (small profile), or null */
  rootCauseNotDetermined: z.string().nullable(),
  /** the effectiveness check's result in the reader's language (a result of an older form as stored) */
  effectivenessResult: z.string().nullable(),
  /** what the check found: effective (closed) or not effective (reopened); null before a check, or for an older result */
  effectivenessOutcome: z.enum(['effective', 'not_effective']).nullable(),
  /** the checker's note as typed, beside the outcome */
  effectivenessNote: z.string().nullable(),
  effectivenessCheckedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  correctiveActions: z.array(
    z.object({
      taskId: z.string(),
      reference: z.string(),
      title: z.string(),
      status: z.string(),
      dueOn: z.string().nullable(),
      assignee: userRef,
    }),
  ),
});
export type NonconformityDetailResponse = z.infer<typeof nonconformityDetailResponse>;

export const createOpportunityBody = z.strictObject({
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  description: z.string().max(20000).default(''),
  source: z.enum(findingSources).default('manual'),
  benefit: z.string().max(5000).default(''),
  ownerId: idSchema.nullable().default(null),
});
export const updateOpportunityBody = z.strictObject({
  version: versionSchema,
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(20000).optional(),
  benefit: z.string().max(5000).optional(),
  status: z.enum(opportunityStatuses).optional(),
  ownerId: idSchema.nullable().optional(),
});
export const listOpportunitiesQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(opportunityStatuses).optional(),
  q: searchQuery,
});
export const opportunityResponse = z.object({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  source: z.enum(findingSources),
  sourceRecord: z.object({ type: z.string(), id: z.string(), ref: z.string().nullable() }).nullable(),
  benefit: z.string(),
  status: z.enum(opportunityStatuses),
  owner: userRef,
  createdAt: z.string(),
  version: z.number(),
});
export type OpportunityResponse = z.infer<typeof opportunityResponse>;
