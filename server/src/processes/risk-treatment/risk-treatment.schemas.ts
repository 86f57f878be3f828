import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, searchQuery, userRef } from '../../shared/schemas.ts';
import { MAX_SCALE_LEVELS } from '../risk-assessment/risk-method.ts';

/*
 * Risk treatment and residual-risk acceptance (ISO/IEC 27001 6.1.3, 8.3; ISO/IEC 27005). Endpoints, under /api:
 *   GET  /scopes/:scopeId/risks/:riskId/treatment            → TreatmentResponse (404 when the risk has none yet)
 *   PUT  /scopes/:scopeId/risks/:riskId/treatment            → TreatmentResponse (version 0 creates; stale → 409)
 *   POST /scopes/:scopeId/risks/:riskId/treatment/decide     → TreatmentResponse (hands off tasks and change requests)
 *   GET  /scopes/:scopeId/treatments                         → page of TreatmentListItem (the risk treatment plan)
 *   GET  /scopes/:scopeId/risks/:riskId/acceptance           → AcceptanceOverview (current, history, what may be accepted)
 *   POST /scopes/:scopeId/risks/:riskId/acceptance           → 201 AcceptanceResponse (signs; starts one if none is pending,
 *                                                              or a renewal within 30 days of the current one's expiry)
 *   POST /scopes/:scopeId/risks/:riskId/acceptance/revoke    → AcceptanceResponse (ends the pending or effective one)
 * Reads need risk:read; treatment changes need treatment:write; management signatures need risk:accept.
 */

/** ISO 27005 8.5 risk treatment options: modification, retention, avoidance, sharing. */
export const treatmentOptions = ['modify', 'retain', 'avoid', 'share'] as const;
export type TreatmentOption = (typeof treatmentOptions)[number];
export const treatmentStatuses = ['draft', 'decided', 'implemented'] as const;
export type TreatmentStatus = (typeof treatmentStatuses)[number];
export const actionStatuses = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

const scaleValue = (name: string) =>
  z
    .number({ error: `${name} must be a whole number from 1 to the number of levels of the scale` })
    .int({ error: `${name} must be a whole number` })
    .min(1, { error: `${name} is at least 1` })
    .max(MAX_SCALE_LEVELS, { error: `${name} is at most ${MAX_SCALE_LEVELS}` })
    .nullable();

/** a selected control: one of the scope's library, or a catalog requirement (a control is created for it, or reused) */
const selectedControl = z.union(
  [
    z.strictObject({ controlId: idSchema }),
    z.strictObject({
      requirementId: idSchema,
      /** owner of the control created for the requirement (ignored when an existing control is reused) */
      ownerId: idSchema.nullable().default(null),
    }),
  ],
  { error: 'each control is { controlId } or { requirementId, ownerId? }' },
);

const actionInput = z.strictObject({
  /** an existing action of this treatment to keep (with its task); left out for a new action */
  id: idSchema.optional(),
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  ownerId: idSchema.nullable().default(null),
  dueOn: dateSchema.nullable().default(null),
  costEstimate: z.number({ error: 'costEstimate must be a number' }).min(0).max(1e12).nullable().default(null),
  status: z.enum(actionStatuses, { error: `status must be one of ${actionStatuses.join(', ')}` }).default('open'),
});

/** The whole treatment as the client edits it; `version` 0 creates it. */
export const saveTreatmentBody = z.strictObject({
  version: z.number({ error: 'version is required (0 for a new treatment, else the version you edited)' }).int().min(0),
  option: z.enum(treatmentOptions, { error: `option must be one of ${treatmentOptions.join(', ')}` }),
  rationale: z.string().max(20000).default(''),
  objectives: z
    .array(z.string().trim().min(1, { error: 'an objective is not empty' }).max(1000))
    .max(50)
    .default([]),
  controls: z.array(selectedControl).max(200, { error: 'at most 200 controls' }).default([]),
  actions: z.array(actionInput).max(200, { error: 'at most 200 actions' }).default([]),
  /** target residual risk, scored on the risk by the scope's method; left out keeps the risk's target */
  targetLikelihood: scaleValue('targetLikelihood').optional(),
  targetImpact: scaleValue('targetImpact').optional(),
});
export type SaveTreatmentInput = z.infer<typeof saveTreatmentBody>;

