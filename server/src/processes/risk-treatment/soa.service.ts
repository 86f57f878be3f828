import { listPage } from '../../db/paging.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, actorLanguage, requireScopePermission } from '../../auth/actor.ts';
import { toBool } from '../../db/column.ts';
import type { Executor, Tx } from '../../db/database.ts';
import { longReads } from '../../db/long-reads.ts';
import type { SoaEntryTable, SoaTable } from './risk-treatment.tables.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { annexACatalogTitle, annexATitle, catalogIn } from '../../catalogs/iso27001-annex-a.de.ts';
import { exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { findScope } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, conflictWithCurrent, errorText, forbidden, notFound, versionConflict } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { openWorkTx, settleWorkTx } from '../../work/work.ts';
import * as repo from './soa.repository.ts';
import {
  approvalBlockers,
  blockersMessage,
  type DecisionSource,
  type ImplementationStatus,
  implementationStatusOf,
  nearestGroups,
  type Prefill,
  prefill,
  type RequirementLinks,
  justificationIn,
  refreshable,
  unjustifiedInclusions,
} from './soa.rules.ts';
import type { ListSoaEntriesQuery, SoaEntryResponse, SoaResponse, SoaStatus, SoaVersionResponse } from './soa.schemas.ts';

const user = (id: string | null, name: string | null, email: string | null) => (id ? { id, name: name ?? '', email: email ?? '' } : null);
const nullableBool = (v: boolean | number | null) => (v === null ? null : toBool(v));
/** An entry's columns for a prefilled decision: nobody decided it, the catalog or the links did. */
const prefilledColumns = (p: Prefill, now: string) => ({
  applicable: p.applicable,
  justification: p.justification,
  decision_source: p.source,
  decided_by: null,
  decided_at: p.source ? now : null,
  updated_at: now,
});

