import { listPage } from '../../db/paging.ts';
import { stringify } from 'csv-stringify/sync';
import { csvCell } from '../../shared/csv.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, actorLanguage, requireScopePermission } from '../../auth/actor.ts';
import { toBool } from '../../db/column.ts';
import type { Executor, Tx } from '../../db/database.ts';
import { longReads } from '../../db/long-reads.ts';
import { exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { wordedOnce } from '../../i18n/worded-once.ts';
import type { RiskTable } from './risk-assessment.tables.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, conflictInWords, conflictWithCurrent, errorText, invalid, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { deleteVersionedRecord, loadVersionedRecord, type VersionedRecordKind } from '../../shared/versioned-record.ts';
import { findOpenWorkOfRecords, settleWorkTx } from '../../work/work.ts';
import { countAssetsInScope } from '../asset-management/index.ts';
import * as treatmentRepo from '../risk-treatment/index.ts';
import { threatTitle } from './bsi-elementary-threats.de.ts';
import { levelLabelIn, methodIn } from './risk-method.texts.ts';
import * as methodRepo from './risk-method.repository.ts';
import { currentOf, ensureCurrentMethodTx, loadMethods, type StoredMethod, toStoredMethod } from './risk-method.service.ts';
import {
  acceptanceFor,
  findLevel,
  impactForProtectionNeed,
  inScale,
  isAboveAcceptance,
  type ProtectionNeed,
  protectionNeeds,
  type RiskMethod,
  scoreRisk,
} from './risk-method.ts';
import { followProcess, type RiskProcessState, requestedStatus } from './risk-status.ts';
import type {
  CreateRiskInput,
  HeatmapQuery,
  HeatmapResponse,
  ListRisksQuery,
  RiskBasis,
  RiskDetailResponse,
  RiskResponse,
  RiskStatus,
  UpdateRiskInput,
} from './risk.schemas.ts';
import { riskBases } from './risk.schemas.ts';
import * as repo from './risk.repository.ts';
import { riskRanks, severitiesOf } from './risk-rank.ts';
import { findUsableThreat } from './threat.repository.ts';

// ---------------------------------------------------------------- presenting

/** The method versions of a scope, by id, with the severity of every level key (the newest version's order wins). */
interface MethodIndex {
  byId: Map<string, StoredMethod>;
  current: StoredMethod | undefined;
  severities: Map<string, number>;
}

function indexMethods(methods: StoredMethod[]): MethodIndex {
  return {
    byId: new Map(methods.map((m) => [m.id, m])),
    current: methods.length ? currentOf(methods) : undefined,
    severities: severitiesOf(methods),
  };
}

const unknownLevelColour = '#868e96';

function assessment(row: RiskTable, basis: RiskBasis, method: RiskMethod | undefined): RiskResponse['current'] {
  const likelihood = row[`${basis}_likelihood`];
  const impact = row[`${basis}_impact`];
  const key = row[`${basis}_level`];
  const level = key ? (findLevel(method ?? { levels: [] }, key) ?? { key, label: key, colour: unknownLevelColour, order: 0 }) : null;
  return {
    likelihood,
    impact,
    score: likelihood !== null && impact !== null ? likelihood * impact : null,
    level: level ? { ...level } : null,
  };
}

/** A level's label in the reader's language (`levelLabelIn`), worded once per language for the rows of a page (worded-once.ts). */
const levelLabelOnce = (key: string, label: string, lang: string): string =>
  wordedOnce(`level\0${lang}\0${key}\0${label}`, () => levelLabelIn(key, label, lang));

/**
 * A risk in the reader's language: the built-in labels of its levels and a built-in BSI threat's official title (labels
 * someone typed and a scope's own threat stay as written; the stored rows are not touched).
 */
export function riskIn<R extends RiskResponse>(r: R, lang: string): R {
  if (lang === fallbackLanguage) return r;
  const relabel = (a: RiskResponse['current']): RiskResponse['current'] =>
    a.level ? { ...a, level: { ...a.level, label: levelLabelOnce(a.level.key, a.level.label, lang) } } : a;
  // a scope's threat cannot take a code "G 0.n" (risk.schemas.ts), so the code tells a built-in threat
  const threat = r.threat && { ...r.threat, title: threatTitle(r.threat, lang) };
  return { ...r, threat, inherent: relabel(r.inherent), current: relabel(r.current), target: relabel(r.target) };
}

export function presentRisk(row: repo.RiskRow, assets: repo.RiskAssetRow[], methods: MethodIndex): RiskResponse {
  const method = row.method_id ? methods.byId.get(row.method_id) : undefined;
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    title: row.title,
    description: row.description,
    threat: row.threat_id ? { id: row.threat_id, code: row.threat_code ?? '', title: row.threat_title ?? '' } : null,
    vulnerability: row.vulnerability,
    consequences: {
      confidentiality: toBool(row.consequences_c),
      integrity: toBool(row.consequences_i),
      availability: toBool(row.consequences_a),
    },
    owner: row.owner_id ? { id: row.owner_id, name: row.owner_name ?? '', email: row.owner_email ?? '' } : null,
    status: row.status,
    inherent: assessment(row, 'inherent', method?.method),
    current: assessment(row, 'current', method?.method),
    target: assessment(row, 'target', method?.method),
    method: method ? { id: method.id, version: method.versionNo } : null,
    assessedAt: row.assessed_at,
    nextReviewOn: row.next_review_on,
    assets: assets.map((a) => ({ id: a.id, reference: a.reference, name: a.name })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

const criteria = ['confidentiality', 'integrity', 'availability'] as const;

/**
 * The impact the linked assets suggest (BSI 200-3 builds on the protection needs of BSI 200-2): the highest protection
 * need among the assets on the criteria the risk affects, placed on the current method's impact scale.
 */
function suggestImpact(risk: RiskResponse, assets: repo.RiskAssetRow[], current: StoredMethod | undefined): number | null {
  const affected = criteria.filter((c) => risk.consequences[c]);
  if (!current || assets.length === 0 || affected.length === 0) return null;
  let highest = -1;
  for (const a of assets) for (const c of affected) highest = Math.max(highest, protectionNeeds.indexOf(a[c] as ProtectionNeed));
  return highest < 0 ? null : impactForProtectionNeed(current.method.impact.length, protectionNeeds[highest]!);
}

async function loadDetail(db: Executor, scopeId: string, id: string): Promise<RiskDetailResponse | null> {
  const row = await repo.findRisk(db, scopeId, id);
  if (!row) return null;
  const [assets, methods] = await Promise.all([repo.findRiskAssets(db, [id]), methodRepo.listMethods(db, scopeId)]);
  const index = indexMethods(methods.map(toStoredMethod));
  const linked = assets.get(id) ?? [];
  const risk = presentRisk(row, linked, index);
  return {
    ...risk,
    assets: linked.map((a) => ({
      id: a.id,
      reference: a.reference,
      name: a.name,
      confidentiality: a.confidentiality as ProtectionNeed,
      integrity: a.integrity as ProtectionNeed,
      availability: a.availability as ProtectionNeed,
    })),
    suggestedImpact: suggestImpact(risk, linked, index.current),
  };
}

/** The fields the audit trail records for a risk. */
function auditable(r: RiskDetailResponse) {
  const scored = (a: RiskResponse['current']) => ({ likelihood: a.likelihood, impact: a.impact, level: a.level?.key ?? null });
  return {
    title: r.title,
    description: r.description,
    threat: r.threat?.code ?? null,
    vulnerability: r.vulnerability,
    consequences: r.consequences,
    ownerId: r.owner?.id ?? null,
    status: r.status,
    inherent: scored(r.inherent),
    current: scored(r.current),
    target: scored(r.target),
    methodVersion: r.method?.version ?? null,
    nextReviewOn: r.nextReviewOn,
    assets: r.assets.map((a) => a.reference),
  };
}

// ---------------------------------------------------------------- rules

/** After an edit of the risk in `tx`: reloads it and appends the audit entry of what changed (none when nothing did). */
async function auditEdit(tx: Tx, deps: Deps, actor: Actor, before: RiskDetailResponse): Promise<RiskDetailResponse> {
  const after = (await loadDetail(tx, before.scopeId, before.id))!;
  const changes = diffChanges(auditable(before), auditable(after));
  if (Object.keys(changes).length > 0) {
    await appendAudit(tx, deps, actor, {
      scopeId: before.scopeId,
      action: 'update',
      recordType: 'risk',
      recordId: before.id,
      recordRef: before.reference,
      changes,
    });
  }
  return after;
}

async function validateLinks(
  tx: Tx,
  scopeId: string,
  input: { ownerId?: string | null | undefined; threatId?: string | null | undefined; assetIds?: string[] | undefined },
) {
  if (input.ownerId && !(await findMembership(tx, scopeId, input.ownerId))) {
    throw invalid('body.ownerId', errorText('risk.ownerNotMember'));
  }
  if (input.threatId && !(await findUsableThreat(tx, scopeId, input.threatId))) {
    throw invalid('body.threatId', errorText('risk.threatNotUsable'));
  }
  if (input.assetIds) {
    const unique = [...new Set(input.assetIds)];
    if ((await countAssetsInScope(tx, scopeId, unique)) !== unique.length) {
      throw invalid('body.assetIds', errorText('risk.assetNotInScope'));
    }
  }
}

type ScoringInput = Pick<
  UpdateRiskInput,
  'inherentLikelihood' | 'inherentImpact' | 'currentLikelihood' | 'currentImpact' | 'targetLikelihood' | 'targetImpact'
>;
type Scored = Record<RiskBasis, { likelihood: number | null; impact: number | null; level: string | null }>;

const scoringTouched = (input: ScoringInput) =>
  riskBases.some((b) => input[`${b}Likelihood`] !== undefined || input[`${b}Impact`] !== undefined);

/**
 * Scores every basis by the scope's current method (ISO 27001 6.1.2 d: analysis by the defined criteria). Values the
 * request does not send are kept; a kept value that lies outside the current scales (scored by an older, larger
 * method) must be scored again. Levels always come from the method, never from the client.
 */
function score(before: RiskResponse | null, input: ScoringInput, method: RiskMethod): Scored {
  const out = {} as Scored;
  for (const basis of riskBases) {
    const values = { likelihood: null as number | null, impact: null as number | null };
    for (const dim of ['likelihood', 'impact'] as const) {
      const field = `${basis}${dim === 'likelihood' ? 'Likelihood' : 'Impact'}` as const;
      const sent = input[field];
      const value = sent !== undefined ? sent : (before?.[basis][dim] ?? null);
      const scale = method[dim];
      if (value !== null && !inScale(scale, value)) {
        throw invalid(
          `body.${field}`,
          sent !== undefined
            ? errorText('risk.outOfScale', { basis, dimension: dim, max: scale.length })
            : errorText('risk.scoredByOlderMethod', { basis, dimension: dim, value, max: scale.length }),
        );
      }
      values[dim] = value;
    }
    out[basis] = {
      ...values,
      level: values.likelihood !== null && values.impact !== null ? scoreRisk(method, values.likelihood, values.impact).level : null,
    };
  }
  return out;
}

/**
 * The scored columns and the sort ranks that follow from them. Every basis is scored by the current (newest) method,
 * whose orders are the severities of its keys (risk-rank.ts).
 */
const scoredColumns = (s: Scored, method: RiskMethod) => {
  const levels = {
    inherent_likelihood: s.inherent.likelihood,
    inherent_impact: s.inherent.impact,
    inherent_level: s.inherent.level,
    current_likelihood: s.current.likelihood,
    current_impact: s.current.impact,
    current_level: s.current.level,
    target_likelihood: s.target.likelihood,
    target_impact: s.target.impact,
    target_level: s.target.level,
  };
  return { ...levels, ...riskRanks(levels, new Map(method.levels.map((l) => [l.key, l.order]))) };
};

/** What the process says about a risk's status: its current level, its decided treatment, an acceptance in force. */
async function processStateTx(tx: Tx, scopeId: string, riskId: string, evaluated: boolean): Promise<RiskProcessState> {
  const [treatment, acceptances] = await Promise.all([
    treatmentRepo.findTreatmentByRisk(tx, scopeId, riskId),
    treatmentRepo.findActiveAcceptancesOfRisk(tx, riskId),
  ]);
  return {
    evaluated,
    decidedOption: treatment && treatment.status !== 'draft' ? treatment.option : null,
    accepted: acceptances.some((a) => a.status === 'effective'),
  };
}

/** A status asked for by hand that the process does not give: 422 naming the field (see risk-status.ts). */
function checkRequestedStatus(requested: RiskStatus, current: RiskStatus | null, state: RiskProcessState): RiskStatus {
  const r = requestedStatus(requested, current, state);
  if (!r.ok) throw new AppError('unprocessable', r.text, { field: 'body.status' });
  return r.status;
}

/** Emits `risk.evaluated` when the current level was set or changed; the treatment hand-off decides what follows. */
async function emitEvaluated(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  risk: { id: string; scopeId: string; reference: string; title: string; ownerId: string | null },
  before: { level: string | null; method: RiskMethod | undefined } | null,
  after: Scored['current'],
  currentSent: boolean,
  method: RiskMethod,
) {
  if (after.level === null || after.likelihood === null || after.impact === null) return;
  const previousLevel = before?.level ?? null;
  if (!currentSent && previousLevel === after.level) return;
  await deps.events.emit(tx, actor, 'risk.evaluated', {
    scopeId: risk.scopeId,
    riskId: risk.id,
    riskRef: risk.reference,
    title: risk.title,
    ownerId: risk.ownerId,
    likelihood: after.likelihood,
    impact: after.impact,
    level: after.level,
    levelLabel: findLevel(method, after.level)?.label ?? after.level,
    previousLevel,
    acceptableBy: acceptanceFor(method, after.level),
    aboveCriteria: isAboveAcceptance(method, after.level),
    wasAboveCriteria: previousLevel !== null && before?.method !== undefined && isAboveAcceptance(before.method, previousLevel),
  });
}

// ---------------------------------------------------------------- services

export async function createRisk(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: CreateRiskInput,
  lang: string = fallbackLanguage,
): Promise<RiskDetailResponse> {
  requireScopePermission(actor, scopeId, 'risk:write');
  return riskIn(await deps.db.transaction().execute((tx) => createCheckedRiskTx(tx, deps, actor, scopeId, input)), lang);
}

/** createRiskTx after checking the owner, the threat and the assets (as the API does): for callers with their own transaction. */
export async function createCheckedRiskTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  scopeId: string,
  input: CreateRiskInput,
): Promise<RiskDetailResponse> {
  await validateLinks(tx, scopeId, input);
  return createRiskTx(tx, deps, actor, scopeId, input);
}

/**
 * Creates a risk inside the caller's transaction (links already validated): scored by the scope's current method, with
 * its reference, the audit entry and the `risk.evaluated` event. A new risk starts identified, or assessed when its
 * current level is scored; it cannot start in treatment or accepted (ISO 27001 6.1.3 f: only a signed acceptance).
 */
export async function createRiskTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  scopeId: string,
  input: CreateRiskInput,
): Promise<RiskDetailResponse> {
  const current = await ensureCurrentMethodTx(tx, deps, scopeId);
  const touched = scoringTouched(input);
  const scored = score(null, input, current.method);
  const status = checkRequestedStatus(input.status, null, {
    evaluated: scored.current.level !== null,
    decidedOption: null,
    accepted: false,
  });
  const reference = await nextReference(tx, scopeId, 'RSK');
  const now = isoNow(deps.clock);
  const row: RiskTable = {
    id: newId(),
    scope_id: scopeId,
    reference,
    title: input.title,
    description: input.description,
    threat_id: input.threatId,
    vulnerability: input.vulnerability,
    consequences_c: input.consequences.confidentiality,
    consequences_i: input.consequences.integrity,
    consequences_a: input.consequences.availability,
    owner_id: input.ownerId,
    status,
    ...scoredColumns(scored, current.method),
    method_id: touched ? current.id : null,
    assessed_at: touched ? now : null,
    next_review_on: input.nextReviewOn,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await repo.insertRisk(tx, row);
  await repo.replaceRiskAssets(tx, row.id, [...new Set(input.assetIds)]);
  const after = (await loadDetail(tx, scopeId, row.id))!;
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'create',
    recordType: 'risk',
    recordId: row.id,
    recordRef: row.reference,
    changes: diffChanges(null, auditable(after)),
  });
  const riskInfo = { id: row.id, scopeId, reference, title: row.title, ownerId: row.owner_id };
  await emitEvaluated(tx, deps, actor, riskInfo, null, scored.current, true, current.method);
  if (touched) await settleReassessmentsTx(tx, deps, actor, scopeId, row.id);
  return after;
}

