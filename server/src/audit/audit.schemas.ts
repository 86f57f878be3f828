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
  /**
   * the records of this scope the entry names by id or by reference (its own record when it has no reference, a
   * record's id in a value written before references, `control:CTL-0003`): their reference and title, to show and link
   */
  records: z.array(z.object({ type: z.string(), id: z.string(), reference: z.string().nullable(), title: z.string() })),
  hash: z.string(),
});
export type AuditEntryResponse = z.infer<typeof auditEntryResponse>;

export const listAuditQuery = z.strictObject({
  ...pageQuery,
  recordType: z.string().max(60).optional(),
  recordId: z.string().max(100).optional(),
  /** a person's id, or `praxis`: the entries Praxis wrote by itself */
  actorId: z.union([idSchema, z.literal('praxis')]).optional(),
});
