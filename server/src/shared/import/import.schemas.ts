import { z } from 'zod';

/**
 * The answer of every spreadsheet import (assets, risks, controls, …), typed by the fields a column can fill. A pure
 * contract file: the web wizard imports it.
 */

export const importOutcomes = ['created', 'updated', 'unchanged', 'refused'] as const;
export type ImportOutcome = (typeof importOutcomes)[number];
export const importMappingSources = ['given', 'saved', 'guessed'] as const;

/** The import's report for the fields of one kind of record. */
export function importReportSchema<const F extends readonly [string, ...string[]]>(fields: F) {
  const field = z.enum(fields);
  const problem = z.object({
    /** the field the problem is about (null: the row as a whole) */
    field: field.nullable(),
    /** the spreadsheet column it came from */
    column: z.string().nullable(),
    key: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    /** the problem in words, in the reader's language */
    message: z.string(),
  });
  const row = z.object({
    /** the row's line in the sheet (1 = the first line) */
    line: z.number(),
    outcome: z.enum(importOutcomes),
    /** the record's reference: the matched one, or the new one once imported (null in a dry run of a new record) */
    reference: z.string().nullable(),
    /** the record's name or title */
    name: z.string().nullable(),
    problems: z.array(problem),
  });
  const report = z.object({
    fileName: z.string(),
    dryRun: z.boolean(),
    /** true when the rows were written */
    applied: z.boolean(),
    headers: z.array(z.string()),
    /** column header → field (null: the column is not imported) */
    mapping: z.record(z.string(), field.nullable()),
    mappingSource: z.enum(importMappingSources),
    summary: z.object({
      rows: z.number(),
      created: z.number(),
      updated: z.number(),
      unchanged: z.number(),
      refused: z.number(),
    }),
    rows: z.array(row),
  });
  return { problem, row, report };
}

/** A report of any kind, as the engine builds it and the wizard and the CLI read it. */
export type ImportReport<F extends string = string> = {
  fileName: string;
  dryRun: boolean;
  applied: boolean;
  headers: string[];
  mapping: Record<string, F | null>;
  mappingSource: (typeof importMappingSources)[number];
  summary: { rows: number; created: number; updated: number; unchanged: number; refused: number };
  rows: ImportReportRow<F>[];
};
export interface ImportProblem<F extends string = string> {
  field: F | null;
  column: string | null;
  key: string;
  params: Record<string, string | number>;
  message: string;
}
export interface ImportReportRow<F extends string = string> {
  line: number;
  outcome: ImportOutcome;
  reference: string | null;
  name: string | null;
  problems: ImportProblem<F>[];
}

/** The largest file an import reads, and the most rows. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 20_000;
