import { z } from 'zod';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import type { Permission } from '../../auth/roles.ts';
import { type Executor, type Tx, withSavepoint } from '../../db/database.ts';
import type { UploadPart } from '../../files/upload.ts';
import { type ComposedText, hasText, inLanguage, render, type Text, type TextParams } from '../../i18n/i18n.ts';
import { isoNow } from '../clock.ts';
import type { Deps } from '../context.ts';
import { AppError, errorText, invalid } from '../errors.ts';
import { newId } from '../ids.ts';
import { yieldToEventLoop } from '../yield.ts';
import { type Cell, type ImportText, readSheet, type Sheet, tooLarge } from './import-file.ts';
import { norm } from './import-matchers.ts';
import { IMPORT_MAX_BYTES, type ImportProblem, type ImportReport, type ImportReportRow } from './import.schemas.ts';

/*
 * The spreadsheet import engine. A module declares what it imports (ImportDeclaration: its fields, the header words
 * that name them, how a row's values become the input of its service, and how that input is written), and the engine
 * does the rest, the same for every register: reads the XLSX or CSV file (exceljs; size and row limits; formula cells
 * refused), maps columns to fields (given, the scope's saved mapping, or guessed from the headers), plans every row
 * (matching values, refusing with reasons in words in the reader's language), and answers a dry run row by row or
 * writes every row in one transaction: a refused row writes nothing at all.
 *
 * Two ways to write:
 * - `writeAll`: the module writes the planned rows at once (the asset register's bulk insert). Its plan must find every
 *   refusal, so a dry run only plans.
 * - `writeRow`: each row through the module's own service functions (levels, ranks, hand-offs, audit entries), inside a
 *   savepoint; a service's refusal (a date rule, a scale) becomes that row's reason and the import goes on checking the
 *   other rows. A dry run does the same writes and rolls them back, so that it reports what the real run would do.
 */

/** A row as the module's planner sees it: the mapped cells' texts (formula cells are already refused). */
export interface RowInput<F extends string> {
  line: number;
  values: Partial<Record<F, string>>;
  /** the field's column is mapped and its cell is not empty */
  given(field: F): boolean;
  /** refuses the row: a key of the import's texts (its own section, else `errors:import`) */
  refuse(field: F | null, key: string, params?: Record<string, string | number>): void;
  /** the matched value, or undefined after refusing the row with the matcher's reason */
  match<T>(
    field: F,
    matched: { ok: true; value: T } | { ok: false; refusal: { key: string; params: Record<string, string | number> } },
  ): T | undefined;
  /** the header of the field's column (for texts that name it; the field's name when no column fills it) */
  column(field: F): string;
  /** a column fills the field */
  mapped(field: F): boolean;
  /** the row has been refused so far */
  refused(): boolean;
  /** refuses the row for each issue of the module's zod schema (lengths, counts), on the import's field for its API field */
  refuseIssues(issues: readonly { path: readonly PropertyKey[] }[]): void;
}

export interface RowPlan<I> {
  /** the record the row updates (matched by reference), or null: the row creates one */
  existing: { id: string; reference: string; version: number } | null;
  /** the record's name or title, for the report */
  name: string | null;
  /** what the module's write takes */
  input: I;
  /** an update that would change nothing (not written, reported as unchanged) */
  unchanged?: boolean;
}

export interface PlannedRow<F extends string, I> {
  line: number;
  kind: 'create' | 'update' | 'unchanged' | 'refused';
  /** the existing record's id, or the new record's id (assigned by the plan) */
  id: string;
  existing: RowPlan<I>['existing'];
  input: I;
  values: Partial<Record<F, string>>;
  report: ImportReportRow<F>;
}