/** An SoA as presented; with a reader's `lang`, the built-in Annex A catalog's title is in that language (`catalogIn`). */
function presentSoa(row: repo.SoaRow, counts: repo.EntryCounts | undefined, lang?: string): SoaResponse {
  const catalog = { id: row.catalog_id, key: row.catalog_key, title: row.catalog_title, version: row.catalog_version };
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    title: row.title,
    catalog: lang ? catalogIn(catalog, lang) : catalog,
    status: row.status,
    draftNumber: row.draft_number,
    approvedNumber: row.approved_number,
    submittedBy: user(row.submitted_by, row.submitter_name, row.submitter_email),
    submittedAt: row.submitted_at,
    counts: {
      total: counts?.total ?? 0,
      applicable: counts?.applicable ?? 0,
      excluded: counts?.excluded ?? 0,
      undecided: counts?.undecided ?? 0,
      unjustifiedExclusions: counts?.unjustified ?? 0,
      unjustifiedInclusions: counts?.unjustifiedInclusions ?? 0,
    },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

type ControlRef = SoaEntryResponse['controls'][number];

type Group = NonNullable<SoaEntryResponse['group']>;

function presentEntry(row: repo.EntryRow, controls: ControlRef[], groups: Map<string, Group>): SoaEntryResponse {
  const applicable = nullableBool(row.applicable);
  return {
    id: row.id,
    requirement: {
      id: row.requirement_id,
      identifier: row.identifier,
      label: row.label,
      title: row.title,
      parentIdentifier: row.parent_identifier,
      depth: row.depth,
      withdrawn: toBool(row.withdrawn),
    },
    group: row.group_identifier
      ? (groups.get(row.group_identifier) ?? { identifier: row.group_identifier, label: row.group_identifier, title: '' })
      : null,
    applicable,
    justification: row.justification,
    decisionSource: row.decision_source as DecisionSource | null,
    decidedBy: user(row.decided_by, row.decider_name, row.decider_email),
    decidedAt: row.decided_at,
    implementationStatus: implementationStatusOf(
      applicable,
      Number(row.control_count),
      row.weakest_rank === null ? null : Number(row.weakest_rank),
    ),
    controls,
    version: row.version,
  };
}

/** Entries with their linked controls and group headings: the entries' statement plus one each for controls and groups. */
async function withControls(
  db: Executor,
  scopeId: string,
  catalogId: string,
  rows: repo.EntryRow[],
  soaId?: string,
): Promise<SoaEntryResponse[]> {
  const [links, groupRows] = await Promise.all([
    repo.findLinkedControls(db, scopeId, soaId ? { soaId } : { requirementIds: [...new Set(rows.map((r) => r.requirement_id))] }),
    repo.findGroups(db, catalogId),
  ]);
  const byRequirement = new Map<string, ControlRef[]>();
  for (const l of links) {
    const list = byRequirement.get(l.requirement_id) ?? [];
    list.push({ id: l.id, reference: l.reference, title: l.title, status: l.status });
    byRequirement.set(l.requirement_id, list);
  }
  const groups = new Map(groupRows.map((g) => [g.identifier, { identifier: g.identifier, label: g.label, title: g.title }]));
  return rows.map((r) => presentEntry(r, byRequirement.get(r.requirement_id) ?? [], groups));
}

/**
 * An entry in a reader's words: the built-in Annex A catalog's titles (with its `catalogKey`; null: as stored) and a
 * pre-filled justification in the reader's language (a person's words as written).
 */
function entryIn(lang: string, catalogKey: string | null, e: SoaEntryResponse): SoaEntryResponse {
  if (lang === fallbackLanguage) return e;
  const title = (identifier: string, text: string) => (catalogKey === null ? text : annexATitle(catalogKey, identifier, text, lang));
  return {
    ...e,
    requirement: { ...e.requirement, title: title(e.requirement.identifier, e.requirement.title) },
    group: e.group && { ...e.group, title: title(e.group.identifier, e.group.title) },
    justification: justificationIn(lang, e.justification, e.decisionSource),
  };
}

async function loadSoa(db: Executor, scopeId: string, id: string, lang?: string): Promise<SoaResponse | null> {
  const row = await repo.findSoa(db, scopeId, id);
  if (!row) return null;
  return presentSoa(row, (await repo.countEntries(db, [id])).get(id), lang);
}

const auditableEntry = (e: { applicable: boolean | null; justification: string }) => ({
  applicable: e.applicable,
  justification: e.justification,
});

/** What the scope's treatment decisions say about each requirement of the catalog (one statement). */
async function treatmentLinks(db: Executor, scopeId: string, catalogId: string): Promise<Map<string, RequirementLinks['controls']>> {
  const rows = await repo.findTreatmentLinks(db, scopeId, catalogId);
  const out = new Map<string, Map<string, string[]>>();
  for (const r of rows) {
    const controls = out.get(r.requirement_id) ?? new Map<string, string[]>();
    const risks = controls.get(r.control_ref) ?? [];
    if (r.risk_ref) risks.push(r.risk_ref);
    controls.set(r.control_ref, risks);
    out.set(r.requirement_id, controls);
  }
  return new Map([...out].map(([req, controls]) => [req, [...controls].map(([reference, riskRefs]) => ({ reference, riskRefs }))]));
}

// ------------------------------------------------------------------------------------------------ create, read

/**
 * Creates the SoA of a scope for one catalog (ISO 27001 6.1.3 d): an entry per control of the catalog (groups are
 * headings, not entries), pre-filled from the treatment decisions.
 */
export async function createSoa(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: { catalogId?: string | undefined; catalogKey?: string | undefined; title?: string | undefined },
  /** the language of the default title (the creator's) */
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'soa:write');
  return deps.db.transaction().execute(async (tx) => {
    const catalog = await repo.findVisibleCatalog(tx, scopeId, { id: input.catalogId, key: input.catalogKey });
    if (!catalog) {
      throw new AppError('validation_failed', errorText('soa.noCatalog'), {
        field: input.catalogId === undefined ? 'body.catalogKey' : 'body.catalogId',
      });
    }
    // the catalog as the creator knows it ("ISO/IEC 27001:2022 Anhang A" to a German creator)
    const catalogTitle = annexACatalogTitle(catalog.key, catalog.title, lang);
    const existing = await repo.findSoaByCatalog(tx, scopeId, catalog.id);
    if (existing) {
      throw new AppError('duplicate', errorText('soa.exists', { title: catalogTitle, reference: existing.reference }), {
        details: { id: existing.id },
      });
    }
    const now = isoNow(deps.clock);
    const row: SoaTable = {
      id: newId(),
      scope_id: scopeId,
      catalog_id: catalog.id,
      reference: await nextReference(tx, scopeId, 'SOA'),
      title: input.title ?? `${exportTexts(lang)('soa.title')}: ${catalogTitle}`,
      status: 'draft',
      draft_number: 1,
      approved_number: null,
      submitted_by: null,
      submitted_at: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insertSoa(tx, row);
    const requirements = await repo.findCatalogRequirements(tx, catalog.id);
    const groups = nearestGroups(
      requirements.map((r) => ({ identifier: r.identifier, parentIdentifier: r.parent_identifier, kind: r.kind })),
    );
    const links = await treatmentLinks(tx, scopeId, catalog.id);
    const entries: SoaEntryTable[] = requirements
      .filter((r) => r.kind === 'control')
      .map((r) => {
        const p = prefill({ withdrawn: toBool(r.withdrawn), controls: links.get(r.id) ?? [] });
        return {
          id: newId(),
          soa_id: row.id,
          requirement_id: r.id,
          group_identifier: groups.get(r.identifier) ?? null,
          sort_order: r.sort_order,
          ...prefilledColumns(p, now),
          version: 1,
        };
      });
    if (entries.length === 0) throw new AppError('unprocessable', errorText('soa.noControls', { title: catalogTitle }));
    await repo.insertEntries(tx, entries);
    const after = (await loadSoa(tx, scopeId, row.id, actorLanguage(actor)))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'create',
      recordType: 'soa',
      recordId: row.id,
      recordRef: row.reference,
      changes: diffChanges(null, {
        title: row.title,
        catalog: `${catalog.title} ${catalog.version}`,
        entries: after.counts.total,
        applicable: after.counts.applicable,
        undecided: after.counts.undecided,
      }),
    });
    return after;
  });
}

