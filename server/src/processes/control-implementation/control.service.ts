import { listPage } from '../../db/paging.ts';
import { stringify } from 'csv-stringify/sync';
import { csvCell } from '../../shared/csv.ts';
import { exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, actorLanguage, requireScopePermission } from '../../auth/actor.ts';
import { annexACatalogTitle, annexATitle } from '../../catalogs/iso27001-annex-a.de.ts';
import { countVisibleRequirements } from '../../catalogs/catalog.repository.ts';
import { toBool } from '../../db/column.ts';
import type { Executor, Tx } from '../../db/database.ts';
import { longReads } from '../../db/long-reads.ts';
import type { ControlTable } from './control-implementation.tables.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, conflictInWords, conflictWithCurrent, errorText, invalid, notFound } from '../../shared/errors.ts';
import { issueError } from '../../shared/zod-issue.ts';
import { checkDueNotBeforeCreation, checkNotInFuture } from '../../shared/date-rules.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import {
  auditCreatedRecord,
  changeVersionedRecordTx,
  deleteVersionedRecord,
  type VersionedRecordKind,
} from '../../shared/versioned-record.ts';
import { settleWorkByPurposeTx, settleWorkTx } from '../../work/work.ts';
import {
  type ControlDetailResponse,
  type ControlResponse,
  type ControlStatus,
  type CreateControlInput,
  createControlBody,
  doneStatuses,
  type ListControlsQuery,
  type UpdateControlInput,
} from './control.schemas.ts';
import * as repo from './control.repository.ts';

/** Today's calendar date (UTC) by the injected clock. */
export const todayOf = (deps: Pick<Deps, 'clock'>): string => deps.clock.now().toISOString().slice(0, 10);

/** A control is overdue when its due date has passed and it is not yet implemented, verified or not applicable. */
export function isOverdue(control: { status: ControlStatus; dueOn: string | null }, today: string): boolean {
  return control.dueOn !== null && control.dueOn < today && !doneStatuses.includes(control.status);
}

const isImplemented = (status: string) => status === 'implemented' || status === 'verified';

/**
 * Dates that cannot hold together with the rest of the control: an implementation day after today, or one on a control
 * that is not implemented or verified, and a due date before the day the control was created. Only the dates given are
 * checked, so that an older control can still be edited.
 */
function checkControlDates(
  input: { dueOn?: string | null | undefined; implementedOn?: string | null | undefined },
  /** the dates that differ from the stored ones (on create: the input) */
  changed: { dueOn?: string | null | undefined; implementedOn?: string | null | undefined },
  status: ControlStatus,
  createdAt: string,
  today: string,
) {
  checkNotInFuture('body.implementedOn', changed.implementedOn, today);
  if (input.implementedOn && !isImplemented(status)) throw invalid('body.implementedOn', errorText('control.implementedWhileOpen'));
  checkDueNotBeforeCreation('body.dueOn', changed.dueOn, createdAt);
}

/** The first verification of a control implemented on `day`: a year later (29 February → 28 February). */
export function firstVerificationOn(day: string): string {
  const monthDay = day.slice(5, 10) === '02-29' ? '02-28' : day.slice(5, 10);
  return `${Number(day.slice(0, 4)) + 1}-${monthDay}`;
}

/** Evidence is expired when its validity ended before today (ISO 27001 7.5.3: documented information kept current). */
export function isExpired(validUntil: string | null, today: string): boolean {
  return validUntil !== null && validUntil < today;
}

