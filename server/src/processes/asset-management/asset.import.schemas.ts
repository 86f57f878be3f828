import { z } from 'zod';

/** The fields a spreadsheet column can fill in an asset import (the web wizard's selects and the CLI's --mapping). */
export const assetImportFields = [
  'reference',
  'name',
  'type',
  'owner',
  'description',
  'lifecycleStatus',
  'confidentiality',
  'integrity',
  'availability',
  'tags',
  'dependsOn',
] as const;
export type AssetImportField = (typeof assetImportFields)[number];

const importProblem = z.object({
  /** the field the problem is about (null: the row as a whole) */
  field: z.enum(assetImportFields).nullable(),
  /** the spreadsheet column it came from */
  column: z.string().nullable(),
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  /** the problem in words, in the reader's language */
  message: z.string(),
});
export type ImportProblem = z.infer<typeof importProblem>;

export const assetImportRow = z.object({
  /** the row's line in the sheet (1 = the first line) */
  line: z.number(),
  outcome: z.enum(['created', 'updated', 'unchanged', 'refused']),
  /** the asset's reference: the matched one, or the new one once imported (null in a dry run of a new asset) */
  reference: z.string().nullable(),
  name: z.string().nullable(),
  problems: z.array(importProblem),
});
export type AssetImportRow = z.infer<typeof assetImportRow>;

export const assetImportReport = z.object({
  fileName: z.string(),
  dryRun: z.boolean(),
  /** true when the rows were written */
  applied: z.boolean(),
  headers: z.array(z.string()),
  /** column header → field (null: the column is not imported) */
  mapping: z.record(z.string(), z.enum(assetImportFields).nullable()),
  mappingSource: z.enum(['given', 'saved', 'guessed']),
  summary: z.object({
    rows: z.number(),
    created: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    refused: z.number(),
  }),
  rows: z.array(assetImportRow),
});
export type AssetImportReport = z.infer<typeof assetImportReport>;
