import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';

export const evidenceKinds = ['file', 'link'] as const;
export const evidenceSortFields = ['reference', 'title', 'evidenceDate', 'validUntil', 'createdAt'] as const;

const title = z.string().trim().min(1, { error: 'title is required' }).max(300, { error: 'title has at most 300 characters' });
/** Links: http and https only (no javascript:, file: or data: URLs). */
const url = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'validation:httpLink');

const evidenceFields = {
  title,
  description: z.string().max(10000).default(''),
  evidenceDate: dateSchema,
  validUntil: dateSchema.nullable().default(null),
  controlIds: z.array(idSchema).max(100, { error: 'at most 100 controls' }).default([]),
};

/** The form fields sent with an uploaded file (multipart): controlIds repeated or comma-separated. */
export const fileEvidenceFields = z.strictObject(evidenceFields);
export type FileEvidenceInput = z.infer<typeof fileEvidenceFields>;

export const linkEvidenceBody = z.strictObject({ ...evidenceFields, url });
export type LinkEvidenceInput = z.infer<typeof linkEvidenceBody>;

export const updateEvidenceBody = z.strictObject({
  version: versionSchema,
  title: title.optional(),
  description: z.string().max(10000).optional(),
  evidenceDate: dateSchema.optional(),
  validUntil: dateSchema.nullable().optional(),
  /** links only */
  url: url.optional(),
});
export type UpdateEvidenceInput = z.infer<typeof updateEvidenceBody>;

export const listEvidenceQuery = z.strictObject({
  ...pageQuery,
  q: searchQuery,
  kind: z.enum(evidenceKinds).optional(),
  /** expired: valid_until before today; valid: no end or not yet ended; expiring: ends within the next 30 days */
  validity: z.enum(['expired', 'valid', 'expiring']).optional(),
  controlId: idSchema.optional(),
  sort: z.enum(evidenceSortFields).default('evidenceDate'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type ListEvidenceQuery = z.infer<typeof listEvidenceQuery>;

export const deleteEvidenceQuery = z.strictObject({ version: z.coerce.number().int().min(1, { error: 'version is required' }) });
export const attachControlBody = z.strictObject({ controlId: idSchema });
export const evidenceControlParams = z.object({ scopeId: idSchema, id: idSchema, controlId: idSchema });

export const evidenceResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  kind: z.enum(evidenceKinds),
  fileName: z.string().nullable(),
  mediaType: z.string().nullable(),
  size: z.number().nullable(),
  sha256: z.string().nullable(),
  url: z.string().nullable(),
  evidenceDate: z.string(),
  validUntil: z.string().nullable(),
  /** valid_until lies before today */
  expired: z.boolean(),
  controlCount: z.number().int(),
  createdBy: userRef,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type EvidenceResponse = z.infer<typeof evidenceResponse>;

export const evidenceDetailResponse = evidenceResponse.extend({
  controls: z.array(z.object({ id: z.string(), reference: z.string(), title: z.string(), status: z.string() })),
});
export type EvidenceDetailResponse = z.infer<typeof evidenceDetailResponse>;