export function presentControl(row: repo.ControlRow, today: string): ControlResponse {
  const dueOn = row.due_on;
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    title: row.title,
    description: row.description,
    owner: row.owner_id ? { id: row.owner_id, name: row.owner_name ?? '', email: row.owner_email ?? '' } : null,
    status: row.status,
    effectiveness: row.effectiveness,
    costEstimate: row.cost_estimate === null ? null : Number(row.cost_estimate),
    dueOn,
    implementedOn: row.implemented_on,
    nextVerificationOn: row.next_verification_on,
    lastVerifiedOn: row.last_verified_on,
    verificationOverdue: row.next_verification_on !== null && row.next_verification_on < today,
    overdue: isOverdue({ status: row.status, dueOn }, today),
    requirementCount: Number(row.requirement_count ?? 0),
    riskCount: Number(row.risk_count ?? 0),
    evidenceCount: Number(row.evidence_count ?? 0),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

/**
 * The catalog key of a linked requirement, kept off the API's response under a symbol, so that a control read once can
 * be worded for a reader in memory (`controlIn`).
 */
const catalogKeyOf = Symbol('catalogKey');
type LinkedRequirement = ControlDetailResponse['requirements'][number] & { [catalogKeyOf]?: string };

/**
 * A control in a reader's words: the built-in Annex A catalog's titles of its requirements in that language, from the
 * stored (English) titles the control was read with. No statement: the catalog keys came with the control.
 */
export function controlIn(c: ControlDetailResponse, lang: string): ControlDetailResponse {
  if (lang === fallbackLanguage) return c;
  return {
    ...c,
    requirements: c.requirements.map((r: LinkedRequirement) => {
      const key = r[catalogKeyOf];
      return { ...r, catalogTitle: annexACatalogTitle(key, r.catalogTitle, lang), title: annexATitle(key, r.identifier, r.title, lang) };
    }),
  };
}

/**
 * A control as presented. With a reader's `lang`, the built-in Annex A catalog's titles of its requirements are in that
 * language; without one, the stored (English) titles, which is what the audit trail compares.
 */
async function loadDetail(db: Executor, scopeId: string, id: string, today: string, lang?: string): Promise<ControlDetailResponse | null> {
  const row = await repo.findControl(db, scopeId, id, today);
  if (!row) return null;
  const links = await repo.findLinks(db, id);
  const control: ControlDetailResponse = {
    ...presentControl(row, today),
    requirements: links.requirements.map(
      (r): LinkedRequirement => ({
        id: r.id,
        catalogId: r.catalog_id,
        catalogTitle: r.catalog_title,
        identifier: r.identifier,
        label: r.label,
        title: r.title,
        withdrawn: toBool(r.withdrawn),
        [catalogKeyOf]: r.catalog_key,
      }),
    ),
    risks: links.risks.map((r) => ({ id: r.id, reference: r.reference, title: r.title, status: r.status, level: r.current_level })),
    evidence: links.evidence.map((e) => ({
      id: e.id,
      reference: e.reference,
      title: e.title,
      kind: e.kind,
      evidenceDate: e.evidence_date,
      validUntil: e.valid_until,
      expired: isExpired(e.valid_until, today),
    })),
  };
  return lang ? controlIn(control, lang) : control;
}

function controlKind(deps: Deps): VersionedRecordKind<ControlDetailResponse, 'control'> {
  const today = todayOf(deps);
  return { table: 'control', recordType: 'control', label: 'Control', load: (db, s, i) => loadDetail(db, s, i, today), auditable };
}

/** The fields the audit trail records for a control. */
function auditable(c: ControlDetailResponse) {
  return {
    title: c.title,
    description: c.description,
    ownerId: c.owner?.id ?? null,
    status: c.status,
    effectiveness: c.effectiveness,
    costEstimate: c.costEstimate,
    dueOn: c.dueOn,
    implementedOn: c.implementedOn,
    nextVerificationOn: c.nextVerificationOn,
    requirements: c.requirements.map((r) => `${r.catalogTitle} ${r.label}`),
    risks: c.risks.map((r) => r.reference),
  };
}

/** Owner must be a member; requirements from catalogs the scope sees; risks of this scope only (others: 404). */
async function validateLinks(
  tx: Tx,
  scopeId: string,
  input: { ownerId?: string | null | undefined; requirementIds?: string[] | undefined; riskIds?: string[] | undefined },
) {
  if (input.ownerId && !(await findMembership(tx, scopeId, input.ownerId))) {
    throw invalid('body.ownerId', errorText('ownerNotMember'));
  }
  if (input.requirementIds?.length) {
    const unique = [...new Set(input.requirementIds)];
    if ((await countVisibleRequirements(tx, scopeId, unique)) !== unique.length) {
      throw new AppError('not_found', errorText('control.requirementNotFound'), {
        field: 'body.requirementIds',
      });
    }
  }
  if (input.riskIds?.length) {
    const unique = [...new Set(input.riskIds)];
    if ((await repo.countRisksInScope(tx, scopeId, unique)) !== unique.length) {
      throw new AppError('not_found', errorText('control.riskNotFound'), { field: 'body.riskIds' });
    }
  }
}

/**
 * Creates a control in the scope's library (ISO 27001 6.1.3 b, 8.3) inside the caller's transaction: reference
 * CTL-0001, links to requirements and risks, audit entry. The caller has checked its own permission (e.g.
 * control:write, or treatment:write when a treatment decision selects a control). Input is validated here too
 * (defaults applied; 400 naming the field; 404 for a requirement or risk the scope cannot see). Returns the detail.
 */
export async function createControlTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  scopeId: string,
  input: CreateControlInput,
): Promise<ControlDetailResponse> {
  const parsed = createControlBody.safeParse(input);
  if (!parsed.success) throw issueError(parsed.error.issues[0]!, 'body', input);
  const data = parsed.data;
  const now = isoNow(deps.clock);
  checkControlDates(data, data, data.status, now, todayOf(deps));
  await validateLinks(tx, scopeId, data);
  const row: ControlTable = {
    id: newId(),
    scope_id: scopeId,
    reference: await nextReference(tx, scopeId, 'CTL'),
    title: data.title,
    description: data.description,
    owner_id: data.ownerId,
    status: data.status,
    effectiveness: data.effectiveness,
    cost_estimate: data.costEstimate,
    due_on: data.dueOn,
    implemented_on: data.implementedOn ?? (isImplemented(data.status) ? todayOf(deps) : null),
    next_verification_on: data.nextVerificationOn ?? (isImplemented(data.status) ? firstVerificationOn(todayOf(deps)) : null),
    last_verified_on: null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await repo.insertControl(tx, row);
  await repo.replaceRequirements(tx, row.id, [...new Set(data.requirementIds)]);
  await repo.replaceRisks(tx, row.id, [...new Set(data.riskIds)]);
  return auditCreatedRecord(tx, deps, actor, controlKind(deps), { scopeId, id: row.id });
}

/**
 * Adds links from an existing control to requirements and/or risks inside the caller's transaction (links that exist
 * are kept), bumps the control's version and records the change. For risk treatment selecting an existing control.
 */
export async function addControlLinksTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  scopeId: string,
  controlId: string,
  links: { requirementIds?: string[]; riskIds?: string[] },
): Promise<ControlDetailResponse> {
  const today = todayOf(deps);
  const before = await loadDetail(tx, scopeId, controlId, today);
  if (!before) throw notFound('Control');
  await validateLinks(tx, scopeId, links);
  await repo.addRequirementLinks(tx, controlId, [...new Set(links.requirementIds ?? [])]);
  await repo.addRiskLinks(tx, controlId, [...new Set(links.riskIds ?? [])]);
  const mid = (await loadDetail(tx, scopeId, controlId, today))!;
  const changes = diffChanges(auditable(before), auditable(mid));
  if (Object.keys(changes).length === 0) return before;
  await updateVersioned(tx, 'control', controlId, before.version, { updated_at: isoNow(deps.clock) });
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'update',
    recordType: 'control',
    recordId: controlId,
    recordRef: before.reference,
    changes,
  });
  return (await loadDetail(tx, scopeId, controlId, today))!;
}

