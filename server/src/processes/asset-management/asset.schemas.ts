import { z } from 'zod';
import { idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';

export const assetTypes = ['information', 'system', 'service', 'location', 'person', 'supplier'] as const;
export const lifecycleStatuses = ['planned', 'in_operation', 'retiring', 'retired'] as const;
/** BSI 200-2 protection-need categories */
export const protectionLevels = ['normal', 'high', 'very_high'] as const;
export type ProtectionLevel = (typeof protectionLevels)[number];

export const assetSortFields = [
  'reference',
  'name',
  'type',
  'lifecycleStatus',
  'confidentiality',
  'integrity',
  'availability',
  'updatedAt',
] as const;

const tagSchema = z.string().trim().min(1).max(50, { error: 'a tag has at most 50 characters' });

const assetFields = {
  name: z.string().trim().min(1, { error: 'name is required' }).max(200, { error: 'name has at most 200 characters' }),
  type: z.enum(assetTypes, { error: `type must be one of ${assetTypes.join(', ')}` }),
  ownerId: idSchema.nullable(),
  description: z.string().max(10000),
  lifecycleStatus: z.enum(lifecycleStatuses, { error: `lifecycleStatus must be one of ${lifecycleStatuses.join(', ')}` }),
  confidentiality: z.enum(protectionLevels, { error: 'confidentiality must be normal, high or very_high' }),
  integrity: z.enum(protectionLevels, { error: 'integrity must be normal, high or very_high' }),
  availability: z.enum(protectionLevels, { error: 'availability must be normal, high or very_high' }),
  tags: z.array(tagSchema).max(30, { error: 'at most 30 tags' }),
  dependsOn: z.array(idSchema).max(200, { error: 'at most 200 dependencies' }),
};

export const createAssetBody = z.strictObject({
  ...assetFields,
  ownerId: assetFields.ownerId.default(null),
  description: assetFields.description.default(''),
  lifecycleStatus: assetFields.lifecycleStatus.default('in_operation'),
  confidentiality: assetFields.confidentiality.default('normal'),
  integrity: assetFields.integrity.default('normal'),
  availability: assetFields.availability.default('normal'),
  tags: assetFields.tags.default([]),
  dependsOn: assetFields.dependsOn.default([]),
});
export type CreateAssetInput = z.infer<typeof createAssetBody>;

export const updateAssetBody = z.strictObject({
  version: versionSchema,
  name: assetFields.name.optional(),
  type: assetFields.type.optional(),
  ownerId: assetFields.ownerId.optional(),
  description: assetFields.description.optional(),
  lifecycleStatus: assetFields.lifecycleStatus.optional(),
  confidentiality: assetFields.confidentiality.optional(),
  integrity: assetFields.integrity.optional(),
  availability: assetFields.availability.optional(),
  tags: assetFields.tags.optional(),
  dependsOn: assetFields.dependsOn.optional(),
});
export type UpdateAssetInput = z.infer<typeof updateAssetBody>;

export const listAssetsQuery = z.strictObject({
  ...pageQuery,
  q: searchQuery,
  type: z.enum(assetTypes).optional(),
  lifecycleStatus: z.enum(lifecycleStatuses).optional(),
  ownerId: idSchema.optional(),
  tag: tagSchema.optional(),
  /** at least this protection need in any of C, I, A */
  minProtection: z.enum(protectionLevels).optional(),
  sort: z.enum(assetSortFields).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListAssetsQuery = z.infer<typeof listAssetsQuery>;
export const exportAssetsQuery = listAssetsQuery.omit({ page: true, pageSize: true });

export const deleteAssetQuery = z.strictObject({ version: z.coerce.number().int().min(1, { error: 'version is required' }) });

const assetLink = z.object({ id: z.string(), reference: z.string(), name: z.string(), type: z.enum(assetTypes) });

export const assetResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  name: z.string(),
  type: z.enum(assetTypes),
  owner: userRef,
  description: z.string(),
  lifecycleStatus: z.enum(lifecycleStatuses),
  confidentiality: z.enum(protectionLevels),
  integrity: z.enum(protectionLevels),
  availability: z.enum(protectionLevels),
  tags: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export type AssetResponse = z.infer<typeof assetResponse>;

export const assetDetailResponse = assetResponse.extend({
  dependsOn: z.array(assetLink),
  dependents: z.array(assetLink),
});
export type AssetDetailResponse = z.infer<typeof assetDetailResponse>;
