import { importReportSchema } from '../../shared/import/import.schemas.ts';

/** The fields a spreadsheet column can fill in a control import (the web wizard's selects and the CLI's --mapping). */
export const controlImportFields = [
  'reference',
  'title',
  'description',
  'owner',
  'status',
  'effectiveness',
  'costEstimate',
  'dueOn',
  'implementedOn',
  'nextVerificationOn',
  'requirements',
  'risks',
] as const;
export type ControlImportField = (typeof controlImportFields)[number];

export const controlImportReport = importReportSchema(controlImportFields).report;
export type ControlImportReport = ReturnType<typeof controlImportReport.parse>;