export async function getRisk(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  lang: string = fallbackLanguage,
): Promise<RiskDetailResponse> {
  requireScopePermission(actor, scopeId, 'risk:read');
  return riskIn(await loadVersionedRecord(deps.db, riskKind, scopeId, id), lang);
}

/** The prioritised risk list: four statements (methods, page, count, assets) whatever the page size. */
export async function listRisks(deps: Deps, actor: Actor, scopeId: string, query: ListRisksQuery, lang: string = fallbackLanguage) {
  requireScopePermission(actor, scopeId, 'risk:read');
  const methods = indexMethods(await loadMethods(deps, deps.db, scopeId));
  const { rows, total, capped } = await repo.listRisks(deps.db, scopeId, query);
  const assets = await repo.findRiskAssets(
    deps.db,
    rows.map((r) => r.id),
  );
  return listPage(
    rows.map((r) => riskIn(presentRisk(r, assets.get(r.id) ?? [], methods), lang)),
    { total, capped },
    query,
  );
}

/**
 * Edits a risk with the version check and one audit entry. Scoring the current level moves an identified risk to
 * assessed (ISO 27001 8.2); the other statuses follow the treatment and the acceptance, so by hand only `closed` and
 * reopening are allowed (a 422 names what leads to the status asked for). A `risk.evaluated` event follows the write, so
 * that its hand-offs (a treatment task; the end of an acceptance on a higher level, which moves the status back) see it.
 */
