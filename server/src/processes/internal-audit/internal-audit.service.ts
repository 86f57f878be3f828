import { listPage } from '../../db/paging.ts';
import { stringify } from 'csv-stringify/sync';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { exportTexts } from '../../i18n/export-texts.ts';
import { annexATitle } from '../../catalogs/iso27001-annex-a.de.ts';
import { fallbackLanguage, translate } from '../../i18n/i18n.ts';
import { type Actor, can, requireScopePermission, roleIn } from '../../auth/actor.ts';
import type { Executor, Tx } from '../../db/database.ts';
import type { InternalAuditItemTable, InternalAuditTable } from './internal-audit.tables.ts';
import { findCurrentCycle, findCycle, listCycles } from '../../isms/cycle/cycle.repository.ts';
import { processKeys } from '../../isms/process-model.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText, invalid, notFound, notMember } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { changeVersionedRecord, type VersionedRecordKind } from '../../shared/versioned-record.ts';
import {
  findControlsOfRequirements,
  findEvidenceByIds,
  findEvidenceOfControls,
  findRiskLevelsOfRequirements,
} from '../control-implementation/index.ts';
import { findCurrentMethod, findScopeProfile, parseMethod } from '../risk-assessment/index.ts';
import { findApprovedSoaApplicable } from '../risk-treatment/index.ts';
import { canMove, coverage, independenceConflicts, recordsResults, suggestFrequency } from './audit-rules.ts';
import { conflictSentence, type Owned, ownedKey, readConflict, shownConflict } from './independence-texts.ts';
import type {
  AuditDetailResponse,
  AuditResponse,
  AuditResult,
  AuditStatus,
  ChecklistItemResponse,
  CreateAuditInput,
  Criteria,
  ListAuditsQuery,
  ProgrammeResponse,
  RecordResultInput,
  UpdateAuditInput,
} from './internal-audit.schemas.ts';
import { handedOffResults } from './internal-audit.schemas.ts';
import * as repo from './internal-audit.repository.ts';
import { clauseGroupTitle, clauseTitle, iso27001Clauses } from './iso27001-clauses.ts';

const userRef = (id: string | null, name: string | null, email: string | null) =>
  id ? { id, name: name ?? '', email: email ?? '' } : null;

function presentAudit(row: repo.AuditRow): AuditResponse {
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    source: row.source,
    externalParty: row.external_party,
    externalOrganisation: row.external_organisation,
    status: row.status,
    leadAuditor: userRef(row.lead_auditor_id, row.lead_name, row.lead_email),
    plannedStart: row.planned_start,
    plannedEnd: row.planned_end,
    cycleNumber: row.cycle_number ?? null,
    findings: Number(row.finding_count ?? 0),
    createdAt: row.created_at,
    version: row.version,
  };
}

const clauseOrder = (c: string) => iso27001Clauses.findIndex((x) => x.clause === c);

/**
 * A generated checklist row's title for a reader: a clause's by the standard's edition in their language, a built-in
 * Annex A control's likewise, a follow-up's from its key. Stored titles are English; an English reader gets them as
 * stored, and so does every row someone typed (findings added beside the checklist).
 */
function checklistTitle(i: repo.ItemRow, lang: string): string {
  if (lang === fallbackLanguage) return i.title;
  if (i.kind === 'clause' && i.clause) return `${i.clause} ${clauseTitle(i.clause, lang) ?? ''}`.trim();
  if (i.kind === 'requirement' && i.requirement_identifier && i.requirement_title !== null) {
    const worded = annexATitle(i.requirement_catalog_key, i.requirement_identifier, i.requirement_title, lang);
    return worded === i.requirement_title ? i.title : `${i.requirement_identifier} ${worded}`;
  }
  if (i.kind === 'follow_up' && i.follow_up_reference && i.follow_up_title !== null)
    return translate(lang, 'exports:audit.followUpOf', { reference: i.follow_up_reference, title: i.follow_up_title }).slice(0, 300);
  return i.title;
}

