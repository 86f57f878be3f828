import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';

/** a change-board member's decision on a change request */
export const changeDecisions = ['approve', 'reject'] as const;
export type ChangeDecision = (typeof changeDecisions)[number];

export const changeStatuses = ['requested', 'under_review', 'approved', 'rejected', 'implementing', 'verified', 'closed'] as const;
export type ChangeStatus = (typeof changeStatuses)[number];
export const changeSources = ['manual', 'risk_treatment', 'improvement', 'incident', 'document_review'] as const;
export const changeRisks = ['low', 'medium', 'high'] as const;
/** what an ISMS change can touch (ISO 27001 6.3): documents, controls, processes, assets */
export const changeTargetTypes = ['document', 'control', 'process', 'asset'] as const;

const target = z.strictObject({
  recordType: z.enum(changeTargetTypes, { error: `recordType must be one of ${changeTargetTypes.join(', ')}` }),
  recordId: z.string().trim().min(1).max(100),
  label: z.string().trim().min(1).max(300),
});

export const createChangeBody = z.strictObject({
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  description: z.string().max(20000).default(''),
  reason: z.string().trim().min(1, { error: 'reason is required: why is the change needed?' }).max(5000),
  plannedOn: dateSchema.nullable().default(null),
  targets: z.array(target).max(100).default([]),
  ownerId: idSchema.nullable().default(null),
});

export const updateChangeBody = z.strictObject({
  version: versionSchema,
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(20000).optional(),
  reason: z.string().trim().min(1).max(5000).optional(),
  plannedOn: dateSchema.nullable().optional(),
  targets: z.array(target).max(100).optional(),
  ownerId: idSchema.nullable().optional(),
});

export const submitChangeBody = z.strictObject({
  version: versionSchema,
  changeRisk: z.enum(changeRisks, { error: 'changeRisk must be low, medium or high' }),
  consequences: z.string().trim().min(1, { error: 'consequences is required: review what the change affects' }).max(20000),
  /** the change board (large profile): named approvers who must all approve */
  approverIds: z.array(idSchema).max(20).default([]),
});

export const decideChangeBody = z.strictObject({
  version: versionSchema,
  decision: z.enum(changeDecisions),
  comment: z.string().max(5000).default(''),
});

export const implementChangeBody = z.strictObject({
  version: versionSchema,
  tasks: z
    .array(
      z.strictObject({
        title: z.string().trim().min(1).max(300),
        assigneeId: idSchema.nullable().default(null),
        dueOn: dateSchema.nullable().default(null),
      }),
    )
    .min(1, { error: 'at least one implementation task is needed' })
    .max(50),
});

export const verifyChangeBody = z.strictObject({
  version: versionSchema,
  verification: z.string().trim().min(1, { error: 'verification is required: how was the change checked?' }).max(20000),
});
export const closeChangeBody = z.strictObject({ version: versionSchema });

export const listChangesQuery = z.strictObject({
  ...pageQuery,
  status: z.enum([...changeStatuses, 'open']).optional(),
  q: searchQuery,
});

export const changeResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  title: z.string(),
  status: z.enum(changeStatuses),
  source: z.enum(changeSources),
  sourceRecord: z.object({ type: z.string(), id: z.string(), ref: z.string().nullable() }).nullable(),
  plannedOn: z.string().nullable(),
  changeRisk: z.string(),
  owner: userRef,
  createdAt: z.string(),
  version: z.number(),
});
export type ChangeResponse = z.infer<typeof changeResponse>;

export const changeDetailResponse = changeResponse.extend({
  description: z.string(),
  reason: z.string(),
  consequences: z.string(),
  targets: z.array(z.object({ recordType: z.enum(changeTargetTypes), recordId: z.string(), label: z.string() })),
  /** records affected through links (e.g. assets that depend on a targeted asset), listed for the review */
  affected: z.array(z.object({ recordType: z.string(), recordId: z.string(), label: z.string(), dependsOn: z.string() })),
  approvals: z.array(
    z.object({
      approver: z.object({ id: z.string(), name: z.string(), email: z.string() }),
      decision: z.enum(changeDecisions).nullable(),
      comment: z.string(),
      decidedAt: z.string().nullable(),
    }),
  ),
  decisionReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  verification: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  tasks: z.array(z.object({ id: z.string(), reference: z.string(), title: z.string(), status: z.string() })),
});
export type ChangeDetailResponse = z.infer<typeof changeDetailResponse>;
