import { importReportSchema } from '../../shared/import/import.schemas.ts';

/** The fields a spreadsheet column can fill in a risk import (the web wizard's selects and the CLI's --mapping). */
export const riskImportFields = [
  'reference',
  'title',
  'description',
  'threat',
  'vulnerability',
  'owner',
  'assets',
  'confidentiality',
  'integrity',
  'availability',
  'inherentLikelihood',
  'inherentImpact',
  'currentLikelihood',
  'currentImpact',
  'targetLikelihood',
  'targetImpact',
  'nextReviewOn',
] as const;
export type RiskImportField = (typeof riskImportFields)[number];

export const riskImportReport = importReportSchema(riskImportFields).report;
export type RiskImportReport = ReturnType<typeof riskImportReport.parse>;