export async function listSoas(deps: Deps, actor: Actor, scopeId: string, q: { page: number; pageSize: number }) {
  requireScopePermission(actor, scopeId, 'soa:read');
  const { rows, total, capped } = await repo.listSoas(deps.db, scopeId, q.pageSize, (q.page - 1) * q.pageSize);
  const counts = await repo.countEntries(
    deps.db,
    rows.map((r) => r.id),
  );
  return listPage(
    rows.map((r) => presentSoa(r, counts.get(r.id), actorLanguage(actor))),
    { total, capped },
    q,
  );
}

export async function getSoa(deps: Deps, actor: Actor, scopeId: string, id: string) {
  requireScopePermission(actor, scopeId, 'soa:read');
  const soa = await loadSoa(deps.db, scopeId, id, actorLanguage(actor));
  if (!soa) throw notFound('Statement of Applicability');
  return soa;
}

/** Filters an approved snapshot the way the list query filters the working copy. */
function filterSnapshot(entries: SoaEntryResponse[], q: ListSoaEntriesQuery): SoaEntryResponse[] {
  const needle = q.q?.toLowerCase();
  const out = entries.filter(
    (e) =>
      (q.applicable === undefined ||
        (q.applicable === 'yes' ? e.applicable === true : q.applicable === 'no' ? e.applicable === false : e.applicable === null)) &&
      (q.status === undefined || e.implementationStatus === q.status) &&
      (q.group === undefined || e.group?.identifier === q.group) &&
      (q.justification === undefined || e.justification.trim() === '') &&
      (!needle ||
        [e.requirement.label, e.requirement.title, e.requirement.identifier, e.justification].some((s) =>
          s.toLowerCase().includes(needle),
        )),
  );
  const progress = ['not_started', 'planned', 'in_progress', 'implemented', 'verified', 'not_applicable'];
  const position = new Map(entries.map((e, i) => [e.id, i]));
  const key = (e: SoaEntryResponse): string | number =>
    q.sort === 'label'
      ? e.requirement.label
      : q.sort === 'title'
        ? e.requirement.title
        : q.sort === 'status'
          ? progress.indexOf(e.implementationStatus)
          : q.sort === 'applicable'
            ? e.applicable === null
              ? 0
              : e.applicable
                ? 2
                : 1
            : position.get(e.id)!;
  const direction = q.order === 'desc' ? -1 : 1;
  // as in the database query: the chosen key in the chosen direction, ties in document order
  out.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
    return c * direction || position.get(a.id)! - position.get(b.id)!;
  });
  return out;
}

/**
 * One page of entries of the working copy (filters, search, sorting in SQL; a fixed number of statements) or of an
 * approved version (from its snapshot). The requirement and group titles of the built-in Annex A catalog are worded in
 * the reader's language (`lang`); search and sorting work on the stored words.
 */