export interface ImportDeclaration<F extends string, K, I> {
  /** the route's and the saved mapping's name: 'assets', 'risks', 'controls' */
  kind: string;
  permission: Permission;
  /** the fields a column can fill, in the order the wizard offers them */
  fields: readonly F[];
  /** header words (English and German, normalised by `norm`) that name each field */
  headerWords: Record<F, string[]>;
  /** at least one of these fields must have a column (`nameOrReferenceNeeded`) */
  identifiedBy: readonly F[];
  /** the field that matches existing records; a reference twice in the file is refused */
  referenceField: F;
  /** the module's section of the errors catalog (`riskImport`): its own words, which win over `errors:import` */
  texts: string;
  /** what the plan matches against, read once per import */
  load(db: Executor, deps: Deps, scopeId: string): Promise<K>;
  planRow(row: RowInput<F>, known: K): RowPlan<I>;
  /** refusals that depend on the other rows of the file (after every row is planned) */
  planAll?(
    rows: PlannedRow<F, I>[],
    known: K,
    refuse: (row: PlannedRow<F, I>, field: F | null, key: string, params?: Record<string, string | number>) => void,
  ): void;
  /** whether an update changes nothing, when it can only be told after planAll */
  unchanged?(row: PlannedRow<F, I>, known: K): boolean;
  /** a service's refusal names an API field (`body.ownerId`): the import's field for it */
  fieldOfApi?: Partial<Record<string, F>>;
  /** writes every planned create and update at once; answers the references of the created records by id */
  writeAll?(tx: Tx, deps: Deps, actor: Actor, scopeId: string, rows: PlannedRow<F, I>[], known: K): Promise<Map<string, string>>;
  /** writes one row through the module's services; answers the record's reference */
  writeRow?(tx: Tx, deps: Deps, actor: Actor, scopeId: string, row: PlannedRow<F, I>): Promise<string>;
}

export type AnyImportDeclaration = ImportDeclaration<string, any, any>;

export interface ImportRequest<F extends string = string> {
  fileName: string;
  content: Buffer;
  /** null: the scope's saved mapping for the headers it knows, a guess from the header names for the others */
  mapping: Record<string, F | null> | null;
  dryRun: boolean;
}

/** How far the rows have been written (rows done, rows to write), for a progress bar or a terminal. */
export type ImportProgress = (done: number, total: number) => void;

/** Rows between two progress reports (and turns of the event loop for other requests). */
const PROGRESS_CHUNK = 100;

/** The texts of an import: its own section of the errors catalog first, then the shared `errors:import`. */
export function importTexts(section: string): ImportText {
  return (key: string, params?: TextParams): Text =>
    hasText(`errors:${section}.${key}`) ? errorText(`${section}.${key}`, params) : errorText(`import.${key}`, params);
}

// -- the mapping

function mappingSchema<F extends string>(fields: readonly F[]) {
  return z.record(z.string().max(200), z.enum(fields as unknown as [F, ...F[]]).nullable());
}

/** The mapping guessed from the headers: each field at most once, the first matching column wins. */
export function guessMapping<F extends string>(
  decl: Pick<ImportDeclaration<F, unknown, unknown>, 'fields' | 'headerWords'>,
  headers: string[],
) {
  const taken = new Set<F>();
  const out: Record<string, F | null> = {};
  for (const h of headers) {
    const n = norm(h);
    const field = decl.fields.find((f) => !taken.has(f) && decl.headerWords[f].includes(n)) ?? null;
    if (field) taken.add(field);
    out[h] = field;
  }
  return out;
}

/** Parses a mapping given as JSON (a form field, the CLI's --mapping): header → field or null. */
export function parseMapping<F extends string>(
  decl: Pick<ImportDeclaration<F, unknown, unknown>, 'fields' | 'texts'>,
  json: string,
  field = 'body.mapping',
): Record<string, F | null> {
  const text = importTexts(decl.texts);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw invalid(field, text('mappingNotJson'));
  }
  const parsed = mappingSchema(decl.fields).safeParse(value);
  if (!parsed.success) throw invalid(field, text('mappingInvalid', { fields: decl.fields.join(', ') }));
  return parsed.data as Record<string, F | null>;
}

function checkMapping<F extends string>(decl: AnyImportDeclaration, mapping: Record<string, F | null>, headers: string[]): void {
  const text = importTexts(decl.texts);
  const used = new Map<F, string>();
  for (const [header, field] of Object.entries(mapping) as [string, F | null][]) {
    if (!headers.includes(header)) throw invalid('body.mapping', text('unknownColumn', { column: header }));
    if (!field) continue;
    if (used.has(field)) throw invalid('body.mapping', text('fieldTwice', { field, first: used.get(field)!, second: header }));
    used.set(field, header);
  }
  if (!decl.identifiedBy.some((f) => used.has(f as F))) throw invalid('body.mapping', text('nameOrReferenceNeeded'));
}

