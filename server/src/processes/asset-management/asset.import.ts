import { Readable } from 'node:stream';
import { z } from 'zod';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import type { Executor } from '../../db/database.ts';
import type { UploadPart } from '../../files/upload.ts';
import { translate } from '../../i18n/i18n.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import {
  type AssetImportReport,
  type AssetImportRow,
  assetImportFields,
  type AssetImportField,
  type ImportProblem,
} from './asset.import.schemas.ts';
import { assetTypes, createAssetBody, lifecycleStatuses, type ProtectionLevel, updateAssetBody } from './asset.schemas.ts';
import { type AssetImportWrite, importAssetsTx } from './asset.service.ts';

/*
 * Spreadsheet import of the asset register (XLSX or CSV). The file is read whole (it is bounded by
 * ASSET_IMPORT_MAX_BYTES), its first sheet's first non-empty row gives the column headers, and a mapping says which
 * column fills which field. Every row is matched and checked before anything is written: owners among the scope's
 * members (by email or name), dependencies among the scope's assets and the file's own rows (by reference or name),
 * C/I/A levels, and the asset schemas themselves. A dry run answers that plan row by row; the real run writes it in one
 * transaction, and only when no row is refused — so an import is all or nothing, never half a row.
 */

export const ASSET_IMPORT_MAX_BYTES = 10 * 1024 * 1024;
export const ASSET_IMPORT_MAX_ROWS = 20_000;
const IMPORT_KIND = 'assets';

interface Cell {
  text: string;
  formula: boolean;
}
interface Sheet {
  headers: string[];
  rows: { line: number; cells: Cell[] }[];
}

const norm = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s_\-./()]+/g, '');

/** Header words (English and German) that name each field, normalised by `norm`. */
const headerWords: Record<AssetImportField, string[]> = {
  reference: ['reference', 'ref', 'referenz', 'kennung', 'id', 'assetid', 'nr', 'nummer', 'kürzel'],
  name: ['name', 'assetname', 'asset', 'bezeichnung', 'titel', 'title', 'zielobjekt'],
  type: ['type', 'assettype', 'typ', 'art', 'kategorie', 'category'],
  owner: ['owner', 'owneremail', 'assetowner', 'responsible', 'verantwortlich', 'verantwortlicher', 'eigentümer', 'besitzer'],
  description: ['description', 'beschreibung', 'details', 'notes', 'notizen', 'bemerkung'],
  lifecycleStatus: ['lifecyclestatus', 'lifecycle', 'status', 'lebenszyklus', 'lebenszyklusstatus'],
  confidentiality: ['confidentiality', 'c', 'vertraulichkeit', 'v'],
  integrity: ['integrity', 'i', 'integrität', 'integritaet'],
  availability: ['availability', 'a', 'verfügbarkeit', 'verfuegbarkeit'],
  tags: ['tags', 'tag', 'labels', 'schlagwörter', 'schlagworte', 'stichwörter'],
  dependsOn: ['dependson', 'dependencies', 'depends', 'abhängigkeiten', 'abhängigvon', 'hängtabvon'],
};

/** The mapping guessed from the headers: each field at most once, the first matching column wins. */
export function guessMapping(headers: string[]): Record<string, AssetImportField | null> {
  const taken = new Set<AssetImportField>();
  const out: Record<string, AssetImportField | null> = {};
  for (const h of headers) {
    const n = norm(h);
    const field = assetImportFields.find((f) => !taken.has(f) && headerWords[f].includes(n)) ?? null;
    if (field) taken.add(field);
    out[h] = field;
  }
  return out;
}

