import { z } from 'zod';
import { idSchema, pageQuery } from '../shared/schemas.ts';

export const auditEntryResponse = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), label: z.string() }),
  scopeId: z.string().nullable(),
  action: z.string(),
  recordType: z.string(),
  recordId: z.string(),
  recordRef: z.string().nullable(),
  /** changed fields: `{ field: { from?, to? } }` */
  changes: z.record(z.string(), z.object({ from: z.unknown().optional(), to: z.unknown().optional() })),
  hash: z.string(),
});
export type AuditEntryResponse = z.infer<typeof auditEntryResponse>;

export const listAuditQuery = z.strictObject({
  ...pageQuery,
  recordType: z.string().max(60).optional(),
  recordId: z.string().max(100).optional(),
  actorId: idSchema.optional(),
});
