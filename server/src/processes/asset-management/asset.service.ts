import { listPage } from '../../db/paging.ts';
import { stringify } from 'csv-stringify/sync';
import { csvCell } from '../../shared/csv.ts';
import { exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, requireScopePermission } from '../../auth/actor.ts';
import type { Tx } from '../../db/database.ts';
import { longReads } from '../../db/long-reads.ts';
import type { AssetTable } from './asset-management.tables.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, changedBySomeoneElse, conflictWithCurrent, errorText, invalid, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { insertWithNextReference, nextReferences } from '../../shared/references.ts';
import { deleteVersionedRecord, loadVersionedRecord, type VersionedRecordKind } from '../../shared/versioned-record.ts';
import { settleWorkTx } from '../../work/work.ts';
import type {
  AssetDetailResponse,
  AssetResponse,
  CreateAssetInput,
  ListAssetsQuery,
  ProtectionLevel,
  UpdateAssetInput,
} from './asset.schemas.ts';
import * as repo from './asset.repository.ts';

export function presentAsset(row: repo.AssetRow, tags: string[]): AssetResponse {
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    name: row.name,
    type: row.type,
    owner: row.owner_id ? { id: row.owner_id, name: row.owner_name ?? '', email: row.owner_email ?? '' } : null,
    description: row.description,
    lifecycleStatus: row.lifecycle_status,
    confidentiality: row.confidentiality as ProtectionLevel,
    integrity: row.integrity as ProtectionLevel,
    availability: row.availability as ProtectionLevel,
    tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

async function loadDetail(db: Deps['db'] | Tx, scopeId: string, id: string): Promise<AssetDetailResponse | null> {
  const row = await repo.findAsset(db, scopeId, id);
  if (!row) return null;
  const [tags, deps] = await Promise.all([repo.findTags(db, [id]), repo.findDependencies(db, id)]);
  const link = (d: (typeof deps.dependsOn)[number]) => ({ ...d, type: d.type });
  return { ...presentAsset(row, tags.get(id) ?? []), dependsOn: deps.dependsOn.map(link), dependents: deps.dependents.map(link) };
}

/** The fields the audit trail records for an asset. */
function auditable(a: AssetDetailResponse) {
  return {
    name: a.name,
    type: a.type,
    ownerId: a.owner?.id ?? null,
    description: a.description,
    lifecycleStatus: a.lifecycleStatus,
    confidentiality: a.confidentiality,
    integrity: a.integrity,
    availability: a.availability,
    tags: a.tags,
    dependsOn: a.dependsOn.map((d) => d.reference),
  };
}

const rank: Record<ProtectionLevel, number> = { normal: 0, high: 1, very_high: 2 };

async function validateLinks(
  tx: Tx,
  scopeId: string,
  assetId: string | null,
  input: { ownerId?: string | null | undefined; dependsOn?: string[] | undefined },
) {
  if (input.ownerId && !(await findMembership(tx, scopeId, input.ownerId))) {
    throw invalid('body.ownerId', errorText('ownerNotMember'));
  }
  if (input.dependsOn) {
    const unique = [...new Set(input.dependsOn)];
    if (assetId && unique.includes(assetId)) throw invalid('body.dependsOn', errorText('asset.dependsOnItself'));
    if ((await repo.countAssetsInScope(tx, scopeId, unique)) !== unique.length) {
      throw invalid('body.dependsOn', errorText('asset.dependencyNotInScope'));
    }
    if (assetId && (await repo.wouldCreateCycle(tx, assetId, unique))) {
      throw invalid('body.dependsOn', errorText('asset.dependencyCycle'));
    }
  }
}

/**
 * Hand-off (BSI 200-2 → risk assessment): when a protection need is raised to "very high", the risk-assessment
 * process receives a task to re-assess the asset's risks, inside the same transaction.
 */
async function emitProtectionRaised(tx: Tx, deps: Deps, actor: Actor, before: AssetDetailResponse | null, after: AssetDetailResponse) {
  const raised = (['confidentiality', 'integrity', 'availability'] as const)
    .filter((c) => after[c] === 'very_high' && (!before || rank[before[c]] < rank.very_high))
    .map((c) => ({ criterion: c, from: before?.[c] ?? null, to: after[c] }));
  const veryHigh = (a: AssetDetailResponse) =>
    (['confidentiality', 'integrity', 'availability'] as const).some((c) => a[c] === 'very_high');
  // lowered again before the re-assessment: it is no longer asked for
  if (before && veryHigh(before) && !veryHigh(after))
    await settleWorkTx(tx, deps, actor, {
      scopeId: after.scopeId,
      recordType: 'asset',
      recordId: after.id,
      purposes: ['reassess'],
      outcome: 'cancelled',
      note: { key: 'tasks:note.assetProtectionLowered', params: { assetRef: after.reference } },
    });
  if (raised.length === 0) return;
  await deps.events.emit(tx, actor, 'asset.protection-raised', {
    scopeId: after.scopeId,
    assetId: after.id,
    assetRef: after.reference,
    assetName: after.name,
    ownerId: after.owner?.id ?? null,
    raised,
  });
}

/**
 * What a new asset links to, read once: the owner among the scope's members and the assets it depends on in the scope
 * (refused with the messages validateLinks gives an update); the response is built from these, without reading the
 * asset back.
 */
async function readCreateLinks(tx: Tx, scopeId: string, input: CreateAssetInput) {
  const ownerId = input.ownerId ?? null;
  const dependsOn = [...new Set(input.dependsOn)];
  const [owner, links] = await Promise.all([
    ownerId ? repo.findMemberIdentity(tx, scopeId, ownerId) : undefined,
    repo.findAssetLinks(tx, scopeId, dependsOn),
  ]);
  if (ownerId && !owner) throw invalid('body.ownerId', errorText('ownerNotMember'));
  if (links.length !== dependsOn.length) throw invalid('body.dependsOn', errorText('asset.dependencyNotInScope'));
  return { owner: owner ?? null, links };
}

/**
 * A new asset in two statements besides begin and commit on PostgreSQL (four on SQLite) when it has no owner, tags or
 * dependencies: its row with its reference (the counter's upsert in the same statement) and its audit entry (written at
 * the commit: pending on PostgreSQL and sealed after it, sealed inside the transaction on SQLite, audit-seal.ts).
 */
export async function createAsset(deps: Deps, actor: Actor, scopeId: string, input: CreateAssetInput): Promise<AssetDetailResponse> {
  requireScopePermission(actor, scopeId, 'asset:write');
  return deps.db.transaction().execute(async (tx) => {
    const { owner, links } = await readCreateLinks(tx, scopeId, input);
    const now = isoNow(deps.clock);
    const fields: Omit<AssetTable, 'reference'> = {
      id: newId(),
      scope_id: scopeId,
      name: input.name,
      type: input.type,
      owner_id: input.ownerId,
      description: input.description,
      lifecycle_status: input.lifecycleStatus,
      confidentiality: input.confidentiality,
      integrity: input.integrity,
      availability: input.availability,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    // the reference counter's row stays locked until the commit: taken with the row's insert, as late as possible
    const row: AssetTable = { ...fields, reference: await insertWithNextReference(tx, deps.dialect, 'asset', fields, 'AST') };
    const tags = [...new Set(input.tags)].sort();
    // a new asset has no tags or dependencies to replace: only inserts
    await repo.insertTags(tx, row.id, tags);
    await repo.insertDependencies(
      tx,
      row.id,
      links.map((l) => l.id),
    );
    const after: AssetDetailResponse = {
      ...presentAsset({ ...row, owner_name: owner?.name ?? null, owner_email: owner?.email ?? null }, tags),
      dependsOn: links.sort(byName),
      dependents: [],
    };
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'create',
      recordType: 'asset',
      recordId: row.id,
      recordRef: row.reference,
      changes: diffChanges(null, auditable(after)),
    });
    await emitProtectionRaised(tx, deps, actor, null, after);
    return after;
  });
}

