import { sql } from 'kysely';
import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import type { Params, Shape } from '../../db/query-cache.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import type {
  MeasureAnalysisTable,
  MeasureLinkTable,
  MeasurementTable,
  MeasureTable,
  MeasureVersionTable,
} from './performance-evaluation.tables.ts';
import type { ListMeasuresQuery, MeasurementStatus } from './measure.schemas.ts';
import { builtInNamesIn } from './measure.texts.ts';

/** Kysely queries of performance evaluation: measures, their versions and links, measurements and their analysis. */

type Filter = Omit<ListMeasuresQuery, 'page' | 'pageSize'>;

/** What changes the list's SQL: which filters are given (their values are bound: MeasureValues). */
interface MeasureShape extends Shape {
  status: boolean;
  sourceKind: boolean;
  q: boolean;
  latest: boolean;
  /** the reader's language where built-in names are shown in other words than stored (they search and sort by those) */
  lang?: string;
}
interface MeasureValues extends Params {
  scopeId: string;
  status?: string;
  sourceKind?: string;
  pattern?: string;
  latest?: string;
}

function shapeOf(scopeId: string, f: Filter, lang: string = fallbackLanguage): [MeasureShape, MeasureValues] {
  const values: MeasureValues = { scopeId };
  if (f.status) values.status = f.status;
  if (f.sourceKind) values.sourceKind = f.sourceKind;
  if (f.q) values.pattern = containsPattern(f.q);
  if (f.latest) values.latest = f.latest;
  const shape: MeasureShape = { status: !!f.status, sourceKind: !!f.sourceKind, q: !!f.q, latest: !!f.latest };
  if (builtInNamesIn(lang).length > 0) shape.lang = lang;
  return [shape, values];
}

/**
 * A measure's name as the reader sees it: a built-in measure whose stored name is still the built-in English one reads
 * in the reader's language (`measure.texts.ts`), any other name as stored. The built-in names are the same for every
 * request of a language, so they belong to the statement's shape (bound as constants), not to its values.
 */
function shownName(lang: string | undefined) {
  const names = lang ? builtInNamesIn(lang) : [];
  if (names.length === 0) return sql<string>`${sql.ref('ms.name')}`;
  const cases = names.map(
    (n) => sql`when ${sql.ref('ms.live_key')} = ${n.liveKey} and ${sql.ref('ms.name')} = ${n.stored} then ${n.shown}`,
  );
  return sql<string>`(case ${sql.join(cases, sql` `)} else ${sql.ref('ms.name')} end)`;
}

/** The measures that the filters on the measure's own columns match. */
function filtered(db: Executor, s: MeasureShape, v: MeasureValues) {
  let q = db.selectFrom('measure as ms').where('ms.scope_id', '=', v.scopeId);
  if (s.status) q = q.where('ms.status', '=', v.status as MeasureTable['status']);
  if (s.sourceKind) q = q.where('ms.source_kind', '=', v.sourceKind as MeasureTable['source_kind']);
  if (s.q) {
    const pattern = v.pattern as string;
    // the name the reader sees (a built-in measure's in their language)
    q = q.where((eb) => eb.or([likeInsensitive(shownName(s.lang), pattern), likeInsensitive(eb.ref('ms.reference'), pattern)]));
  }
  return q;
}

/**
 * The measures of a scope with their latest and previous measurement: the latest value per measure is one correlated
 * lookup on (measure_id, measured_at) inside the page statement, so a list of any size is two statements.
 */
function listBase(db: Executor, s: MeasureShape, v: MeasureValues) {
  const latestId = (offset: number) =>
    sql<
      string | null
    >`(select m.id from measurement m where m.measure_id = ms.id order by m.measured_at desc, m.id desc limit 1 offset ${sql.lit(offset)})`;
  let withLatest = filtered(db, s, v)
    .leftJoin('measurement as l', (j) => j.on(sql<boolean>`l.id = ${latestId(0)}`))
    .leftJoin('measurement as p', (j) => j.on(sql<boolean>`p.id = ${latestId(1)}`));
  if (s.latest) withLatest = withLatest.where('l.status', '=', v.latest as MeasurementStatus);
  return withLatest;
}

