import { listPage } from '../../db/paging.ts';
import { stringify } from 'csv-stringify/sync';
import { exportTexts } from '../../i18n/export-texts.ts';
import { csvCell } from '../../shared/csv.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, actorLanguage, requireScopePermission } from '../../auth/actor.ts';
import type { Executor, Tx } from '../../db/database.ts';
import type { MeasureTable, MeasurementTable } from './performance-evaluation.tables.ts';
import { listCycles } from '../../isms/cycle/cycle.repository.ts';
import { processName } from '../../isms/process-texts.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow, utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, conflictInWords, errorText, forbidden, invalid, notFound, notMember } from '../../shared/errors.ts';
import { checkEndNotBeforeStart } from '../../shared/date-rules.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { changeVersionedRecord, type VersionedRecordKind } from '../../shared/versioned-record.ts';
import { openWorkTx, settleWorkTx } from '../../work/work.ts';
import { evaluate, nextDueAfter, subtractPeriod, thresholdProblem, trendOf } from './measure-rules.ts';
import { liveComputations, recommendedMeasuresIn } from './measure.live.ts';
import * as repo from './measure.repository.ts';
import { measureIn, measureNameParam, measureTextFrom, measureTextIn, measureWordedFields } from './measure.texts.ts';
import type {
  AnalysisInput,
  CreateMeasureInput,
  LinkType,
  ListMeasuresQuery,
  MeasureDetailResponse,
  MeasureResponse,
  MeasurementResponse,
  MeasurementStatus,
  RecordMeasurementInput,
  TrendResponse,
  UpdateMeasureInput,
} from './measure.schemas.ts';
import { liveKeys } from './measure.schemas.ts';

const today = (deps: Deps) => isoNow(deps.clock).slice(0, 10);
const user = (id: string | null, name: string | null | undefined, email: string | null | undefined) =>
  id ? { id, name: name ?? '', email: email ?? '' } : null;

function presentListRow(r: repo.MeasureListRow): MeasureResponse {
  const latest = r.latest_id
    ? { id: r.latest_id, value: Number(r.latest_value), status: r.latest_status as MeasurementStatus, measuredAt: r.latest_at as string }
    : null;
  return {
    id: r.id,
    reference: r.reference,
    name: r.name,
    unit: r.unit,
    direction: r.direction,
    target: Number(r.target),
    breachAt: Number(r.breach_at),
    sourceKind: r.source_kind,
    liveKey: r.live_key,
    status: r.status,
    collectionFrequency: r.collection_frequency,
    nextDueOn: r.next_due_on,
    definitionVersion: r.definition_version,
    measuredBy: user(r.measured_by, r.measured_by_name, r.measured_by_email),
    latest,
    trend: trendOf(latest?.value ?? null, r.previous_value === null ? null : Number(r.previous_value)),
    version: r.version,
  };
}

