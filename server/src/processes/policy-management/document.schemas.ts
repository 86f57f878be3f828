/**
 * Security policy management (ISO/IEC 27001 5.2, 7.5, A.5.1): documents, versions, approval, read-and-acknowledge.
 *
 * Endpoints (all under /api):
 *   GET    /scopes/:scopeId/documents                               list (page, pageSize, sort, dir, type, status, ownerId, reviewDue, q)
 *   POST   /scopes/:scopeId/documents                               create (metadata + first draft version)            201
 *   GET    /scopes/:scopeId/documents/:id                           detail (metadata, approvers, audience, versions)
 *   PATCH  /scopes/:scopeId/documents/:id                           edit metadata (version of the document)
 *   GET    /scopes/:scopeId/documents/:id/versions                  versions (newest first)
 *   GET    /scopes/:scopeId/documents/:id/versions/:vid             version detail (content, approvals, acknowledgement counts)
 *   PATCH  /scopes/:scopeId/documents/:id/versions/:vid             edit a draft version's content (version of the version)
 *   POST   /scopes/:scopeId/documents/:id/versions/:vid/submit      draft → in_review
 *   POST   /scopes/:scopeId/documents/:id/versions/:vid/approve     a designated approver approves (comment optional)
 *   POST   /scopes/:scopeId/documents/:id/versions/:vid/reject      a designated approver rejects (comment required) → draft
 *   POST   /scopes/:scopeId/documents/:id/versions/:vid/publish     approved → published; assigns read-and-acknowledge
 *   POST   /scopes/:scopeId/documents/:id/versions/:vid/withdraw    abandon a draft, in-review or approved version
 *   POST   /scopes/:scopeId/documents/:id/revise                    new draft version while the published one stays in force
 *   POST   /scopes/:scopeId/documents/:id/retire                    retire the document (version of the document)
 *   POST   /scopes/:scopeId/documents/:id/review                    confirm a periodic review without changes (version, comment)
 *   GET    /scopes/:scopeId/documents/:id/diff?from=&to=            line diff of two versions' Markdown (hunks)
 *   GET    /scopes/:scopeId/documents/:id/versions/:vid/pdf         PDF export
 *   POST   /scopes/:scopeId/documents/:id/versions/:vid/file        attach a PDF/DOCX to a draft (multipart: version, file)
 *   GET    /scopes/:scopeId/documents/:id/versions/:vid/file        download the version's file
 *   GET    /scopes/:scopeId/documents/:id/versions/:vid/acknowledgements   who has / has not acknowledged (page, pageSize, state, q)
 *   GET    /scopes/:scopeId/documents/:id/versions/:vid/read        the employee's view of a published version addressed to them
 *   POST   /scopes/:scopeId/documents/:id/versions/:vid/acknowledge the employee acknowledges having read it
 *   GET    /me/acknowledgements                                     the signed-in user's open acknowledgements across scopes
 */
import { z } from 'zod';
import { dateSchema, idSchema, pageOf, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';
import { scopeRoles } from '../../auth/roles.ts';

/** an approver's decision on a submitted document version */
export const approvalDecisions = ['approved', 'rejected'] as const;
export type ApprovalDecision = (typeof approvalDecisions)[number];

export const documentTypes = ['policy', 'standard', 'procedure', 'guideline'] as const;
export const classifications = ['public', 'internal', 'confidential', 'restricted'] as const;
export const audienceKinds = ['everyone', 'roles', 'people'] as const;
export const retentionUnits = ['months', 'years'] as const;
export const documentStatuses = ['draft', 'published', 'retired', 'disposed'] as const;
export const versionStatuses = ['draft', 'in_review', 'approved', 'published', 'superseded', 'retired', 'withdrawn'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];
export type VersionStatus = (typeof versionStatuses)[number];

const title = z.string().trim().min(1, { error: 'title is required' }).max(300);
const content = z.string().max(500_000, { error: 'contentMd is too long (at most 500,000 characters)' });

export const audienceInput = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('everyone') }),
    z.strictObject({
      kind: z.literal('roles'),
      roles: z.array(z.enum(scopeRoles)).min(1, { error: 'name at least one role' }).max(scopeRoles.length),
    }),
    z.strictObject({ kind: z.literal('people'), userIds: z.array(idSchema).min(1, { error: 'name at least one person' }).max(5000) }),
  ],
  { error: 'audience.kind must be everyone, roles or people' },
);
export type AudienceInput = z.infer<typeof audienceInput>;

export const retentionInput = z.strictObject({
  value: z.number().int().min(0).max(100),
  unit: z.enum(retentionUnits, { error: 'retention.unit must be months or years' }),
});