function measureRows(db: Executor, s: MeasureShape, v: MeasureValues) {
  return listBase(db, s, v)
    .leftJoin('app_user as u', 'u.id', 'ms.measured_by')
    .selectAll('ms')
    .select([
      'u.name as measured_by_name',
      'u.email as measured_by_email',
      'l.id as latest_id',
      'l.value as latest_value',
      'l.status as latest_status',
      'l.measured_at as latest_at',
      'p.value as previous_value',
    ])
    .orderBy(s.lang ? shownName(s.lang) : sql.ref('ms.name'))
    .orderBy('ms.id');
}

/**
 * The measures the filter matches, by name as a reader of `lang` sees it: for English readers in the order of the index
 * on (scope_id, name, id); for a reader who sees built-in names in other words, by those words (the scope's measures
 * sorted, since no index holds the shown names).
 */
export function listMeasureRows(db: Executor, scopeId: string, f: Filter, lang: string = fallbackLanguage) {
  return measureRows(db, ...shapeOf(scopeId, f, lang));
}
export type MeasureListRow = Awaited<ReturnType<ReturnType<typeof listMeasureRows>['execute']>>[number];

// the count needs the latest measurement only to filter by its status: without that filter it counts the measures alone
const measurePage = cachedList('measure.list', measureRows, (db, s: MeasureShape, v: MeasureValues) =>
  s.latest ? listBase(db, s, v) : filtered(db, s, v),
);

export function pageMeasures(db: Executor, scopeId: string, f: Filter, limit: number, offset: number, lang: string = fallbackLanguage) {
  return measurePage(db, ...shapeOf(scopeId, f, lang), limit, offset);
}

export const findMeasureRow = (db: Executor, scopeId: string, id: string) =>
  listMeasureRows(db, scopeId, {}).where('ms.id', '=', id).executeTakeFirst();

export const findMeasure = (db: Executor, scopeId: string, id: string) =>
  db.selectFrom('measure').selectAll().where('scope_id', '=', scopeId).where('id', '=', id).executeTakeFirst();

export const lockMeasure = (db: Executor, scopeId: string, id: string, lock: boolean) => {
  const q = db.selectFrom('measure').selectAll().where('scope_id', '=', scopeId).where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
};

export const findUsers = (db: Executor, ids: string[]) =>
  ids.length ? db.selectFrom('app_user').select(['id', 'name', 'email']).where('id', 'in', ids).execute() : Promise.resolve([]);

export const findVersions = (db: Executor, measureId: string) =>
  db.selectFrom('measure_version').selectAll().where('measure_id', '=', measureId).orderBy('definition_version').execute();

export const findVersion = (db: Executor, measureId: string, v: number) =>
  db.selectFrom('measure_version').selectAll().where('measure_id', '=', measureId).where('definition_version', '=', v).executeTakeFirst();

export const findLinks = (db: Executor, measureId: string) =>
  db.selectFrom('measure_link').selectAll().where('measure_id', '=', measureId).orderBy('target_type').orderBy('target_key').execute();

export const insertMeasure = (db: Executor, row: MeasureTable) => db.insertInto('measure').values(row).execute();
export const insertVersion = (db: Executor, row: MeasureVersionTable) => db.insertInto('measure_version').values(row).execute();

export async function replaceLinks(db: Executor, measureId: string, links: MeasureLinkTable[]) {
  await db.deleteFrom('measure_link').where('measure_id', '=', measureId).execute();
  if (links.length) await db.insertInto('measure_link').values(links).execute();
}

