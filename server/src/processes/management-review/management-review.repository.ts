import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { cachedList } from '../../db/paging.ts';
import type { Params, Shape } from '../../db/query-cache.ts';
import type { ManagementReviewAttendeeTable, ManagementReviewDecisionTable, ManagementReviewTable } from './management-review.tables.ts';
import type { ListReviewsQuery, ReviewStatus } from './management-review.schemas.ts';

const reviewRows = (db: Executor) =>
  db
    .selectFrom('management_review as r')
    .leftJoin('app_user as c', 'c.id', 'r.chair_id')
    .leftJoin('app_user as a', 'a.id', 'r.approved_by')
    .selectAll('r')
    .select([
      'c.name as chair_name',
      'c.email as chair_email',
      'a.name as approver_name',
      'a.email as approver_email',
      (eb) =>
        eb
          .selectFrom('membership as m')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('m.scope_id', '=', 'r.scope_id')
          .whereRef('m.user_id', '=', 'r.chair_id')
          .as('chair_member'),
      (eb) =>
        eb
          .selectFrom('management_review_decision as d')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('d.review_id', '=', 'r.id')
          .as('decision_count'),
    ]);
export type ReviewRow = Awaited<ReturnType<ReturnType<typeof reviewRows>['executeTakeFirstOrThrow']>>;

export const findReview = (db: Executor, scopeId: string, id: string) =>
  reviewRows(db).where('r.scope_id', '=', scopeId).where('r.id', '=', id).executeTakeFirst();

export async function insertReview(db: Executor, row: ManagementReviewTable) {
  await db.insertInto('management_review').values(row).execute();
}

interface ReviewShape extends Shape {
  status: boolean;
  q: boolean;
}
interface ReviewValues extends Params {
  scopeId: string;
  status?: string;
  pattern?: string;
}

// the same conditions on the page and on the count, so that the page is read in the order of an index (migration 0030)
const reviewConditions = (s: ReviewShape, v: ReviewValues) => (eb: ExpressionBuilder<DB & { r: ManagementReviewTable }, 'r'>) => {
  const terms: Expression<SqlBool>[] = [eb('r.scope_id', '=', v.scopeId)];
  if (s.status) terms.push(eb('r.status', '=', v.status as ManagementReviewTable['status']));
  if (s.q) {
    const pattern = v.pattern as string;
    terms.push(eb.or([likeInsensitive(eb.ref('r.title'), pattern), likeInsensitive(eb.ref('r.reference'), pattern)]));
  }
  return eb.and(terms);
};

const reviewPage = cachedList(
  'management-review.list',
  (db, s: ReviewShape, v: ReviewValues) =>
    reviewRows(db).where(reviewConditions(s, v)).orderBy('r.planned_on', 'desc').orderBy('r.reference', 'desc'),
  (db, s: ReviewShape, v: ReviewValues) => db.selectFrom('management_review as r').where(reviewConditions(s, v)),
);

export async function listReviews(
  db: Executor,
  scopeId: string,
  q: Omit<ListReviewsQuery, 'page' | 'pageSize'>,
  limit: number,
  offset: number,
) {
  const needle = q.q?.trim();
  const values: ReviewValues = { scopeId };
  if (q.status) values.status = q.status;
  if (needle) values.pattern = containsPattern(needle);
  return reviewPage(db, { status: !!q.status, q: !!needle }, values, limit, offset);
}

export const findAttendees = (db: Executor, reviewId: string) =>
  db
    .selectFrom('management_review_attendee as a')
    .innerJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['u.id', 'u.name', 'u.email', 'a.present'])
    .where('a.review_id', '=', reviewId)
    .orderBy('u.name')
    .execute();

export async function replaceAttendees(db: Executor, reviewId: string, rows: ManagementReviewAttendeeTable[]) {
  await db.deleteFrom('management_review_attendee').where('review_id', '=', reviewId).execute();
  if (rows.length) await db.insertInto('management_review_attendee').values(rows).execute();
}

