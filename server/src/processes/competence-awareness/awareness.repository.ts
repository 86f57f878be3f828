import { type Kysely, sql } from 'kysely';
import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import type { Params, Shape } from '../../db/query-cache.ts';
import type { DB } from '../../db/schema.ts';

/*
 * The dashboard's facts, one row per person and item: the acknowledgements of each published document's current
 * version, and each person's latest round of every active course. `done` and `overdue` are 0/1 so that SUM counts
 * them; only current members of the scope count. Queries aggregate first (per version, per course, per person) and join names afterwards, so that the joins
 * touch a few thousand grouped rows rather than every acknowledgement; the covering indexes of migration 0012 let
 * both databases read the facts from the indexes alone.
 */

const k = (db: Executor) => db as Kysely<DB>;
const n = (v: unknown) => Number(v ?? 0);

const currentVersions = (db: Executor, scopeId: string) =>
  db
    .selectFrom('document')
    .select('document.current_version_id')
    .where('document.scope_id', '=', scopeId)
    .where('document.status', '=', 'published')
    .where('document.current_version_id', 'is not', null);

/** people who left the scope no longer count */
const members = (db: Executor, scopeId: string) =>
  db.selectFrom('membership').select('membership.user_id').where('membership.scope_id', '=', scopeId);

function ackFacts(db: Executor, scopeId: string, today: string) {
  return db
    .selectFrom('document_acknowledgement as da')
    .where('da.scope_id', '=', scopeId)
    .where('da.document_version_id', 'in', currentVersions(db, scopeId))
    .where('da.user_id', 'in', members(db, scopeId))
    .select([
      'da.user_id',
      sql<string>`'policy'`.as('kind'),
      'da.document_version_id as item_id',
      'da.due_on',
      sql<number>`case when da.acknowledged_at is not null then 1 else 0 end`.as('done'),
      sql<number>`case when da.acknowledged_at is null and da.due_on < ${today} then 1 else 0 end`.as('overdue'),
    ]);
}

function trainingFacts(db: Executor, scopeId: string, today: string) {
  return db
    .selectFrom('training_assignment as ta')
    .where('ta.scope_id', '=', scopeId)
    .where(
      'ta.course_id',
      'in',
      db.selectFrom('training_course').select('id').where('scope_id', '=', scopeId).where('status', '=', 'active'),
    )
    .where('ta.user_id', 'in', members(db, scopeId))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('training_assignment as n')
            .select('n.id')
            .whereRef('n.course_id', '=', 'ta.course_id')
            .whereRef('n.user_id', '=', 'ta.user_id')
            .whereRef('n.round', '>', 'ta.round'),
        ),
      ),
    )
    .select([
      'ta.user_id',
      sql<string>`'training'`.as('kind'),
      'ta.course_id as item_id',
      'ta.due_on',
      sql<number>`case when ta.completed_at is not null then 1 else 0 end`.as('done'),
      sql<number>`case when ta.completed_at is null and ta.due_on < ${today} then 1 else 0 end`.as('overdue'),
    ]);
}

/** Acknowledgement counts per published policy (its current version). */
export async function policyRates(db: Executor, scopeId: string, today: string) {
  const rows = await k(db)
    .selectFrom(
      ackFacts(db, scopeId, today)
        .clearSelect()
        .select([
          'da.document_version_id',
          (eb) => eb.fn.countAll<number>().as('assigned'),
          sql<number>`sum(case when da.acknowledged_at is not null then 1 else 0 end)`.as('done'),
          sql<number>`sum(case when da.acknowledged_at is null and da.due_on < ${today} then 1 else 0 end)`.as('overdue'),
        ])
        .groupBy('da.document_version_id')
        .as('g'),
    )
    .innerJoin('document as d', 'd.current_version_id', 'g.document_version_id')
    .select(['d.id', 'd.reference', 'd.title', 'g.assigned', 'g.done', 'g.overdue'])
    .orderBy('d.reference')
    .execute();
  return rows.map((r) => ({ ...r, assigned: n(r.assigned), done: n(r.done), overdue: n(r.overdue) }));
}