/** The order of linked assets in a response (findDependencies: by name). */
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export async function getAsset(deps: Deps, actor: Actor, scopeId: string, id: string): Promise<AssetDetailResponse> {
  requireScopePermission(actor, scopeId, 'asset:read');
  return loadVersionedRecord(deps.db, assetKind, scopeId, id);
}

export async function listAssets(deps: Deps, actor: Actor, scopeId: string, query: ListAssetsQuery) {
  requireScopePermission(actor, scopeId, 'asset:read');
  const { rows, total, capped } = await repo.listAssets(deps.db, scopeId, query);
  const tags = await repo.findTags(
    deps.db,
    rows.map((r) => r.id),
  );
  return listPage(
    rows.map((r) => presentAsset(r, tags.get(r.id) ?? [])),
    { total, capped },
    query,
  );
}

export async function updateAsset(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: UpdateAssetInput,
): Promise<AssetDetailResponse> {
  requireScopePermission(actor, scopeId, 'asset:write');
  const work = deps.db.transaction().execute(async (tx) => {
    const before = await loadDetail(tx, scopeId, id);
    if (!before) throw notFound('Asset');
    if (before.version !== input.version) {
      throw new AppError('version_conflict', errorText('recordChangedSinceOpened', { reference: before.reference }), {
        details: { current: before },
      });
    }
    await validateLinks(tx, scopeId, id, input);
    const patch: Partial<AssetTable> = { updated_at: isoNow(deps.clock) };
    if (input.name !== undefined) patch.name = input.name;
    if (input.type !== undefined) patch.type = input.type;
    if (input.ownerId !== undefined) patch.owner_id = input.ownerId;
    if (input.description !== undefined) patch.description = input.description;
    if (input.lifecycleStatus !== undefined) patch.lifecycle_status = input.lifecycleStatus;
    if (input.confidentiality !== undefined) patch.confidentiality = input.confidentiality;
    if (input.integrity !== undefined) patch.integrity = input.integrity;
    if (input.availability !== undefined) patch.availability = input.availability;
    await updateVersioned(tx, 'asset', id, before.version, patch);
    if (input.tags) await repo.replaceTags(tx, id, [...new Set(input.tags)]);
    if (input.dependsOn) await repo.replaceDependencies(tx, id, [...new Set(input.dependsOn)]);
    const after = (await loadDetail(tx, scopeId, id))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'asset',
      recordId: id,
      recordRef: after.reference,
      changes: diffChanges(auditable(before), auditable(after)),
    });
    await emitProtectionRaised(tx, deps, actor, before, after);
    return after;
  });
  return conflictWithCurrent(work, null, () => assetKind.load(deps.db, scopeId, id));
}