/** A measure with its versions and links; a linked process named in the reader's language. */
async function loadDetail(db: Executor, scopeId: string, id: string, lang: string = fallbackLanguage): Promise<AuditedMeasure | null> {
  const row = await repo.findMeasureRow(db, scopeId, id);
  if (!row) return null;
  const [versions, links, users] = await Promise.all([
    repo.findVersions(db, id),
    repo.findLinks(db, id),
    repo.findUsers(
      db,
      [row.analysed_by, row.reported_by].filter((x): x is string => !!x),
    ),
  ]);
  const byId = new Map(users.map((u) => [u.id, u]));
  const ref = (uid: string | null) => (uid ? user(uid, byId.get(uid)?.name, byId.get(uid)?.email) : null);
  const controlIds = links.filter((l) => l.target_type === 'control').map((l) => l.target_key);
  const controls = controlIds.length
    ? await db
        .selectFrom('control')
        .select(['id', 'reference', 'title'])
        .where('scope_id', '=', scopeId)
        .where('id', 'in', controlIds)
        .execute()
    : [];
  const controlLabel = new Map(controls.map((c) => [c.id, `${c.reference} ${c.title}`]));
  const controlReference = new Map(controls.map((c) => [c.id, c.reference]));
  return {
    [linkWords]: links.map(
      (l) => `${l.target_type}:${(l.target_type === 'control' ? controlReference.get(l.target_key) : undefined) ?? l.target_key}`,
    ),
    ...presentListRow(row),
    scopeId: row.scope_id,
    informationNeed: row.information_need,
    object: row.object,
    attribute: row.attribute,
    baseMeasures: row.base_measures,
    derivedMeasure: row.derived_measure,
    formula: row.formula,
    analysisFrequency: row.analysis_frequency,
    analysedBy: ref(row.analysed_by),
    reportedBy: ref(row.reported_by),
    liveParam: row.live_param,
    links: links.map((l) => ({
      type: l.target_type,
      key: l.target_key,
      label:
        (l.target_type === 'control' ? controlLabel.get(l.target_key) : undefined) ??
        (l.target_type === 'process' ? processName(lang, l.target_key) : undefined) ??
        l.target_key,
    })),
    versions: versions.map((v) => ({
      definitionVersion: v.definition_version,
      formula: v.formula,
      unit: v.unit,
      direction: v.direction,
      target: Number(v.target),
      breachAt: Number(v.breach_at),
      createdAt: v.created_at,
    })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * A measure's links as its history reads them: a control by its reference (`control:CTL-0003`; entries before it carry the
 * control's id), a process by its key. Under a symbol, so that they stay out of the measure as the API presents it.
 */
const linkWords = Symbol('linkWords');
type AuditedMeasure = MeasureDetailResponse & { [linkWords]: string[] };

const auditable = (m: AuditedMeasure) => ({
  name: m.name,
  informationNeed: m.informationNeed,
  object: m.object,
  attribute: m.attribute,
  baseMeasures: m.baseMeasures,
  derivedMeasure: m.derivedMeasure,
  formula: m.formula,
  unit: m.unit,
  direction: m.direction,
  target: m.target,
  breachAt: m.breachAt,
  collectionFrequency: m.collectionFrequency,
  analysisFrequency: m.analysisFrequency,
  measuredById: m.measuredBy?.id ?? null,
  analysedById: m.analysedBy?.id ?? null,
  reportedById: m.reportedBy?.id ?? null,
  links: m[linkWords],
  status: m.status,
  definitionVersion: m.definitionVersion,
});

/** A measure as a versioned record, loaded in the reader's language (the trail's changes name its links by key). */
const measureKind = (lang: string): VersionedRecordKind<AuditedMeasure, 'measure'> => ({
  table: 'measure',
  recordType: 'measure',
  label: 'Measure',
  load: (db, scopeId, id) => loadDetail(db, scopeId, id, lang),
  auditable,
});

// the rule's own sentence is for its tests; the client gets it as a catalog text
const thresholdError = (direction: 'higher' | 'lower') =>
  invalid('body.breachAt', errorText(direction === 'higher' ? 'measure.breachAboveTarget' : 'measure.breachBelowTarget'));

async function requireMember(tx: Executor, scopeId: string, id: string | null | undefined, field: string) {
  if (id && !(await findMembership(tx, scopeId, id))) throw notMember(`body.${field}`);
}

async function checkLinks(tx: Executor, scopeId: string, links: { type: LinkType; key: string }[]) {
  const controls = links.filter((l) => l.type === 'control').map((l) => l.key);
  if (controls.length) {
    const found = await tx.selectFrom('control').select('id').where('scope_id', '=', scopeId).where('id', 'in', controls).execute();
    if (found.length !== new Set(controls).size) throw invalid('body.links', errorText('measure.controlNotInScope'));
  }
  const processes = links.filter((l) => l.type === 'process').map((l) => l.key);
  if (processes.length) {
    const found = await tx
      .selectFrom('scope_process')
      .select('process_key')
      .where('scope_id', '=', scopeId)
      .where('process_key', 'in', processes)
      .execute();
    if (found.length !== new Set(processes).size) throw invalid('body.links', errorText('measure.processNotInScope'));
  }
}

const uniqueLinks = (measureId: string, links: { type: LinkType; key: string }[]) => [
  ...new Map(links.map((l) => [`${l.type}:${l.key}`, { measure_id: measureId, target_type: l.type, target_key: l.key }])).values(),
];

/** Creates a measure inside the caller's transaction (by hand, from the catalogue, by the demo). */
export async function createMeasureTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  scopeId: string,
  input: CreateMeasureInput,
  lang: string = fallbackLanguage,
) {
  const problem = thresholdProblem(input);
  if (problem) throw thresholdError(input.direction);
  if (input.sourceKind === 'live' && !input.liveKey) throw invalid('body.liveKey', errorText('measure.liveKeyRequired'));
  if (input.sourceKind !== 'live' && input.liveKey) throw invalid('body.liveKey', errorText('measure.liveKeyOnlyLive'));
  if (input.liveParam && input.liveKey !== 'handoff-wait-hours') throw invalid('body.liveParam', errorText('measure.liveParamOnlyHandoff'));
  if (input.liveParam)
    await checkLinks(tx, scopeId, [{ type: 'process', key: input.liveParam }]).catch(() => {
      throw invalid('body.liveParam', errorText('measure.liveParamNotInScope'));
    });
  await requireMember(tx, scopeId, input.measuredById, 'measuredById');
  await requireMember(tx, scopeId, input.analysedById, 'analysedById');
  await requireMember(tx, scopeId, input.reportedById, 'reportedById');
  await checkLinks(tx, scopeId, input.links);
  const now = isoNow(deps.clock);
  const owner = await findProcessOwner(tx, scopeId, 'performance-evaluation');
  const row: MeasureTable = {
    id: newId(),
    scope_id: scopeId,
    reference: await nextReference(tx, scopeId, 'MSR'),
    name: input.name,
    information_need: input.informationNeed,
    object: input.object,
    attribute: input.attribute,
    base_measures: input.baseMeasures,
    derived_measure: input.derivedMeasure,
    formula: input.formula,
    unit: input.unit,
    direction: input.direction,
    target: input.target,
    breach_at: input.breachAt,
    collection_frequency: input.collectionFrequency,
    analysis_frequency: input.analysisFrequency,
    measured_by: input.measuredById ?? owner,
    analysed_by: input.analysedById ?? owner,
    reported_by: input.reportedById ?? owner,
    source_kind: input.sourceKind,
    live_key: input.liveKey,
    live_param: input.liveParam,
    status: 'active',
    next_due_on: input.firstDueOn ?? now.slice(0, 10),
    definition_version: 1,
    created_by: actor?.userId ?? null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await repo.insertMeasure(tx, row);
  await repo.insertVersion(tx, {
    measure_id: row.id,
    definition_version: 1,
    formula: row.formula,
    unit: row.unit,
    direction: row.direction,
    target: row.target,
    breach_at: row.breach_at,
    created_by: row.created_by,
    created_at: now,
  });
  await repo.replaceLinks(tx, row.id, uniqueLinks(row.id, input.links));
  const after = (await loadDetail(tx, scopeId, row.id, lang))!;
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'create',
    recordType: 'measure',
    recordId: row.id,
    recordRef: row.reference,
    changes: diffChanges(null, auditable(after)),
  });
  return after;
}

export async function createMeasure(deps: Deps, actor: Actor, scopeId: string, input: CreateMeasureInput, lang: string = fallbackLanguage) {
  requireScopePermission(actor, scopeId, 'measure:manage');
  return measureIn(lang, await deps.db.transaction().execute((tx) => createMeasureTx(tx, deps, actor, scopeId, input, lang)));
}

/** A change of formula, unit, direction, target or threshold starts a new definition version; later values use it. */
export async function updateMeasure(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  body: UpdateMeasureInput,
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'measure:manage');
  const work = changeVersionedRecord(deps, actor, measureKind(lang), { scopeId, id, version: body.version }, async (tx, before) => {
    // a built-in English text shown in the reader's language and sent back unchanged stays as stored
    const input: UpdateMeasureInput = { ...body };
    for (const field of measureWordedFields) {
      const text = input[field];
      if (text !== undefined) input[field] = measureTextFrom(lang, before.liveKey, field, text, before[field]);
    }
    const next = {
      formula: input.formula ?? before.formula,
      unit: input.unit ?? before.unit,
      direction: input.direction ?? before.direction,
      target: input.target ?? before.target,
      breachAt: input.breachAt ?? before.breachAt,
    };
    const problem = thresholdProblem(next);
    if (problem) throw thresholdError(next.direction);
    await requireMember(tx, scopeId, input.measuredById, 'measuredById');
    await requireMember(tx, scopeId, input.analysedById, 'analysedById');
    await requireMember(tx, scopeId, input.reportedById, 'reportedById');
    const definitionChanged =
      next.formula !== before.formula ||
      next.unit !== before.unit ||
      next.direction !== before.direction ||
      next.target !== before.target ||
      next.breachAt !== before.breachAt;
    const definitionVersion = before.definitionVersion + (definitionChanged ? 1 : 0);
    if (definitionChanged) {
      await repo.insertVersion(tx, {
        measure_id: id,
        definition_version: definitionVersion,
        formula: next.formula,
        unit: next.unit,
        direction: next.direction,
        target: next.target,
        breach_at: next.breachAt,
        created_by: actor.userId,
        created_at: isoNow(deps.clock),
      });
    }
    if (input.links) {
      await checkLinks(tx, scopeId, input.links);
      await repo.replaceLinks(tx, id, uniqueLinks(id, input.links));
    }
    const patch: Partial<MeasureTable> = {
      formula: next.formula,
      unit: next.unit,
      direction: next.direction,
      target: next.target,
      breach_at: next.breachAt,
      definition_version: definitionVersion,
    };
    if (input.name !== undefined) patch.name = input.name;
    if (input.informationNeed !== undefined) patch.information_need = input.informationNeed;
    if (input.object !== undefined) patch.object = input.object;
    if (input.attribute !== undefined) patch.attribute = input.attribute;
    if (input.baseMeasures !== undefined) patch.base_measures = input.baseMeasures;
    if (input.derivedMeasure !== undefined) patch.derived_measure = input.derivedMeasure;
    if (input.collectionFrequency !== undefined) patch.collection_frequency = input.collectionFrequency;
    if (input.analysisFrequency !== undefined) patch.analysis_frequency = input.analysisFrequency;
    if (input.measuredById !== undefined) patch.measured_by = input.measuredById;
    if (input.analysedById !== undefined) patch.analysed_by = input.analysedById;
    if (input.reportedById !== undefined) patch.reported_by = input.reportedById;
    if (input.status !== undefined) patch.status = input.status;
    return patch;
  });
  return measureIn(lang, await conflictInWords(work, (m: MeasureDetailResponse) => measureIn(lang, m)));
}