/** An audit with its criteria, team and checklist; the standard's titles in the reader's language. */
async function loadAudit(db: Executor, scopeId: string, id: string, lang: string = fallbackLanguage): Promise<AuditDetailResponse | null> {
  const row = await repo.findAudit(db, scopeId, id);
  if (!row) return null;
  const [team, criteria, independence, items] = await Promise.all([
    repo.findMembers(db, id),
    repo.findCriteria(db, [id]),
    repo.findIndependence(db, id),
    repo.findItems(db, id),
  ]);
  const requirementIds = criteria.filter((c) => c.kind === 'requirement').map((c) => c.ref);
  const itemRequirementIds = [...new Set(items.map((i) => i.requirement_id).filter((x): x is string => !!x))];
  const sampledIds = [...new Set(items.flatMap((i) => JSON.parse(i.sampled_evidence) as string[]))];
  const [requirements, controls, sampled] = await Promise.all([
    repo.findRequirements(db, scopeId, requirementIds),
    findControlsOfRequirements(db, scopeId, itemRequirementIds),
    findEvidenceByIds(db, scopeId, sampledIds),
  ]);
  const evidence = await findEvidenceOfControls(db, scopeId, [...new Set(controls.map((c) => c.id))]);
  const sampledById = new Map(sampled.map((e) => [e.id, e]));
  const toSample = (requirementId: string | null): ChecklistItemResponse['toSample'] => {
    if (!requirementId) return [];
    const out: ChecklistItemResponse['toSample'] = [];
    for (const c of controls.filter((x) => x.requirement_id === requirementId))
      for (const e of evidence.filter((x) => x.control_id === c.id).slice(0, 5))
        out.push({
          id: e.id,
          reference: e.reference,
          title: e.title,
          control: `${c.reference} ${c.title}`,
          evidenceDate: e.evidence_date,
          validUntil: e.valid_until,
        });
    return out;
  };
  return {
    ...presentAudit(row),
    scope: row.scope_text,
    conclusion: row.conclusion,
    cycleId: row.cycle_id,
    criteria: {
      clauses: criteria
        .filter((c) => c.kind === 'clause')
        .map((c) => ({ clause: c.ref, title: clauseTitle(c.ref, lang) ?? '' }))
        .sort((a, b) => clauseOrder(a.clause) - clauseOrder(b.clause)),
      requirements: requirements.map((r) => ({
        id: r.id,
        identifier: r.identifier,
        title: annexATitle(r.catalog_key, r.identifier, r.title, lang),
      })),
      processes: criteria
        .filter((c) => c.kind === 'process')
        .map((c) => c.ref)
        .sort(),
    },
    team,
    independence: independence.map((j) => ({
      user: j.name ?? '',
      conflict: j.conflict,
      justification: j.justification,
      recordedAt: j.recorded_at,
    })),
    checklist: items.map((i) => ({
      id: i.id,
      position: i.position,
      kind: i.kind,
      clause: i.clause,
      requirement: i.requirement_id
        ? {
            id: i.requirement_id,
            identifier: i.requirement_identifier ?? '',
            title: annexATitle(i.requirement_catalog_key, i.requirement_identifier ?? '', i.requirement_title ?? '', lang),
          }
        : null,
      title: checklistTitle(i, lang),
      result: i.result,
      notes: i.notes,
      sampledEvidence: (JSON.parse(i.sampled_evidence) as string[]).flatMap((e) => {
        const s = sampledById.get(e);
        return s ? [{ id: s.id, reference: s.reference, title: s.title }] : [];
      }),
      toSample: toSample(i.requirement_id),
      finding: i.nc_id
        ? { type: 'nonconformity' as const, id: i.nc_id, reference: i.nc_reference ?? '', status: i.nc_status ?? '' }
        : i.ofi_id
          ? { type: 'improvement_opportunity' as const, id: i.ofi_id, reference: i.ofi_reference ?? '', status: i.ofi_status ?? '' }
          : null,
      followUpOf: i.follow_up_of ? { id: i.follow_up_of, reference: i.follow_up_reference ?? '' } : null,
      recordedBy: i.recorded_by_name ?? null,
      recordedAt: i.recorded_at,
      version: i.version,
    })),
    closedAt: row.closed_at,
    canRecord: false,
    canManage: false,
  };
}

const auditable = (a: AuditDetailResponse) => ({
  title: a.title,
  scope: a.scope,
  source: a.source,
  externalParty: a.externalParty,
  externalOrganisation: a.externalOrganisation,
  status: a.status,
  leadAuditor: a.leadAuditor?.name ?? null,
  team: a.team.map((m) => m.name),
  clauses: a.criteria.clauses.map((c) => c.clause),
  requirements: a.criteria.requirements.map((r) => r.identifier),
  processes: a.criteria.processes,
  plannedStart: a.plannedStart,
  plannedEnd: a.plannedEnd,
  conclusion: a.conclusion,
  independence: a.independence.map((j) => `${j.conflict}: ${j.justification}`),
});

/** An audit as a versioned record, loaded in the reader's language (the trail's changes hold no titles). */
const auditKind = (lang: string): VersionedRecordKind<AuditDetailResponse, 'internal_audit'> => ({
  table: 'internal_audit',
  recordType: 'internal_audit',
  label: 'Audit',
  load: (db, scopeId, id) => loadAudit(db, scopeId, id, lang),
  auditable,
});

/**
 * An audit as the reader gets it: what they may do with it, and its recorded conflicts of independence in their language
 * (loaded as stored, in English, which is also what the audit trail's changes hold).
 */
function withAccess(actor: Actor, scopeId: string, a: AuditDetailResponse, lang: string): AuditDetailResponse {
  const onTeam = a.leadAuditor?.id === actor.userId || a.team.some((m) => m.id === actor.userId);
  return {
    ...a,
    independence: a.independence.map((j) => ({ ...j, conflict: shownConflict(lang, j.conflict, j.user) })),
    canManage: can(actor, scopeId, 'audit-programme:manage'),
    canRecord: can(actor, scopeId, 'audit:record') && (roleIn(actor, scopeId) === 'manager' || onTeam) && a.status !== 'closed',
  };
}