const assetKind: VersionedRecordKind<AssetDetailResponse, 'asset'> = {
  table: 'asset',
  recordType: 'asset',
  label: 'Asset',
  load: loadDetail,
  auditable,
};

export async function deleteAsset(deps: Deps, actor: Actor, scopeId: string, id: string, version: number): Promise<void> {
  requireScopePermission(actor, scopeId, 'asset:delete');
  await deleteVersionedRecord(deps, actor, assetKind, { scopeId, id, version }, async (tx, assetId, v) => {
    const reference = (await repo.findAsset(tx, scopeId, assetId))?.reference ?? '';
    if (!(await repo.deleteAsset(tx, assetId, v))) return false;
    // the re-assessment asked for the asset goes with it
    await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'asset',
      recordId: assetId,
      outcome: 'cancelled',
      note: { key: 'tasks:note.assetGone', params: { assetRef: reference } },
    });
    return true;
  });
}

/** One asset of a bulk import (a spreadsheet), matched and checked by the importer against the same schemas. */
export type AssetImportWrite =
  | { kind: 'create'; id: string; input: CreateAssetInput }
  | { kind: 'update'; id: string; version: number; input: Omit<UpdateAssetInput, 'version'> };

const importChunk = 500;

/**
 * Writes a bulk import inside the caller's transaction: every created or updated asset gets its audit entry and its
 * protection hand-off, as createAsset/updateAsset give them. The importer has matched owners among the scope's members
 * and dependencies among the scope's assets and the new ones (their ids are planned: `id`), and refused cycles; new
 * assets are inserted in chunks (first all assets, then tags and dependencies, which may point at each other), changed
 * ones one by one with their version checked. Returns the references of the new assets, in the order given.
 */