const metadataFields = {
  type: z.enum(documentTypes, { error: `type must be one of ${documentTypes.join(', ')}` }),
  title,
  description: z.string().max(5000),
  ownerId: idSchema.nullable(),
  classification: z.enum(classifications, { error: `classification must be one of ${classifications.join(', ')}` }),
  audience: audienceInput,
  reviewCadenceMonths: z.number().int().min(1).max(60),
  retention: retentionInput,
  /** null: the scope profile's minimum (large → 2, small → 1); never fewer, and only a manager sets more */
  requiredApprovals: z.number().int().min(1).max(5).nullable(),
  approverIds: z.array(idSchema).max(20),
  /** days employees have to acknowledge a published version */
  ackDueDays: z.number().int().min(1).max(365),
};

export const createDocumentBody = z.strictObject({
  type: metadataFields.type,
  title,
  description: metadataFields.description.default(''),
  ownerId: metadataFields.ownerId.default(null),
  classification: metadataFields.classification.default('internal'),
  audience: audienceInput.default({ kind: 'everyone' }),
  reviewCadenceMonths: metadataFields.reviewCadenceMonths.default(12),
  retention: retentionInput.default({ value: 3, unit: 'years' }),
  requiredApprovals: metadataFields.requiredApprovals.default(null),
  approverIds: metadataFields.approverIds.default([]),
  ackDueDays: metadataFields.ackDueDays.default(14),
  contentMd: content.default(''),
  changeSummary: z.string().max(2000).default('First version'),
});
export type CreateDocumentInput = z.infer<typeof createDocumentBody>;

export const updateDocumentBody = z.strictObject({
  version: versionSchema,
  type: metadataFields.type.optional(),
  title: title.optional(),
  description: metadataFields.description.optional(),
  ownerId: metadataFields.ownerId.optional(),
  classification: metadataFields.classification.optional(),
  audience: audienceInput.optional(),
  reviewCadenceMonths: metadataFields.reviewCadenceMonths.optional(),
  retention: retentionInput.optional(),
  requiredApprovals: metadataFields.requiredApprovals.optional(),
  approverIds: metadataFields.approverIds.optional(),
  ackDueDays: metadataFields.ackDueDays.optional(),
});
export type UpdateDocumentInput = z.infer<typeof updateDocumentBody>;

export const updateVersionBody = z.strictObject({
  version: versionSchema,
  contentMd: content.optional(),
  changeSummary: z.string().max(2000).optional(),
  /** a material change requires everyone to acknowledge again; a minor one carries acknowledgements over */
  materialChange: z.boolean().optional(),
});

export const versionActionBody = z.strictObject({ version: versionSchema });
export const approveBody = z.strictObject({ version: versionSchema, comment: z.string().max(5000).default('') });
export const rejectBody = z.strictObject({
  version: versionSchema,
  comment: z.string().trim().min(1, { error: 'comment is required: say what has to change' }).max(5000),
});
export const publishBody = z.strictObject({
  version: versionSchema,
  /** acknowledgement due date; default: today + the document's ackDueDays */
  dueOn: dateSchema.optional(),
});
export const reviseBody = z.strictObject({
  version: versionSchema,
  changeSummary: z.string().trim().min(1, { error: 'changeSummary is required: why is the document revised?' }).max(2000),
  materialChange: z.boolean().default(true),
});
export const retireBody = z.strictObject({ version: versionSchema, reason: z.string().max(2000).default('') });
export const reviewBody = z.strictObject({
  version: versionSchema,
  comment: z.string().trim().min(1, { error: 'comment is required: say what the review considered' }).max(5000),
});
export type ReviewInput = z.infer<typeof reviewBody>;

export const documentListSorts = ['reference', 'title', 'updatedAt', 'nextReviewOn'] as const;
export const listDocumentsQuery = z.object({
  ...pageQuery,
  sort: z.enum(documentListSorts).default('reference'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  type: z.enum(documentTypes).optional(),
  status: z.enum(documentStatuses).optional(),
  ownerId: idSchema.optional(),
  /** published documents whose review is due within 30 days or overdue */
  reviewDue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  q: searchQuery,
});
export type ListDocumentsQuery = z.infer<typeof listDocumentsQuery>;

export const documentParams = z.object({ scopeId: idSchema, id: idSchema });
export const versionParams = z.object({ scopeId: idSchema, id: idSchema, vid: idSchema });
export const diffQuery = z.object({ from: idSchema, to: idSchema });
export const acknowledgementsQuery = z.object({
  ...pageQuery,
  state: z.enum(['all', 'acknowledged', 'open', 'overdue']).default('all'),
  q: searchQuery,
});
export const myAcknowledgementsQuery = z.object({ ...pageQuery });

const versionRef = z.object({ id: z.string(), versionNo: z.number(), status: z.enum(versionStatuses), publishedAt: z.string().nullable() });

export const documentResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  type: z.enum(documentTypes),
  title: z.string(),
  classification: z.enum(classifications),
  status: z.enum(documentStatuses),
  owner: userRef,
  /** the version in force (published), if any */
  currentVersion: versionRef.nullable(),
  nextReviewOn: z.string().nullable(),
  reviewDue: z.boolean(),
  updatedAt: z.string(),
  version: z.number(),
});
export type DocumentResponse = z.infer<typeof documentResponse>;