// ---- criteria, team and independence ----

async function checkMember(tx: Tx, scopeId: string, id: string, field: string) {
  if (!(await findMembership(tx, scopeId, id))) throw notMember(field);
}

async function checkCriteria(tx: Tx, scopeId: string, c: Criteria) {
  const processes = new Set<string>(processKeys);
  const unknown = c.processes.find((p) => !processes.has(p));
  if (unknown) throw invalid('body.criteria.processes', errorText('audit.unknownProcess', { process: unknown }));
  const ids = [...new Set(c.requirementIds)];
  const found = await repo.findRequirements(tx, scopeId, ids);
  if (found.length !== ids.length) throw invalid('body.criteria.requirementIds', errorText('audit.requirementNotInScope'));
  return found;
}

/**
 * Objectivity and impartiality (ISO 27001 9.2.2 c): what the lead auditor or a team member owns among the audited
 * processes and the controls of the audited requirements. The large profile refuses; the small one records why.
 */
async function checkIndependence(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  audit: { id: string; source: string },
  team: { leadId: string | null; memberIds: readonly string[] },
  criteria: Criteria,
  justification: string | undefined,
  alreadyJustified: readonly { user_id: string | null; conflict: string }[],
  lang: string,
) {
  if (audit.source !== 'internal') return;
  const auditors = [...new Set([team.leadId, ...team.memberIds].filter((x): x is string => !!x))];
  if (auditors.length === 0) return;
  const [processes, controls] = await Promise.all([
    repo.findProcessOwners(tx, scopeId, criteria.processes),
    findControlsOfRequirements(tx, scopeId, criteria.requirementIds),
  ]);
  const things = new Map<string, Owned>();
  const owned = [
    ...processes.map((p) => ({ ownerId: p.owner_id, ownerName: p.owner_name, thing: { kind: 'process', key: p.process_key } as const })),
    ...controls.map((c) => ({
      ownerId: c.owner_id,
      ownerName: c.owner_name,
      thing: { kind: 'control', reference: c.reference, title: c.title } as const,
    })),
  ].map(({ thing, ...o }) => {
    things.set(ownedKey(thing), thing);
    return { ...o, what: ownedKey(thing) };
  });
  const found = independenceConflicts(auditors, owned);
  // a conflict justified before is the same person owning the same process or control (data, not the sentence: a
  // renamed person or control keeps its justification); a recorded sentence that does not read back is compared as text
  const justified = new Set(
    alreadyJustified.map((j) => {
      const read = readConflict(j.conflict);
      return read ? `${j.user_id} ${ownedKey(read.owned)}` : j.conflict;
    }),
  );
  const said = (o: { name: string; what: string }, language: string) => conflictSentence(language, o.name, things.get(o.what)!);
  const open = found.filter((o) => !justified.has(`${o.userId} ${o.what}`) && !justified.has(said(o, fallbackLanguage)));
  if (open.length === 0) return;
  const conflicts = open.map((o) => said(o, lang)).join('; ');
  const profile = await findScopeProfile(tx, scopeId);
  const details = {
    conflicts: open.map((o) => {
      const thing = things.get(o.what)!;
      return {
        userId: o.userId,
        name: o.name,
        ...(thing.kind === 'process' ? { process: thing.key } : { control: thing.reference }),
        conflict: said(o, lang),
      };
    }),
  };
  if (profile !== 'small')
    throw new AppError('invalid_state', errorText('audit.conflicts', { conflicts }), { field: 'body.teamIds', details });
  if (!justification?.trim())
    throw new AppError('validation_failed', errorText('audit.conflictsJustify', { conflicts }), {
      field: 'body.independenceJustification',
      details,
    });
  const now = isoNow(deps.clock);
  await repo.insertIndependence(
    tx,
    open.map((o) => ({
      id: newId(),
      audit_id: audit.id,
      user_id: o.userId,
      // stored in English, as always: read back and worded for each reader when shown
      conflict: said(o, fallbackLanguage),
      justification: justification.trim(),
      recorded_by: actor.userId,
      recorded_at: now,
    })),
  );
}