export async function getMeasure(deps: Deps, actor: Actor, scopeId: string, id: string, lang: string = fallbackLanguage) {
  requireScopePermission(actor, scopeId, 'measure:read');
  const m = await loadDetail(deps.db, scopeId, id, lang);
  if (!m) throw notFound('Measure');
  return measureIn(lang, m);
}

export async function listMeasures(deps: Deps, actor: Actor, scopeId: string, query: ListMeasuresQuery, lang: string = fallbackLanguage) {
  requireScopePermission(actor, scopeId, 'measure:read');
  const { page, pageSize, ...filter } = query;
  // searched and sorted by the names the reader sees (a built-in measure's in their language)
  const result = await repo.pageMeasures(deps.db, scopeId, filter, pageSize, (page - 1) * pageSize, lang);
  return listPage(
    result.rows.map((r) => measureIn(lang, presentListRow(r))),
    result,
    query,
  );
}

const csvColumns = [
  'reference',
  'name',
  'source',
  'unit',
  'direction',
  'target',
  'breachAt',
  'latestValue',
  'status',
  'measuredAt',
  'trend',
];

/**
 * The filtered measures as CSV rows, headers and words in the language of the user who asks; the permission is checked
 * before the first row is streamed.
 */
export function exportMeasuresCsv(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  filter: Omit<ListMeasuresQuery, 'page' | 'pageSize'>,
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'measure:read');
  return csvRows(deps, scopeId, filter, lang);
}