export const versionSummary = z.object({
  id: z.string(),
  versionNo: z.number(),
  status: z.enum(versionStatuses),
  changeSummary: z.string(),
  materialChange: z.boolean(),
  author: userRef,
  changeRequestId: z.string().nullable(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  supersededAt: z.string().nullable(),
  contentDisposed: z.boolean(),
  hasFile: z.boolean(),
  createdAt: z.string(),
  version: z.number(),
});
export type VersionSummary = z.infer<typeof versionSummary>;

/** A periodic review that confirmed the version in force without changes. */
export const documentReview = z.object({
  id: z.string(),
  reviewedBy: userRef,
  reviewedAt: z.string(),
  comment: z.string(),
  /** the version in force that was confirmed (null once that version is gone) */
  versionNo: z.number().nullable(),
  /** the review date that was due, and the next one set by the review */
  dueOn: z.string().nullable(),
  nextReviewOn: z.string(),
});
export type DocumentReview = z.infer<typeof documentReview>;

export const documentDetailResponse = documentResponse.extend({
  description: z.string(),
  audience: z.object({
    kind: z.enum(audienceKinds),
    roles: z.array(z.enum(scopeRoles)),
    people: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
  }),
  reviewCadenceMonths: z.number(),
  retention: z.object({ value: z.number(), unit: z.enum(retentionUnits) }),
  /** the setting (null: from the scope profile) and the number that applies */
  requiredApprovals: z.number().nullable(),
  effectiveRequiredApprovals: z.number(),
  approvers: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
  ackDueDays: z.number(),
  /** the version being worked on (draft, in review or approved), if any */
  workingVersion: versionRef.nullable(),
  versions: z.array(versionSummary),
  /** the latest periodic reviews without changes, newest first */
  reviews: z.array(documentReview),
  retiredAt: z.string().nullable(),
  retentionEndsOn: z.string().nullable(),
  disposedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type DocumentDetailResponse = z.infer<typeof documentDetailResponse>;

export const approvalResponse = z.object({
  id: z.string(),
  approver: userRef,
  decision: z.enum(approvalDecisions),
  comment: z.string(),
  round: z.number(),
  decidedAt: z.string(),
});

export const versionDetailResponse = versionSummary.extend({
  documentId: z.string(),
  documentReference: z.string(),
  documentTitle: z.string(),
  /** null once the content was disposed of */
  contentMd: z.string().nullable(),
  file: z.object({ name: z.string(), mediaType: z.string(), size: z.number() }).nullable(),
  reviewRound: z.number(),
  requiredApprovals: z.number(),
  approvals: z.array(approvalResponse),
  publishedBy: userRef,
  acknowledgements: z.object({ assigned: z.number(), acknowledged: z.number(), overdue: z.number() }),
});
export type VersionDetailResponse = z.infer<typeof versionDetailResponse>;

export const versionsResponse = z.object({ items: z.array(versionSummary) });

export const diffResponse = z.object({
  from: z.object({ id: z.string(), versionNo: z.number() }),
  to: z.object({ id: z.string(), versionNo: z.number() }),
  added: z.number(),
  removed: z.number(),
  hunks: z.array(
    z.object({
      oldStart: z.number(),
      oldLines: z.number(),
      newStart: z.number(),
      newLines: z.number(),
      lines: z.array(z.object({ kind: z.enum(['context', 'add', 'remove']), text: z.string() })),
    }),
  ),
});
export type DiffResponse = z.infer<typeof diffResponse>;

export const acknowledgementItem = z.object({
  id: z.string(),
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  assignedAt: z.string(),
  dueOn: z.string(),
  acknowledgedAt: z.string().nullable(),
  /** acknowledged on an earlier version and carried over by a minor revision */
  carriedOver: z.boolean(),
  overdue: z.boolean(),
  remindedAt: z.string().nullable(),
});
export const acknowledgementsResponse = pageOf(acknowledgementItem).extend({
  summary: z.object({ assigned: z.number(), acknowledged: z.number(), open: z.number(), overdue: z.number() }),
});

export const readResponse = z.object({
  documentId: z.string(),
  versionId: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  title: z.string(),
  type: z.enum(documentTypes),
  classification: z.enum(classifications),
  versionNo: z.number(),
  publishedAt: z.string().nullable(),
  contentMd: z.string().nullable(),
  hasFile: z.boolean(),
  /** the reader's own assignment, if the version is addressed to them */
  acknowledgement: z.object({ dueOn: z.string(), acknowledgedAt: z.string().nullable() }).nullable(),
});
export type ReadResponse = z.infer<typeof readResponse>;

export const myAcknowledgementItem = z.object({
  id: z.string(),
  scopeId: z.string(),
  scopeName: z.string(),
  documentId: z.string(),
  versionId: z.string(),
  reference: z.string(),
  title: z.string(),
  type: z.enum(documentTypes),
  versionNo: z.number(),
  assignedAt: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
});
export const myAcknowledgementsResponse = pageOf(myAcknowledgementItem);
