import { z } from 'zod';
import { idSchema, maxInt32, pageOf, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';
import { decisionSources, implementationStatuses } from './soa.codes.ts';

export const soaStatuses = ['draft', 'submitted', 'approved'] as const;
export type SoaStatus = (typeof soaStatuses)[number];

export const soaParams = z.object({ scopeId: idSchema, id: idSchema });
export const soaEntryParams = z.object({ scopeId: idSchema, id: idSchema, entryId: idSchema });

export const listSoasQuery = z.strictObject({ ...pageQuery });

export const createSoaBody = z
  .strictObject({
    catalogId: idSchema.optional(),
    /** or the catalog's key, e.g. "iso-27001-2022-annex-a" for the built-in Annex A */
    catalogKey: z.string().trim().min(1).max(200).optional(),
    title: z.string().trim().min(1).max(300).optional(),
  })
  .refine((b) => (b.catalogId === undefined) !== (b.catalogKey === undefined), {
    error: 'validation:soaCatalogMissing',
    path: ['catalogId'],
  });

export const updateSoaEntryBody = z
  .strictObject({
    version: versionSchema,
    /** true: applicable, false: excluded, null: back to undecided */
    applicable: z.boolean({ error: 'applicable must be true, false or null' }).nullable().optional(),
    justification: z.string().max(5000).optional(),
  })
  .refine((b) => b.applicable !== undefined || b.justification !== undefined, {
    error: 'validation:soaEntryUnchanged',
    path: ['applicable'],
  });

export const soaVersionBody = z.strictObject({ version: versionSchema });

const versionNumber = z.coerce.number({ error: 'version must be an approved version number' }).int().min(1).max(maxInt32);

export const soaEntrySorts = ['order', 'label', 'title', 'status', 'applicable'] as const;
export const listSoaEntriesQuery = z.strictObject({
  ...pageQuery,
  /** an approved version; without it, the working copy */
  version: versionNumber.optional(),
  applicable: z.enum(['yes', 'no', 'undecided'], { error: 'applicable must be yes, no or undecided' }).optional(),
  status: z.enum(implementationStatuses, { error: `status must be one of ${implementationStatuses.join(', ')}` }).optional(),
  group: z.string().trim().min(1).max(200).optional(),
  /** missing: entries without a justification */
  justification: z.enum(['missing'], { error: 'justification must be missing' }).optional(),
  q: searchQuery,
  sort: z.enum(soaEntrySorts, { error: `sort must be one of ${soaEntrySorts.join(', ')}` }).default('order'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListSoaEntriesQuery = z.infer<typeof listSoaEntriesQuery>;

export const exportSoaQuery = z.strictObject({ version: versionNumber.optional() });

const counts = z.object({
  total: z.number().int(),
  applicable: z.number().int(),
  excluded: z.number().int(),
  undecided: z.number().int(),
  unjustifiedExclusions: z.number().int(),
  /** applicable entries without a justification: the SoA cannot be submitted (ISO 27001 6.1.3 d) */
  unjustifiedInclusions: z.number().int(),
});

export const soaResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  title: z.string(),
  catalog: z.object({ id: z.string(), key: z.string(), title: z.string(), version: z.string() }),
  status: z.enum(soaStatuses),
  /** the number the working copy gets when approved */
  draftNumber: z.number().int(),
  /** the latest approved version, if any */
  approvedNumber: z.number().int().nullable(),
  submittedBy: userRef,
  submittedAt: z.string().nullable(),
  counts,
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type SoaResponse = z.infer<typeof soaResponse>;

export const soaControlRef = z.object({ id: z.string(), reference: z.string(), title: z.string(), status: z.string() });

export const soaEntryResponse = z.object({
  id: z.string(),
  requirement: z.object({
    id: z.string(),
    identifier: z.string(),
    label: z.string(),
    title: z.string(),
    parentIdentifier: z.string().nullable(),
    depth: z.number().int(),
    withdrawn: z.boolean(),
  }),
  group: z.object({ identifier: z.string(), label: z.string(), title: z.string() }).nullable(),
  applicable: z.boolean().nullable(),
  justification: z.string(),
  decisionSource: z.enum(decisionSources).nullable(),
  decidedBy: userRef,
  decidedAt: z.string().nullable(),
  implementationStatus: z.enum(implementationStatuses),
  controls: z.array(soaControlRef),
  version: z.number().int(),
});
export type SoaEntryResponse = z.infer<typeof soaEntryResponse>;

export const soaEntryPage = pageOf(soaEntryResponse).extend({
  /** null: the working copy; a number: that approved version */
  versionNumber: z.number().int().nullable(),
});

export const soaVersionResponse = z.object({
  number: z.number().int(),
  submittedBy: userRef,
  submittedAt: z.string().nullable(),
  approvedBy: userRef,
  approvedAt: z.string(),
  entryCount: z.number().int(),
  applicableCount: z.number().int(),
  excludedCount: z.number().int(),
});
export type SoaVersionResponse = z.infer<typeof soaVersionResponse>;
export const soaVersionsResponse = z.object({ items: z.array(soaVersionResponse) });