async function savedMapping<F extends string>(db: Executor, decl: ImportDeclaration<F, unknown, unknown>, scopeId: string) {
  const row = await db
    .selectFrom('import_mapping')
    .select('mapping')
    .where('scope_id', '=', scopeId)
    .where('kind', '=', decl.kind)
    .executeTakeFirst();
  if (!row) return null;
  const parsed = mappingSchema(decl.fields).safeParse(JSON.parse(row.mapping));
  return parsed.success ? (parsed.data as Record<string, F | null>) : null;
}

/** The saved mapping of the scope for the headers it knows, the guess for the others. */
function mappingFor<F extends string>(
  decl: ImportDeclaration<F, unknown, unknown>,
  headers: string[],
  saved: Record<string, F | null> | null,
) {
  const guess = guessMapping(decl, headers);
  if (!saved || !headers.some((h) => h in saved)) return { mapping: guess, source: 'guessed' as const };
  const mapping: Record<string, F | null> = {};
  const taken = new Set(headers.filter((h) => h in saved).map((h) => saved[h]));
  for (const h of headers) mapping[h] = h in saved ? saved[h]! : guess[h] && !taken.has(guess[h]) ? guess[h] : null;
  return { mapping, source: 'saved' as const };
}

async function saveMapping(tx: Tx, deps: Deps, actor: Actor, scopeId: string, kind: string, chosen: Record<string, string | null>) {
  const mapping = JSON.stringify(Object.fromEntries(Object.entries(chosen).filter(([, f]) => f)));
  const now = isoNow(deps.clock);
  await tx
    .insertInto('import_mapping')
    .values({ scope_id: scopeId, kind, mapping, updated_by: actor.userId, updated_at: now })
    .onConflict((oc) => oc.columns(['scope_id', 'kind']).doUpdateSet({ mapping, updated_by: actor.userId, updated_at: now }))
    .execute();
}

// -- the plan

function problemOf<F extends string>(lang: string, field: F | null, column: string | null, text: ComposedText): ImportProblem<F> {
  const params: Record<string, string | number> = {};
  // a parameter that is a text of its own (a field's label) in the words of the message
  for (const [k, v] of Object.entries(inLanguage(lang, text.params ?? {}))) if (v !== null && v !== undefined) params[k] = v;
  return { field, column, key: text.key, params, message: render(lang, text) };
}

function plan<F extends string, K, I>(
  decl: ImportDeclaration<F, K, I>,
  sheet: Sheet,
  mapping: Record<string, F | null>,
  known: K,
  lang: string,
): PlannedRow<F, I>[] {
  const text = importTexts(decl.texts);
  const columnOf = new Map<F, number>();
  for (const [header, field] of Object.entries(mapping) as [string, F | null][])
    if (field) columnOf.set(field, sheet.headers.indexOf(header));
  const headerOf = (f: F) => (columnOf.has(f) ? sheet.headers[columnOf.get(f)!]! : f);
  const firstLineOfReference = new Map<string, number>();

  const rows = sheet.rows.map(({ line, cells }) => {
    const problems: ImportProblem<F>[] = [];
    const refuse = (field: F | null, key: string, params: Record<string, string | number> = {}) =>
      problems.push(problemOf(lang, field, field && columnOf.has(field) ? headerOf(field) : null, text(key, params)));
    const values: Partial<Record<F, string>> = {};
    for (const [field, index] of columnOf) {
      const cell: Cell = cells[index] ?? { text: '', formula: false };
      if (cell.formula) refuse(field, 'formula', { column: headerOf(field) });
      else values[field] = cell.text;
    }
    const reference = values[decl.referenceField]?.toUpperCase() ?? '';
    if (reference) {
      const first = firstLineOfReference.get(reference);
      if (first !== undefined) refuse(decl.referenceField, 'duplicateReference', { reference: values[decl.referenceField]!, line: first });
      else firstLineOfReference.set(reference, line);
    }
    const row: RowInput<F> = {
      line,
      values,
      given: (f) => values[f] !== undefined && values[f] !== '',
      refuse,
      match: (field, matched) => {
        if (matched.ok) return matched.value;
        refuse(field, matched.refusal.key, { column: headerOf(field), ...matched.refusal.params });
        return undefined;
      },
      column: headerOf,
      mapped: (f) => columnOf.has(f),
      refused: () => problems.length > 0,
      refuseIssues: (issues) => {
        for (const issue of issues) {
          const api = String(issue.path[0] ?? '');
          const field = decl.fieldOfApi?.[api] ?? (decl.fields.includes(api as F) ? (api as F) : null);
          refuse(field, 'invalidValue', {
            column: field ? headerOf(field) : api,
            value: String((field && values[field]) ?? '').slice(0, 60),
          });
        }
      },
    };
    const planned = decl.planRow(row, known);
    return {
      line,
      kind: problems.length ? 'refused' : planned.existing ? (planned.unchanged ? 'unchanged' : 'update') : 'create',
      id: planned.existing?.id ?? newId(),
      existing: planned.existing,
      input: planned.input,
      values,
      report: { line, outcome: 'refused', reference: planned.existing?.reference ?? null, name: planned.name, problems },
    } satisfies PlannedRow<F, I> as PlannedRow<F, I>;
  });

  decl.planAll?.(rows, known, (row, field, key, params = {}) => {
    row.report.problems.push(problemOf(lang, field, field && columnOf.has(field) ? headerOf(field) : null, text(key, params)));
    row.kind = 'refused';
  });
  if (decl.unchanged) for (const r of rows) if (r.kind === 'update' && decl.unchanged(r, known)) r.kind = 'unchanged';
  for (const r of rows) r.report.outcome = outcomeOf(r.kind);
  return rows;
}