export async function updateRisk(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: UpdateRiskInput,
  lang: string = fallbackLanguage,
): Promise<RiskDetailResponse> {
  requireScopePermission(actor, scopeId, 'risk:write');
  // a stale version's 409 carries the risk in the reader's words too (threat and level labels)
  const work = conflictInWords(
    deps.db.transaction().execute((tx) => updateRiskTx(tx, deps, actor, scopeId, id, input)),
    (r: RiskDetailResponse) => riskIn(r, lang),
  );
  return riskIn(
    await conflictWithCurrent(work, null, async () => {
      const current = await riskKind.load(deps.db, scopeId, id);
      return current && riskIn(current, lang);
    }),
    lang,
  );
}

/** updateRisk inside the caller's transaction (the permission checked by the caller): the same checks, audit entry and events. */
export async function updateRiskTx(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: UpdateRiskInput,
): Promise<RiskDetailResponse> {
  const before = await loadDetail(tx, scopeId, id);
  if (!before) throw notFound('Risk');
  if (before.version !== input.version) {
    throw new AppError('version_conflict', errorText('recordChanged', { reference: before.reference }), { details: { current: before } });
  }
  await validateLinks(tx, scopeId, input);
  const patch: Partial<RiskTable> = {};
  if (input.title !== undefined) patch.title = input.title;
  if (input.description !== undefined) patch.description = input.description;
  if (input.threatId !== undefined) patch.threat_id = input.threatId;
  if (input.vulnerability !== undefined) patch.vulnerability = input.vulnerability;
  if (input.consequences !== undefined) {
    patch.consequences_c = input.consequences.confidentiality;
    patch.consequences_i = input.consequences.integrity;
    patch.consequences_a = input.consequences.availability;
  }
  if (input.ownerId !== undefined) patch.owner_id = input.ownerId;
  if (input.nextReviewOn !== undefined) patch.next_review_on = input.nextReviewOn;
  if (input.assetIds !== undefined) await repo.replaceRiskAssets(tx, id, [...new Set(input.assetIds)]);

  const ownerId = input.ownerId !== undefined ? input.ownerId : (before.owner?.id ?? null);
  let currentLevel = before.current.level?.key ?? null;
  let scored: Scored | null = null;
  let current: StoredMethod | undefined;
  if (scoringTouched(input)) {
    current = await ensureCurrentMethodTx(tx, deps, scopeId);
    scored = score(before, input, current.method);
    Object.assign(patch, scoredColumns(scored, current.method), { method_id: current.id, assessed_at: isoNow(deps.clock) });
    currentLevel = scored.current.level;
  }
  // a form that sends the status it showed asks for no change
  let status = before.status;
  if (input.status !== undefined && input.status !== before.status) {
    status = checkRequestedStatus(input.status, before.status, await processStateTx(tx, scopeId, id, currentLevel !== null));
  } else if (scored && status === 'identified' && currentLevel !== null) {
    status = 'assessed'; // ISO 27001 6.1.2 d, e: analysed and evaluated
  }
  if (status !== before.status) patch.status = status;
  await updateVersioned(tx, 'risk', id, before.version, { ...patch, updated_at: isoNow(deps.clock) });
  const after = await auditEdit(tx, deps, actor, before);
  // work follows the risk: a closed risk needs nothing more; an evaluated one has been assessed
  if (status === 'closed' && before.status !== 'closed')
    await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'risk',
      recordId: id,
      outcome: 'cancelled',
      note: { key: 'tasks:note.riskClosed', params: { riskRef: before.reference, name: actor.name } },
    });
  else if (scored && currentLevel !== null)
    await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'risk',
      recordId: id,
      purposes: ['assess'],
      outcome: 'done',
      note: { key: 'tasks:note.riskAssessed', params: { riskRef: before.reference, name: actor.name } },
    });
  if (scored || input.assetIds !== undefined || status === 'closed') await settleReassessmentsTx(tx, deps, actor, scopeId, id);
  if (!scored || !current) return after;
  const methods = indexMethods((await methodRepo.listMethods(tx, scopeId)).map(toStoredMethod));
  const beforeMethod = before.method ? methods.byId.get(before.method.id)?.method : undefined;
  const currentSent = input.currentLikelihood !== undefined || input.currentImpact !== undefined;
  await emitEvaluated(
    tx,
    deps,
    actor,
    { id, scopeId, reference: before.reference, title: after.title, ownerId },
    { level: before.current.level?.key ?? null, method: beforeMethod },
    scored.current,
    currentSent,
    current.method,
  );
  return (await loadDetail(tx, scopeId, id))!;
}

