import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';
import { incidentStatuses, notificationRegimes } from './incident-rules.ts';

export const incidentKinds = ['incident', 'weakness'] as const;
export const incidentCategories = [
  'malware',
  'phishing',
  'unauthorised_access',
  'data_leak',
  'loss_or_theft',
  'availability',
  'misconfiguration',
  'physical',
  'fraud',
  'other',
] as const;
export const severities = ['low', 'medium', 'high', 'critical'] as const;
/** corrective measures recorded as such (seed 003: restore from backup, fail-over, recalculation of data) */
export const correctiveMeasures = ['restore_from_backup', 'fail_over', 'recalculation', 'isolation', 'password_reset', 'other'] as const;
export const followUpKinds = ['risk', 'nonconformity', 'improvement', 'change'] as const;
/** what an entry of an incident's timeline records: a note, a corrective measure, a status change, a notification sent, a task */
export const incidentEventKinds = ['note', 'measure', 'status', 'notification', 'task'] as const;
export type IncidentEventKind = (typeof incidentEventKinds)[number];

const isoInstant = z.iso.datetime({ offset: true, error: 'must be a date and time with a time zone, e.g. 2026-05-04T10:00:00Z' });

export const reportIncidentBody = z.strictObject({
  title: z.string().trim().min(1, { error: 'title is required: say in a few words what happened' }).max(300),
  description: z.string().max(20000).default(''),
  kind: z.enum(incidentKinds).default('incident'),
  noticedAt: isoInstant.optional(),
  affected: z.string().max(2000).default(''),
});

export const triageIncidentBody = z.strictObject({
  version: versionSchema,
  category: z.enum(incidentCategories, { error: `category must be one of ${incidentCategories.join(', ')}` }),
  severity: z.enum(severities, { error: 'severity must be low, medium, high or critical' }),
  impactConfidentiality: z.boolean(),
  impactIntegrity: z.boolean(),
  impactAvailability: z.boolean(),
  personalData: z.boolean({ error: 'personalData is required: is personal data involved?' }),
  nis2Significant: z.boolean({ error: 'nis2Significant is required: may the incident be significant under NIS2?' }),
  /** the moment the organisation became aware; regulatory clocks run from here (default: now) */
  awareAt: isoInstant.optional(),
  handlerId: idSchema.nullable().default(null),
  assetIds: z.array(idSchema).max(200).default([]),
});

export const transitionIncidentBody = z.strictObject({
  version: versionSchema,
  status: z.enum(['responding', 'resolved', 'closed']),
  note: z.string().max(5000).default(''),
  lessonsLearned: z.string().max(20000).optional(),
  followUps: z
    .array(
      z.strictObject({
        kind: z.enum(followUpKinds, { error: `kind must be one of ${followUpKinds.join(', ')}` }),
        title: z.string().trim().min(1, { error: 'title is required' }).max(300),
        description: z.string().max(5000).default(''),
        /** for a nonconformity: the first corrective action, assigned and due */
        correctiveAction: z
          .strictObject({
            title: z.string().trim().min(1).max(300),
            ownerId: idSchema.nullable().default(null),
            dueOn: dateSchema.nullable().default(null),
          })
          .optional(),
      }),
    )
    .max(20)
    .default([]),
});

export const addIncidentEventBody = z.strictObject({
  kind: z.enum(['note', 'measure']),
  text: z.string().trim().min(1, { error: 'text is required' }).max(10000),
  measure: z.enum(correctiveMeasures).optional(),
});

export const recordNotificationBody = z.strictObject({
  regime: z.enum(notificationRegimes),
  sentAt: isoInstant,
  recipient: z.string().trim().min(1, { error: 'recipient is required (e.g. the supervisory authority or CSIRT)' }).max(300),
  externalReference: z.string().max(300).default(''),
  lateReason: z.string().max(5000).optional(),
});

export const incidentTaskBody = z.strictObject({
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  assigneeId: idSchema.nullable().default(null),
  dueOn: dateSchema.nullable().default(null),
});

export const listIncidentsQuery = z.strictObject({
  ...pageQuery,
  status: z.enum([...incidentStatuses, 'open']).optional(),
  severity: z.enum(severities).optional(),
  q: searchQuery,
});

const notificationState = z.object({
  regime: z.enum(notificationRegimes),
  label: z.string(),
  dueAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  recipient: z.string().nullable(),
  externalReference: z.string().nullable(),
  late: z.boolean(),
  lateReason: z.string().nullable(),
});

export const incidentResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  title: z.string(),
  kind: z.enum(incidentKinds),
  status: z.enum(incidentStatuses),
  severity: z.enum(severities).nullable(),
  category: z.enum(incidentCategories).nullable(),
  personalData: z.boolean(),
  nis2Significant: z.boolean(),
  reportedAt: z.string(),
  reporter: userRef,
  handler: userRef,
  /** the earliest unmet regulatory deadline, for countdowns in lists */
  nextDeadline: z.object({ regime: z.enum(notificationRegimes), dueAt: z.string() }).nullable(),
  version: z.number(),
});
export type IncidentResponse = z.infer<typeof incidentResponse>;

export const incidentDetailResponse = incidentResponse.extend({
  description: z.string(),
  affected: z.string(),
  noticedAt: z.string(),
  awareAt: z.string().nullable(),
  impact: z.object({ confidentiality: z.boolean(), integrity: z.boolean(), availability: z.boolean() }),
  assets: z.array(z.object({ id: z.string(), reference: z.string(), name: z.string() })),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  lessonsLearned: z.string(),
  notifications: z.array(notificationState),
  timeline: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actor: z.string(),
      kind: z.enum(incidentEventKinds),
      measure: z.enum(correctiveMeasures).nullable(),
      text: z.string(),
    }),
  ),
  nextStatuses: z.array(z.enum(incidentStatuses)),
});
export type IncidentDetailResponse = z.infer<typeof incidentDetailResponse>;

export const reportedResponse = z.object({ id: z.string(), reference: z.string(), status: z.enum(incidentStatuses) });