export const decideTreatmentBody = z.strictObject({
  version: z.number({ error: 'version is required (the version you edited)' }).int().min(1),
  /** requests for change of ISMS documents or processes the treatment needs (ISO 27001 6.3) */
  changeRequests: z
    .array(
      z.strictObject({
        title: z.string().trim().min(1, { error: 'title is required' }).max(300),
        description: z.string().max(20000).default(''),
        /** the documents the change revises and the controls it changes: at least one of them (ISO 27001 6.3) */
        documentIds: z.array(idSchema).max(50).default([]),
        controlIds: z.array(idSchema).max(50).default([]),
      }),
    )
    .max(20)
    .default([]),
});
export type DecideTreatmentInput = z.infer<typeof decideTreatmentBody>;

export const treatmentSortFields = ['reference', 'risk', 'status', 'decidedAt', 'updatedAt'] as const;

export const listTreatmentsQuery = z.strictObject({
  ...pageQuery,
  q: searchQuery,
  option: z.enum(treatmentOptions).optional(),
  status: z.enum(treatmentStatuses).optional(),
  /** the risk owner, or the owner of an action of the plan */
  ownerId: idSchema.optional(),
  sort: z.enum(treatmentSortFields).default('updatedAt'),
  order: z.enum(['asc', 'desc']).optional(),
});
export type ListTreatmentsQuery = z.infer<typeof listTreatmentsQuery>;
/** The treatment plan's CSV: the list's filters; its rows come in the order of the treatments' references. */
export const exportTreatmentsQuery = listTreatmentsQuery.pick({ q: true, option: true, status: true, ownerId: true });
export type ExportTreatmentsQuery = z.infer<typeof exportTreatmentsQuery>;

export const riskTreatmentParams = z.object({ scopeId: idSchema, riskId: idSchema });

const level = z.object({ key: z.string(), label: z.string(), colour: z.string(), order: z.number() }).nullable();
const scored = z.object({ likelihood: z.number().nullable(), impact: z.number().nullable(), level });

const riskSummary = z.object({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  owner: userRef,
  status: z.string(),
  current: scored,
  target: scored,
});