export async function listSoaEntries(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  q: ListSoaEntriesQuery,
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'soa:read');
  const soa = await repo.findSoa(deps.db, scopeId, id);
  if (!soa) throw notFound('Statement of Applicability');
  const catalogKey =
    lang === fallbackLanguage
      ? null
      : ((await deps.db.selectFrom('catalog').select('key').where('id', '=', soa.catalog_id).executeTakeFirst())?.key ?? null);
  const worded = (items: SoaEntryResponse[]): SoaEntryResponse[] => items.map((e) => entryIn(lang, catalogKey, e));
  if (q.version !== undefined) {
    const version = await repo.findVersion(deps.db, id, q.version);
    if (!version) throw notFound(`Version ${q.version}`);
    const all = filterSnapshot(JSON.parse(version.entries) as SoaEntryResponse[], q);
    const start = (q.page - 1) * q.pageSize;
    return {
      items: worded(all.slice(start, start + q.pageSize)),
      total: all.length,
      page: q.page,
      pageSize: q.pageSize,
      versionNumber: q.version,
    };
  }
  const { rows, total, capped } = await repo.listEntries(deps.db, scopeId, id, q);
  return {
    ...listPage(worded(await withControls(deps.db, scopeId, soa.catalog_id, rows)), { total, capped }, q),
    versionNumber: null,
  };
}

function presentVersion(v: repo.VersionRow): SoaVersionResponse {
  return {
    number: v.number,
    submittedBy: user(v.submitted_by, v.submitter_name, v.submitter_email),
    submittedAt: v.submitted_at,
    approvedBy: user(v.approved_by, v.approver_name, v.approver_email),
    approvedAt: v.approved_at,
    entryCount: v.entry_count,
    applicableCount: v.applicable_count,
    excludedCount: v.excluded_count,
  };
}

export async function listSoaVersions(deps: Deps, actor: Actor, scopeId: string, id: string) {
  requireScopePermission(actor, scopeId, 'soa:read');
  const soa = await repo.findSoa(deps.db, scopeId, id);
  if (!soa) throw notFound('Statement of Applicability');
  return { items: (await repo.listVersions(deps.db, id)).map(presentVersion) };
}

// ------------------------------------------------------------------------------------------------ changes

/**
 * Serialises changes to one SoA (the row lock on PostgreSQL; SQLite writers are serialised anyway) and returns its
 * state as of now: an approval and an entry edit never interleave.
 */
async function lockSoa(tx: Tx, deps: Deps, scopeId: string, id: string) {
  await tx
    .updateTable('soa')
    .set({ updated_at: isoNow(deps.clock) })
    .where('id', '=', id)
    .where('scope_id', '=', scopeId)
    .execute();
  const row = await repo.findSoa(tx, scopeId, id);
  if (!row) throw notFound('Statement of Applicability');
  return row;
}

/** A change to a submitted or approved SoA starts a new draft; approved versions stay as they were. */
async function reopenTx(tx: Tx, deps: Deps, actor: Actor, soa: repo.SoaRow): Promise<void> {
  if (soa.status === 'draft') return;
  const draftNumber = soa.status === 'approved' ? (soa.approved_number ?? 0) + 1 : soa.draft_number;
  await repo.touchSoa(tx, soa.id, { status: 'draft', draft_number: draftNumber, submitted_by: null, submitted_at: null });
  // a submitted SoA sent back to draft no longer waits for approval
  await settleWorkTx(tx, deps, actor, {
    scopeId: soa.scope_id,
    recordType: 'soa',
    recordId: soa.id,
    purposes: ['approve'],
    outcome: 'cancelled',
    note: { key: 'tasks:note.soaBackToDraft', params: { soaRef: soa.reference, name: actor.name } },
  });
  await appendAudit(tx, deps, actor, {
    scopeId: soa.scope_id,
    action: 'update',
    recordType: 'soa',
    recordId: soa.id,
    recordRef: soa.reference,
    changes: {
      status: { from: soa.status, to: 'draft' },
      ...(draftNumber !== soa.draft_number && { draftNumber: { from: soa.draft_number, to: draftNumber } }),
    },
  });
}

