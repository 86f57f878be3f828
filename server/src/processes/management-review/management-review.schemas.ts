import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, userRef, versionSchema } from '../../shared/schemas.ts';

/** planned → compiled (inputs compiled from live records) → held (inputs frozen) → approved (minutes) → closed (ISO 27001 9.3) */
export const reviewStatuses = ['planned', 'compiled', 'held', 'approved', 'closed'] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

/** the outputs of a management review (ISO 27001 9.3.3), each creating its record */
export const decisionKinds = [
  'corrective_action',
  'opportunity',
  'change_request',
  'risk_acceptance',
  'policy_revision',
  'resource',
  'objective',
] as const;
export type DecisionKind = (typeof decisionKinds)[number];
/** the kinds of record a decision creates */
export const decisionRecordTypes = ['nonconformity', 'improvement_opportunity', 'change_request', 'task'] as const;
export type DecisionRecordType = (typeof decisionRecordTypes)[number];

/**
 * The inputs of ISO 27001 9.3.2 a–g, in order, and the resources and costs and incidents of the period. Sections b, c
 * and e have no module in Praxis yet: their content is the owner's commentary.
 */
export const inputSections = [
  'actions',
  'issues',
  'interestedParties',
  'performance',
  'feedback',
  'risks',
  'opportunities',
  'resources',
  'incidents',
] as const;
export type InputSection = (typeof inputSections)[number];

const noNul = (s: string) => !s.includes('\u0000');
const text = (max: number) => z.string().max(max).refine(noNul, { error: 'validation:noNul' });
const title = z.string().trim().min(1, { error: 'title is required' }).max(300).refine(noNul, { error: 'validation:noNul' });

export const commentarySchema = z.partialRecord(z.enum(inputSections, { error: 'not an input section' }), text(20000));

export const createReviewBody = z.strictObject({
  title,
  chairId: idSchema,
  plannedOn: dateSchema,
  /** the period the review looks back on; by default from the day after the last review's period, or the cycle start */
  periodFrom: dateSchema.optional(),
  /** by default the planned date */
  periodTo: dateSchema.optional(),
  /** the minimum number of attendees present to hold it (required in the large profile) */
  quorum: z.number().int().min(1).max(100).nullable().default(null),
  attendeeIds: z.array(idSchema).max(50).default([]),
});
export type CreateReviewInput = z.infer<typeof createReviewBody>;

export const updateReviewBody = z.strictObject({
  version: versionSchema,
  title: title.optional(),
  chairId: idSchema.optional(),
  plannedOn: dateSchema.optional(),
  periodFrom: dateSchema.optional(),
  periodTo: dateSchema.optional(),
  quorum: z.number().int().min(1).max(100).nullable().optional(),
  attendees: z
    .array(z.strictObject({ userId: idSchema, present: z.boolean() }))
    .max(50)
    .optional(),
  commentary: commentarySchema.optional(),
  discussion: text(50000).optional(),
});
export type UpdateReviewInput = z.infer<typeof updateReviewBody>;

export const transitionReviewBody = z.strictObject({
  version: versionSchema,
  to: z.enum(reviewStatuses, { error: `to must be one of ${reviewStatuses.join(', ')}` }),
});

export const addDecisionBody = z.strictObject({
  /** the review's version */
  version: versionSchema,
  kind: z.enum(decisionKinds, { error: `kind must be one of ${decisionKinds.join(', ')}` }),
  title,
  description: text(20000).default(''),
  ownerId: idSchema,
  dueOn: dateSchema,
});
export type AddDecisionInput = z.infer<typeof addDecisionBody>;

export const listReviewsQuery = z.object({
  ...pageQuery,
  status: z.enum(reviewStatuses).optional(),
  q: z.string().max(200).optional(),
});
export type ListReviewsQuery = z.infer<typeof listReviewsQuery>;
export const exportReviewsQuery = listReviewsQuery.omit({ page: true, pageSize: true });

