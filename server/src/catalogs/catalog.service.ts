import { appendAudit } from '../audit/audit.service.ts';
import { type Actor, actorLanguage, requireAdmin, requireScopePermission } from '../auth/actor.ts';
import { toBool } from '../db/column.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { Tx } from '../db/database.ts';
import type { CatalogRequirementTable, CatalogTable } from '../db/schema.ts';
import { fallbackLanguage } from '../i18n/i18n.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, errorText, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { CatalogResponse, ImportReport, ListRequirementsQuery, RequirementResponse } from './catalog.schemas.ts';
import * as repo from './catalog.repository.ts';
import { ANNEX_A_KEY } from './iso27001-annex-a.ts';
import { annexACatalogTitle, annexAIdentifiersTitled, annexATitle, catalogIn } from './iso27001-annex-a.de.ts';
import { catalogKey, OscalError, type ParsedCatalog, parseOscalCatalog } from './oscal-import.ts';

export { findRequirementsByIdentifier } from './catalog.repository.ts';
export { ANNEX_A_KEY };

/** A catalog as uploaded: the file's bytes or text, or a JSON body the HTTP layer already parsed. */
export type CatalogSource = string | Buffer | { json: unknown };

/** Progress of an import: requirement rows written so far, of the total. */
export type ImportProgress = (done: number, total: number) => void;

export function presentCatalog(row: CatalogTable, counts: { groups: number; linked: number }): CatalogResponse {
  return {
    id: row.id,
    scopeId: row.scope_id,
    global: row.scope_id === null,
    key: row.key,
    title: row.title,
    version: row.version,
    source: row.source,
    oscalUuid: row.oscal_uuid,
    published: row.published,
    groupCount: counts.groups,
    controlCount: Number(row.requirement_count),
    withdrawnCount: Number(row.withdrawn_count),
    linkedControlCount: counts.linked,
    createdAt: row.created_at,
  };
}

/** A requirement for a reader: the built-in Annex A catalog speaks the reader's language (its German edition). */
export function presentRequirement(
  row: CatalogRequirementTable,
  catalogKey?: string,
  lang: string = fallbackLanguage,
): RequirementResponse {
  return {
    id: row.id,
    catalogId: row.catalog_id,
    identifier: row.identifier,
    parentIdentifier: row.parent_identifier,
    kind: row.kind,
    label: row.label,
    title: annexATitle(catalogKey, row.identifier, row.title, lang),
    statement: row.statement,
    guidance: row.guidance,
    withdrawn: toBool(row.withdrawn),
    depth: Number(row.depth),
    sortOrder: Number(row.sort_order),
  };
}

/**
 * Reads an uploaded catalog: JSON first, then the OSCAL model. Any problem is a 400 that names the JSON path of the
 * first problem (`field: "catalog.groups.0.controls.3.id"`), and nothing is written.
 */
export function parseCatalogFile(content: CatalogSource): ParsedCatalog {
  let document: unknown;
  if (typeof content === 'string' || Buffer.isBuffer(content)) {
    try {
      document = JSON.parse(typeof content === 'string' ? content : content.toString('utf8'));
    } catch (e) {
      throw new AppError('validation_failed', errorText('catalog.notJson', { problem: (e as Error).message }), { field: '(document)' });
    }
  } else {
    document = content.json;
  }
  if (document === undefined || document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new AppError('validation_failed', errorText('catalog.missing'), { field: '(document)' });
  }
  try {
    return parseOscalCatalog(document);
  } catch (e) {
    if (e instanceof OscalError) throw new AppError('validation_failed', e.text, { field: e.path });
    throw e;
  }
}

/**
 * Stores a parsed catalog with all its requirements inside the caller's transaction (bulk inserts in chunks), with an
 * audit entry. A catalog whose key already exists for the same owner (the scope, or the installation) is refused with
 * 409. `scopeId` null: available to every scope.
 */
