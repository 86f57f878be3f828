import type { Actor } from '../../auth/actor.ts';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../shared/context.ts';
import {
  guessMapping as guessFor,
  type ImportDeclaration,
  type ImportProgress,
  type ImportRequest,
  type PlannedRow,
  parseMapping as parseFor,
  runImport,
} from '../../shared/import/import-engine.ts';
import { loadMembers, type Member, memberMatcher, norm, sameSet, splitList } from '../../shared/import/import-matchers.ts';
import { IMPORT_MAX_BYTES } from '../../shared/import/import.schemas.ts';
import { type AssetImportField, type AssetImportReport, assetImportFields } from './asset.import.schemas.ts';
import { assetTypes, createAssetBody, lifecycleStatuses, type ProtectionLevel, updateAssetBody } from './asset.schemas.ts';
import { type AssetImportWrite, importAssetsTx } from './asset.service.ts';

/*
 * Spreadsheet import of the asset register (XLSX or CSV) on the import engine (shared/import/): this file declares the
 * fields, the words that name them, how a row becomes an asset, and the bulk write. Owners are matched among the
 * scope's members (by email or name), dependencies among the scope's assets and the file's own rows (by reference or
 * name, without cycles), C/I/A levels by word or number, and the asset schemas themselves; the rows are written in one
 * transaction through asset.service's importAssetsTx, only when no row is refused.
 */

export const ASSET_IMPORT_MAX_BYTES = IMPORT_MAX_BYTES;

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
  personrolle: 'person',
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
  wirdaußerbetriebgenommen: 'retiring',
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

interface ExistingAsset {
  id: string;
  reference: string;
  name: string;
  version: number;
  values: {
    name: string;
    type: string;
    owner_id: string | null;
    description: string;
    lifecycle_status: string;
    confidentiality: string;
    integrity: string;
    availability: string;
    tags: string[];
  };
}
interface Known {
  members: Member[];
  assets: ExistingAsset[];
  byReference: Map<string, ExistingAsset>;
  /** asset id → the ids it depends on (the scope's graph as stored) */
  edges: Map<string, string[]>;
}
interface AssetRowInput {
  /** the asset's fields as the asset schemas take them */
  fields: Record<string, unknown>;
  dependsOnTokens: string[] | null;
  dependsOn: string[] | null;
}
type Row = PlannedRow<AssetImportField, AssetRowInput>;

