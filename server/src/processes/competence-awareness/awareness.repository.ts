import { type Kysely, sql } from 'kysely';
import { containsInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

/**
 * Facts behind the dashboard, one row per person and item: the acknowledgements of each published document's current
 * version, and each person's latest round of every active course. `done` and `overdue` are 0/1 so that SUM counts them.
 */
function facts(db: Executor, scopeId: string, today: string) {
  const acks = db
    .selectFrom('document_acknowledgement as da')
    .innerJoin('document as d', (j) => j.onRef('d.id', '=', 'da.document_id').onRef('d.current_version_id', '=', 'da.document_version_id'))
    .where('da.scope_id', '=', scopeId)
    .where('d.status', '=', 'published')
    .select([
      'da.user_id',
      sql<string>`'policy'`.as('kind'),
      'da.document_id as item_id',
      'da.due_on',
      sql<number>`case when da.acknowledged_at is not null then 1 else 0 end`.as('done'),
      sql<number>`case when da.acknowledged_at is null and da.due_on < ${today} then 1 else 0 end`.as('overdue'),
    ]);
  const trainings = db
    .selectFrom('training_assignment as ta')
    .innerJoin('training_course as c', 'c.id', 'ta.course_id')
    .where('ta.scope_id', '=', scopeId)
    .where('c.status', '=', 'active')
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
  return acks.unionAll(trainings);
}

const n = (v: unknown) => Number(v ?? 0);

export async function policyRates(db: Executor, scopeId: string, today: string) {
  const rows = await db
    .selectFrom('document_acknowledgement as da')
    .innerJoin('document as d', (j) => j.onRef('d.id', '=', 'da.document_id').onRef('d.current_version_id', '=', 'da.document_version_id'))
    .where('da.scope_id', '=', scopeId)
    .where('d.status', '=', 'published')
    .groupBy(['d.id', 'd.reference', 'd.title'])
    .select([
      'd.id',
      'd.reference',
      'd.title',
      (eb) => eb.fn.countAll<number>().as('assigned'),
      sql<number>`sum(case when da.acknowledged_at is not null then 1 else 0 end)`.as('done'),
      sql<number>`sum(case when da.acknowledged_at is null and da.due_on < ${today} then 1 else 0 end)`.as('overdue'),
    ])
    .orderBy('d.reference')
    .execute();
  return rows.map((r) => ({ ...r, assigned: n(r.assigned), done: n(r.done), overdue: n(r.overdue) }));
}

export async function courseRates(db: Executor, scopeId: string, today: string) {
  const f = facts(db, scopeId, today);
  const rows = await (db as Kysely<DB>)
    .selectFrom(f.as('f'))
    .innerJoin('training_course as c', 'c.id', 'f.item_id')
    .where('f.kind', '=', 'training')
    .groupBy(['c.id', 'c.reference', 'c.title'])
    .select([
      'c.id',
      'c.reference',
      'c.title',
      (eb) => eb.fn.countAll<number>().as('assigned'),
      (eb) => eb.fn.sum<number>('f.done').as('done'),
      (eb) => eb.fn.sum<number>('f.overdue').as('overdue'),
    ])
    .orderBy('c.reference')
    .execute();
  return rows.map((r) => ({ ...r, assigned: n(r.assigned), done: n(r.done), overdue: n(r.overdue) }));
}

/** Counts per scope role and kind, in one grouped statement. */
export async function ratesByScopeRole(db: Executor, scopeId: string, today: string) {
  const rows = await (db as Kysely<DB>)
    .selectFrom(facts(db, scopeId, today).as('f'))
    .innerJoin('membership as m', (j) => j.onRef('m.user_id', '=', 'f.user_id').on('m.scope_id', '=', scopeId))
    .groupBy(['m.role', 'f.kind'])
    .select([
      'm.role as key',
      'f.kind',
      (eb) => eb.fn.countAll<number>().as('assigned'),
      (eb) => eb.fn.sum<number>('f.done').as('done'),
      (eb) => eb.fn.sum<number>('f.overdue').as('overdue'),
    ])
    .execute();
  return rows.map((r) => ({ key: r.key as string | null, kind: r.kind, assigned: n(r.assigned), done: n(r.done), overdue: n(r.overdue) }));
}

/** Counts per department and kind, in one grouped statement (people without a department under null). */
export async function ratesByDepartment(db: Executor, scopeId: string, today: string) {
  const rows = await (db as Kysely<DB>)
    .selectFrom(facts(db, scopeId, today).as('f'))
    .leftJoin('person_profile as p', (j) => j.onRef('p.user_id', '=', 'f.user_id').on('p.scope_id', '=', scopeId))
    .groupBy(['p.department', 'f.kind'])
    .select([
      'p.department as key',
      'f.kind',
      (eb) => eb.fn.countAll<number>().as('assigned'),
      (eb) => eb.fn.sum<number>('f.done').as('done'),
      (eb) => eb.fn.sum<number>('f.overdue').as('overdue'),
    ])
    .execute();
  return rows.map((r) => ({ key: r.key, kind: r.kind, assigned: n(r.assigned), done: n(r.done), overdue: n(r.overdue) }));
}

/**
 * One row per person with anything assigned: counts per kind and the oldest overdue due date. `overdueOnly` keeps the
 * people with something overdue (the overdue list); without limit it is the export.
 */
function peopleSummary(
  db: Executor,
  scopeId: string,
  today: string,
  f: { overdueOnly: boolean; q?: string | undefined; department?: string | undefined },
) {
  let q = (db as Kysely<DB>)
    .selectFrom(facts(db, scopeId, today).as('f'))
    .innerJoin('app_user as u', 'u.id', 'f.user_id')
    .leftJoin('membership as m', (j) => j.onRef('m.user_id', '=', 'f.user_id').on('m.scope_id', '=', scopeId))
    .leftJoin('person_profile as p', (j) => j.onRef('p.user_id', '=', 'f.user_id').on('p.scope_id', '=', scopeId))
    .groupBy(['u.id', 'u.name', 'u.email', 'm.role', 'p.department']);
  if (f.q) {
    const needle = f.q;
    q = q.where((eb) => eb.or([containsInsensitive(eb.ref('u.name'), needle), containsInsensitive(eb.ref('u.email'), needle)]));
  }
  if (f.department) q = q.where('p.department', '=', f.department);
  if (f.overdueOnly) q = q.having((eb) => eb.fn.sum('f.overdue'), '>', 0);
  return q;
}

export async function listPeopleSummary(
  db: Executor,
  scopeId: string,
  today: string,
  f: { overdueOnly: boolean; q?: string | undefined; department?: string | undefined },
  page: { limit: number; offset: number } | null,
) {
  let rowsQ = peopleSummary(db, scopeId, today, f)
    .select([
      'u.id',
      'u.name',
      'u.email',
      'm.role',
      'p.department',
      sql<number>`sum(case when f.kind = 'policy' then 1 else 0 end)`.as('policies_assigned'),
      sql<number>`sum(case when f.kind = 'policy' then f.done else 0 end)`.as('policies_done'),
      sql<number>`sum(case when f.kind = 'policy' then f.overdue else 0 end)`.as('policies_overdue'),
      sql<number>`sum(case when f.kind = 'training' then 1 else 0 end)`.as('trainings_assigned'),
      sql<number>`sum(case when f.kind = 'training' then f.done else 0 end)`.as('trainings_done'),
      sql<number>`sum(case when f.kind = 'training' then f.overdue else 0 end)`.as('trainings_overdue'),
      sql<string | null>`min(case when f.overdue = 1 then f.due_on end)`.as('oldest_overdue_on'),
    ])
    .$if(f.overdueOnly, (qb) => qb.orderBy(sql`min(case when f.overdue = 1 then f.due_on end)`))
    .orderBy('u.name')
    .orderBy('u.id');
  if (page) rowsQ = rowsQ.limit(page.limit).offset(page.offset);
  const mapRows = (rows: Awaited<ReturnType<typeof rowsQ.execute>>) =>
    rows.map((r) => ({
      ...r,
      policies_assigned: n(r.policies_assigned),
      policies_done: n(r.policies_done),
      policies_overdue: n(r.policies_overdue),
      trainings_assigned: n(r.trainings_assigned),
      trainings_done: n(r.trainings_done),
      trainings_overdue: n(r.trainings_overdue),
    }));
  if (!page) return { rows: mapRows(await rowsQ.execute()), total: null };
  const [rows, count] = await Promise.all([
    rowsQ.execute(),
    (db as Kysely<DB>)
      .selectFrom(peopleSummary(db, scopeId, today, f).select('u.id').as('g'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: mapRows(rows), total: n(count.n) };
}