/** Reads a control of the scope inside a transaction (null when the scope has no such control). */
export async function findControlTx(tx: Executor, deps: Deps, scopeId: string, id: string): Promise<ControlDetailResponse | null> {
  return loadDetail(tx, scopeId, id, todayOf(deps));
}

export async function createControl(deps: Deps, actor: Actor, scopeId: string, input: CreateControlInput): Promise<ControlDetailResponse> {
  requireScopePermission(actor, scopeId, 'control:write');
  const created = await deps.db.transaction().execute((tx) => createControlTx(tx, deps, actor, scopeId, input));
  // the built-in catalog's titles in the actor's language, from the control as written (no second read)
  return controlIn(created, actorLanguage(actor));
}

export async function getControl(deps: Deps, actor: Actor, scopeId: string, id: string): Promise<ControlDetailResponse> {
  requireScopePermission(actor, scopeId, 'control:read');
  const control = await loadDetail(deps.db, scopeId, id, todayOf(deps), actorLanguage(actor));
  if (!control) throw notFound('Control');
  return control;
}

export async function listControls(deps: Deps, actor: Actor, scopeId: string, query: ListControlsQuery) {
  requireScopePermission(actor, scopeId, 'control:read');
  const today = todayOf(deps);
  const { rows, total, capped } = await repo.listControls(deps.db, scopeId, query, today);
  return listPage(
    rows.map((r) => presentControl(r, today)),
    { total, capped },
    query,
  );
}

