/**
 * Records control API (ISO 27001 7.5.3, A.5.33). Endpoints:
 *   GET    /api/scopes/:scopeId/records                    register (page, pageSize, sort, dir, q, processKey, status, legalHold, ownerId)
 *   POST   /api/scopes/:scopeId/records                    add documented information to the register        record:write
 *   GET    /api/scopes/:scopeId/records/disposal-queue     active records past retention and not on legal hold (paginated)
 *   GET    /api/scopes/:scopeId/records/:id                one record
 *   PATCH  /api/scopes/:scopeId/records/:id                edit (version)                                     record:write
 *   POST   /api/scopes/:scopeId/records/:id/legal-hold     set or lift a legal hold (version, hold, reason)   record:dispose
 *   POST   /api/scopes/:scopeId/records/:id/dispose        dispose (version, confirm: "DISPOSE <reference>") record:dispose
 * Reading needs record:read.
 */
import { z } from 'zod';
import { type ProcessKey, processDefinitions } from '../../isms/process-model.ts';
import { dateSchema, idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';

export const recordStorages = ['praxis', 'external'] as const;
export const recordStatuses = ['active', 'disposed'] as const;
export const recordClassifications = ['public', 'internal', 'confidential', 'strictly_confidential'] as const;
/** Praxis records that the register can point to */
export const linkedRecordTypes = [
  'document',
  'evidence',
  'incident',
  'asset',
  'risk',
  'change_request',
  'nonconformity',
  'control',
] as const;
export type LinkedRecordType = (typeof linkedRecordTypes)[number];

const processKeys = processDefinitions.map((p) => p.key) as [ProcessKey, ...ProcessKey[]];
const processKey = z.enum(processKeys, { error: 'processKey must be a process of the process model' });
const linked = z.strictObject({
  recordType: z.enum(linkedRecordTypes, { error: `recordType must be one of ${linkedRecordTypes.join(', ')}` }),
  recordId: idSchema,
});

export const createRecordBody = z.strictObject({
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  description: z.string().max(20000).default(''),
  ownerId: idSchema.nullable().default(null),
  processKey,
  classification: z.enum(recordClassifications).default('internal'),
  storage: z.enum(recordStorages, { error: 'storage must be praxis or external' }),
  /** storage 'praxis': the Praxis record this entry stands for */
  linkedRecord: linked.nullable().default(null),
  /** storage 'external': where the record is kept (a system, a folder, an archive box) */
  location: z.string().trim().max(2000).default(''),
  retentionMonths: z.number({ error: 'retentionMonths is required' }).int().min(0).max(1200),
  /** when retention starts (e.g. the day the record was created or retired); defaults to today */
  retentionStartOn: dateSchema.optional(),
});

export const updateRecordBody = z.strictObject({
  version: versionSchema,
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(20000).optional(),
  ownerId: idSchema.nullable().optional(),
  processKey: processKey.optional(),
  classification: z.enum(recordClassifications).optional(),
  storage: z.enum(recordStorages).optional(),
  linkedRecord: linked.nullable().optional(),
  location: z.string().trim().max(2000).optional(),
  retentionMonths: z.number().int().min(0).max(1200).optional(),
  retentionStartOn: dateSchema.optional(),
});

export const legalHoldBody = z.strictObject({
  version: versionSchema,
  hold: z.boolean({ error: 'hold must be true (set) or false (lift)' }),
  reason: z.string().trim().max(2000).default(''),
});

export const disposeRecordBody = z.strictObject({
  version: versionSchema,
  /** must read exactly `DISPOSE <reference>`, e.g. `DISPOSE REC-0007` */
  confirm: z.string({ error: 'confirm is required: type DISPOSE followed by the reference' }).max(100),
});

export const recordSorts = ['reference', 'title', 'retentionEndsOn', 'updatedAt'] as const;
export const listRecordsQuery = z.strictObject({
  ...pageQuery,
  sort: z.enum(recordSorts).default('reference'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  q: searchQuery,
  processKey: processKey.optional(),
  status: z.enum(recordStatuses).optional(),
  legalHold: z.enum(['true', 'false']).optional(),
  ownerId: idSchema.optional(),
});
export type ListRecordsQuery = z.infer<typeof listRecordsQuery>;
export const disposalQueueQuery = z.strictObject({ ...pageQuery });

export const recordResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  owner: userRef,
  processKey: z.string(),
  classification: z.string(),
  storage: z.enum(recordStorages),
  linkedRecord: z.object({ recordType: z.string(), recordId: z.string() }).nullable(),
  location: z.string(),
  retentionMonths: z.number().int(),
  retentionStartOn: z.string(),
  retentionEndsOn: z.string(),
  /** computed at read time: active, past retention, not on legal hold */
  disposable: z.boolean(),
  legalHold: z.boolean(),
  legalHoldReason: z.string().nullable(),
  status: z.enum(recordStatuses),
  disposedAt: z.string().nullable(),
  disposedBy: userRef,
  disposalRule: z.string().nullable(),
  /** the task the disposal sweep gave the owner once retention ended */
  disposalTaskId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type RecordResponse = z.infer<typeof recordResponse>;