/**
 * A re-assessment asked for an asset (its protection need was raised) is done once every open risk of the asset was
 * assessed since the task was opened or last updated by a further raise (ISO 27001 8.2).
 */
async function settleReassessmentsTx(tx: Tx, deps: Deps, actor: Actor | null, scopeId: string, riskId: string): Promise<void> {
  const assetIds = await repo.findAssetIdsOfRisk(tx, riskId);
  for (const task of await findOpenWorkOfRecords(tx, 'asset', assetIds, 'reassess')) {
    if ((await repo.countRisksNotAssessedSince(tx, task.origin_record_id!, task.updated_at)) > 0) continue;
    await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'asset',
      recordId: task.origin_record_id!,
      purposes: ['reassess'],
      outcome: 'done',
      note: { key: 'tasks:note.risksReassessed', params: { assetRef: task.origin_record_ref ?? '' } },
    });
  }
}

/**
 * Moves a risk's status where its process says (risk-status.ts) inside the caller's transaction, after a treatment was
 * decided or reopened, or an acceptance took effect or ended: with the version check and an audit entry that says why.
 * A closed risk stays closed. Returns the status it has afterwards.
 */
export async function syncRiskStatusTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  scopeId: string,
  riskId: string,
  reason: string,
): Promise<RiskStatus | null> {
  const row = await repo.findRisk(tx, scopeId, riskId);
  if (!row) return null;
  const from = row.status;
  const to = followProcess(from, await processStateTx(tx, scopeId, riskId, row.current_level !== null));
  if (to === from) return from;
  await updateVersioned(tx, 'risk', riskId, row.version, { status: to, updated_at: isoNow(deps.clock) });
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'update',
    recordType: 'risk',
    recordId: riskId,
    recordRef: row.reference,
    changes: { status: { from, to }, reason: { to: reason } },
  });
  return to;
}