/** The checklist rows of the criteria not yet on the checklist: clauses in their order, then requirements in the catalog's. */
async function generateChecklist(
  tx: Tx,
  deps: Deps,
  auditId: string,
  criteria: Criteria,
  requirements: readonly { id: string; identifier: string; title: string }[],
) {
  const existing = await repo.findItems(tx, auditId);
  const hasClause = new Set(existing.filter((i) => i.kind === 'clause').map((i) => i.clause));
  const hasRequirement = new Set(existing.filter((i) => i.kind === 'requirement').map((i) => i.requirement_id));
  let position = await repo.nextPosition(tx, auditId);
  const now = isoNow(deps.clock);
  const row = (
    r: Pick<InternalAuditItemTable, 'kind' | 'clause' | 'requirement_id' | 'follow_up_of' | 'title'>,
  ): InternalAuditItemTable => ({
    id: newId(),
    audit_id: auditId,
    position: position++,
    ...r,
    result: null,
    notes: '',
    sampled_evidence: '[]',
    recorded_by: null,
    recorded_at: null,
    created_at: now,
    updated_at: now,
    version: 1,
  });
  const rows: InternalAuditItemTable[] = [];
  for (const c of [...new Set(criteria.clauses)].sort((a, b) => clauseOrder(a) - clauseOrder(b)))
    if (!hasClause.has(c))
      rows.push(row({ kind: 'clause', clause: c, requirement_id: null, follow_up_of: null, title: `${c} ${clauseTitle(c)}` }));
  for (const r of requirements)
    if (!hasRequirement.has(r.id))
      rows.push(row({ kind: 'requirement', clause: null, requirement_id: r.id, follow_up_of: null, title: `${r.identifier} ${r.title}` }));
  await repo.insertItems(tx, rows);
}

// ---- audits ----

/** The ISMS cycle an audit belongs to: the one its planned start falls in, else the current one. */
async function cycleFor(tx: Tx, scopeId: string, plannedStart: string) {
  const cycles = await listCycles(tx, scopeId);
  return cycles.find((c) => c.starts_on <= plannedStart && plannedStart <= c.ends_on) ?? cycles.find((c) => c.closed_at === null) ?? null;
}

function checkDates(start: string, end: string) {
  if (end < start) throw invalid('body.plannedEnd', errorText('audit.endBeforeStart'));
}

export async function createAudit(deps: Deps, actor: Actor, scopeId: string, input: CreateAuditInput, lang: string = fallbackLanguage) {
  requireScopePermission(actor, scopeId, 'audit-programme:manage');
  checkDates(input.plannedStart, input.plannedEnd);
  if (input.source === 'external' && !input.externalParty) throw invalid('body.externalParty', errorText('audit.externalPartyRequired'));
  if (input.source === 'internal' && input.externalParty) throw invalid('body.externalParty', errorText('audit.externalPartyOnlyExternal'));
  const after = await deps.db.transaction().execute(async (tx) => {
    if (input.leadAuditorId) await checkMember(tx, scopeId, input.leadAuditorId, 'body.leadAuditorId');
    for (const m of input.teamIds) await checkMember(tx, scopeId, m, 'body.teamIds');
    const requirements = await checkCriteria(tx, scopeId, input.criteria);
    const cycle = await cycleFor(tx, scopeId, input.plannedStart);
    const now = isoNow(deps.clock);
    const row: InternalAuditTable = {
      id: newId(),
      scope_id: scopeId,
      cycle_id: cycle?.id ?? null,
      reference: await nextReference(tx, scopeId, input.source === 'internal' ? 'IA' : 'EA'),
      title: input.title,
      scope_text: input.scope,
      source: input.source,
      external_party: input.externalParty,
      external_organisation: input.externalOrganisation,
      status: 'planned',
      lead_auditor_id: input.leadAuditorId,
      planned_start: input.plannedStart,
      planned_end: input.plannedEnd,
      conclusion: '',
      closed_at: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insertAudit(tx, row);
    const memberIds = [...new Set(input.teamIds)].filter((m) => m !== input.leadAuditorId);
    await repo.replaceMembers(tx, row.id, memberIds);
    await repo.replaceCriteria(tx, row.id, criteriaRows(row.id, input.criteria));
    await checkIndependence(
      tx,
      deps,
      actor,
      scopeId,
      row,
      { leadId: input.leadAuditorId, memberIds },
      input.criteria,
      input.independenceJustification,
      [],
      lang,
    );
    await generateChecklist(tx, deps, row.id, input.criteria, requirements);
    const created = (await loadAudit(tx, scopeId, row.id, lang))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'create',
      recordType: 'internal_audit',
      recordId: row.id,
      recordRef: row.reference,
      changes: diffChanges(null, auditable(created)),
    });
    return created;
  });
  return withAccess(actor, scopeId, after, lang);
}

const criteriaRows = (auditId: string, c: Criteria) => [
  ...[...new Set(c.clauses)].map((ref) => ({ audit_id: auditId, kind: 'clause' as const, ref })),
  ...[...new Set(c.requirementIds)].map((ref) => ({ audit_id: auditId, kind: 'requirement' as const, ref })),
  ...[...new Set(c.processes)].map((ref) => ({ audit_id: auditId, kind: 'process' as const, ref })),
];

export async function getAudit(deps: Deps, actor: Actor, scopeId: string, id: string, lang: string = fallbackLanguage) {
  requireScopePermission(actor, scopeId, 'audit-programme:read');
  const a = await loadAudit(deps.db, scopeId, id, lang);
  if (!a) throw notFound('Audit');
  return withAccess(actor, scopeId, a, lang);
}