/** A person's decision on one entry: applicable or excluded, and why (ISO 27001 6.1.3 d). */
export async function updateSoaEntry(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  entryId: string,
  input: { version: number; applicable?: boolean | null | undefined; justification?: string | undefined },
): Promise<SoaEntryResponse> {
  requireScopePermission(actor, scopeId, 'soa:write');
  const lang = actorLanguage(actor);
  return deps.db.transaction().execute(async (tx) => {
    const soa = await lockSoa(tx, deps, scopeId, id);
    const row = await repo.findEntry(tx, scopeId, id, entryId);
    if (!row) throw notFound('Entry');
    const [before] = await withControls(tx, scopeId, soa.catalog_id, [row]);
    if (before!.version !== input.version) {
      throw new AppError('version_conflict', errorText('soa.entryChanged', { label: before!.requirement.label }), {
        details: { current: entryIn(lang, soa.catalog_key, before!) },
      });
    }
    const applicable = input.applicable === undefined ? before!.applicable : input.applicable;
    const justification = input.justification === undefined ? before!.justification : input.justification.trim();
    // back to undecided hands the entry to the pre-fill again; anything else is a human decision (confirming a
    // pre-filled entry as it is makes it one too, so that a refresh leaves it alone)
    const source: DecisionSource | null = applicable === null && !justification ? null : 'user';
    const content = diffChanges(auditableEntry(before!), auditableEntry({ applicable, justification }));
    if (Object.keys(content).length === 0 && source === before!.decisionSource) return entryIn(lang, soa.catalog_key, before!);
    const changes =
      source === before!.decisionSource ? content : { ...content, decisionSource: { from: before!.decisionSource, to: source } };
    const now = isoNow(deps.clock);
    await updateVersioned(tx, 'soa_entry', entryId, before!.version, {
      applicable,
      justification,
      decision_source: source,
      decided_by: actor.userId,
      decided_at: now,
      updated_at: now,
    });
    // what an auditor reads changed: a submitted or approved SoA goes back to draft
    if (Object.keys(content).length > 0) await reopenTx(tx, deps, actor, soa);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'soa_entry',
      recordId: entryId,
      recordRef: `${soa.reference} ${before!.requirement.label}`,
      changes,
    });
    const [after] = await withControls(tx, scopeId, soa.catalog_id, [(await repo.findEntry(tx, scopeId, id, entryId))!]);
    return entryIn(lang, soa.catalog_key, after!);
  });
}

/**
 * Re-applies the pre-fill from the current treatment decisions to every entry a person has not decided; human
 * decisions are never overwritten. Returns the SoA and how many entries changed.
 */
export async function refreshSoa(deps: Deps, actor: Actor, scopeId: string, id: string) {
  requireScopePermission(actor, scopeId, 'soa:write');
  return deps.db.transaction().execute(async (tx) => {
    const soa = await lockSoa(tx, deps, scopeId, id);
    const [entries, links] = await Promise.all([repo.findEntriesForRefresh(tx, id), treatmentLinks(tx, scopeId, soa.catalog_id)]);
    const now = isoNow(deps.clock);
    let updated = 0;
    for (const e of entries) {
      if (!refreshable(e.decision_source as DecisionSource | null)) continue;
      const p = prefill({ withdrawn: toBool(e.withdrawn), controls: links.get(e.requirement_id) ?? [] });
      if (p.applicable === nullableBool(e.applicable) && p.justification === e.justification && p.source === e.decision_source) continue;
      await repo.updateEntryUnchecked(tx, e.id, prefilledColumns(p, now));
      updated += 1;
    }
    if (updated > 0) {
      await reopenTx(tx, deps, actor, soa);
      await appendAudit(tx, deps, actor, {
        scopeId,
        action: 'refresh',
        recordType: 'soa',
        recordId: id,
        recordRef: soa.reference,
        changes: { entriesFromTreatments: { from: null, to: updated } },
      });
    }
    return { soa: (await loadSoa(tx, scopeId, id, actorLanguage(actor)))!, updated };
  });
}

/** The approval is given: the open approval tasks are done, whoever they were assigned to (with audit entries). */
async function completeApprovalTasksTx(tx: Tx, deps: Deps, actor: Actor, soa: repo.SoaRow, number: number, now: string): Promise<void> {
  await settleWorkTx(tx, deps, actor, {
    scopeId: soa.scope_id,
    recordType: 'soa',
    recordId: soa.id,
    purposes: ['approve'],
    outcome: 'done',
    note: { key: 'tasks:note.soaApproved', params: { soaRef: soa.reference, number, name: actor.name } },
  });
  // approval tasks from before tasks named their purpose
  for (const task of await repo.findOpenApprovalTasks(tx, soa.id)) {
    await updateVersioned(tx, 'task', task.id, task.version, { status: 'done', completed_at: now, updated_at: now });
    await appendAudit(tx, deps, actor, {
      scopeId: task.scope_id,
      action: 'update',
      recordType: 'task',
      recordId: task.id,
      recordRef: task.reference,
      changes: { status: { from: task.status, to: 'done' } },
    });
  }
}