export async function importCatalogTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  scopeId: string | null,
  parsed: ParsedCatalog,
  options: { onProgress?: ImportProgress; startedAt?: number } = {},
): Promise<ImportReport> {
  const startedAt = options.startedAt ?? performance.now();
  const key = catalogKey(parsed.title, parsed.version);
  const existing = await repo.findCatalogByKey(tx, scopeId, key);
  if (existing) {
    throw new AppError(
      'duplicate',
      errorText(scopeId ? 'catalog.alreadyImported' : 'catalog.alreadyImportedInstallation', {
        title: parsed.title,
        version: parsed.version,
      }),
      { details: { catalogId: existing.id } },
    );
  }
  const id = newId();
  const rows: CatalogRequirementTable[] = parsed.requirements.map((r) => ({
    id: newId(),
    catalog_id: id,
    identifier: r.identifier,
    parent_identifier: r.parentIdentifier,
    kind: r.kind,
    label: r.label,
    title: r.title,
    statement: r.statement,
    guidance: r.guidance,
    withdrawn: r.withdrawn,
    depth: r.depth,
    sort_order: r.sortOrder,
    params: r.params,
  }));
  await repo.insertCatalog(tx, {
    id,
    scope_id: scopeId,
    key,
    title: parsed.title,
    version: parsed.version,
    source: 'oscal',
    oscal_uuid: parsed.uuid,
    published: parsed.published,
    requirement_count: parsed.summary.controls,
    withdrawn_count: parsed.summary.withdrawn,
    imported_by: actor?.userId ?? null,
    created_at: isoNow(deps.clock),
  });
  await repo.insertRequirements(tx, rows, options.onProgress);
  const report: ImportReport = {
    catalogId: id,
    key,
    title: parsed.title,
    version: parsed.version,
    scopeId,
    groups: parsed.summary.groups,
    controls: parsed.summary.controls,
    enhancements: parsed.summary.enhancements,
    withdrawn: parsed.summary.withdrawn,
    requirements: rows.length,
    durationMs: 0,
  };
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'import',
    recordType: 'catalog',
    recordId: id,
    recordRef: key,
    changes: {
      title: { to: parsed.title },
      version: { to: parsed.version },
      controls: { to: parsed.summary.controls },
      enhancements: { to: parsed.summary.enhancements },
      withdrawn: { to: parsed.summary.withdrawn },
    },
  });
  report.durationMs = Math.round(performance.now() - startedAt);
  return report;
}

/**
 * Imports an OSCAL catalog file into a scope (catalog:import) or, for the installation administrator (scopeId null),
 * for every scope. One transaction: never a partial import.
 */
export async function importCatalog(
  deps: Deps,
  actor: Actor,
  target: { scopeId: string | null; viaScopeId?: string },
  content: CatalogSource | (() => Promise<CatalogSource>),
  options: { onProgress?: ImportProgress } = {},
): Promise<ImportReport> {
  // through a scope's API the scope must be visible first (404), then the role must allow imports (403)
  if (target.viaScopeId) requireScopePermission(actor, target.viaScopeId, 'catalog:import');
  if (target.scopeId === null) requireAdmin(actor);
  else requireScopePermission(actor, target.scopeId, 'catalog:import');
  const startedAt = performance.now();
  // an upload is read only after the permission check
  const parsed = parseCatalogFile(typeof content === 'function' ? await content() : content);
  try {
    return await deps.db.transaction().execute((tx) => importCatalogTx(tx, deps, actor, target.scopeId, parsed, { ...options, startedAt }));
  } catch (e) {
    // the same catalog imported at the same moment by someone else (PostgreSQL checks the key only at insert)
    if (isUniqueViolation(e)) {
      throw new AppError('duplicate', errorText('catalog.importedMeanwhile', { title: parsed.title, version: parsed.version }));
    }
    throw e;
  }
}

/**
 * The catalogs a scope sees, installation-wide ones first, each group by title as the reader sees it (the built-in
 * Annex A catalog is "ISO/IEC 27001:2022 Anhang A" to German readers: `catalogIn`). A scope sees a handful of
 * catalogs, all on one page: they are sorted here, after the wording.
 */