async function* csvRows(deps: Deps, scopeId: string, filter: Omit<ListMeasuresQuery, 'page' | 'pageSize'>, lang: string) {
  const t = exportTexts(lang);
  const statusWord = (status: MeasurementStatus) => t(`measure.status.${status}`);
  yield stringify([csvColumns.map((c) => t(`measure.column.${c}`))]);
  const rows = await repo.listMeasureRows(deps.db, scopeId, filter, lang).execute();
  for (const r of rows.map(presentListRow)) {
    yield stringify([
      [
        csvCell(r.reference),
        csvCell(measureTextIn(lang, r.liveKey, 'name', r.name)),
        t(`measure.source.${r.sourceKind}`),
        csvCell(r.unit),
        t(`measure.direction.${r.direction}`),
        r.target,
        r.breachAt,
        r.latest?.value ?? '',
        r.latest ? statusWord(r.latest.status) : '',
        r.latest?.measuredAt.slice(0, 10) ?? '',
        r.trend ? t(`measure.trend.${r.trend}`) : '',
      ],
    ]);
  }
}

/** The catalogue of recommended live measures, named in the reader's language, and whether the scope has each already. */
export async function listRecommended(deps: Deps, actor: Actor, scopeId: string, lang: string = fallbackLanguage) {
  requireScopePermission(actor, scopeId, 'measure:read');
  const present = new Set((await repo.existingLiveKeys(deps.db, scopeId)).map((r) => r.live_key));
  return recommendedMeasuresIn(lang).map((m) => ({ key: m.liveKey!, name: m.name, present: present.has(m.liveKey) }));
}