export async function listAudits(deps: Deps, actor: Actor, scopeId: string, q: ListAuditsQuery) {
  requireScopePermission(actor, scopeId, 'audit-programme:read');
  const { rows, total, capped } = await repo.listAudits(deps.db, scopeId, q);
  return listPage(rows.map(presentAudit), { total, capped }, q);
}

/** The filtered audit list as CSV rows (the permission is checked before the first row is sent). */
export function exportAuditsCsv(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: Omit<ListAuditsQuery, 'page' | 'pageSize'>,
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'audit-programme:read');
  // the headers and words in the language of the user who asks
  const t = exportTexts(lang);
  const columns = [
    'reference',
    'title',
    'source',
    'externalOrganisation',
    'status',
    'leadAuditor',
    'plannedStart',
    'plannedEnd',
    'cycle',
    'findings',
  ];
  return (async function* () {
    yield stringify([columns.map((c) => t(`audit.csv.${c}`))]);
    for (const r of (await repo.allAudits(deps.db, scopeId, q)).map(presentAudit))
      yield stringify([
        [
          r.reference,
          r.title,
          t(r.source === 'internal' ? 'audit.csv.internal' : 'audit.csv.external'),
          r.externalOrganisation,
          t(`audit.status.${r.status}`),
          r.leadAuditor?.name ?? '',
          r.plannedStart,
          r.plannedEnd,
          r.cycleNumber ?? '',
          r.findings,
        ],
      ]);
  })();
}

export async function updateAudit(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: UpdateAuditInput,
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'audit-programme:manage');
  const after = await changeVersionedRecord(
    deps,
    actor,
    auditKind(lang),
    { scopeId, id, version: input.version },
    async (tx, before) => {
      if (before.status === 'closed') throw new AppError('invalid_state', errorText('recordClosed', { reference: before.reference }));
      const start = input.plannedStart ?? before.plannedStart;
      const end = input.plannedEnd ?? before.plannedEnd;
      checkDates(start, end);
      const leadId = input.leadAuditorId !== undefined ? input.leadAuditorId : (before.leadAuditor?.id ?? null);
      if (input.leadAuditorId) await checkMember(tx, scopeId, input.leadAuditorId, 'body.leadAuditorId');
      for (const m of input.teamIds ?? []) await checkMember(tx, scopeId, m, 'body.teamIds');
      const memberIds = [...new Set(input.teamIds ?? before.team.map((m) => m.id))].filter((m) => m !== leadId);
      const criteria: Criteria = input.criteria ?? {
        clauses: before.criteria.clauses.map((c) => c.clause),
        requirementIds: before.criteria.requirements.map((r) => r.id),
        processes: before.criteria.processes,
      };
      if (input.criteria) {
        if (before.status !== 'planned' && before.status !== 'prepared')
          throw new AppError('invalid_state', errorText('audit.criteriaFixed', { reference: before.reference }), {
            field: 'body.criteria',
          });
        const requirements = await checkCriteria(tx, scopeId, input.criteria);
        await repo.replaceCriteria(tx, id, criteriaRows(id, input.criteria));
        await repo.deleteGeneratedItems(tx, id);
        await generateChecklist(tx, deps, id, input.criteria, requirements);
      }
      if (input.teamIds) await repo.replaceMembers(tx, id, memberIds);
      const justified = await repo.findIndependence(tx, id);
      await checkIndependence(
        tx,
        deps,
        actor,
        scopeId,
        before,
        { leadId, memberIds },
        criteria,
        input.independenceJustification,
        justified,
        lang,
      );
      return {
        ...(input.title !== undefined && { title: input.title }),
        ...(input.scope !== undefined && { scope_text: input.scope }),
        ...(input.externalOrganisation !== undefined && { external_organisation: input.externalOrganisation }),
        ...(input.leadAuditorId !== undefined && { lead_auditor_id: input.leadAuditorId }),
        ...(input.plannedStart !== undefined && {
          planned_start: input.plannedStart,
          cycle_id: (await cycleFor(tx, scopeId, input.plannedStart))?.id ?? null,
        }),
        ...(input.plannedEnd !== undefined && { planned_end: input.plannedEnd }),
        ...(input.conclusion !== undefined && { conclusion: input.conclusion }),
      };
    },
    { always: !!(input.criteria || input.teamIds) },
  );
  return withAccess(actor, scopeId, after, lang);
}

/**
 * Moves an audit along planned → prepared → fieldwork → reporting → closed (the programme's manager, or its lead
 * auditor). Preparing adds follow-up rows for the audit nonconformities whose effectiveness is being checked; reporting
 * needs a result on every row.
 */