export async function listCatalogs(deps: Deps, actor: Actor, scopeId: string, lang: string = fallbackLanguage): Promise<CatalogResponse[]> {
  requireScopePermission(actor, scopeId, 'catalog:read');
  const rows = await repo.listVisibleCatalogs(deps.db, scopeId);
  const counts = await repo.countsByCatalog(
    deps.db,
    scopeId,
    rows.map((r) => r.id),
  );
  const collator = new Intl.Collator(lang);
  return rows
    .map((r) => catalogIn(presentCatalog(r, { groups: counts.groups.get(r.id) ?? 0, linked: counts.linked.get(r.id) ?? 0 }), lang))
    .sort((a, b) => Number(b.global) - Number(a.global) || collator.compare(a.title, b.title));
}

/** Every catalog of the installation (for the CLI run by an administrator). */
export async function listAllCatalogs(deps: Deps, actor: Actor): Promise<CatalogResponse[]> {
  requireAdmin(actor);
  const rows = await repo.listAllCatalogs(deps.db);
  const counts = await repo.countsByCatalog(
    deps.db,
    null,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentCatalog(r, { groups: counts.groups.get(r.id) ?? 0, linked: 0 }));
}

export async function getCatalog(deps: Deps, actor: Actor, scopeId: string, id: string): Promise<CatalogResponse> {
  requireScopePermission(actor, scopeId, 'catalog:read');
  const row = await repo.findVisibleCatalog(deps.db, scopeId, id);
  if (!row) throw notFound('Catalog');
  const counts = await repo.countsByCatalog(deps.db, scopeId, [id]);
  return presentCatalog(row, { groups: counts.groups.get(id) ?? 0, linked: counts.linked.get(id) ?? 0 });
}

export async function listRequirements(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  query: ListRequirementsQuery,
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'catalog:read');
  const catalog = await repo.findVisibleCatalog(deps.db, scopeId, id);
  if (!catalog) throw notFound('Catalog');
  // a search reads the titles the reader sees (the built-in catalog's German edition for German readers)
  const titledAs = query.q ? annexAIdentifiersTitled(catalog.key, query.q, lang) : null;
  const { rows, total } = await repo.listRequirements(deps.db, id, query, { titledAs });
  return { items: rows.map((r) => presentRequirement(r, catalog.key, lang)), total, page: query.page, pageSize: query.pageSize };
}

/** Deletes a catalog of this scope; installation-wide ones stay, and so does any catalog that controls link to. */
export async function deleteCatalog(deps: Deps, actor: Actor, scopeId: string, id: string): Promise<void> {
  requireScopePermission(actor, scopeId, 'catalog:import');
  await deps.db.transaction().execute(async (tx) => {
    const row = await repo.findVisibleCatalog(tx, scopeId, id);
    if (!row) throw notFound('Catalog');
    // the catalog as the reader knows it ("ISO/IEC 27001:2022 Anhang A" to a German reader)
    const title = annexACatalogTitle(row.key, row.title, actorLanguage(actor));
    if (row.scope_id === null) {
      throw new AppError('invalid_state', errorText('catalog.installationWide', { title }));
    }
    // ISO 27001 7.5.3: a catalog that controls, an SoA or a treatment plan refer to stays, so that they keep their basis
    const uses = await repo.countCatalogUses(tx, id);
    const what = [
      uses.controls ? `controls=${uses.controls}` : '',
      uses.soas ? 'soa' : '',
      uses.treatments ? `treatments=${uses.treatments}` : '',
    ].filter(Boolean);
    if (what.length > 0) {
      throw new AppError('invalid_state', errorText('catalog.stillUsed', { title, uses: what.join(',') }));
    }
    await repo.deleteCatalog(tx, id);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'delete',
      recordType: 'catalog',
      recordId: id,
      recordRef: row.key,
      changes: { title: { from: row.title }, version: { from: row.version } },
    });
  });
}