/**
 * "Add the recommended measures": every catalogue measure the scope lacks (or those named), in one transaction. Each
 * becomes the scope's own record, worded once in the acting user's language (their setting, else `Accept-Language`).
 */
export async function addRecommendedMeasures(deps: Deps, actor: Actor, scopeId: string, input: { keys?: string[] | undefined }) {
  requireScopePermission(actor, scopeId, 'measure:manage');
  return deps.db.transaction().execute(async (tx) => {
    const present = new Set((await repo.existingLiveKeys(tx, scopeId)).map((r) => r.live_key));
    const wanted = new Set(input.keys ?? liveKeys);
    const created: MeasureDetailResponse[] = [];
    for (const def of recommendedMeasuresIn(actorLanguage(actor))) {
      if (!wanted.has(def.liveKey!) || present.has(def.liveKey)) continue;
      created.push(
        await createMeasureTx(tx, deps, actor, scopeId, {
          ...def,
          liveParam: null,
          measuredById: null,
          analysedById: null,
          reportedById: null,
          firstDueOn: null,
        }),
      );
    }
    return { created: created.length };
  });
}

/**
 * Appends a measurement stamped with the measure's definition version and evaluated against that version's
 * thresholds; a breach gives the analysis owner a task (`analyse:<measurement id>`). Measurements are never changed.
 */
export async function recordMeasurementTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  measure: MeasureTable,
  input: { value: number; measuredAt: string; comment: string; evidenceUrl: string | null; source: MeasurementTable['source'] },
) {
  const version = await repo.findVersion(tx, measure.id, measure.definition_version);
  const thresholds = version
    ? { direction: version.direction, target: Number(version.target), breachAt: Number(version.breach_at) }
    : { direction: measure.direction, target: Number(measure.target), breachAt: Number(measure.breach_at) };
  const row: MeasurementTable = {
    id: newId(),
    scope_id: measure.scope_id,
    measure_id: measure.id,
    definition_version: measure.definition_version,
    value: input.value,
    status: evaluate(input.value, thresholds),
    measured_at: input.measuredAt,
    source: input.source,
    comment: input.comment,
    evidence_url: input.evidenceUrl,
    recorded_by: actor?.userId ?? null,
    created_at: isoNow(deps.clock),
  };
  await repo.insertMeasurement(tx, row);
  await appendAudit(tx, deps, actor, {
    scopeId: measure.scope_id,
    action: 'measure',
    recordType: 'measure',
    recordId: measure.id,
    recordRef: measure.reference,
    changes: {
      measurement: {
        from: null,
        to: {
          value: input.value,
          status: row.status,
          measuredAt: row.measured_at,
          definitionVersion: row.definition_version,
          source: row.source,
        },
      },
    },
  });
  if (row.status === 'breach') {
    const assignee = measure.analysed_by ?? measure.measured_by ?? (await findProcessOwner(tx, measure.scope_id, 'performance-evaluation'));
    await openWorkTx(tx, deps, actor, {
      scopeId: measure.scope_id,
      processKey: 'performance-evaluation',
      purpose: `analyse:${row.id}`,
      title: {
        key: 'measures:task.analyseBreach',
        params: {
          measureRef: measure.reference,
          name: measureNameParam(measure.live_key, measure.name),
          value: `${input.value}${measure.unit ? ` ${measure.unit}` : ''}`,
        },
      },
      description: {
        key: measure.unit ? 'tasks:description.analyseBreachWithUnit' : 'tasks:description.analyseBreach',
        params: {
          name: measure.name,
          value: input.value,
          ...(measure.unit ? { measureUnit: measure.unit } : {}),
          measuredOn: row.measured_at.slice(0, 10),
          breachAt: Number(thresholds.breachAt),
          target: Number(thresholds.target),
        },
      },
      assigneeId: assignee,
      dueOn: utcDatePlusDays(deps.clock.now(), 14),
      origin: { processKey: 'performance-evaluation', recordType: 'measure', recordId: measure.id, recordRef: measure.reference },
    });
  }
  return row;
}