export async function transitionAudit(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; to: AuditStatus },
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'audit-programme:read');
  const after = await changeVersionedRecord(
    deps,
    actor,
    auditKind(lang),
    { scopeId, id, version: input.version },
    async (tx, before) => {
      const lead = before.leadAuditor?.id === actor.userId && can(actor, scopeId, 'audit:record');
      if (!can(actor, scopeId, 'audit-programme:manage') && !lead) throw new AppError('forbidden', errorText('audit.whoMoves'));
      if (!canMove(before.status, input.to))
        throw new AppError(
          'invalid_state',
          errorText('audit.transition', { reference: before.reference, from: before.status, to: input.to }),
          { field: 'body.to' },
        );
      if (before.source === 'internal' && input.to === 'prepared' && !before.leadAuditor)
        throw new AppError('invalid_state', errorText('audit.leadAuditorFirst', { reference: before.reference }), { field: 'body.to' });
      if (before.status === 'planned' && input.to === 'prepared' && before.source === 'internal') await addFollowUps(tx, deps, scopeId, id);
      if (input.to === 'reporting') {
        const open = before.checklist.filter((i) => i.result === null);
        if (open.length)
          throw new AppError('unprocessable', errorText('audit.openRows', { open: open.length, count: before.checklist.length }), {
            details: { open: open.map((i) => i.title) },
          });
      }
      return { status: input.to, ...(input.to === 'closed' && { closed_at: isoNow(deps.clock) }) };
    },
    { action: 'transition' },
  );
  return withAccess(actor, scopeId, after, lang);
}

async function addFollowUps(tx: Tx, deps: Deps, scopeId: string, auditId: string) {
  const candidates = await repo.findFollowUpCandidates(tx, scopeId);
  if (candidates.length === 0) return;
  let position = await repo.nextPosition(tx, auditId);
  const now = isoNow(deps.clock);
  await repo.insertItems(
    tx,
    candidates.map((c) => ({
      id: newId(),
      audit_id: auditId,
      position: position++,
      kind: 'follow_up' as const,
      clause: c.clause,
      requirement_id: c.requirement_id,
      follow_up_of: c.id,
      title: translate(fallbackLanguage, 'exports:audit.followUpOf', { reference: c.reference, title: c.title }).slice(0, 300),
      result: null,
      notes: '',
      sampled_evidence: '[]',
      recorded_by: null,
      recorded_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
    })),
  );
}

// ---- results ----

async function requireRecorder(tx: Tx, actor: Actor, scopeId: string, auditId: string) {
  requireScopePermission(actor, scopeId, 'audit:record');
  if (roleIn(actor, scopeId) === 'manager') return;
  if (!(await repo.isOnTeam(tx, auditId, actor.userId))) throw new AppError('forbidden', errorText('audit.whoRecords'));
}

const sourceOf = (a: { source: string; externalParty: string | null }) =>
  a.source === 'internal'
    ? ('internal_audit' as const)
    : a.externalParty === 'supplier'
      ? ('supplier_audit' as const)
      : ('external_audit' as const);

function requirementLabel(item: { clause: string | null; requirement: { identifier: string; title: string } | null }) {
  if (item.requirement) return `${item.requirement.identifier} ${item.requirement.title}`;
  if (item.clause) return `ISO/IEC 27001 ${item.clause} ${clauseTitle(item.clause) ?? ''}`.trim();
  return '';
}

async function handOff(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  audit: AuditDetailResponse,
  item: ChecklistItemResponse,
  result: AuditResult,
  notes: string,
) {
  if (!(handedOffResults as readonly string[]).includes(result) || item.finding) return;
  const firstLine = notes.trim().split('\n')[0]?.trim() ?? '';
  await deps.events.emit(tx, actor, 'audit.finding-recorded', {
    scopeId,
    auditId: audit.id,
    auditRef: audit.reference,
    itemId: item.id,
    itemRef: `${audit.reference} #${item.position}`,
    source: sourceOf(audit),
    result: result as (typeof handedOffResults)[number],
    title: (firstLine || item.title).slice(0, 300),
    description: `${audit.reference} ${audit.title}, ${item.title}${notes.trim() ? `\n\n${notes.trim()}` : ''}`,
    requirement: requirementLabel(item),
  });
}

/**
 * Records the result of a checklist row (the audit team, or a manager). A nonconformity or an opportunity goes to
 * improvement in the same transaction; once raised, the row's result stays (the finding is handled there).
 */