const riskKind: VersionedRecordKind<RiskDetailResponse, 'risk'> = {
  table: 'risk',
  recordType: 'risk',
  label: 'Risk',
  load: loadDetail,
  auditable,
};

export async function deleteRisk(deps: Deps, actor: Actor, scopeId: string, id: string, version: number): Promise<void> {
  requireScopePermission(actor, scopeId, 'risk:delete');
  const work = deleteVersionedRecord(deps, actor, riskKind, { scopeId, id, version }, async (tx, riskId, v) => {
    const reference = (await repo.findRisk(tx, scopeId, riskId))?.reference ?? '';
    if (!(await repo.deleteRisk(tx, riskId, v))) return false;
    // the work the risk asked for goes with it
    await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'risk',
      recordId: riskId,
      outcome: 'cancelled',
      note: { key: 'tasks:note.riskDeleted', params: { riskRef: reference, name: actor.name } },
    });
    return true;
  });
  // a stale version's 409 carries the risk in the actor's words
  await conflictInWords(work, (r: RiskDetailResponse) => riskIn(r, actorLanguage(actor)));
}

/**
 * The heat map of one basis: every cell of the current matrix with its level, colour and the number of matching risks
 * scored there (one grouped statement), plus the scales, so that a client can draw it and link each cell to the list
 * filtered by `basis`, `likelihood` and `impact`.
 */