export async function updateMeasure(db: Executor, id: string, version: number, patch: Partial<MeasureTable>) {
  const r = await db
    .updateTable('measure')
    .set({ ...patch, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Moves the due date only if it is still the one read: of several instances running the sweep, one wins the period. */
export async function claimDue(db: Executor, id: string, dueOn: string, next: string) {
  const r = await db
    .updateTable('measure')
    .set({ next_due_on: next })
    .where('id', '=', id)
    .where('next_due_on', '=', dueOn)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export const setNextDue = (db: Executor, id: string, next: string) =>
  db.updateTable('measure').set({ next_due_on: next }).where('id', '=', id).execute();

/**
 * Live measures due on or before `today`, across scopes (index measure_due_idx), in a stable order (a scope's measures
 * by reference), so that the tasks a sweep opens are numbered alike however the rows lie on disk.
 */
export const findDueLiveMeasures = (db: Executor, today: string, limit: number) =>
  db
    .selectFrom('measure')
    .selectAll()
    .where('status', '=', 'active')
    .where('source_kind', '=', 'live')
    .where('next_due_on', '<=', today)
    .orderBy('next_due_on')
    .orderBy('scope_id')
    .orderBy('reference')
    .limit(limit)
    .execute();

export const existingLiveKeys = (db: Executor, scopeId: string) =>
  db
    .selectFrom('measure')
    .select('live_key')
    .where('scope_id', '=', scopeId)
    .where('source_kind', '=', 'live')
    .where('status', '=', 'active')
    .where('live_param', 'is', null)
    .execute();

export const insertMeasurement = (db: Executor, row: MeasurementTable) => db.insertInto('measurement').values(row).execute();

interface MeasurementShape extends Shape {
  from: boolean;
  to: boolean;
  status: boolean;
  id: boolean;
}
interface MeasurementValues extends Params {
  measureId: string;
  /** the first instant of the `from` day */
  from?: string;
  /** the last instant of the `to` day */
  to?: string;
  status?: MeasurementStatus;
  id?: string;
}

function measurementsFiltered(db: Executor, s: MeasurementShape, v: MeasurementValues) {
  let q = db.selectFrom('measurement as m').where('m.measure_id', '=', v.measureId);
  if (s.from) q = q.where('m.measured_at', '>=', v.from as string);
  if (s.to) q = q.where('m.measured_at', '<=', v.to as string);
  if (s.status) q = q.where('m.status', '=', v.status as MeasurementStatus);
  if (s.id) q = q.where('m.id', '=', v.id as string);
  return q;
}

const measurementPage = cachedList(
  'measurement.list',
  (db, s: MeasurementShape, v: MeasurementValues) =>
    measurementsFiltered(db, s, v)
      .leftJoin('app_user as u', 'u.id', 'm.recorded_by')
      .leftJoin('measure_analysis as a', 'a.measurement_id', 'm.id')
      .selectAll('m')
      .select(['u.name as recorded_by_name', 'u.email as recorded_by_email', 'a.outcome', 'a.note as analysis_note', 'a.analysed_at'])
      .orderBy('m.measured_at', 'desc')
      .orderBy('m.id', 'desc'),
  measurementsFiltered,
);

/** A measure's measurements, newest first, and the total: two statements, compiled once per shape (query-cache.ts). */
export function listMeasurements(
  db: Executor,
  measureId: string,
  f: { from?: string | undefined; to?: string | undefined; status?: MeasurementStatus | undefined; id?: string | undefined },
  limit: number,
  offset: number,
) {
  const values: MeasurementValues = { measureId };
  if (f.from) values.from = `${f.from}T00:00:00.000Z`;
  if (f.to) values.to = `${f.to}T23:59:59.999Z`;
  if (f.status) values.status = f.status;
  if (f.id) values.id = f.id;
  return measurementPage(db, { from: !!f.from, to: !!f.to, status: !!f.status, id: !!f.id }, values, limit, offset);
}
export type MeasurementRow = Awaited<ReturnType<typeof listMeasurements>>['rows'][number];

export const findMeasurement = (db: Executor, measureId: string, id: string) =>
  db.selectFrom('measurement').selectAll().where('measure_id', '=', measureId).where('id', '=', id).executeTakeFirst();

/** The values of a measure in a window, oldest first (the trend chart), on (measure_id, measured_at). */
export const trendPoints = (db: Executor, measureId: string, from: string | null, to: string | null) => {
  let q = db.selectFrom('measurement').select(['measured_at', 'value', 'status', 'definition_version']).where('measure_id', '=', measureId);
  if (from) q = q.where('measured_at', '>=', from);
  if (to) q = q.where('measured_at', '<=', to);
  return q.orderBy('measured_at').limit(2000).execute();
};

export const findAnalysis = (db: Executor, measurementId: string) =>
  db.selectFrom('measure_analysis').selectAll().where('measurement_id', '=', measurementId).executeTakeFirst();
export const insertAnalysis = (db: Executor, row: MeasureAnalysisTable) => db.insertInto('measure_analysis').values(row).execute();

/** The findings handed to improvement from these measurements (the hand-off ledger's rows), and the open analysis tasks. */
export async function followUps(db: Executor, scopeId: string, measureId: string, measurementIds: string[]) {
  if (measurementIds.length === 0) return { findings: [], tasks: [] };
  const [findings, tasks] = await Promise.all([
    db
      .selectFrom('handoff')
      .select(['source_record_id', 'work_record_type', 'work_record_id', 'work_record_ref'])
      .where('scope_id', '=', scopeId)
      .where('source_record_type', '=', 'measurement')
      .where('source_record_id', 'in', measurementIds)
      .execute(),
    db
      .selectFrom('task')
      .select(['id', 'reference', 'purpose'])
      .where('origin_record_type', '=', 'measure')
      .where('origin_record_id', '=', measureId)
      .where('status', 'in', ['open', 'in_progress'])
      .where(
        'purpose',
        'in',
        measurementIds.map((id) => `analyse:${id}`),
      )
      .execute(),
  ]);
  return { findings, tasks };
}

/**
 * The read model for management review over a period: per active measure its latest value in the period, the value
 * before it, and the number of breaches in the period. Two statements whatever the number of measures.
 */
export async function summaryRows(db: Executor, scopeId: string, from: string, to: string) {
  const inPeriod = (offset: number) =>
    sql<string | null>`(select m.id from measurement m where m.measure_id = ms.id and m.measured_at >= ${from} and m.measured_at <= ${to}
      order by m.measured_at desc, m.id desc limit 1 offset ${sql.lit(offset)})`;
  const [rows, breaches] = await Promise.all([
    db
      .selectFrom('measure as ms')
      .leftJoin('measurement as l', (j) => j.on(sql<boolean>`l.id = ${inPeriod(0)}`))
      .leftJoin('measurement as p', (j) => j.on(sql<boolean>`p.id = ${inPeriod(1)}`))
      .select([
        'ms.id',
        'ms.reference',
        'ms.name',
        'ms.unit',
        'ms.direction',
        'ms.target',
        'ms.breach_at',
        'l.value as latest_value',
        'l.status as latest_status',
        'l.measured_at as latest_at',
        'p.value as previous_value',
      ])
      .where('ms.scope_id', '=', scopeId)
      .where('ms.status', '=', 'active')
      .orderBy('ms.name')
      .execute(),
    db
      .selectFrom('measurement')
      .select(['measure_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('scope_id', '=', scopeId)
      .where('status', '=', 'breach')
      .where('measured_at', '>=', from)
      .where('measured_at', '<=', to)
      .groupBy('measure_id')
      .execute(),
  ]);
  return { rows, breaches: new Map(breaches.map((b) => [b.measure_id, Number(b.n)])) };
}