export async function importAssetsTx(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  writes: AssetImportWrite[],
  referenceOf: (id: string) => string | undefined,
): Promise<Map<string, string>> {
  requireScopePermission(actor, scopeId, 'asset:write');
  const creates = writes.filter((w) => w.kind === 'create');
  const references = await nextReferences(tx, scopeId, 'AST', creates.length);
  const assigned = new Map(creates.map((w, i) => [w.id, references[i]!]));
  const refOf = (id: string) => assigned.get(id) ?? referenceOf(id) ?? '';
  const now = isoNow(deps.clock);
  const rows: AssetTable[] = creates.map((w) => ({
    id: w.id,
    scope_id: scopeId,
    reference: assigned.get(w.id)!,
    name: w.input.name,
    type: w.input.type,
    owner_id: w.input.ownerId,
    description: w.input.description,
    lifecycle_status: w.input.lifecycleStatus,
    confidentiality: w.input.confidentiality,
    integrity: w.input.integrity,
    availability: w.input.availability,
    created_at: now,
    updated_at: now,
    version: 1,
  }));
  const rowById = new Map(rows.map((r) => [r.id, r]));
  for (let i = 0; i < rows.length; i += importChunk)
    await tx
      .insertInto('asset')
      .values(rows.slice(i, i + importChunk))
      .execute();
  const tags = creates.flatMap((w) => [...new Set(w.input.tags)].map((tag) => ({ asset_id: w.id, tag })));
  for (let i = 0; i < tags.length; i += importChunk)
    await tx
      .insertInto('asset_tag')
      .values(tags.slice(i, i + importChunk))
      .execute();
  const links = creates.flatMap((w) => [...new Set(w.input.dependsOn)].map((d) => ({ asset_id: w.id, depends_on_id: d })));
  for (let i = 0; i < links.length; i += importChunk)
    await tx
      .insertInto('asset_dependency')
      .values(links.slice(i, i + importChunk))
      .execute();

  for (const w of writes) {
    if (w.kind === 'create') {
      const row = rowById.get(w.id)!;
      const after: AssetDetailResponse = {
        ...presentAsset({ ...row, owner_name: null, owner_email: null }, [...new Set(w.input.tags)].sort()),
        dependsOn: [...new Set(w.input.dependsOn)].map((d) => ({ id: d, reference: refOf(d), name: '', type: 'system' as const })),
        dependents: [],
      };
      await appendAudit(tx, deps, actor, {
        scopeId,
        action: 'create',
        recordType: 'asset',
        recordId: w.id,
        recordRef: after.reference,
        changes: diffChanges(null, auditable(after)),
      });
      await emitProtectionRaised(tx, deps, actor, null, after);
      continue;
    }
    const before = await loadDetail(tx, scopeId, w.id);
    if (!before) throw notFound('Asset');
    if (before.version !== w.version) throw changedBySomeoneElse(before.reference, before);
    const input = w.input;
    const patch: Partial<AssetTable> = { updated_at: now };
    if (input.name !== undefined) patch.name = input.name;
    if (input.type !== undefined) patch.type = input.type;
    if (input.ownerId !== undefined) patch.owner_id = input.ownerId;
    if (input.description !== undefined) patch.description = input.description;
    if (input.lifecycleStatus !== undefined) patch.lifecycle_status = input.lifecycleStatus;
    if (input.confidentiality !== undefined) patch.confidentiality = input.confidentiality;
    if (input.integrity !== undefined) patch.integrity = input.integrity;
    if (input.availability !== undefined) patch.availability = input.availability;
    await updateVersioned(tx, 'asset', w.id, before.version, patch);
    if (input.tags) await repo.replaceTags(tx, w.id, [...new Set(input.tags)]);
    if (input.dependsOn) await repo.replaceDependencies(tx, w.id, [...new Set(input.dependsOn)]);
    const after = (await loadDetail(tx, scopeId, w.id))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'asset',
      recordId: w.id,
      recordRef: after.reference,
      changes: diffChanges(auditable(before), auditable(after)),
    });
    await emitProtectionRaised(tx, deps, actor, before, after);
  }
  return assigned;
}

const csvColumns = [
  'reference',
  'name',
  'type',
  'owner',
  'owner_email',
  'lifecycle_status',
  'confidentiality',
  'integrity',
  'availability',
  'tags',
  'description',
  'updated_at',
];

/**
 * CSV of every asset that matches the list filters, in the list's order, produced batch by batch.
 * The permission check runs at once (not when the stream is first read), so a refusal is still a clean 403/404.
 * Cells that spreadsheets would run as formulas are neutralised.
 */
export function exportAssetsCsv(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  query: Omit<ListAssetsQuery, 'page' | 'pageSize'>,
  lang: string = fallbackLanguage,
): AsyncIterable<string> {
  requireScopePermission(actor, scopeId, 'asset:read');
  // headers and words in the language of the user who asks (the English ones are the codes the import reads)
  const t = exportTexts(lang);
  const safe = csvCell;
  // the batches are long reads: off the main thread on SQLite (db/long-reads.ts)
  const reads = longReads(deps.db);
  return (async function* () {
    yield stringify([csvColumns.map((c) => t(`asset.column.${c}`))]);
    for await (const rows of repo.iterateAssets(reads, scopeId, query)) {
      const tags = await repo.findTags(
        reads,
        rows.map((r) => r.id),
      );
      yield stringify(
        rows.map((r) =>
          [
            r.reference,
            r.name,
            t(`asset.type.${r.type}`),
            r.owner_name ?? '',
            r.owner_email ?? '',
            t(`asset.lifecycle.${r.lifecycle_status}`),
            t(`asset.protection.${r.confidentiality}`),
            t(`asset.protection.${r.integrity}`),
            t(`asset.protection.${r.availability}`),
            (tags.get(r.id) ?? []).join('; '),
            r.description,
            r.updated_at,
          ].map(safe),
        ),
      );
    }
  })();
}