export async function updateControl(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: UpdateControlInput,
): Promise<ControlDetailResponse> {
  requireScopePermission(actor, scopeId, 'control:write');
  const lang = actorLanguage(actor);
  const work = deps.db.transaction().execute((tx) => updateControlTx(tx, deps, actor, scopeId, id, input));
  // someone who saved between the check and the write: 409 with the control as it is now; either way in the actor's words
  const updated = await conflictInWords(
    conflictWithCurrent(work, null, () => loadDetail(deps.db, scopeId, id, todayOf(deps), lang)),
    (c) => controlIn(c, lang),
  );
  return controlIn(updated, lang);
}

/** updateControl inside the caller's transaction (the permission checked by the caller): the same rules, links, work and audit entry. */
export async function updateControlTx(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: UpdateControlInput,
): Promise<ControlDetailResponse> {
  const today = todayOf(deps);
  return changeVersionedRecordTx(
    tx,
    deps,
    actor,
    controlKind(deps),
    { scopeId, id, version: input.version },
    async (tx, before) => {
      const status = input.status ?? before.status;
      checkControlDates(
        input,
        {
          dueOn: input.dueOn !== before.dueOn ? input.dueOn : undefined,
          implementedOn: input.implementedOn !== before.implementedOn ? input.implementedOn : undefined,
        },
        status,
        before.createdAt,
        today,
      );
      await validateLinks(tx, scopeId, input);
      const patch: Partial<ControlTable> = {};
      if (input.title !== undefined) patch.title = input.title;
      if (input.description !== undefined) patch.description = input.description;
      if (input.ownerId !== undefined) patch.owner_id = input.ownerId;
      if (input.status !== undefined) patch.status = input.status;
      if (input.effectiveness !== undefined) patch.effectiveness = input.effectiveness;
      if (input.costEstimate !== undefined) patch.cost_estimate = input.costEstimate;
      if (input.dueOn !== undefined) patch.due_on = input.dueOn;
      if (input.implementedOn !== undefined) patch.implemented_on = input.implementedOn;
      if (input.nextVerificationOn !== undefined) patch.next_verification_on = input.nextVerificationOn;
      // a control that is no longer implemented has no day of implementation
      if (!isImplemented(status) && input.implementedOn === undefined && before.implementedOn !== null) patch.implemented_on = null;
      // an implemented control is verified a year later, unless the user planned the verification
      if (input.status && isImplemented(input.status) && input.nextVerificationOn === undefined && before.nextVerificationOn === null) {
        patch.next_verification_on = firstVerificationOn(today);
      }
      // reaching "implemented" (or "verified") records the day, unless the user gave it
      if (input.status && isImplemented(input.status) && input.implementedOn === undefined && before.implementedOn === null) {
        patch.implemented_on = today;
      }
      if (input.requirementIds) await repo.replaceRequirements(tx, id, [...new Set(input.requirementIds)]);
      if (input.riskIds) await repo.replaceRisks(tx, id, [...new Set(input.riskIds)]);
      // the implementation tasks that risk treatments handed over are done once the control is implemented
      if (input.status && isImplemented(input.status) && !isImplemented(before.status))
        await settleWorkByPurposeTx(tx, deps, actor, {
          scopeId,
          purpose: `implement:${id}`,
          outcome: 'done',
          note: { key: 'tasks:note.controlImplemented', params: { controlRef: before.reference, name: actor.name } },
        });
      return patch;
    },
    { conflictSinceOpened: true, always: true },
  );
}