/** Completion counts per active course (each person's latest round). */
export async function courseRates(db: Executor, scopeId: string, today: string) {
  const rows = await k(db)
    .selectFrom(
      k(db)
        .selectFrom(trainingFacts(db, scopeId, today).as('f'))
        .select([
          'f.item_id',
          (eb) => eb.fn.countAll<number>().as('assigned'),
          (eb) => eb.fn.sum<number>('f.done').as('done'),
          (eb) => eb.fn.sum<number>('f.overdue').as('overdue'),
        ])
        .groupBy('f.item_id')
        .as('g'),
    )
    .innerJoin('training_course as c', 'c.id', 'g.item_id')
    .select(['c.id', 'c.reference', 'c.title', 'g.assigned', 'g.done', 'g.overdue'])
    .orderBy('c.reference')
    .execute();
  return rows.map((r) => ({ ...r, assigned: n(r.assigned), done: n(r.done), overdue: n(r.overdue) }));
}

/**
 * Per person and kind: assigned, done, overdue and the oldest overdue due date. Each kind is grouped on its own table
 * (in index order, per person), and only the grouped rows are combined.
 */
const perPerson = (db: Executor, scopeId: string, today: string) => {
  const byPerson = (f: ReturnType<typeof ackFacts> | ReturnType<typeof trainingFacts>, kind: string) =>
    k(db)
      .selectFrom(f.as('f'))
      .select([
        'f.user_id',
        sql<string>`${sql.lit(kind)}`.as('kind'),
        (eb) => eb.fn.countAll<number>().as('assigned'),
        (eb) => eb.fn.sum<number>('f.done').as('done'),
        (eb) => eb.fn.sum<number>('f.overdue').as('overdue'),
        sql<string | null>`min(case when f.overdue = 1 then f.due_on end)`.as('oldest_overdue_on'),
      ])
      .groupBy('f.user_id');
  return byPerson(ackFacts(db, scopeId, today), 'policy').unionAll(byPerson(trainingFacts(db, scopeId, today), 'training'));
};

/**
 * Counts per (scope role, department, kind) in one grouped statement; the service folds these few rows into the views
 * by role and by department (people without a department under null).
 */
export async function ratesByRoleAndDepartment(db: Executor, scopeId: string, today: string) {
  const rows = await k(db)
    .selectFrom(perPerson(db, scopeId, today).as('u'))
    .innerJoin('membership as m', (j) => j.onRef('m.user_id', '=', 'u.user_id').on('m.scope_id', '=', scopeId))
    .leftJoin('person_profile as p', (j) => j.onRef('p.user_id', '=', 'u.user_id').on('p.scope_id', '=', scopeId))
    .groupBy(['m.role', 'p.department', 'u.kind'])
    .select([
      'm.role',
      'p.department',
      'u.kind',
      (eb) => eb.fn.sum<number>('u.assigned').as('assigned'),
      (eb) => eb.fn.sum<number>('u.done').as('done'),
      (eb) => eb.fn.sum<number>('u.overdue').as('overdue'),
    ])
    .execute();
  return rows.map((r) => ({
    role: r.role,
    department: r.department,
    kind: r.kind,
    assigned: n(r.assigned),
    done: n(r.done),
    overdue: n(r.overdue),
  }));
}

/**
 * One row per person with anything assigned: counts per kind (pivoted) and the oldest overdue due date, aggregated
 * per person before the names are joined. `overdueOnly` keeps the people with something overdue (the overdue list,
 * longest overdue first); without a page it is the export, by name.
 */
interface SummaryShape extends Shape {
  overdueOnly: boolean;
  q: boolean;
  department: boolean;
}
interface SummaryValues extends Params {
  scopeId: string;
  today: string;
  pattern?: string;
  department?: string;
}