const typeWords: Record<string, (typeof assetTypes)[number]> = {
  information: 'information',
  informationen: 'information',
  info: 'information',
  data: 'information',
  daten: 'information',
  system: 'system',
  systeme: 'system',
  itsystem: 'system',
  service: 'service',
  dienst: 'service',
  dienstleistung: 'service',
  anwendung: 'service',
  application: 'service',
  location: 'location',
  standort: 'location',
  raum: 'location',
  gebäude: 'location',
  person: 'person',
  people: 'person',
  personal: 'person',
  supplier: 'supplier',
  lieferant: 'supplier',
  dienstleister: 'supplier',
};
const lifecycleWords: Record<string, (typeof lifecycleStatuses)[number]> = {
  planned: 'planned',
  geplant: 'planned',
  inoperation: 'in_operation',
  operation: 'in_operation',
  active: 'in_operation',
  aktiv: 'in_operation',
  inbetrieb: 'in_operation',
  retiring: 'retiring',
  auslaufend: 'retiring',
  außerbetriebnahme: 'retiring',
  retired: 'retired',
  decommissioned: 'retired',
  außerbetrieb: 'retired',
  stillgelegt: 'retired',
};
const levelWords: Record<string, ProtectionLevel> = {
  normal: 'normal',
  n: 'normal',
  '1': 'normal',
  high: 'high',
  hoch: 'high',
  h: 'high',
  '2': 'high',
  veryhigh: 'very_high',
  sehrhoch: 'very_high',
  '3': 'very_high',
};

// -- reading the file

/** The text of an exceljs cell value; formulas are marked (a spreadsheet's result is not taken on trust). */
function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return { text: '', formula: false };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10), formula: false };
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('formula' in v || 'sharedFormula' in v) return { text: '', formula: true };
    if (Array.isArray(v.richText))
      return {
        text: (v.richText as { text: string }[])
          .map((r) => r.text)
          .join('')
          .trim(),
        formula: false,
      };
    if ('text' in v) return cellOf(v.text);
    if ('error' in v) return { text: String(v.error), formula: false };
    return { text: '', formula: false };
  }
  const text = String(value).trim();
  // CSV has no formulas, but a spreadsheet opening the file would run one
  return { text, formula: typeof value === 'string' && text.startsWith('=') };
}

function tooLarge(): AppError {
  return new AppError(
    'payload_too_large',
    errorText('assetImport.tooLarge', { megabytes: Math.round(ASSET_IMPORT_MAX_BYTES / (1024 * 1024)) }),
    { field: 'file' },
  );
}

/** Reads the first worksheet of an XLSX file or a CSV file (comma or semicolon separated) into headers and rows. */
export async function readSheet(content: Buffer): Promise<Sheet> {
  if (content.length > ASSET_IMPORT_MAX_BYTES) throw tooLarge();
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  let worksheet: import('exceljs').Worksheet | undefined;
  const isZip = content.length >= 4 && content.readUInt32LE(0) === 0x04034b50;
  try {
    if (isZip) {
      await workbook.xlsx.load(content as unknown as ArrayBuffer);
      worksheet = workbook.worksheets[0];
    } else {
      let text = content.toString('utf8');
      if (text.includes('\u0000') || text.includes('\uFFFD')) throw new Error('not text');
      if (text.startsWith('\uFEFF')) text = text.slice(1);
      const firstLine = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
      const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
      worksheet = await workbook.csv.read(Readable.from([text]), {
        parserOptions: { delimiter },
        map: (v: unknown) => v,
      } as Parameters<typeof workbook.csv.read>[1]);
    }
  } catch {
    throw invalid('file', errorText('assetImport.unreadable'));
  }
  const raw: { line: number; cells: Cell[] }[] = [];
  worksheet?.eachRow({ includeEmpty: false }, (row, line) => {
    const values = row.values as unknown[];
    const cells = values.slice(1).map(cellOf);
    if (cells.some((c) => c.text !== '' || c.formula)) raw.push({ line, cells });
  });
  const [head, ...rows] = raw;
  if (!head || rows.length === 0) throw invalid('file', errorText('assetImport.emptySheet'));
  if (rows.length > ASSET_IMPORT_MAX_ROWS) throw invalid('file', errorText('assetImport.tooManyRows', { max: ASSET_IMPORT_MAX_ROWS }));
  const headers = head.cells.map((c, i) => c.text || `#${i + 1}`);
  const seen = new Set<string>();
  for (const h of headers) {
    if (seen.has(h)) throw invalid('file', errorText('assetImport.duplicateHeader', { column: h }));
    seen.add(h);
  }
  return { headers, rows };
}