export async function getRiskHeatmap(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  query: HeatmapQuery,
  lang: string = fallbackLanguage,
): Promise<HeatmapResponse> {
  requireScopePermission(actor, scopeId, 'risk:read');
  const existing = await methodRepo.findCurrentMethod(deps.db, scopeId);
  const current = existing
    ? toStoredMethod(existing)
    : await deps.db.transaction().execute((tx) => ensureCurrentMethodTx(tx, deps, scopeId));
  // one grouped statement over the whole scope: a long read (off the main thread on SQLite, db/long-reads.ts)
  const groups = await repo.countByCell(longReads(deps.db), scopeId, query);
  const m = current.method;
  const counts = new Map<string, number>();
  let total = 0;
  let unscored = 0;
  let outsideScale = 0;
  for (const g of groups) {
    total += g.count;
    if (g.likelihood === null || g.impact === null) unscored += g.count;
    else if (!inScale(m.likelihood, g.likelihood) || !inScale(m.impact, g.impact)) outsideScale += g.count;
    else counts.set(`${g.likelihood}:${g.impact}`, g.count);
  }
  const cells: HeatmapResponse['cells'] = [];
  for (const l of m.likelihood) {
    for (const i of m.impact) {
      const level = m.matrix[l.value - 1]![i.value - 1]!;
      cells.push({
        likelihood: l.value,
        impact: i.value,
        level,
        colour: findLevel(m, level)?.colour ?? unknownLevelColour,
        count: counts.get(`${l.value}:${i.value}`) ?? 0,
      });
    }
  }
  // the scales and levels in the reader's language where they are the built-in ones
  const shown = methodIn(m, lang);
  return {
    basis: query.basis,
    method: { id: current.id, version: current.versionNo },
    likelihood: shown.likelihood,
    impact: shown.impact,
    levels: [...shown.levels].sort((a, b) => a.order - b.order),
    cells,
    total,
    unscored,
    outsideScale,
  };
}