export async function recordResult(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  auditId: string,
  itemId: string,
  input: RecordResultInput,
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'audit:record');
  const after = await deps.db.transaction().execute(async (tx) => {
    const audit = await loadAudit(tx, scopeId, auditId);
    if (!audit) throw notFound('Audit');
    await requireRecorder(tx, actor, scopeId, auditId);
    const item = audit.checklist.find((i) => i.id === itemId);
    if (!item) throw notFound('Checklist row');
    if (!recordsResults(audit.status))
      throw new AppError('invalid_state', errorText('audit.resultsWhen', { reference: audit.reference, status: audit.status }));
    if (item.version !== input.version)
      throw new AppError('version_conflict', errorText('audit.rowChanged', { position: item.position, reference: audit.reference }), {
        details: { current: item },
      });
    if (item.finding && item.result !== input.result)
      throw new AppError('invalid_state', errorText('audit.rowRaisedFinding', { finding: item.finding.reference }), {
        field: 'body.result',
      });
    const evidence = [...new Set(input.sampledEvidenceIds)];
    if ((await findEvidenceByIds(tx, scopeId, evidence)).length !== evidence.length)
      throw invalid('body.sampledEvidenceIds', errorText('audit.evidenceNotInScope'));
    const now = isoNow(deps.clock);
    const ok = await repo.updateItem(tx, itemId, item.version, {
      result: input.result,
      notes: input.notes,
      sampled_evidence: JSON.stringify(evidence),
      recorded_by: actor.userId,
      recorded_at: now,
      updated_at: now,
    });
    if (!ok)
      throw new AppError('version_conflict', errorText('audit.rowChanged', { position: item.position, reference: audit.reference }), {
        details: { current: item },
      });
    await handOff(tx, deps, actor, scopeId, audit, item, input.result, input.notes);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'record-result',
      recordType: 'internal_audit',
      recordId: auditId,
      recordRef: `${audit.reference} #${item.position}`,
      changes: diffChanges(
        { result: item.result, notes: item.notes, sampledEvidence: item.sampledEvidence.map((e) => e.reference) },
        { result: input.result, notes: input.notes, sampledEvidence: evidence.length },
      ),
    });
    // the answer in the reader's language (the hand-off above words what it stores in English)
    return (await loadAudit(tx, scopeId, auditId, lang))!;
  });
  return withAccess(actor, scopeId, after, lang);
}

/**
 * Adds a finding outside the generated checklist: one of an external audit report (certification body, customer,
 * supplier), taken over as it was reported, or one the team found beside the checklist. It enters the same flow.
 */
export async function addFinding(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  auditId: string,
  input: { title: string; clause: string | null; requirementId: string | null; result: AuditResult; notes: string },
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'audit:record');
  const after = await deps.db.transaction().execute(async (tx) => {
    const audit = await loadAudit(tx, scopeId, auditId);
    if (!audit) throw notFound('Audit');
    await requireRecorder(tx, actor, scopeId, auditId);
    if (audit.status === 'closed') throw new AppError('invalid_state', errorText('recordClosed', { reference: audit.reference }));
    if (audit.source === 'internal' && !recordsResults(audit.status))
      throw new AppError('invalid_state', errorText('audit.findingsWhen', { reference: audit.reference, status: audit.status }));
    if (input.requirementId && (await repo.findRequirements(tx, scopeId, [input.requirementId])).length === 0)
      throw invalid('body.requirementId', errorText('audit.requirementNotInCatalog'));
    const now = isoNow(deps.clock);
    const row: InternalAuditItemTable = {
      id: newId(),
      audit_id: auditId,
      position: await repo.nextPosition(tx, auditId),
      kind: 'finding',
      clause: input.clause,
      requirement_id: input.requirementId,
      follow_up_of: null,
      title: input.title,
      result: input.result,
      notes: input.notes,
      sampled_evidence: '[]',
      recorded_by: actor.userId,
      recorded_at: now,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insertItems(tx, [row]);
    const item = (await loadAudit(tx, scopeId, auditId))!.checklist.find((i) => i.id === row.id)!;
    await handOff(tx, deps, actor, scopeId, audit, item, input.result, input.notes);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'add-finding',
      recordType: 'internal_audit',
      recordId: auditId,
      recordRef: `${audit.reference} #${row.position}`,
      changes: diffChanges(null, {
        title: row.title,
        clause: row.clause,
        requirement: requirementLabel(item),
        result: row.result,
        notes: row.notes,
      }),
    });
    // the answer in the reader's language (the hand-off above words what it stores in English)
    return (await loadAudit(tx, scopeId, auditId, lang))!;
  });
  return withAccess(actor, scopeId, after, lang);
}

// ---- programme ----

/**
 * The audit programme of an ISMS cycle (ISO 27001 9.2.2): its audits, their coverage of clauses 4–10 and of the
 * applicable controls of the approved SoA, what stays uncovered, and a suggested frequency per area.
 */