/**
 * The status of the record each decision created, read beside the decision: done when the nonconformity is closed,
 * the opportunity implemented or rejected, the change verified, closed or rejected, the task done or cancelled.
 */
const decisionRows = (db: Executor) =>
  db
    .selectFrom('management_review_decision as d')
    .innerJoin('management_review as r', 'r.id', 'd.review_id')
    .leftJoin('app_user as u', 'u.id', 'd.owner_id')
    .leftJoin('nonconformity as nc', (j) => j.onRef('nc.id', '=', 'd.record_id').on('d.record_type', '=', 'nonconformity'))
    .leftJoin('improvement_opportunity as o', (j) =>
      j.onRef('o.id', '=', 'd.record_id').on('d.record_type', '=', 'improvement_opportunity'),
    )
    .leftJoin('change_request as cr', (j) => j.onRef('cr.id', '=', 'd.record_id').on('d.record_type', '=', 'change_request'))
    .leftJoin('task as t', (j) => j.onRef('t.id', '=', 'd.record_id').on('d.record_type', '=', 'task'))
    .selectAll('d')
    .select([
      'r.reference as review_ref',
      'u.name as owner_name',
      'u.email as owner_email',
      sql<string | null>`coalesce(nc.status, o.status, cr.status, t.status)`.as('record_status'),
    ]);
export type DecisionRow = Awaited<ReturnType<ReturnType<typeof decisionRows>['executeTakeFirstOrThrow']>>;

export const doneStatuses = ['closed', 'implemented', 'rejected', 'verified', 'done', 'cancelled'] as const;

export const findDecisions = (db: Executor, reviewId: string) =>
  decisionRows(db).where('d.review_id', '=', reviewId).orderBy('d.position').execute();

/** The decisions of the scope's other reviews (9.3.2 a), newest first (at most 500). */
export const findEarlierDecisions = (db: Executor, scopeId: string, reviewId: string) =>
  decisionRows(db)
    .where('d.scope_id', '=', scopeId)
    .where('d.review_id', '!=', reviewId)
    .orderBy('d.created_at', 'desc')
    .limit(500)
    .execute();

export async function insertDecision(db: Executor, row: ManagementReviewDecisionTable) {
  await db.insertInto('management_review_decision').values(row).execute();
}

export async function nextDecisionPosition(db: Executor, reviewId: string): Promise<number> {
  const row = await db
    .selectFrom('management_review_decision')
    .select((eb) => eb.fn.max<number>('position').as('p'))
    .where('review_id', '=', reviewId)
    .executeTakeFirst();
  return Number(row?.p ?? 0) + 1;
}

/** The period end of the scope's latest review held (or later), for the next review's period. */
export const findLastHeldPeriodEnd = (db: Executor, scopeId: string) =>
  db
    .selectFrom('management_review')
    .select('period_to')
    .where('scope_id', '=', scopeId)
    .where('status', 'in', ['held', 'approved', 'closed'] satisfies ReviewStatus[])
    .orderBy('period_to', 'desc')
    .limit(1)
    .executeTakeFirst();

/** The cockpit's summary: the last review held, and the decisions whose record is still open. Two statements. */
export async function summary(db: Executor, scopeId: string) {
  const [last, open] = await Promise.all([
    db
      .selectFrom('management_review')
      .select(['id', 'reference', 'title', 'held_at'])
      .where('scope_id', '=', scopeId)
      .where('status', 'in', ['held', 'approved', 'closed'] satisfies ReviewStatus[])
      .orderBy('held_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom(decisionRows(db).where('d.scope_id', '=', scopeId).as('x'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('x.record_status', 'is', null), eb('x.record_status', 'not in', [...doneStatuses])]))
      .executeTakeFirst(),
  ]);
  return { last, open: Number(open?.n ?? 0) };
}

export const findScopeProcess = (db: Executor, scopeId: string, processKey: string) =>
  db
    .selectFrom('scope_process')
    .select(['id', 'owner_id'])
    .where('scope_id', '=', scopeId)
    .where('process_key', '=', processKey)
    .executeTakeFirst();