/**
 * Refuses a stale `version` or another status than `expected`. The callers answer the conflict with the SoA as it is
 * now, read after the transaction (`lockSoa` has touched it in this one).
 */
function expectState(soa: repo.SoaRow, version: number, expected: SoaStatus) {
  if (soa.version !== version) throw versionConflict(errorText('recordChanged', { reference: soa.reference }));
  if (soa.status !== expected)
    throw new AppError('invalid_state', errorText('soa.wrongStatus', { reference: soa.reference, status: soa.status, expected }));
}

/**
 * Refuses (422) while an applicable entry lacks its justification (ISO 27001 6.1.3 d), naming the entries in the message
 * and listing them (id and label) in `details.entries`, so that a page can link to each.
 */
function refuseUnjustifiedInclusions(entries: readonly SoaEntryResponse[]): void {
  const missing = unjustifiedInclusions(entries);
  if (missing.length === 0) return;
  throw new AppError(
    'unprocessable',
    errorText('soaUnjustifiedInclusions', { entries: missing.map((e) => e.requirement.label).join(', ') }),
    {
      field: 'entries.justification',
      details: { entries: missing.map((e) => ({ id: e.id, label: e.requirement.label, title: e.requirement.title })) },
    },
  );
}

async function requireJustifiedInclusions(tx: Tx, scopeId: string, soa: repo.SoaRow): Promise<void> {
  const rows = (await repo.findAllEntries(tx, scopeId, soa.id)).filter(
    (r) => nullableBool(r.applicable) === true && !r.justification.trim(),
  );
  if (rows.length) refuseUnjustifiedInclusions(await withControls(tx, scopeId, soa.catalog_id, rows));
}

/** Sends the working copy for approval; the risk-treatment process owner gets a task to approve it. */
export async function submitSoa(deps: Deps, actor: Actor, scopeId: string, id: string, input: { version: number }) {
  requireScopePermission(actor, scopeId, 'soa:write');
  const work = deps.db.transaction().execute(async (tx) => {
    const soa = await lockSoa(tx, deps, scopeId, id);
    expectState(soa, input.version, 'draft');
    await requireJustifiedInclusions(tx, scopeId, soa);
    const now = isoNow(deps.clock);
    await updateVersioned(tx, 'soa', id, soa.version, {
      status: 'submitted',
      submitted_by: actor.userId,
      submitted_at: now,
      updated_at: now,
    });
    const scope = await findScope(tx, scopeId);
    const owner = await findProcessOwner(tx, scopeId, 'risk-treatment');
    // one approval task at a time: a resubmission updates the open one
    await openWorkTx(tx, deps, actor, {
      scopeId,
      processKey: 'risk-treatment',
      purpose: 'approve',
      title: { key: 'tasks:title.approveSoa', params: { soaRef: soa.reference, number: soa.draft_number } },
      description: { key: 'tasks:description.approveSoa', params: { title: soa.title } },
      // segregation of duties in the large profile: the submitter does not approve their own SoA
      assigneeId: scope?.profile === 'large' && owner === actor.userId ? null : owner,
      dueOn: null,
      origin: { processKey: 'risk-treatment', recordType: 'soa', recordId: id, recordRef: soa.reference },
    });
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'submit',
      recordType: 'soa',
      recordId: id,
      recordRef: soa.reference,
      changes: { status: { from: 'draft', to: 'submitted' } },
    });
    return (await loadSoa(tx, scopeId, id, actorLanguage(actor)))!;
  });
  return conflictWithCurrent(work, null, () => loadSoa(deps.db, scopeId, id, actorLanguage(actor)));
}

/**
 * Approves the submitted working copy: freezes every entry (with its implementation status and controls) as version N.
 * Refused while an entry is undecided or an exclusion lacks its justification; in the large profile the submitter
 * cannot approve (segregation of duties, ISO 27001 5.3).
 */