export async function getProgramme(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { cycleId?: string | undefined },
  lang: string = fallbackLanguage,
): Promise<ProgrammeResponse> {
  requireScopePermission(actor, scopeId, 'audit-programme:read');
  const db = deps.db;
  const cycle = q.cycleId ? await findCycle(db, scopeId, q.cycleId) : await findCurrentCycle(db, scopeId);
  if (q.cycleId && !cycle) throw notFound('ISMS cycle');
  const [audits, soa, owners, riskLevels, pastFindings, methodRow] = await Promise.all([
    cycle ? repo.allAudits(db, scopeId, { cycleId: cycle.id }) : Promise.resolve([]),
    findApprovedSoaApplicable(db, scopeId),
    repo.findProcessOwners(db, scopeId, ['internal-audit']),
    findRiskLevelsOfRequirements(db, scopeId),
    repo.findPastFindings(db, scopeId),
    findCurrentMethod(db, scopeId),
  ]);
  const criteria = await repo.findCriteria(
    db,
    audits.map((a) => a.id),
  );
  const coverOf = (kind: 'clause' | 'requirement') =>
    audits.map((a) => ({
      reference: a.reference,
      covers: new Set(criteria.filter((c) => c.audit_id === a.id && c.kind === kind).map((c) => c.ref)),
    }));
  const clauses = coverage(
    iso27001Clauses.map((c) => c.clause),
    coverOf('clause'),
  );
  const controlsList = soa?.requirements ?? [];
  const controls = coverage(
    controlsList.map((r) => r.id),
    coverOf('requirement'),
  );

  // frequency per area: each clause group 4–10, and each group of controls of the SoA
  const method = methodRow ? parseMethod(methodRow.definition) : null;
  const levelOf = new Map((method?.levels ?? []).map((l) => [l.key, l]));
  const areaOfRequirement = new Map(controlsList.map((r) => [r.id, r.group?.identifier ?? r.identifier]));
  type Acc = { majors: number; minors: number; rank: number | null; level?: string };
  const areas = new Map<string, { title: string; acc: Acc }>();
  for (const c of iso27001Clauses) {
    const top = c.clause.split('.')[0]!;
    if (!areas.has(top))
      areas.set(top, {
        title: translate(lang, 'exports:audit.clauseGroup', { clause: top, title: clauseGroupTitle(top, lang) }),
        acc: { majors: 0, minors: 0, rank: null },
      });
  }
  for (const r of controlsList) {
    const key = r.group?.identifier ?? r.identifier;
    if (!areas.has(key))
      areas.set(key, {
        title: r.group ? `${r.group.identifier} ${r.group.title}` : `${r.identifier} ${r.title}`,
        acc: { majors: 0, minors: 0, rank: null },
      });
  }
  for (const f of pastFindings) {
    const key = f.clause ? f.clause.split('.')[0]! : f.requirement_id ? areaOfRequirement.get(f.requirement_id) : undefined;
    const area = key ? areas.get(key) : undefined;
    if (!area) continue;
    if (f.result === 'major_nonconformity') area.acc.majors += Number(f.n);
    else area.acc.minors += Number(f.n);
  }
  for (const r of riskLevels) {
    const key = areaOfRequirement.get(r.requirement_id);
    const level = r.current_level ? levelOf.get(r.current_level) : undefined;
    const area = key ? areas.get(key) : undefined;
    if (!area || !level) continue;
    if (area.acc.rank === null || level.order > area.acc.rank) {
      area.acc.rank = level.order;
      area.acc.level = level.label;
    }
  }
  const levelCount = method?.levels.length ?? 0;
  const ownerRow = owners[0];
  return {
    cycle: cycle ? { id: cycle.id, number: cycle.number, startsOn: cycle.starts_on, endsOn: cycle.ends_on } : null,
    owner: ownerRow?.owner_id ? { id: ownerRow.owner_id, name: ownerRow.owner_name ?? '', email: ownerRow.owner_email ?? '' } : null,
    audits: audits.map(presentAudit),
    clauses: iso27001Clauses.map((c) => ({
      clause: c.clause,
      title: clauseTitle(c.clause, lang) ?? c.title,
      audits: clauses.by.get(c.clause) ?? [],
    })),
    soa: soa ? { reference: soa.reference, versionNumber: soa.versionNumber, approvedAt: soa.approvedAt } : null,
    controls: controlsList.map((r) => ({
      id: r.id,
      identifier: r.identifier,
      title: r.title,
      area: r.group?.identifier ?? null,
      audits: controls.by.get(r.id) ?? [],
    })),
    uncovered: {
      clauses: clauses.uncovered,
      controls: controls.uncovered.map((id) => controlsList.find((r) => r.id === id)!.identifier),
    },
    areas: [...areas.entries()].map(([area, { title, acc }]) => {
      const s = suggestFrequency({ riskRank: acc.rank, riskLevel: acc.level, levelCount, majors: acc.majors, minors: acc.minors });
      return { area, title, frequency: s.frequency, reasons: s.reasons };
    }),
  };
}

// ---- read model for management review (ISO 27001 9.3.2 d 3) ----

const dayStart = (d: string) => (d.length === 10 ? `${d}T00:00:00.000Z` : d);
const dayAfter = (d: string) => {
  if (d.length !== 10) return d;
  const t = new Date(`${d}T00:00:00.000Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString();
};

/**
 * Audit results for a period (dates YYYY-MM-DD, both included, or ISO instants with `to` excluded): audits closed,
 * results recorded by kind, and the nonconformities raised by audits that are still open today.
 */
export async function auditSummary(db: Executor, scopeId: string, period: { from: string; to: string }) {
  const s = await repo.summary(db, scopeId, dayStart(period.from), dayAfter(period.to));
  const findings: Record<AuditResult, number> = {
    conforming: 0,
    major_nonconformity: 0,
    minor_nonconformity: 0,
    observation: 0,
    opportunity: 0,
  };
  for (const f of s.findings) if (f.result) findings[f.result] = Number(f.n);
  return { auditsHeld: s.held, findings, openNonconformities: s.open };
}

export { loadAudit };