const csvColumns = [
  'reference',
  'title',
  'status',
  'owner',
  'owner_email',
  'threat',
  'vulnerability',
  'confidentiality',
  'integrity',
  'availability',
  'assets',
  'inherent_likelihood',
  'inherent_impact',
  'inherent_level',
  'current_likelihood',
  'current_impact',
  'current_level',
  'target_likelihood',
  'target_impact',
  'target_level',
  'method_version',
  'assessed_at',
  'next_review_on',
  'description',
  'updated_at',
];

/**
 * CSV of every risk that matches the list filters, in the list's order, batch by batch. The permission check runs at
 * once, so a refusal is still a clean 403/404; cells that spreadsheets would run as formulas are neutralised.
 */
export function exportRisksCsv(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  query: Omit<ListRisksQuery, 'page' | 'pageSize'>,
  lang: string = fallbackLanguage,
): AsyncIterable<string> {
  requireScopePermission(actor, scopeId, 'risk:read');
  // headers and words in the language of the user who asks (the English headers are the columns' codes)
  const t = exportTexts(lang);
  const safe = csvCell;
  const num = (n: number | null) => (n === null ? '' : String(n));
  const yes = (b: boolean) => t(b ? 'risk.yes' : 'risk.no');
  // the batches are long reads: off the main thread on SQLite (db/long-reads.ts)
  const reads = longReads(deps.db);
  return (async function* () {
    const methods = indexMethods(await loadMethods(deps, deps.db, scopeId));
    yield stringify([csvColumns.map((c) => t(`risk.column.${c}`))]);
    for await (const rows of repo.iterateRisks(reads, scopeId, query)) {
      const assets = await repo.findRiskAssets(
        reads,
        rows.map((r) => r.id),
      );
      yield stringify(
        rows.map((row) => {
          const r = riskIn(presentRisk(row, assets.get(row.id) ?? [], methods), lang);
          return [
            r.reference,
            r.title,
            t(`risk.status.${r.status}`),
            r.owner?.name ?? '',
            r.owner?.email ?? '',
            r.threat ? `${r.threat.code} ${r.threat.title}` : '',
            r.vulnerability,
            yes(r.consequences.confidentiality),
            yes(r.consequences.integrity),
            yes(r.consequences.availability),
            r.assets.map((a) => a.reference).join('; '),
            num(r.inherent.likelihood),
            num(r.inherent.impact),
            r.inherent.level?.label ?? '',
            num(r.current.likelihood),
            num(r.current.impact),
            r.current.level?.label ?? '',
            num(r.target.likelihood),
            num(r.target.impact),
            r.target.level?.label ?? '',
            r.method ? String(r.method.version) : '',
            r.assessedAt ?? '',
            r.nextReviewOn ?? '',
            r.description,
            r.updatedAt,
          ].map(safe);
        }),
      );
    }
  })();
}