function peopleSummary(db: Executor, sh: SummaryShape, v: SummaryValues) {
  const { scopeId, today } = v;
  const f = sh;
  const pivot = k(db)
    .selectFrom(perPerson(db, scopeId, today).as('u'))
    .select([
      'u.user_id',
      sql<number>`sum(case when u.kind = 'policy' then u.assigned else 0 end)`.as('policies_assigned'),
      sql<number>`sum(case when u.kind = 'policy' then u.done else 0 end)`.as('policies_done'),
      sql<number>`sum(case when u.kind = 'policy' then u.overdue else 0 end)`.as('policies_overdue'),
      sql<number>`sum(case when u.kind = 'training' then u.assigned else 0 end)`.as('trainings_assigned'),
      sql<number>`sum(case when u.kind = 'training' then u.done else 0 end)`.as('trainings_done'),
      sql<number>`sum(case when u.kind = 'training' then u.overdue else 0 end)`.as('trainings_overdue'),
      sql<string | null>`min(u.oldest_overdue_on)`.as('oldest_overdue_on'),
    ])
    .groupBy('u.user_id')
    .$if(f.overdueOnly, (q) => q.having((eb) => eb.fn.sum('u.overdue'), '>', 0));
  let q = k(db)
    .selectFrom(pivot.as('s'))
    .innerJoin('app_user as usr', 'usr.id', 's.user_id')
    .leftJoin('membership as m', (j) => j.onRef('m.user_id', '=', 's.user_id').on('m.scope_id', '=', scopeId))
    .leftJoin('person_profile as p', (j) => j.onRef('p.user_id', '=', 's.user_id').on('p.scope_id', '=', scopeId));
  if (sh.q) {
    const pattern = v.pattern as string;
    q = q.where((eb) => eb.or([likeInsensitive(eb.ref('usr.name'), pattern), likeInsensitive(eb.ref('usr.email'), pattern)]));
  }
  if (sh.department) q = q.where('p.department', '=', v.department as string);
  return q;
}

export async function listPeopleSummary(
  db: Executor,
  scopeId: string,
  today: string,
  f: { overdueOnly: boolean; q?: string | undefined; department?: string | undefined },
  page: { limit: number; offset: number } | null,
) {
  const sh: SummaryShape = { overdueOnly: f.overdueOnly, q: !!f.q, department: !!f.department };
  const v: SummaryValues = { scopeId, today };
  if (f.q) v.pattern = containsPattern(f.q);
  if (f.department) v.department = f.department;
  const mapRows = (rows: Awaited<ReturnType<ReturnType<typeof summaryRows>['execute']>>) =>
    rows.map((r) => ({
      ...r,
      policies_assigned: n(r.policies_assigned),
      policies_done: n(r.policies_done),
      policies_overdue: n(r.policies_overdue),
      trainings_assigned: n(r.trainings_assigned),
      trainings_done: n(r.trainings_done),
      trainings_overdue: n(r.trainings_overdue),
    }));
  if (!page) return { rows: mapRows(await summaryRows(db, sh, v).execute()), total: null };
  const { rows, total, capped } = await summaryPage(db, sh, v, page.limit, page.offset);
  return { rows: mapRows(rows), total, capped };
}

function summaryRows(db: Executor, sh: SummaryShape, v: SummaryValues) {
  return peopleSummary(db, sh, v)
    .select([
      'usr.id',
      'usr.name',
      'usr.email',
      'm.role',
      'p.department',
      's.policies_assigned',
      's.policies_done',
      's.policies_overdue',
      's.trainings_assigned',
      's.trainings_done',
      's.trainings_overdue',
      's.oldest_overdue_on',
    ])
    .$if(sh.overdueOnly, (qb) => qb.orderBy('s.oldest_overdue_on'))
    .orderBy('usr.name')
    .orderBy('usr.id');
}

/** A page of people and its count, compiled once per shape (query-cache.ts). */
const summaryPage = cachedList('awareness-people.list', summaryRows, peopleSummary);
