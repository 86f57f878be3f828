import { z } from 'zod';
import { idSchema, pageQuery, searchQuery } from '../shared/schemas.ts';

export const catalogSources = ['builtin', 'oscal'] as const;
export const requirementKinds = ['group', 'control'] as const;

/** What an import reports: the catalog and what was in it (ISO 27001 6.1.3 b: controls from any source). */
export const importReportResponse = z.object({
  catalogId: z.string(),
  key: z.string(),
  title: z.string(),
  version: z.string(),
  scopeId: z.string().nullable(),
  groups: z.number().int(),
  controls: z.number().int(),
  enhancements: z.number().int(),
  withdrawn: z.number().int(),
  requirements: z.number().int(),
  durationMs: z.number(),
});
export type ImportReport = z.infer<typeof importReportResponse>;

export const catalogResponse = z.object({
  id: z.string(),
  scopeId: z.string().nullable(),
  /** available to every scope (built in, or imported by the installation administrator) */
  global: z.boolean(),
  key: z.string(),
  title: z.string(),
  version: z.string(),
  source: z.enum(catalogSources),
  oscalUuid: z.string().nullable(),
  published: z.string().nullable(),
  groupCount: z.number().int(),
  /** controls including enhancements */
  controlCount: z.number().int(),
  withdrawnCount: z.number().int(),
  /** controls of this scope linked to a requirement of the catalog */
  linkedControlCount: z.number().int(),
  createdAt: z.string(),
});
export type CatalogResponse = z.infer<typeof catalogResponse>;

export const requirementResponse = z.object({
  id: z.string(),
  catalogId: z.string(),
  identifier: z.string(),
  parentIdentifier: z.string().nullable(),
  kind: z.enum(requirementKinds),
  label: z.string(),
  title: z.string(),
  statement: z.string(),
  guidance: z.string().nullable(),
  withdrawn: z.boolean(),
  depth: z.number().int(),
  sortOrder: z.number().int(),
});
export type RequirementResponse = z.infer<typeof requirementResponse>;

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listRequirementsQuery = z.strictObject({
  page: pageQuery.page,
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  /** label, title or statement contains */
  q: searchQuery,
  kind: z.enum(requirementKinds).optional(),
  withdrawn: booleanQuery.optional(),
  /** direct children of this identifier (a group or a control with enhancements) */
  parent: z.string().trim().min(1).max(200).optional(),
});
export type ListRequirementsQuery = z.infer<typeof listRequirementsQuery>;

export const importCatalogQuery = z.strictObject({
  /** import for the whole installation (administrators only) instead of this scope */
  global: booleanQuery.default(false),
});

export const catalogParams = z.object({ scopeId: idSchema, id: idSchema });