function canRecord(actor: Actor, measure: MeasureTable, role: string) {
  if (role === 'manager') return true;
  return measure.measured_by === actor.userId;
}

/** A manual value (signed in) or an API value (pushed with an API token): the owner for measuring, or a manager. */
export async function recordMeasurement(deps: Deps, actor: Actor, scopeId: string, measureId: string, input: RecordMeasurementInput) {
  const role = requireScopePermission(actor, scopeId, 'measure:record');
  return deps.db.transaction().execute(async (tx) => {
    const measure = await repo.lockMeasure(tx, scopeId, measureId, deps.dialect === 'postgres');
    if (!measure) throw notFound('Measure');
    if (!canRecord(actor, measure, role)) throw forbidden(errorText('measure.whoRecords'));
    if (measure.status !== 'active') throw new AppError('invalid_state', errorText('measure.retired', { reference: measure.reference }));
    if (measure.source_kind === 'live')
      throw new AppError('invalid_state', errorText('measure.computed', { reference: measure.reference }));
    const now = isoNow(deps.clock);
    const measuredAt = input.measuredAt ? new Date(input.measuredAt).toISOString() : now;
    if (measuredAt > now) throw invalid('body.measuredAt', errorText('measure.measuredInFuture'));
    const row = await recordMeasurementTx(tx, deps, actor, measure, {
      value: input.value,
      measuredAt,
      comment: input.comment,
      evidenceUrl: input.evidenceUrl,
      source: actor.via === 'token' ? 'api' : 'manual',
    });
    // the next value is due one collection period after this one (or later, when this one was overdue)
    await repo.setNextDue(tx, measure.id, nextDueAfter(measuredAt.slice(0, 10), now.slice(0, 10), measure.collection_frequency));
    return (await presentMeasurements(tx, scopeId, measure.id, [await measurementRowOf(tx, measure.id, row.id)]))[0]!;
  });
}

async function measurementRowOf(db: Executor, measureId: string, id: string) {
  const row = (await repo.listMeasurements(db, measureId, { id }, 1, 0)).rows[0];
  if (row) return row;
  throw notFound('Measurement');
}

async function presentMeasurements(
  db: Executor,
  scopeId: string,
  measureId: string,
  rows: repo.MeasurementRow[],
): Promise<MeasurementResponse[]> {
  const ids = rows.map((r) => r.id);
  const { findings, tasks } = await repo.followUps(db, scopeId, measureId, ids);
  const findingOf = new Map(
    findings.map((f) => [f.source_record_id, { type: f.work_record_type, id: f.work_record_id, ref: f.work_record_ref }]),
  );
  const taskOf = new Map(tasks.map((t) => [t.purpose!.slice('analyse:'.length), { id: t.id, reference: t.reference }]));
  return rows.map((r) => ({
    id: r.id,
    measureId: r.measure_id,
    definitionVersion: r.definition_version,
    value: Number(r.value),
    status: r.status,
    measuredAt: r.measured_at,
    source: r.source,
    comment: r.comment,
    evidenceUrl: r.evidence_url,
    recordedBy: user(r.recorded_by, r.recorded_by_name, r.recorded_by_email),
    analysis: r.outcome
      ? { outcome: r.outcome, note: r.analysis_note ?? '', analysedAt: r.analysed_at ?? '', finding: findingOf.get(r.id) ?? null }
      : null,
    analysisTask: taskOf.get(r.id) ?? null,
  }));
}