// -- the mapping

const mappingSchema = z.record(z.string().max(200), z.enum(assetImportFields).nullable());
export type AssetImportMapping = z.infer<typeof mappingSchema>;

/** Parses a mapping given as JSON (a form field, the CLI's --mapping): header → field or null. */
export function parseMapping(json: string, field = 'body.mapping'): AssetImportMapping {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw invalid(field, errorText('assetImport.mappingNotJson'));
  }
  const parsed = mappingSchema.safeParse(value);
  if (!parsed.success) throw invalid(field, errorText('assetImport.mappingInvalid', { fields: assetImportFields.join(', ') }));
  return parsed.data;
}

function checkMapping(mapping: AssetImportMapping, headers: string[]): void {
  const used = new Map<AssetImportField, string>();
  for (const [header, field] of Object.entries(mapping)) {
    if (!headers.includes(header)) throw invalid('body.mapping', errorText('assetImport.unknownColumn', { column: header }));
    if (!field) continue;
    if (used.has(field)) {
      throw invalid('body.mapping', errorText('assetImport.fieldTwice', { field, first: used.get(field)!, second: header }));
    }
    used.set(field, header);
  }
  if (!used.has('name') && !used.has('reference')) throw invalid('body.mapping', errorText('assetImport.nameOrReferenceNeeded'));
}

async function savedMapping(db: Executor, scopeId: string): Promise<AssetImportMapping | null> {
  const row = await db
    .selectFrom('import_mapping')
    .select('mapping')
    .where('scope_id', '=', scopeId)
    .where('kind', '=', IMPORT_KIND)
    .executeTakeFirst();
  if (!row) return null;
  const parsed = mappingSchema.safeParse(JSON.parse(row.mapping));
  return parsed.success ? parsed.data : null;
}

/** The saved mapping of the scope for the headers it knows, the guess for the others. */
function mappingFor(headers: string[], saved: AssetImportMapping | null): { mapping: AssetImportMapping; source: 'saved' | 'guessed' } {
  const guess = guessMapping(headers);
  if (!saved || !headers.some((h) => h in saved)) return { mapping: guess, source: 'guessed' };
  const mapping: AssetImportMapping = {};
  const taken = new Set(headers.filter((h) => h in saved).map((h) => saved[h]));
  for (const h of headers) mapping[h] = h in saved ? saved[h]! : guess[h] && !taken.has(guess[h]) ? guess[h] : null;
  return { mapping, source: 'saved' };
}

// -- the plan

interface Known {
  members: { id: string; email: string; name: string }[];
  assets: { id: string; reference: string; name: string; version: number; values: ExistingValues }[];
  /** asset id → the ids it depends on (the scope's graph as stored) */
  edges: Map<string, string[]>;
}
interface ExistingValues {
  name: string;
  type: string;
  owner_id: string | null;
  description: string;
  lifecycle_status: string;
  confidentiality: string;
  integrity: string;
  availability: string;
  tags: string[];
}