export async function deleteControl(deps: Deps, actor: Actor, scopeId: string, id: string, version: number): Promise<void> {
  requireScopePermission(actor, scopeId, 'control:delete');
  const work = deleteVersionedRecord(deps, actor, controlKind(deps), { scopeId, id, version }, async (tx, controlId, v) => {
    const reference = (await repo.findControl(tx, scopeId, controlId, todayOf(deps)))?.reference ?? '';
    if (!(await repo.deleteControl(tx, controlId, v))) return false;
    // the work handed over for the control goes with it
    const note = { key: 'tasks:note.controlDeleted', params: { controlRef: reference, name: actor.name } };
    await settleWorkByPurposeTx(tx, deps, actor, { scopeId, purpose: `implement:${controlId}`, outcome: 'cancelled', note });
    await settleWorkTx(tx, deps, actor, { scopeId, recordType: 'control', recordId: controlId, outcome: 'cancelled', note });
    return true;
  });
  await conflictInWords(work, (c: ControlDetailResponse) => controlIn(c, actorLanguage(actor)));
}

const csvColumns = [
  'reference',
  'title',
  'status',
  'effectiveness',
  'owner',
  'owner_email',
  'due_on',
  'implemented_on',
  'next_verification_on',
  'last_verified_on',
  'overdue',
  'cost_estimate',
  'requirements',
  'risks',
  'evidence',
  'description',
  'updated_at',
];

/**
 * The name each linkable requirement has in the control CSV, so that the control import reads it back
 * (control.import.ts): its label (Annex A's "A.5.1"), or "<catalog key> <label>" where the label alone would name more
 * than one requirement of the scope's catalogs (the import matches labels and identifiers, case-insensitively).
 */
function requirementNames(rows: Awaited<ReturnType<typeof repo.findLinkableRequirementNames>>): Map<string, string> {
  const key = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');
  const named = new Map<string, Set<string>>();
  for (const r of rows) for (const k of [r.label, r.identifier]) named.set(key(k), (named.get(key(k)) ?? new Set()).add(r.id));
  return new Map(rows.map((r) => [r.id, named.get(key(r.label))!.size === 1 ? r.label : `${r.key} ${r.label}`]));
}

/**
 * CSV of every control matching the list filters, batch by batch; formula-like cells are neutralised. The requirements
 * and risks columns name the linked requirements (see requirementNames) and the risks' references, separated by "; ",
 * so that the control import reads the file back as it is; two statements per batch read them.
 */
export function exportControlsCsv(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  query: Omit<ListControlsQuery, 'page' | 'pageSize'>,
  lang: string = fallbackLanguage,
): AsyncIterable<string> {
  requireScopePermission(actor, scopeId, 'control:read');
  const today = todayOf(deps);
  // headers and words in the language of the user who asks (the English ones are the columns' and values' codes)
  const t = exportTexts(lang);
  const safe = csvCell;
  // the batches are long reads: off the main thread on SQLite (db/long-reads.ts)
  const reads = longReads(deps.db);
  return (async function* () {
    const names = requirementNames(await repo.findLinkableRequirementNames(reads, scopeId));
    yield stringify([csvColumns.map((c) => t(`control.column.${c}`))]);
    for await (const rows of repo.iterateControls(reads, scopeId, query, today)) {
      const links = await repo.findExportLinks(
        reads,
        rows.map((r) => r.id),
      );
      yield stringify(
        rows.map((r) => {
          const c = presentControl(r, today);
          return [
            c.reference,
            c.title,
            t(`control.status.${c.status}`),
            t(`control.effectiveness.${c.effectiveness}`),
            c.owner?.name ?? '',
            c.owner?.email ?? '',
            c.dueOn ?? '',
            c.implementedOn ?? '',
            c.nextVerificationOn ?? '',
            c.lastVerifiedOn ?? '',
            t(c.overdue ? 'control.yes' : 'control.no'),
            c.costEstimate === null ? '' : String(c.costEstimate),
            (links.requirements.get(r.id) ?? []).map((q) => names.get(q.id) ?? q.label).join('; '),
            (links.risks.get(r.id) ?? []).join('; '),
            String(c.evidenceCount),
            c.description,
            c.updatedAt,
          ].map(safe);
        }),
      );
    }
  })();
}