const outcomeOf = (kind: PlannedRow<string, unknown>['kind']) =>
  kind === 'refused' ? 'refused' : kind === 'create' ? 'created' : kind === 'update' ? 'updated' : 'unchanged';

/** A service's refusal while writing a row: that row's reason, on the import's field for the API field it names. */
function refuseByService<F extends string, I>(
  decl: ImportDeclaration<F, unknown, I>,
  row: PlannedRow<F, I>,
  e: AppError,
  lang: string,
  headerOf: (f: F) => string | null,
) {
  const apiField = e.field?.replace(/^body\./, '').split('.')[0] ?? '';
  const field = decl.fieldOfApi?.[apiField] ?? (decl.fields.includes(apiField as F) ? (apiField as F) : null);
  row.report.problems.push(problemOf(lang, field, field ? headerOf(field) : null, e.text));
  row.kind = 'refused';
  row.report.outcome = 'refused';
}

// -- the import

/** Ends a dry run's transaction (rolled back) with its report. */
class DryRunDone extends Error {
  readonly report: ImportReport;
  constructor(report: ImportReport) {
    super('dry run rolled back');
    this.report = report;
  }
}

/**
 * Dry run or import of a spreadsheet into a scope by the module's declaration. The dry run writes nothing; the import
 * writes every row in one transaction and saves the mapping for the scope's next import, or — when any row is refused
 * — writes nothing and answers 422 with the report in `details.report`.
 */
export async function runImport<F extends string, K, I>(
  decl: ImportDeclaration<F, K, I>,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  request: ImportRequest<F>,
  lang = 'en',
  onProgress?: ImportProgress,
): Promise<ImportReport<F>> {
  return (await prepareImport(decl, deps, actor, scopeId, request)).run(lang, onProgress);
}

/** An import whose file was read and whose mapping was checked (the refusals of the whole file are behind it). */
export interface PreparedImport<F extends string> {
  /** plans and writes (or dry-runs) the rows; a refused row answers 422 with the report */
  run(lang: string, onProgress?: ImportProgress): Promise<ImportReport<F>>;
}

/**
 * The first half of runImport: the permission, the file (size, format, headers, rows) and the mapping. What it refuses
 * is about the file as a whole; what `run` refuses is about rows.
 */