async function loadKnown(db: Executor, scopeId: string): Promise<Known> {
  const [members, assets, edges, tags] = await Promise.all([
    db
      .selectFrom('membership')
      .innerJoin('app_user', 'app_user.id', 'membership.user_id')
      .select(['app_user.id', 'app_user.email', 'app_user.name'])
      .where('membership.scope_id', '=', scopeId)
      .execute(),
    db.selectFrom('asset').selectAll().where('scope_id', '=', scopeId).execute(),
    db
      .selectFrom('asset_dependency')
      .innerJoin('asset', 'asset.id', 'asset_dependency.asset_id')
      .select(['asset_dependency.asset_id', 'asset_dependency.depends_on_id'])
      .where('asset.scope_id', '=', scopeId)
      .execute(),
    db
      .selectFrom('asset_tag')
      .innerJoin('asset', 'asset.id', 'asset_tag.asset_id')
      .select(['asset_tag.asset_id', 'asset_tag.tag'])
      .where('asset.scope_id', '=', scopeId)
      .orderBy('asset_tag.tag')
      .execute(),
  ]);
  const tagsOf = new Map<string, string[]>();
  for (const t of tags) tagsOf.set(t.asset_id, [...(tagsOf.get(t.asset_id) ?? []), t.tag]);
  const edgeMap = new Map<string, string[]>();
  for (const e of edges) edgeMap.set(e.asset_id, [...(edgeMap.get(e.asset_id) ?? []), e.depends_on_id]);
  return {
    members,
    assets: assets.map((a) => ({
      id: a.id,
      reference: a.reference,
      name: a.name,
      version: a.version,
      values: { ...a, tags: tagsOf.get(a.id) ?? [] },
    })),
    edges: edgeMap,
  };
}

interface PlannedRow {
  report: AssetImportRow;
  id: string;
  kind: 'create' | 'update' | 'unchanged' | 'refused';
  version: number;
  values: Partial<Record<AssetImportField, string>>;
  input: Record<string, unknown>;
  dependsOnTokens: string[] | null;
  dependsOn: string[] | null;
}