export async function listMeasurementsOf(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  measureId: string,
  query: { page: number; pageSize: number; from?: string | undefined; to?: string | undefined; status?: MeasurementStatus | undefined },
) {
  requireScopePermission(actor, scopeId, 'measure:read');
  checkEndNotBeforeStart('querystring.to', query.from, query.to);
  const measure = await repo.findMeasure(deps.db, scopeId, measureId);
  if (!measure) throw notFound('Measure');
  const { page, pageSize, ...filter } = query;
  const result = await repo.listMeasurements(deps.db, measureId, filter, pageSize, (page - 1) * pageSize);
  return { items: await presentMeasurements(deps.db, scopeId, measureId, result.rows), total: result.total, page, pageSize };
}

/** The values of a measure for the chart: in a cycle of the scope, or between two dates, or all (up to 2000). */
export async function getTrend(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  measureId: string,
  query: { cycleId?: string | undefined; from?: string | undefined; to?: string | undefined },
): Promise<TrendResponse> {
  requireScopePermission(actor, scopeId, 'measure:read');
  checkEndNotBeforeStart('querystring.to', query.from, query.to);
  const measure = await repo.findMeasure(deps.db, scopeId, measureId);
  if (!measure) throw notFound('Measure');
  const cycles = await listCycles(deps.db, scopeId);
  let from = query.from ? `${query.from}T00:00:00.000Z` : null;
  let to = query.to ? `${query.to}T23:59:59.999Z` : null;
  if (query.cycleId) {
    const cycle = cycles.find((c) => c.id === query.cycleId);
    if (!cycle) throw invalid('querystring.cycleId', errorText('measure.cycleNotInScope'));
    from = `${cycle.starts_on}T00:00:00.000Z`;
    to = `${cycle.ends_on}T23:59:59.999Z`;
  }
  const points = await repo.trendPoints(deps.db, measureId, from, to);
  return {
    points: points.map((p) => ({
      measuredAt: p.measured_at,
      value: Number(p.value),
      status: p.status,
      definitionVersion: p.definition_version,
    })),
    target: Number(measure.target),
    breachAt: Number(measure.breach_at),
    direction: measure.direction,
    cycles: cycles.map((c) => ({ id: c.id, number: c.number, startsOn: c.starts_on, endsOn: c.ends_on })),
  };
}

/**
 * The analysis of a measurement in breach (or warning): by its analysis owner or a manager. A nonconformity or an
 * opportunity is handed to improvement (`measure.finding-raised`); "no action" needs its note. The analysis task is done.
 */
