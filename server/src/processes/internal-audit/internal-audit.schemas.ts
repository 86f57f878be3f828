import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';

/** planned → prepared → fieldwork → reporting → closed (ISO 27001 9.2.2) */
export const auditStatuses = ['planned', 'prepared', 'fieldwork', 'reporting', 'closed'] as const;
export type AuditStatus = (typeof auditStatuses)[number];
/** who audits: the organisation itself, or an external party whose report is taken over (certification body, customer, supplier) */
export const auditSources = ['internal', 'external'] as const;
export type AuditSource = (typeof auditSources)[number];
export const externalParties = ['certification_body', 'customer', 'supplier'] as const;
export type ExternalParty = (typeof externalParties)[number];
/** what the criteria of an audit name: a clause of ISO 27001 (4.1–10.2), a catalog requirement, an ISMS process */
export const criterionKinds = ['clause', 'requirement', 'process'] as const;
export type CriterionKind = (typeof criterionKinds)[number];
/** a checklist row: from a clause, from a catalog requirement, a follow-up of an earlier finding, a finding added by hand */
export const itemKinds = ['clause', 'requirement', 'follow_up', 'finding'] as const;
export type ItemKind = (typeof itemKinds)[number];
export const auditResults = ['conforming', 'major_nonconformity', 'minor_nonconformity', 'observation', 'opportunity'] as const;
export type AuditResult = (typeof auditResults)[number];
/** results that go to improvement as a nonconformity or an opportunity for improvement (ISO 27001 10.2) */
export const handedOffResults = ['major_nonconformity', 'minor_nonconformity', 'opportunity'] as const;
export type HandedOffResult = (typeof handedOffResults)[number];

/** text from people: no NUL characters (PostgreSQL refuses them in text) */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), { error: 'validation:noNul' });
const title = z
  .string()
  .trim()
  .min(1, { error: 'title is required' })
  .max(300)
  .refine((s) => !s.includes('\u0000'), { error: 'validation:noNul' });
const clauseSchema = z.string().regex(/^(4|5|6|7|8|9|10)\.\d+$/, { error: 'validation:isoClause' });

export const criteriaSchema = z.strictObject({
  clauses: z.array(clauseSchema).max(40).default([]),
  requirementIds: z.array(idSchema).max(500).default([]),
  /** ISMS processes audited (their owners may not audit them) */
  processes: z.array(z.string().min(1).max(60)).max(30).default([]),
});
export type Criteria = z.infer<typeof criteriaSchema>;

export const createAuditBody = z.strictObject({
  title,
  scope: text(5000).default(''),
  source: z.enum(auditSources, { error: 'source must be internal or external' }).default('internal'),
  externalParty: z
    .enum(externalParties, { error: 'externalParty must be certification_body, customer or supplier' })
    .nullable()
    .default(null),
  externalOrganisation: text(300).default(''),
  criteria: criteriaSchema.default({ clauses: [], requirementIds: [], processes: [] }),
  leadAuditorId: idSchema.nullable().default(null),
  teamIds: z.array(idSchema).max(20).default([]),
  plannedStart: dateSchema,
  plannedEnd: dateSchema,
  /** small profile: why an auditor may audit what they own (ISO 27001 9.2.2 c, objectivity and impartiality) */
  independenceJustification: text(5000).optional(),
});
export type CreateAuditInput = z.infer<typeof createAuditBody>;

export const updateAuditBody = z.strictObject({
  version: versionSchema,
  title: title.optional(),
  scope: text(5000).optional(),
  externalOrganisation: text(300).optional(),
  criteria: criteriaSchema.optional(),
  leadAuditorId: idSchema.nullable().optional(),
  teamIds: z.array(idSchema).max(20).optional(),
  plannedStart: dateSchema.optional(),
  plannedEnd: dateSchema.optional(),
  conclusion: text(20000).optional(),
  independenceJustification: text(5000).optional(),
});
export type UpdateAuditInput = z.infer<typeof updateAuditBody>;

export const transitionAuditBody = z.strictObject({
  version: versionSchema,
  to: z.enum(auditStatuses, { error: `to must be one of ${auditStatuses.join(', ')}` }),
});

export const recordResultBody = z.strictObject({
  version: versionSchema,
  result: z.enum(auditResults, { error: `result must be one of ${auditResults.join(', ')}` }),
  notes: text(20000).default(''),
  sampledEvidenceIds: z.array(idSchema).max(100).default([]),
});
export type RecordResultInput = z.infer<typeof recordResultBody>;