const splitList = (s: string) =>
  s
    .split(/[;,\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

function plan(sheet: Sheet, mapping: AssetImportMapping, known: Known, lang: string): PlannedRow[] {
  const columnOf = new Map<AssetImportField, number>();
  for (const [header, field] of Object.entries(mapping)) if (field) columnOf.set(field, sheet.headers.indexOf(header));
  const headerOf = (f: AssetImportField) => sheet.headers[columnOf.get(f)!]!;
  const byReference = new Map(known.assets.map((a) => [a.reference.toUpperCase(), a]));
  const membersByEmail = new Map(known.members.map((m) => [m.email.toLowerCase(), m]));
  const membersByName = new Map<string, (typeof known.members)[number][]>();
  for (const m of known.members) membersByName.set(m.name.toLowerCase(), [...(membersByName.get(m.name.toLowerCase()) ?? []), m]);
  const firstLineOfReference = new Map<string, number>();

  const rows: PlannedRow[] = sheet.rows.map(({ line, cells }) => {
    const problems: ImportProblem[] = [];
    const problem = (field: AssetImportField | null, key: string, params: Record<string, string | number> = {}) =>
      problems.push({
        field,
        column: field ? headerOf(field) : null,
        key: `errors:assetImport.${key}`,
        params,
        message: translate(lang, `errors:assetImport.${key}`, params),
      });
    const values: Partial<Record<AssetImportField, string>> = {};
    for (const [field, index] of columnOf) {
      const cell = cells[index] ?? { text: '', formula: false };
      if (cell.formula) problem(field, 'formula', { column: headerOf(field) });
      else values[field] = cell.text;
    }
    const reference = values.reference ? values.reference.toUpperCase() : '';
    const existing = reference ? byReference.get(reference) : undefined;
    if (reference) {
      const first = firstLineOfReference.get(reference);
      if (first !== undefined) problem('reference', 'duplicateReference', { reference: values.reference!, line: first });
      else firstLineOfReference.set(reference, line);
    }
    const input: Record<string, unknown> = {};
    const given = (f: AssetImportField) => values[f] !== undefined && values[f] !== '';
    if (given('name')) input.name = values.name;
    if (given('description')) input.description = values.description;
    if (given('type')) {
      const t = typeWords[norm(values.type!)];
      if (t) input.type = t;
      else problem('type', 'unknownType', { value: values.type!, allowed: assetTypes.join(', ') });
    }
    if (given('lifecycleStatus')) {
      const s = lifecycleWords[norm(values.lifecycleStatus!)];
      if (s) input.lifecycleStatus = s;
      else problem('lifecycleStatus', 'unknownLifecycle', { value: values.lifecycleStatus!, allowed: lifecycleStatuses.join(', ') });
    }
    for (const c of ['confidentiality', 'integrity', 'availability'] as const) {
      if (!given(c)) continue;
      const level = levelWords[norm(values[c]!)];
      if (level) input[c] = level;
      else problem(c, 'levelOutOfRange', { value: values[c]!, column: headerOf(c) });
    }
    if (given('owner')) {
      const owner = values.owner!;
      if (owner.includes('@')) {
        if (!z.email().safeParse(owner).success) problem('owner', 'badEmail', { value: owner });
        else {
          const m = membersByEmail.get(owner.toLowerCase());
          if (m) input.ownerId = m.id;
          else problem('owner', 'unknownOwner', { value: owner });
        }
      } else {
        const found = membersByName.get(owner.toLowerCase()) ?? [];
        if (found.length === 1) input.ownerId = found[0]!.id;
        else if (found.length > 1) problem('owner', 'ambiguousOwner', { value: owner });
        else problem('owner', 'unknownOwner', { value: owner });
      }
    }
    if (given('tags')) input.tags = [...new Set(splitList(values.tags!))];
    const dependsOnTokens = given('dependsOn') ? [...new Set(splitList(values.dependsOn!))] : null;

    // the asset schemas themselves (lengths, counts): the same checks as the API's
    const schema = existing ? updateAssetBody : createAssetBody;
    if (!existing) {
      if (!input.name) problem('name', 'required', { column: columnOf.has('name') ? headerOf('name') : 'name' });
      if (!input.type && !problems.some((p) => p.field === 'type')) {
        problem(columnOf.has('type') ? 'type' : null, 'typeRequired', { allowed: assetTypes.join(', ') });
      }
    }
    if (problems.length === 0) {
      const parsed = schema.safeParse(existing ? { ...input, version: existing.version } : input);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? '') as AssetImportField;
          const known = assetImportFields.includes(field) && columnOf.has(field);
          problem(known ? field : null, 'invalidValue', {
            column: known ? headerOf(field) : String(issue.path[0] ?? ''),
            value: String(values[field] ?? '').slice(0, 60),
          });
        }
      }
    }
    return {
      report: {
        line,
        outcome: 'refused',
        reference: existing?.reference ?? null,
        name: (input.name as string) ?? existing?.name ?? null,
        problems,
      },
      id: existing?.id ?? newId(),
      kind: problems.length ? 'refused' : existing ? 'update' : 'create',
      version: existing?.version ?? 0,
      values,
      input,
      dependsOnTokens,
      dependsOn: null,
    };
  });

  // dependencies: by reference (stored or given in the file), else by name (stored or a row of the file)
  const fileByReference = new Map<string, PlannedRow>();
  for (const r of rows) if (r.values.reference) fileByReference.set(r.values.reference.toUpperCase(), r);
  const byName = new Map<string, string[]>();
  const addName = (name: string, id: string) => {
    const k = name.toLowerCase();
    const ids = byName.get(k) ?? [];
    if (!ids.includes(id)) byName.set(k, [...ids, id]);
  };
  const renamed = new Set(rows.filter((r) => r.input.name && r.kind !== 'create').map((r) => r.id));
  for (const a of known.assets) if (!renamed.has(a.id)) addName(a.name, a.id);
  for (const r of rows) if (r.input.name) addName(r.input.name as string, r.id);
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const assetById = new Map(known.assets.map((a) => [a.id, a]));
  const problem = (r: PlannedRow, key: string, params: Record<string, string | number>) => {
    r.report.problems.push({
      field: 'dependsOn',
      column: Object.entries(mapping).find(([, f]) => f === 'dependsOn')?.[0] ?? null,
      key: `errors:assetImport.${key}`,
      params,
      message: translate(lang, `errors:assetImport.${key}`, params),
    });
    r.kind = 'refused';
  };
  for (const r of rows) {
    if (!r.dependsOnTokens) continue;
    const ids: string[] = [];
    for (const token of r.dependsOnTokens) {
      const ref = token.toUpperCase();
      const id = byReference.get(ref)?.id ?? fileByReference.get(ref)?.id;
      const named = byName.get(token.toLowerCase()) ?? [];
      if (id) ids.push(id);
      else if (named.length === 1) ids.push(named[0]!);
      else if (named.length > 1) problem(r, 'ambiguousDependency', { value: token });
      else problem(r, 'unknownDependency', { value: token });
    }
    if (ids.includes(r.id)) problem(r, 'dependsOnItself', { value: r.report.name ?? '' });
    if (ids.length > 200) problem(r, 'tooManyDependencies', { max: 200 });
    r.dependsOn = [...new Set(ids)];
  }
  // a row that depends on a refused new row cannot be written either (until nothing changes)
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of rows) {
      if (r.kind === 'refused' || !r.dependsOn) continue;
      const bad = r.dependsOn.map((id) => rowById.get(id)).find((d) => d && d.kind === 'refused' && !assetById.has(d.id));
      if (bad) {
        problem(r, 'dependencyRefused', { line: bad.report.line });
        changed = true;
      }
    }
  }
  // cycles over the graph as it would be after the import
  const graph = new Map(known.edges);
  for (const r of rows) if (r.kind !== 'refused' && r.dependsOn) graph.set(r.id, r.dependsOn);
  for (const id of nodesInCycles(graph)) {
    const r = rowById.get(id);
    if (r && r.kind !== 'refused' && r.dependsOn) problem(r, 'dependencyCycle', {});
  }

  // updates that change nothing are reported as such and not written
  for (const r of rows) {
    if (r.kind !== 'update') continue;
    const a = assetById.get(r.id)!;
    const v = a.values;
    const same =
      (r.input.name === undefined || r.input.name === v.name) &&
      (r.input.type === undefined || r.input.type === v.type) &&
      (r.input.ownerId === undefined || r.input.ownerId === v.owner_id) &&
      (r.input.description === undefined || r.input.description === v.description) &&
      (r.input.lifecycleStatus === undefined || r.input.lifecycleStatus === v.lifecycle_status) &&
      (['confidentiality', 'integrity', 'availability'] as const).every((c) => r.input[c] === undefined || r.input[c] === v[c]) &&
      (r.input.tags === undefined || sameSet(r.input.tags as string[], v.tags)) &&
      (r.dependsOn === null || sameSet(r.dependsOn, known.edges.get(r.id) ?? []));
    if (same) r.kind = 'unchanged';
  }
  for (const r of rows)
    r.report.outcome = r.kind === 'refused' ? 'refused' : r.kind === 'create' ? 'created' : r.kind === 'update' ? 'updated' : 'unchanged';
  return rows;
}