export async function analyseMeasurement(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  measureId: string,
  measurementId: string,
  input: AnalysisInput,
) {
  const role = requireScopePermission(actor, scopeId, 'measure:record');
  return deps.db.transaction().execute(async (tx) => {
    const measure = await repo.lockMeasure(tx, scopeId, measureId, deps.dialect === 'postgres');
    if (!measure) throw notFound('Measure');
    const m = await repo.findMeasurement(tx, measureId, measurementId);
    if (!m) throw notFound('Measurement');
    if (role !== 'manager' && measure.analysed_by !== actor.userId) throw forbidden(errorText('measure.whoAnalyses'));
    if (m.status === 'on_target') throw new AppError('invalid_state', errorText('measure.onTarget'));
    if (await repo.findAnalysis(tx, measurementId)) throw new AppError('invalid_state', errorText('measure.analysedAlready'));
    const now = isoNow(deps.clock);
    await repo.insertAnalysis(tx, {
      measurement_id: m.id,
      scope_id: scopeId,
      measure_id: measureId,
      outcome: input.outcome,
      note: input.note,
      analysed_by: actor.userId,
      analysed_at: now,
    });
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'analyse',
      recordType: 'measure',
      recordId: measure.id,
      recordRef: measure.reference,
      // the measurement by when it was taken and its value, as a person finds it (entries before them carry its id)
      changes: {
        analysis: {
          from: null,
          to: { measuredAt: m.measured_at, value: Number(m.value), outcome: input.outcome, note: input.note },
        },
      },
    });
    if (input.outcome !== 'no_action') {
      const value = `${Number(m.value)}${measure.unit ? ` ${measure.unit}` : ''}`;
      await deps.events.emit(tx, actor, 'measure.finding-raised', {
        scopeId,
        measureId: measure.id,
        measureRef: measure.reference,
        measurementId: m.id,
        kind: input.outcome,
        title: input.title?.trim() || `${measure.name}: ${value} on ${m.measured_at.slice(0, 10)} (${measure.reference})`,
        description: input.note,
        ownerId: measure.analysed_by,
      });
    }
    await settleWorkTx(tx, deps, actor, {
      scopeId,
      recordType: 'measure',
      recordId: measure.id,
      purposes: [`analyse:${m.id}`],
      outcome: 'done',
      note: {
        key: input.outcome === 'no_action' ? 'measures:note.analysedNoAction' : `measures:note.analysed.${input.outcome}`,
        params: { measureRef: measure.reference, name: actor.name },
      },
    });
    return (await presentMeasurements(tx, scopeId, measureId, [await measurementRowOf(tx, measureId, m.id)]))[0]!;
  });
}

/**
 * The `measures-due` sweep: every live measure whose due date has come is computed once for the period, whatever
 * instance runs it and however often: the due date moves on with a conditional update, and only the instance whose
 * update took computes and records the value, in the same transaction.
 */
export async function sweepMeasuresDue(deps: Deps): Promise<number> {
  const day = today(deps);
  let created = 0;
  for (let round = 0; round < 100; round++) {
    const due = await repo.findDueLiveMeasures(deps.db, day, 100);
    if (due.length === 0) break;
    for (const measure of due) {
      created += await deps.db.transaction().execute(async (tx) => {
        const next = nextDueAfter(measure.next_due_on!, day, measure.collection_frequency);
        if (!(await repo.claimDue(tx, measure.id, measure.next_due_on!, next))) return 0;
        const compute = measure.live_key ? liveComputations[measure.live_key] : undefined;
        if (!compute) return 0;
        const value = await compute({
          db: tx,
          dialect: deps.dialect,
          scopeId: measure.scope_id,
          today: day,
          since: `${subtractPeriod(day, measure.collection_frequency)}T00:00:00.000Z`,
          now: isoNow(deps.clock),
          param: measure.live_param,
        });
        if (value === null) return 0;
        await recordMeasurementTx(tx, deps, null, measure, {
          value,
          measuredAt: isoNow(deps.clock),
          comment: '',
          evidenceUrl: null,
          source: 'live',
        });
        return 1;
      });
    }
    if (due.length < 100) break;
  }
  return created;
}

/**
 * Read model for management review (ISO 27001 9.3.2 d): per active measure of the scope, its latest value in the
 * period with status, the number of breaches in the period and the trend. Two statements.
 */
export async function measurementSummary(db: Executor, scopeId: string, period: { from: string; to: string }) {
  const from = period.from.length === 10 ? `${period.from}T00:00:00.000Z` : period.from;
  const to = period.to.length === 10 ? `${period.to}T23:59:59.999Z` : period.to;
  const { rows, breaches } = await repo.summaryRows(db, scopeId, from, to);
  return rows.map((r) => {
    const latest = r.latest_value === null ? null : Number(r.latest_value);
    return {
      measureId: r.id,
      reference: r.reference,
      name: r.name,
      unit: r.unit,
      direction: r.direction,
      target: Number(r.target),
      breachAt: Number(r.breach_at),
      latest: latest === null ? null : { value: latest, status: r.latest_status as MeasurementStatus, measuredAt: r.latest_at as string },
      breaches: breaches.get(r.id) ?? 0,
      trend: trendOf(latest, r.previous_value === null ? null : Number(r.previous_value)),
    };
  });
}
export type MeasurementSummary = Awaited<ReturnType<typeof measurementSummary>>;