async function loadKnown(db: Executor, _deps: Deps, scopeId: string): Promise<Known> {
  const [members, assets, edges, tags] = await Promise.all([
    loadMembers(db, scopeId),
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
  const existing = assets.map((a) => ({
    id: a.id,
    reference: a.reference,
    name: a.name,
    version: a.version,
    values: { ...a, tags: tagsOf.get(a.id) ?? [] },
  }));
  return { members, assets: existing, byReference: new Map(existing.map((a) => [a.reference.toUpperCase(), a])), edges: edgeMap };
}

/** The asset register's import: fields, matchers and the bulk write. */
export const assetImport: ImportDeclaration<AssetImportField, Known, AssetRowInput> = {
  kind: 'assets',
  permission: 'asset:write',
  fields: assetImportFields,
  headerWords,
  identifiedBy: ['name', 'reference'],
  referenceField: 'reference',
  texts: 'assetImport',
  load: loadKnown,

  planRow(row, known) {
    const { values, given, refuse } = row;
    const existing = values.reference ? known.byReference.get(values.reference.toUpperCase()) : undefined;
    const input: Record<string, unknown> = {};
    if (given('name')) input.name = values.name;
    if (given('description')) input.description = values.description;
    if (given('type')) {
      const t = typeWords[norm(values.type!)];
      if (t) input.type = t;
      else refuse('type', 'unknownType', { value: values.type!, allowed: assetTypes.join(', ') });
    }
    if (given('lifecycleStatus')) {
      const s = lifecycleWords[norm(values.lifecycleStatus!)];
      if (s) input.lifecycleStatus = s;
      else refuse('lifecycleStatus', 'unknownLifecycle', { value: values.lifecycleStatus!, allowed: lifecycleStatuses.join(', ') });
    }
    for (const c of ['confidentiality', 'integrity', 'availability'] as const) {
      if (!given(c)) continue;
      const level = levelWords[norm(values[c]!)];
      if (level) input[c] = level;
      else refuse(c, 'levelOutOfRange', { value: values[c]!, column: row.column(c) });
    }
    if (given('owner')) {
      const id = row.match('owner', memberMatcher(known.members)(values.owner!));
      if (id) input.ownerId = id;
    }
    if (given('tags')) input.tags = splitList(values.tags!);
    const dependsOnTokens = given('dependsOn') ? splitList(values.dependsOn!) : null;

    // the asset schemas themselves (lengths, counts): the same checks as the API's
    if (!existing) {
      if (!input.name) refuse('name', 'required', { column: row.column('name') });
      if (!input.type && !row.refused()) refuse(row.mapped('type') ? 'type' : null, 'typeRequired', { allowed: assetTypes.join(', ') });
    }
    if (!row.refused()) {
      const parsed = (existing ? updateAssetBody : createAssetBody).safeParse(existing ? { ...input, version: existing.version } : input);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? '') as AssetImportField;
          const known = assetImportFields.includes(field) && row.mapped(field);
          refuse(known ? field : null, 'invalidValue', {
            column: known ? row.column(field) : String(issue.path[0] ?? ''),
            value: String(values[field] ?? '').slice(0, 60),
          });
        }
      }
    }
    return {
      existing: existing ? { id: existing.id, reference: existing.reference, version: existing.version } : null,
      name: (input.name as string) ?? existing?.name ?? null,
      input: { fields: input, dependsOnTokens, dependsOn: null },
    };
  },

  // dependencies: by reference (stored or given in the file), else by name (stored or a row of the file)
  planAll(rows, known, refuse) {
    const fileByReference = new Map<string, Row>();
    for (const r of rows) if (r.values.reference) fileByReference.set(r.values.reference.toUpperCase(), r);
    const byName = new Map<string, string[]>();
    const addName = (name: string, id: string) => {
      const k = name.toLowerCase();
      const ids = byName.get(k) ?? [];
      if (!ids.includes(id)) byName.set(k, [...ids, id]);
    };
    const renamed = new Set(rows.filter((r) => r.input.fields.name && r.kind !== 'create').map((r) => r.id));
    for (const a of known.assets) if (!renamed.has(a.id)) addName(a.name, a.id);
    for (const r of rows) if (r.input.fields.name) addName(r.input.fields.name as string, r.id);
    const rowById = new Map(rows.map((r) => [r.id, r]));
    const assetIds = new Set(known.assets.map((a) => a.id));
    for (const r of rows) {
      if (!r.input.dependsOnTokens) continue;
      const ids: string[] = [];
      for (const token of r.input.dependsOnTokens) {
        const ref = token.toUpperCase();
        const id = known.byReference.get(ref)?.id ?? fileByReference.get(ref)?.id;
        const named = byName.get(token.toLowerCase()) ?? [];
        if (id) ids.push(id);
        else if (named.length === 1) ids.push(named[0]!);
        else if (named.length > 1) refuse(r, 'dependsOn', 'ambiguousDependency', { value: token });
        else refuse(r, 'dependsOn', 'unknownDependency', { value: token });
      }
      if (ids.includes(r.id)) refuse(r, 'dependsOn', 'dependsOnItself', { value: r.report.name ?? '' });
      if (ids.length > 200) refuse(r, 'dependsOn', 'tooManyDependencies', { max: 200 });
      r.input.dependsOn = [...new Set(ids)];
    }
    // a row that depends on a refused new row cannot be written either (until nothing changes)
    for (let changed = true; changed; ) {
      changed = false;
      for (const r of rows) {
        if (r.kind === 'refused' || !r.input.dependsOn) continue;
        const bad = r.input.dependsOn.map((id) => rowById.get(id)).find((d) => d && d.kind === 'refused' && !assetIds.has(d.id));
        if (bad) {
          refuse(r, 'dependsOn', 'dependencyRefused', { line: bad.line });
          changed = true;
        }
      }
    }
    // cycles over the graph as it would be after the import
    const graph = new Map(known.edges);
    for (const r of rows) if (r.kind !== 'refused' && r.input.dependsOn) graph.set(r.id, r.input.dependsOn);
    for (const id of nodesInCycles(graph)) {
      const r = rowById.get(id);
      if (r && r.kind !== 'refused' && r.input.dependsOn) refuse(r, 'dependsOn', 'dependencyCycle');
    }
  },

  // updates that change nothing are reported as such and not written
  unchanged(r, known) {
    const v = known.byReference.get(r.existing!.reference.toUpperCase())!.values;
    const f = r.input.fields;
    return (
      (f.name === undefined || f.name === v.name) &&
      (f.type === undefined || f.type === v.type) &&
      (f.ownerId === undefined || f.ownerId === v.owner_id) &&
      (f.description === undefined || f.description === v.description) &&
      (f.lifecycleStatus === undefined || f.lifecycleStatus === v.lifecycle_status) &&
      (['confidentiality', 'integrity', 'availability'] as const).every((c) => f[c] === undefined || f[c] === v[c]) &&
      (f.tags === undefined || sameSet(f.tags as string[], v.tags)) &&
      (r.input.dependsOn === null || sameSet(r.input.dependsOn, known.edges.get(r.id) ?? []))
    );
  },

  async writeAll(tx, deps, actor, scopeId, rows, known) {
    const writes: AssetImportWrite[] = [];
    for (const r of rows) {
      if (r.kind === 'create') {
        const input = createAssetBody.parse({ ...r.input.fields, dependsOn: r.input.dependsOn ?? [] });
        writes.push({ kind: 'create', id: r.id, input });
      } else if (r.kind === 'update') {
        const version = r.existing!.version;
        const { version: _v, ...input } = updateAssetBody.parse({
          ...r.input.fields,
          ...(r.input.dependsOn !== null && { dependsOn: r.input.dependsOn }),
          version,
        });
        writes.push({ kind: 'update', id: r.id, version, input });
      }
    }
    const referenceById = new Map(known.assets.map((a) => [a.id, a.reference]));
    return importAssetsTx(tx, deps, actor, scopeId, writes, (id) => referenceById.get(id));
  },
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

export type AssetImportMapping = Record<string, AssetImportField | null>;
export type AssetImportRequest = ImportRequest<AssetImportField>;

/** The mapping guessed from the headers: each field at most once, the first matching column wins. */
export const guessMapping = (headers: string[]): AssetImportMapping => guessFor(assetImport, headers);

/** Parses a mapping given as JSON (a form field, the CLI's --mapping): header → field or null. */
export const parseMapping = (json: string, field = 'body.mapping'): AssetImportMapping => parseFor(assetImport, json, field);

/**
 * Dry run or import of an asset spreadsheet into a scope (see runImport): nothing is written on a dry run or when a row
 * is refused (422 with the report in `details.report`).
 */
export function importAssets(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  request: AssetImportRequest,
  lang = 'en',
  onProgress?: ImportProgress,
): Promise<AssetImportReport> {
  return runImport(assetImport, deps, actor, scopeId, request, lang, onProgress);
}