const sameSet = (a: string[], b: string[]) => {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
};

/** The nodes that lie on a cycle of a directed graph (Tarjan's strongly connected components, iteratively). */
function nodesInCycles(graph: Map<string, string[]>): Set<string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out = new Set<string>();
  let counter = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const targets = graph.get(top.node) ?? [];
      if (top.next < targets.length) {
        const to = targets[top.next++]!;
        if (to === top.node) out.add(to);
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) low.set(top.node, Math.min(low.get(top.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        for (;;) {
          const n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
          if (n === top.node) break;
        }
        if (component.length > 1) for (const n of component) out.add(n);
      }
    }
  }
  return out;
}

// -- the import

export interface AssetImportRequest {
  fileName: string;
  content: Buffer;
  /** null: the scope's saved mapping for the headers it knows, a guess from the header names for the others */
  mapping: AssetImportMapping | null;
  dryRun: boolean;
}

/**
 * Dry run or import of an asset spreadsheet into a scope. The dry run writes nothing; the import writes every row in
 * one transaction and saves the mapping for the scope's next import, or — when any row is refused — writes nothing and
 * answers 422 with the report in `details.report`.
 */
export async function importAssets(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  request: AssetImportRequest,
  lang = 'en',
): Promise<AssetImportReport> {
  requireScopePermission(actor, scopeId, 'asset:write');
  const sheet = await readSheet(request.content);
  const chosen = request.mapping
    ? { mapping: { ...Object.fromEntries(sheet.headers.map((h) => [h, null])), ...request.mapping }, source: 'given' as const }
    : mappingFor(sheet.headers, await savedMapping(deps.db, scopeId));
  checkMapping(chosen.mapping, sheet.headers);

  const build = (rows: PlannedRow[], applied: boolean): AssetImportReport => ({
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

  if (request.dryRun) return build(plan(sheet, chosen.mapping, await loadKnown(deps.db, scopeId), lang), false);

  return deps.db.transaction().execute(async (tx) => {
    const known = await loadKnown(tx, scopeId);
    const rows = plan(sheet, chosen.mapping, known, lang);
    const report = build(rows, false);
    if (report.summary.refused > 0) {
      throw new AppError('unprocessable', errorText('assetImport.rowsRefused', { count: report.summary.refused }), {
        field: 'file',
        details: { report },
      });
    }
    const writes: AssetImportWrite[] = [];
    for (const r of rows) {
      if (r.kind === 'create') {
        const input = createAssetBody.parse({ ...r.input, dependsOn: r.dependsOn ?? [] });
        writes.push({ kind: 'create', id: r.id, input });
      } else if (r.kind === 'update') {
        const { version: _v, ...input } = updateAssetBody.parse({
          ...r.input,
          ...(r.dependsOn !== null && { dependsOn: r.dependsOn }),
          version: r.version,
        });
        writes.push({ kind: 'update', id: r.id, version: r.version, input });
      }
    }
    const referenceById = new Map(known.assets.map((a) => [a.id, a.reference]));
    const assigned = await importAssetsTx(tx, deps, actor, scopeId, writes, (id) => referenceById.get(id));
    for (const r of rows) if (r.kind === 'create') r.report.reference = assigned.get(r.id) ?? null;
    const mapping = JSON.stringify(Object.fromEntries(Object.entries(chosen.mapping).filter(([, f]) => f)));
    await tx
      .insertInto('import_mapping')
      .values({ scope_id: scopeId, kind: IMPORT_KIND, mapping, updated_by: actor.userId, updated_at: isoNow(deps.clock) })
      .onConflict((oc) =>
        oc.columns(['scope_id', 'kind']).doUpdateSet({ mapping, updated_by: actor.userId, updated_at: isoNow(deps.clock) }),
      )
      .execute();
    return build(rows, true);
  });
}

/**
 * Reads the multipart request of the import route: the file in "file" (at most ASSET_IMPORT_MAX_BYTES), an optional
 * "mapping" (JSON) and "dryRun" ("true" unless "false"). The permission is checked before the upload is read.
 */
export async function importAssetsUpload(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  parts: AsyncIterable<UploadPart>,
  lang: string,
): Promise<AssetImportReport> {
  requireScopePermission(actor, scopeId, 'asset:write');
  let file: { fileName: string; content: Buffer } | null = null;
  const fields: Record<string, string> = {};
  for await (const part of parts) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || !part.file) throw invalid(`body.${part.fieldname}`, errorText('assetImport.fileField'));
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      if ((part.file as { truncated?: boolean }).truncated) throw tooLarge();
      file = { fileName: part.filename ?? '', content: Buffer.concat(chunks) };
    } else if (part.fieldname === 'mapping' || part.fieldname === 'dryRun') {
      fields[part.fieldname] = String(part.value ?? '');
    } else {
      throw invalid(`body.${part.fieldname}`, errorText('assetImport.unknownFormField', { field: part.fieldname }));
    }
  }
  if (!file) throw invalid('file', errorText('assetImport.noFile'));
  if (fields.dryRun !== undefined && !['true', 'false'].includes(fields.dryRun)) {
    throw invalid('body.dryRun', errorText('assetImport.dryRunBoolean'));
  }
  return importAssets(
    deps,
    actor,
    scopeId,
    { ...file, mapping: fields.mapping ? parseMapping(fields.mapping) : null, dryRun: fields.dryRun !== 'false' },
    lang,
  );
}