/** a finding of an external report, or one found outside the checklist */
export const addFindingBody = z.strictObject({
  title,
  clause: clauseSchema.nullable().default(null),
  requirementId: idSchema.nullable().default(null),
  result: z.enum(auditResults, { error: `result must be one of ${auditResults.join(', ')}` }),
  notes: text(20000).default(''),
});

export const listAuditsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum([...auditStatuses, 'active']).optional(),
  source: z.enum(auditSources).optional(),
  cycleId: idSchema.optional(),
  q: searchQuery,
});
export type ListAuditsQuery = z.infer<typeof listAuditsQuery>;
export const exportAuditsQuery = listAuditsQuery.omit({ page: true, pageSize: true });

export const programmeQuery = z.strictObject({ cycleId: idSchema.optional() });
export const itemParams = z.object({ scopeId: idSchema, id: idSchema, itemId: idSchema });

export const auditResponse = z.object({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  source: z.enum(auditSources),
  externalParty: z.enum(externalParties).nullable(),
  externalOrganisation: z.string(),
  status: z.enum(auditStatuses),
  leadAuditor: userRef,
  plannedStart: z.string(),
  plannedEnd: z.string(),
  cycleNumber: z.number().nullable(),
  findings: z.number(),
  createdAt: z.string(),
  version: z.number(),
});
export type AuditResponse = z.infer<typeof auditResponse>;

const findingRef = z.object({
  type: z.enum(['nonconformity', 'improvement_opportunity']),
  id: z.string(),
  reference: z.string(),
  status: z.string(),
});

export const checklistItemResponse = z.object({
  id: z.string(),
  position: z.number(),
  kind: z.enum(itemKinds),
  clause: z.string().nullable(),
  requirement: z.object({ id: z.string(), identifier: z.string(), title: z.string() }).nullable(),
  title: z.string(),
  result: z.enum(auditResults).nullable(),
  notes: z.string(),
  sampledEvidence: z.array(z.object({ id: z.string(), reference: z.string(), title: z.string() })),
  /** live evidence of the controls linked to the requirement, to sample */
  toSample: z.array(
    z.object({
      id: z.string(),
      reference: z.string(),
      title: z.string(),
      control: z.string(),
      evidenceDate: z.string(),
      validUntil: z.string().nullable(),
    }),
  ),
  finding: findingRef.nullable(),
  followUpOf: z.object({ id: z.string(), reference: z.string() }).nullable(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string().nullable(),
  version: z.number(),
});
export type ChecklistItemResponse = z.infer<typeof checklistItemResponse>;

export const auditDetailResponse = auditResponse.extend({
  scope: z.string(),
  conclusion: z.string(),
  cycleId: z.string().nullable(),
  criteria: z.object({
    clauses: z.array(z.object({ clause: z.string(), title: z.string() })),
    requirements: z.array(z.object({ id: z.string(), identifier: z.string(), title: z.string() })),
    processes: z.array(z.string()),
  }),
  team: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })),
  independence: z.array(z.object({ user: z.string(), conflict: z.string(), justification: z.string(), recordedAt: z.string() })),
  checklist: z.array(checklistItemResponse),
  closedAt: z.string().nullable(),
  /** what the reader may do: record results (on the team, or a manager), manage the audit */
  canRecord: z.boolean(),
  canManage: z.boolean(),
});
export type AuditDetailResponse = z.infer<typeof auditDetailResponse>;

export const frequencies = ['twice_a_year', 'yearly', 'once_per_certification_cycle'] as const;
export type Frequency = (typeof frequencies)[number];

export const programmeResponse = z.object({
  cycle: z.object({ id: z.string(), number: z.number(), startsOn: z.string(), endsOn: z.string() }).nullable(),
  owner: userRef,
  audits: z.array(auditResponse),
  clauses: z.array(z.object({ clause: z.string(), title: z.string(), audits: z.array(z.string()) })),
  soa: z.object({ reference: z.string(), versionNumber: z.number(), approvedAt: z.string() }).nullable(),
  controls: z.array(
    z.object({ id: z.string(), identifier: z.string(), title: z.string(), area: z.string().nullable(), audits: z.array(z.string()) }),
  ),
  uncovered: z.object({ clauses: z.array(z.string()), controls: z.array(z.string()) }),
  areas: z.array(
    z.object({
      area: z.string(),
      title: z.string(),
      frequency: z.enum(frequencies),
      reasons: z.array(z.object({ code: z.string(), count: z.number().optional(), level: z.string().optional() })),
    }),
  ),
});
export type ProgrammeResponse = z.infer<typeof programmeResponse>;

export const auditSummaryResponse = z.object({
  auditsHeld: z.number(),
  findings: z.record(z.enum(auditResults), z.number()),
  openNonconformities: z.number(),
});