export const treatmentResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  risk: riskSummary,
  option: z.enum(treatmentOptions),
  rationale: z.string(),
  objectives: z.array(z.string()),
  status: z.enum(treatmentStatuses),
  decidedAt: z.string().nullable(),
  decidedBy: userRef,
  controls: z.array(
    z.object({
      /** null until the treatment is decided, for a catalog requirement without a control of the scope */
      control: z.object({ id: z.string(), reference: z.string(), title: z.string(), status: z.string(), owner: userRef }).nullable(),
      requirement: z
        .object({ id: z.string(), catalogId: z.string(), catalogTitle: z.string(), identifier: z.string(), title: z.string() })
        .nullable(),
      /** the implementation task handed to the control owner */
      taskId: z.string().nullable(),
    }),
  ),
  actions: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      owner: userRef,
      dueOn: z.string().nullable(),
      costEstimate: z.number().nullable(),
      status: z.enum(actionStatuses),
      taskId: z.string().nullable(),
    }),
  ),
  costTotal: z.number(),
  /** tasks the decision handed off (control implementation, plan actions) */
  tasks: z.array(
    z.object({
      id: z.string(),
      reference: z.string(),
      title: z.string(),
      processKey: z.string(),
      assignee: userRef,
      status: z.string(),
      dueOn: z.string().nullable(),
    }),
  ),
  /** requests for change raised by the decision, linked to the risk */
  changeRequests: z.array(z.object({ id: z.string(), reference: z.string(), title: z.string(), status: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type TreatmentResponse = z.infer<typeof treatmentResponse>;

export const treatmentListItem = z.object({
  id: z.string(),
  reference: z.string(),
  risk: z.object({
    id: z.string(),
    reference: z.string(),
    title: z.string(),
    owner: userRef,
    currentLevel: z.string().nullable(),
    targetLevel: z.string().nullable(),
  }),
  option: z.enum(treatmentOptions),
  status: z.enum(treatmentStatuses),
  decidedAt: z.string().nullable(),
  controlCount: z.number(),
  actionCount: z.number(),
  actionsDone: z.number(),
  /** the earliest due date of an action not done */
  nextDueOn: z.string().nullable(),
  costTotal: z.number(),
  updatedAt: z.string(),
  version: z.number(),
});
export type TreatmentListItem = z.infer<typeof treatmentListItem>;

// ---------------------------------------------------------------- residual-risk acceptance

export const acceptanceBases = ['current', 'target'] as const;
export type AcceptanceBasis = (typeof acceptanceBases)[number];
export const acceptanceStatuses = ['pending', 'effective', 'expired', 'revoked', 'ended'] as const;
export type AcceptanceStatus = (typeof acceptanceStatuses)[number];
export const signatureRoles = ['risk_owner', 'management'] as const;
export type SignatureRole = (typeof signatureRoles)[number];

/** Default and longest validity of an acceptance. */
export const ACCEPTANCE_DEFAULT_DAYS = 365;
export const ACCEPTANCE_MAX_DAYS = 3 * 365 + 1;

export const signAcceptanceBody = z.strictObject({
  /** which residual level is accepted: the current one, or the target of the decided treatment */
  basis: z.enum(acceptanceBases).default('current'),
  justification: z.string().trim().min(1, { error: 'justification is required: why may the residual risk be accepted?' }).max(5000),
  /** only with the first signature; default one year from today, at most three years */
  expiresOn: dateSchema.optional(),
});
export type SignAcceptanceInput = z.infer<typeof signAcceptanceBody>;

export const revokeAcceptanceBody = z.strictObject({
  /** which acceptance: default the pending renewal if there is one, else the one in force */
  id: idSchema.optional(),
  version: z.number({ error: 'version is required (the version you saw)' }).int().min(1),
  reason: z.string().trim().min(1, { error: 'reason is required' }).max(5000),
});
export type RevokeAcceptanceInput = z.infer<typeof revokeAcceptanceBody>;

export const acceptanceResponse = z.object({
  id: z.string(),
  reference: z.string(),
  riskId: z.string(),
  basis: z.enum(acceptanceBases),
  level: z.object({ key: z.string(), label: z.string() }),
  likelihood: z.number(),
  impact: z.number(),
  methodVersion: z.number(),
  /** whom the acceptance criteria name for the level */
  authority: z.enum(signatureRoles),
  /** the signatures needed before it takes effect */
  requiredRoles: z.array(z.enum(signatureRoles)),
  justification: z.string(),
  expiresOn: z.string(),
  status: z.enum(acceptanceStatuses),
  /** status with the calendar applied: an effective acceptance within 30 days of expiry is `expiring` */
  state: z.enum(['pending', 'effective', 'expiring', 'expired', 'revoked', 'ended']),
  signatures: z.array(
    z.object({
      role: z.enum(signatureRoles),
      signer: z.object({ id: z.string().nullable(), name: z.string(), email: z.string() }),
      justification: z.string(),
      signedAt: z.string(),
    }),
  ),
  effectiveAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
  reviewTaskId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type AcceptanceResponse = z.infer<typeof acceptanceResponse>;

const eligibility = z.object({
  level: z.object({ key: z.string(), label: z.string() }).nullable(),
  /** whom the criteria name for this level; null: it must be treated (or it is not scored) */
  acceptableBy: z.enum(signatureRoles).nullable(),
  requiredRoles: z.array(z.enum(signatureRoles)),
});

export const acceptanceOverviewResponse = z.object({
  riskId: z.string(),
  riskOwner: userRef,
  /** the acceptance in force, else the one being signed; null when there is neither */
  current: acceptanceResponse.nullable(),
  /** a renewal being signed while the acceptance in force is expiring (within 30 days of its expiry) */
  renewal: acceptanceResponse.nullable(),
  /** every acceptance of the risk, newest first (including the current one) */
  history: z.array(acceptanceResponse),
  eligibility: z.object({ current: eligibility, target: eligibility }),
});
export type AcceptanceOverviewResponse = z.infer<typeof acceptanceOverviewResponse>;