/**
 * Sets the target residual likelihood and impact of a risk inside the caller's transaction (the target of its treatment
 * plan, ISO 27001 6.1.3): scored by the scope's current method like any other edit, with the version check, the audit
 * entry and the `risk.evaluated` event when re-scoring moved the current level. A call that changes nothing writes nothing.
 */
export async function setRiskTargetTx(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  target: { targetLikelihood?: number | null | undefined; targetImpact?: number | null | undefined },
): Promise<RiskDetailResponse> {
  const before = await loadDetail(tx, scopeId, id);
  if (!before) throw notFound('Risk');
  const current = await ensureCurrentMethodTx(tx, deps, scopeId);
  const scored = score(before, target, current.method);
  if (
    before.method?.id === current.id &&
    before.target.likelihood === scored.target.likelihood &&
    before.target.impact === scored.target.impact
  ) {
    return before;
  }
  const now = isoNow(deps.clock);
  await updateVersioned(tx, 'risk', id, before.version, {
    ...scoredColumns(scored, current.method),
    method_id: current.id,
    assessed_at: now,
    updated_at: now,
    ...(before.status === 'identified' && scored.current.level !== null && { status: 'assessed' }),
  });
  const after = await auditEdit(tx, deps, actor, before);
  const methods = indexMethods((await methodRepo.listMethods(tx, scopeId)).map(toStoredMethod));
  await emitEvaluated(
    tx,
    deps,
    actor,
    { id, scopeId, reference: before.reference, title: before.title, ownerId: before.owner?.id ?? null },
    { level: before.current.level?.key ?? null, method: before.method ? methods.byId.get(before.method.id)?.method : undefined },
    scored.current,
    false,
    current.method,
  );
  return after;
}
