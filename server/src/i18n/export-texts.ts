import { type TextParams, translate } from './i18n.ts';

/**
 * The fixed words of an export (column headers, labels, headings) in the language of the user who asks for it: keys of
 * the `exports` catalog without their namespace (`t('soa.column.title')`). Builders of CSV, XLSX, PDF and DOCX files take
 * one and never hold English words of their own.
 */
export type ExportTexts = (key: string, params?: TextParams) => string;

export const exportTexts =
  (lang: string): ExportTexts =>
  (key, params) =>
    translate(lang, `exports:${key}`, params);