export async function prepareImport<F extends string, K, I>(
  decl: ImportDeclaration<F, K, I>,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  request: ImportRequest<F>,
): Promise<PreparedImport<F>> {
  requireScopePermission(actor, scopeId, decl.permission);
  const text = importTexts(decl.texts);
  const sheet = await readSheet(request.content, text);
  const chosen = request.mapping
    ? {
        mapping: { ...Object.fromEntries(sheet.headers.map((h) => [h, null])), ...request.mapping } as Record<string, F | null>,
        source: 'given' as const,
      }
    : mappingFor(decl, sheet.headers, await savedMapping(deps.db, decl, scopeId));
  checkMapping(decl, chosen.mapping, sheet.headers);
  const headerOf = (f: F) => Object.entries(chosen.mapping).find(([, x]) => x === f)?.[0] ?? null;

  const build = (rows: PlannedRow<F, I>[], applied: boolean): ImportReport<F> => ({
    fileName: request.fileName,
    dryRun: request.dryRun,
    applied,
    headers: sheet.headers,
    mapping: chosen.mapping,
    mappingSource: chosen.source,
    summary: {
      rows: rows.length,
      created: rows.filter((r) => r.kind === 'create').length,
      updated: rows.filter((r) => r.kind === 'update').length,
      unchanged: rows.filter((r) => r.kind === 'unchanged').length,
      refused: rows.filter((r) => r.kind === 'refused').length,
    },
    rows: rows.map((r) => r.report),
  });
  return { run: (lang, onProgress) => writeRows(lang, onProgress) };

  async function writeRows(lang: string, onProgress?: ImportProgress): Promise<ImportReport<F>> {
    const refusedError = (report: ImportReport<F>) =>
      new AppError('unprocessable', text('rowsRefused', { count: report.summary.refused }), { field: 'file', details: { report } });

    if (request.dryRun && !decl.writeRow)
      return build(plan(decl, sheet, chosen.mapping, await decl.load(deps.db, deps, scopeId), lang), false);

    try {
      return await deps.db.transaction().execute(async (tx) => {
        const known = await decl.load(tx, deps, scopeId);
        const rows = plan(decl, sheet, chosen.mapping, known, lang);
        const writes = rows.filter((r) => r.kind === 'create' || r.kind === 'update');
        if (decl.writeRow) {
          let done = 0;
          for (const r of writes) {
            try {
              // a refused row takes back what it wrote, its audit entries included (withSavepoint)
              const reference = await withSavepoint(tx, () => decl.writeRow!(tx, deps, actor, scopeId, r));
              if (!request.dryRun && r.kind === 'create') r.report.reference = reference;
            } catch (e) {
              if (!(e instanceof AppError)) throw e;
              refuseByService(decl, r, e, lang, headerOf);
            }
            if (++done % PROGRESS_CHUNK === 0) {
              onProgress?.(done, writes.length);
              await yieldToEventLoop();
            }
          }
          onProgress?.(done, writes.length);
          const report = build(rows, false);
          if (request.dryRun) throw new DryRunDone(report);
          if (report.summary.refused > 0) throw refusedError(report);
        } else {
          const report = build(rows, false);
          if (report.summary.refused > 0) throw refusedError(report);
          const assigned = await decl.writeAll!(tx, deps, actor, scopeId, writes, known);
          for (const r of writes) if (r.kind === 'create') r.report.reference = assigned.get(r.id) ?? null;
          onProgress?.(writes.length, writes.length);
        }
        await saveMapping(tx, deps, actor, scopeId, decl.kind, chosen.mapping);
        return build(rows, true);
      });
    } catch (e) {
      if (e instanceof DryRunDone) return e.report as ImportReport<F>;
      throw e;
    }
  }
}

/**
 * Reads the multipart request of an import route: the file in "file" (at most IMPORT_MAX_BYTES), an optional "mapping"
 * (JSON) and "dryRun" ("true" unless "false"). The permission is checked before the upload is read.
 */
export async function readImportUpload<F extends string, K, I>(
  decl: ImportDeclaration<F, K, I>,
  actor: Actor,
  scopeId: string,
  parts: AsyncIterable<UploadPart>,
): Promise<ImportRequest<F>> {
  requireScopePermission(actor, scopeId, decl.permission);
  const text = importTexts(decl.texts);
  let file: { fileName: string; content: Buffer } | null = null;
  const fields: Record<string, string> = {};
  for await (const part of parts) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || !part.file) throw invalid(`body.${part.fieldname}`, text('fileField'));
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      if ((part.file as { truncated?: boolean }).truncated) throw tooLarge(text);
      file = { fileName: part.filename ?? '', content: Buffer.concat(chunks) };
    } else if (part.fieldname === 'mapping' || part.fieldname === 'dryRun') {
      fields[part.fieldname] = String(part.value ?? '');
    } else {
      throw invalid(`body.${part.fieldname}`, text('unknownFormField', { field: part.fieldname }));
    }
  }
  if (!file) throw invalid('file', text('noFile'));
  if (fields.dryRun !== undefined && !['true', 'false'].includes(fields.dryRun)) throw invalid('body.dryRun', text('dryRunBoolean'));
  return { ...file, mapping: fields.mapping ? parseMapping(decl, fields.mapping) : null, dryRun: fields.dryRun !== 'false' };
}

/** The multipart limits of an import route: one byte over the limit tells the reader that the file was cut short. */
export const importUploadLimits = { fileSize: IMPORT_MAX_BYTES + 1, fields: 5 };