export async function approveSoa(deps: Deps, actor: Actor, scopeId: string, id: string, input: { version: number }) {
  requireScopePermission(actor, scopeId, 'soa:approve');
  const work = deps.db.transaction().execute(async (tx) => {
    const soa = await lockSoa(tx, deps, scopeId, id);
    expectState(soa, input.version, 'submitted');
    const scope = await findScope(tx, scopeId);
    if (scope?.profile === 'large' && soa.submitted_by === actor.userId) {
      throw forbidden(errorText('soa.submitterApproves'));
    }
    const entries = await withControls(tx, scopeId, soa.catalog_id, await repo.findAllEntries(tx, scopeId, id), id);
    refuseUnjustifiedInclusions(entries);
    const blockers = approvalBlockers(entries);
    const message = blockersMessage(blockers);
    if (message) throw new AppError('unprocessable', message, { details: { ...blockers } });
    const now = isoNow(deps.clock);
    const number = soa.draft_number;
    await repo.insertVersion(tx, {
      id: newId(),
      soa_id: id,
      number,
      submitted_by: soa.submitted_by,
      submitted_at: soa.submitted_at,
      approved_by: actor.userId,
      approved_at: now,
      entry_count: entries.length,
      applicable_count: entries.filter((e) => e.applicable === true).length,
      excluded_count: entries.filter((e) => e.applicable === false).length,
      entries: JSON.stringify(entries),
    });
    await updateVersioned(tx, 'soa', id, soa.version, { status: 'approved', approved_number: number, updated_at: now });
    await completeApprovalTasksTx(tx, deps, actor, soa, number, now);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'approve',
      recordType: 'soa',
      recordId: id,
      recordRef: soa.reference,
      changes: { status: { from: 'submitted', to: 'approved' }, approvedNumber: { from: soa.approved_number, to: number } },
    });
    await deps.events.emit(tx, actor, 'soa.approved', {
      scopeId,
      soaId: id,
      soaRef: soa.reference,
      number,
      catalogTitle: soa.catalog_title,
    });
    return (await loadSoa(tx, scopeId, id, actorLanguage(actor)))!;
  });
  return conflictWithCurrent(work, null, () => loadSoa(deps.db, scopeId, id, actorLanguage(actor)));
}

// ------------------------------------------------------------------------------------------------ exports

export interface SoaExportData {
  scope: { id: string; name: string; description: string };
  soa: SoaResponse;
  /** the approved version exported, or the working copy's number */
  number: number;
  state: 'approved' | SoaStatus;
  approval: { by: string | null; at: string } | null;
  generatedAt: string;
  entries: SoaEntryResponse[];
}

/** What an export contains: the access check first, then the working copy or an approved version's snapshot. */
export async function loadSoaExport(deps: Deps, actor: Actor, scopeId: string, id: string, versionNumber?: number): Promise<SoaExportData> {
  requireScopePermission(actor, scopeId, 'soa:read');
  const soa = await loadSoa(deps.db, scopeId, id);
  if (!soa) throw notFound('Statement of Applicability');
  const scope = (await findScope(deps.db, scopeId))!;
  const base = {
    scope: { id: scope.id, name: scope.name, description: scope.description },
    soa,
    generatedAt: isoNow(deps.clock),
  };
  if (versionNumber !== undefined) {
    const v = await repo.findVersion(deps.db, id, versionNumber);
    if (!v) throw notFound(`Version ${versionNumber}`);
    return {
      ...base,
      number: v.number,
      state: 'approved',
      approval: { by: v.approver_name, at: v.approved_at },
      entries: JSON.parse(v.entries) as SoaEntryResponse[],
    };
  }
  // every entry with its controls and groups: long reads at a catalog's size (off the main thread on SQLite, db/long-reads.ts)
  const reads = longReads(deps.db);
  const entries = await withControls(reads, scopeId, soa.catalog.id, await repo.findAllEntries(reads, scopeId, id), id);
  const approvedNow = soa.status === 'approved' && soa.approvedNumber !== null;
  let approval: SoaExportData['approval'] = null;
  if (approvedNow) {
    const v = await repo.findVersion(deps.db, id, soa.approvedNumber!);
    approval = v ? { by: v.approver_name, at: v.approved_at } : null;
  }
  return { ...base, number: soa.draftNumber, state: soa.status, approval, entries };
}

export const implementationLabels: Record<ImplementationStatus, string> = {
  not_started: 'Not started',
  planned: 'Planned',
  in_progress: 'In progress',
  implemented: 'Implemented',
  verified: 'Verified',
  not_applicable: 'Not applicable',
};