const recordLink = z.object({ type: z.enum(decisionRecordTypes), id: z.string(), reference: z.string(), status: z.string().nullable() });

/** a decision of an earlier review with the status of its record today (9.3.2 a) */
const earlierDecision = z.object({
  reviewRef: z.string(),
  kind: z.enum(decisionKinds),
  title: z.string(),
  owner: z.string().nullable(),
  dueOn: z.string(),
  record: recordLink,
  open: z.boolean(),
});

/** The inputs as compiled from live records (ISO 27001 9.3.2): figures and links per section. */
export const compiledInputs = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  compiledAt: z.string(),
  actions: z.object({ open: z.number(), done: z.number(), overdue: z.number(), decisions: z.array(earlierDecision) }),
  performance: z.object({
    nonconformities: z.object({ opened: z.number(), closed: z.number(), open: z.number(), overdueActions: z.number() }),
    measures: z.array(
      z.object({
        reference: z.string(),
        name: z.string(),
        unit: z.string(),
        target: z.number(),
        latest: z.object({ value: z.number(), status: z.string(), measuredAt: z.string() }).nullable(),
        breaches: z.number(),
        trend: z.string().nullable(),
      }),
    ),
    audits: z.object({
      held: z.number(),
      majorNonconformities: z.number(),
      minorNonconformities: z.number(),
      observations: z.number(),
      opportunities: z.number(),
      openNonconformities: z.number(),
    }),
  }),
  risks: z.object({
    total: z.number(),
    byLevel: z.array(z.object({ level: z.string(), label: z.string(), count: z.number() })),
    aboveCriteriaUntreated: z.number(),
    pastReview: z.number(),
    treatmentActions: z.object({ open: z.number(), overdue: z.number() }),
  }),
  opportunities: z.object({ raised: z.number(), open: z.number(), implemented: z.number() }),
  resources: z.object({ controlCosts: z.number(), treatmentActionCosts: z.number() }),
  incidents: z.object({ reported: z.number(), bySeverity: z.array(z.object({ severity: z.string().nullable(), count: z.number() })) }),
});
export type CompiledInputs = z.infer<typeof compiledInputs>;

export const decisionResponse = z.object({
  id: z.string(),
  position: z.number(),
  kind: z.enum(decisionKinds),
  title: z.string(),
  description: z.string(),
  owner: userRef,
  dueOn: z.string(),
  record: recordLink,
  createdAt: z.string(),
});
export type DecisionResponse = z.infer<typeof decisionResponse>;

export const reviewResponse = z.object({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  status: z.enum(reviewStatuses),
  chair: userRef,
  plannedOn: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  heldAt: z.string().nullable(),
  decisions: z.number(),
  version: z.number(),
});
export type ReviewResponse = z.infer<typeof reviewResponse>;

export const reviewDetailResponse = reviewResponse.extend({
  quorum: z.number().nullable(),
  attendees: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), present: z.boolean() })),
  /** compiled inputs: live until held, frozen from then on */
  inputs: compiledInputs.nullable(),
  inputsHash: z.string().nullable(),
  /** the stored inputs still hash to inputsHash */
  inputsVerified: z.boolean().nullable(),
  compiledAt: z.string().nullable(),
  commentary: commentarySchema,
  discussion: z.string(),
  decisionList: z.array(decisionResponse),
  approvedAt: z.string().nullable(),
  approvedBy: userRef,
  minutesRecord: z.object({ id: z.string(), reference: z.string() }).nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  /** what the reader may do */
  canManage: z.boolean(),
  canApprove: z.boolean(),
});
export type ReviewDetailResponse = z.infer<typeof reviewDetailResponse>;

export const reviewSummaryResponse = z.object({
  lastHeld: z.object({ id: z.string(), reference: z.string(), title: z.string(), heldAt: z.string() }).nullable(),
  openDecisions: z.number(),
});
