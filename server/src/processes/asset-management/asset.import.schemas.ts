import { importReportSchema } from '../../shared/import/import.schemas.ts';

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

const schemas = importReportSchema(assetImportFields);
export const assetImportRow = schemas.row;
export const assetImportReport = schemas.report;
export type ImportProblem = ReturnType<typeof schemas.problem.parse>;
export type AssetImportRow = ReturnType<typeof schemas.row.parse>;
export type AssetImportReport = ReturnType<typeof schemas.report.parse>;
