import type { SelectQueryBuilder } from 'kysely';
import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import type { Params, Shape } from '../../db/query-cache.ts';
import type { DB } from '../../db/schema.ts';
import type {
  DocumentAcknowledgementTable,
  DocumentApprovalTable,
  DocumentReviewTable,
  DocumentTable,
  DocumentVersionTable,
} from './policy-management.tables.ts';

// ---------------------------------------------------------------- documents

export async function insertDocument(db: Executor, row: DocumentTable): Promise<void> {
  await db.insertInto('document').values(row).execute();
}

export type DocumentRow = DocumentTable & {
  owner_name: string | null;
  owner_email: string | null;
  cv_version_no: number | null;
  cv_status: string | null;
  cv_published_at: string | null;
};

/** Documents (a filtered query) with their owner and current version. */
const withJoins = (documents: SelectQueryBuilder<DB, 'document', object>) =>
  documents
    .leftJoin('app_user as owner', 'owner.id', 'document.owner_id')
    .leftJoin('document_version as cv', 'cv.id', 'document.current_version_id')
    .selectAll('document')
    .select([
      'owner.name as owner_name',
      'owner.email as owner_email',
      'cv.version_no as cv_version_no',
      'cv.status as cv_status',
      'cv.published_at as cv_published_at',
    ]);

export async function findDocument(db: Executor, scopeId: string, id: string): Promise<DocumentRow | undefined> {
  return (await withJoins(db.selectFrom('document'))
    .where('document.scope_id', '=', scopeId)
    .where('document.id', '=', id)
    .executeTakeFirst()) as DocumentRow | undefined;
}

export async function findDocumentById(db: Executor, id: string) {
  return db.selectFrom('document').selectAll().where('id', '=', id).executeTakeFirst();
}

const sortColumns = {
  reference: 'document.reference',
  title: 'document.title',
  updatedAt: 'document.updated_at',
  nextReviewOn: 'document.next_review_on',
} as const;

export interface DocumentFilter {
  type?: DocumentTable['doc_type'] | undefined;
  status?: DocumentTable['status'] | undefined;
  ownerId?: string | undefined;
  reviewDueBy?: string | undefined;
  q?: string | undefined;
  sort: keyof typeof sortColumns;
  dir: 'asc' | 'desc';
}

/** What changes the list's SQL: the sort and which filters are given (their values are bound: DocumentValues). */
interface DocumentShape extends Shape {
  sort: keyof typeof sortColumns;
  dir: 'asc' | 'desc';
  type: boolean;
  status: boolean;
  ownerId: boolean;
  reviewDueBy: boolean;
  q: boolean;
}

interface DocumentValues extends Params {
  scopeId: string;
  type?: string;
  status?: string;
  ownerId?: string;
  reviewDueBy?: string;
  pattern?: string;
}

function filteredDocuments(db: Executor, s: DocumentShape, v: DocumentValues) {
  let q = db.selectFrom('document').where('document.scope_id', '=', v.scopeId);
  if (s.type) q = q.where('document.doc_type', '=', v.type as DocumentTable['doc_type']);
  if (s.status) q = q.where('document.status', '=', v.status as DocumentTable['status']);
  if (s.ownerId) q = q.where('document.owner_id', '=', v.ownerId as string);
  if (s.reviewDueBy) q = q.where('document.status', '=', 'published').where('document.next_review_on', '<=', v.reviewDueBy as string);
  if (s.q) {
    const pattern = v.pattern as string;
    q = q.where((eb) =>
      eb.or([likeInsensitive(eb.ref('document.title'), pattern), likeInsensitive(eb.ref('document.reference'), pattern)]),
    );
  }
  return q;
}

const documentPage = cachedList(
  'document.list',
  (db, s: DocumentShape, v: DocumentValues) =>
    withJoins(filteredDocuments(db, s, v))
      .orderBy(sortColumns[s.sort], s.dir)
      .orderBy('document.reference', s.dir),
  filteredDocuments,
);

/** A page of documents with owner and current version, and the total: two statements, compiled once per shape. */
export async function listDocuments(db: Executor, scopeId: string, f: DocumentFilter, limit: number, offset: number) {
  const shape: DocumentShape = {
    sort: f.sort,
    dir: f.dir,
    type: !!f.type,
    status: !!f.status,
    ownerId: !!f.ownerId,
    reviewDueBy: !!f.reviewDueBy,
    q: !!f.q,
  };
  const values: DocumentValues = { scopeId };
  if (f.type) values.type = f.type;
  if (f.status) values.status = f.status;
  if (f.ownerId) values.ownerId = f.ownerId;
  if (f.reviewDueBy) values.reviewDueBy = f.reviewDueBy;
  if (f.q) values.pattern = containsPattern(f.q);
  const { rows, total, capped } = await documentPage(db, shape, values, limit, offset);
  return { rows: rows as DocumentRow[], total, capped };
}

/** The people a document names: its designated approvers, or the audience when it is addressed to named people. */
type DocumentPeople = 'document_approver' | 'document_audience_user';

async function findPeople(db: Executor, table: DocumentPeople, documentId: string) {
  // the alias gives both tables the same column references
  return db
    .selectFrom(`${table} as p` as 'document_approver as p')
    .innerJoin('app_user', 'app_user.id', 'p.user_id')
    .select(['app_user.id', 'app_user.name', 'app_user.email'])
    .where('p.document_id', '=', documentId)
    .orderBy('app_user.name')
    .execute();
}

async function replacePeople(db: Executor, table: DocumentPeople, documentId: string, userIds: string[]): Promise<void> {
  await db
    .deleteFrom(table as 'document_approver')
    .where('document_id', '=', documentId)
    .execute();
  for (let i = 0; i < userIds.length; i += CHUNK) {
    await db
      .insertInto(table as 'document_approver')
      .values(userIds.slice(i, i + CHUNK).map((user_id) => ({ document_id: documentId, user_id })))
      .execute();
  }
}

export const findApprovers = (db: Executor, documentId: string) => findPeople(db, 'document_approver', documentId);
export const findAudienceUsers = (db: Executor, documentId: string) => findPeople(db, 'document_audience_user', documentId);
export const replaceApprovers = (db: Executor, documentId: string, userIds: string[]) =>
  replacePeople(db, 'document_approver', documentId, userIds);
export const replaceAudienceUsers = (db: Executor, documentId: string, userIds: string[]) =>
  replacePeople(db, 'document_audience_user', documentId, userIds);

/** Scope members with their roles (the audience is resolved from them at publish time). */
export async function findMembers(db: Executor, scopeId: string) {
  return db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['membership.user_id', 'membership.role'])
    .where('membership.scope_id', '=', scopeId)
    .where('app_user.status', '!=', 'disabled')
    .execute();
}

export async function findMembersAmong(db: Executor, scopeId: string, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db.selectFrom('membership').select(['user_id', 'role']).where('scope_id', '=', scopeId).where('user_id', 'in', userIds).execute();
}

// ---------------------------------------------------------------- versions

export async function insertVersion(db: Executor, row: DocumentVersionTable): Promise<void> {
  await db.insertInto('document_version').values(row).execute();
}

export type VersionRow = DocumentVersionTable & {
  author_name: string | null;
  author_email: string | null;
  publisher_name: string | null;
  publisher_email: string | null;
};

const versionsWithUsers = (db: Executor) =>
  db
    .selectFrom('document_version')
    .leftJoin('app_user as author', 'author.id', 'document_version.author_id')
    .leftJoin('app_user as publisher', 'publisher.id', 'document_version.published_by')
    .selectAll('document_version')
    .select([
      'author.name as author_name',
      'author.email as author_email',
      'publisher.name as publisher_name',
      'publisher.email as publisher_email',
    ]);

/** Every version of a document, newest first, without the content (a list). */
export async function findVersions(db: Executor, documentId: string): Promise<VersionRow[]> {
  return (await versionsWithUsers(db)
    .where('document_version.document_id', '=', documentId)
    .orderBy('document_version.version_no', 'desc')
    .execute()) as VersionRow[];
}

export async function findVersion(db: Executor, documentId: string, versionId: string): Promise<VersionRow | undefined> {
  return (await versionsWithUsers(db)
    .where('document_version.document_id', '=', documentId)
    .where('document_version.id', '=', versionId)
    .executeTakeFirst()) as VersionRow | undefined;
}

export async function insertApproval(db: Executor, row: DocumentApprovalTable): Promise<void> {
  await db.insertInto('document_approval').values(row).execute();
}

export async function findApprovals(db: Executor, versionId: string) {
  return db
    .selectFrom('document_approval')
    .leftJoin('app_user', 'app_user.id', 'document_approval.approver_id')
    .selectAll('document_approval')
    .select(['app_user.name as approver_name', 'app_user.email as approver_email'])
    .where('document_approval.document_version_id', '=', versionId)
    .orderBy('document_approval.decided_at')
    .orderBy('document_approval.id')
    .execute();
}

/** ISO 27001 7.5.3 d): disposal removes the content of every version; metadata and approvals stay. */
export async function disposeContent(db: Executor, documentId: string, at: string): Promise<number> {
  const r = await db
    .updateTable('document_version')
    .set({
      content_md: null,
      file_id: null,
      file_name: null,
      file_media_type: null,
      file_size: null,
      content_disposed_at: at,
      updated_at: at,
    })
    .where('document_id', '=', documentId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function findFileIds(db: Executor, documentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('document_version')
    .select('file_id')
    .where('document_id', '=', documentId)
    .where('file_id', 'is not', null)
    .execute();
  return rows.map((r) => r.file_id!);
}

// ---------------------------------------------------------------- acknowledgements

/** Rows per insert statement: well below SQLite's and PostgreSQL's bound-parameter limits (11 columns a row). */
export const CHUNK = 500;

export async function insertAcknowledgements(db: Executor, rows: DocumentAcknowledgementTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('document_acknowledgement')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}

/** Acknowledged assignments of a version (carried over by a minor revision). */
export async function findAcknowledged(db: Executor, versionId: string) {
  return db
    .selectFrom('document_acknowledgement')
    .select(['id', 'user_id', 'acknowledged_at'])
    .where('document_version_id', '=', versionId)
    .where('acknowledged_at', 'is not', null)
    .execute();
}

/** Open assignments of a version that no longer is in force are withdrawn. */
export async function deleteOpenAcknowledgements(db: Executor, versionId: string): Promise<number> {
  const r = await db
    .deleteFrom('document_acknowledgement')
    .where('document_version_id', '=', versionId)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function acknowledgementSummary(db: Executor, versionId: string, today: string) {
  const row = await db
    .selectFrom('document_acknowledgement')
    .select((eb) => [
      eb.fn.countAll<number>().as('assigned'),
      eb.fn.count<number>('acknowledged_at').as('acknowledged'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('acknowledged_at', 'is', null), eb('due_on', '<', today)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('overdue'),
    ])
    .where('document_version_id', '=', versionId)
    .executeTakeFirstOrThrow();
  return { assigned: Number(row.assigned), acknowledged: Number(row.acknowledged), overdue: Number(row.overdue ?? 0) };
}

interface AckShape extends Shape {
  state: 'all' | 'acknowledged' | 'open' | 'overdue';
  q: boolean;
}
interface AckValues extends Params {
  versionId: string;
  today?: string;
  pattern?: string;
}

function acknowledgementsFiltered(db: Executor, sh: AckShape, v: AckValues) {
  let q = db
    .selectFrom('document_acknowledgement')
    .innerJoin('app_user', 'app_user.id', 'document_acknowledgement.user_id')
    .where('document_acknowledgement.document_version_id', '=', v.versionId);
  if (sh.state === 'acknowledged') q = q.where('document_acknowledgement.acknowledged_at', 'is not', null);
  if (sh.state === 'open') q = q.where('document_acknowledgement.acknowledged_at', 'is', null);
  if (sh.state === 'overdue')
    q = q.where('document_acknowledgement.acknowledged_at', 'is', null).where('document_acknowledgement.due_on', '<', v.today as string);
  if (sh.q) {
    const pattern = v.pattern as string;
    q = q.where((eb) => eb.or([likeInsensitive(eb.ref('app_user.name'), pattern), likeInsensitive(eb.ref('app_user.email'), pattern)]));
  }
  return q;
}

const acknowledgementPage = cachedList(
  'document-acknowledgement.list',
  (db, sh: AckShape, v: AckValues) =>
    acknowledgementsFiltered(db, sh, v)
      .selectAll('document_acknowledgement')
      .select(['app_user.name', 'app_user.email'])
      .orderBy('app_user.name')
      .orderBy('document_acknowledgement.id'),
  acknowledgementsFiltered,
);

/** A version's acknowledgements by person, and the total: two statements, compiled once per shape (query-cache.ts). */
export async function listAcknowledgements(
  db: Executor,
  versionId: string,
  f: { state: 'all' | 'acknowledged' | 'open' | 'overdue'; q?: string | undefined; today: string },
  limit: number,
  offset: number,
) {
  const values: AckValues = { versionId };
  if (f.state === 'overdue') values.today = f.today;
  if (f.q) values.pattern = containsPattern(f.q);
  return acknowledgementPage(db, { state: f.state, q: !!f.q }, values, limit, offset);
}

export async function findAssignment(db: Executor, versionId: string, userId: string) {
  return db
    .selectFrom('document_acknowledgement')
    .selectAll()
    .where('document_version_id', '=', versionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function markAcknowledged(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('document_acknowledgement')
    .set({ acknowledged_at: at })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

interface MyAckShape extends Shape {
  /** the number of scopes named (bound one by one: `scope0`, `scope1`, …) */
  scopes: number;
}
const myScopeKey = (i: number) => `scope${i}`;

function myAcknowledgementsFiltered(db: Executor, sh: MyAckShape, v: Params) {
  const scopeIds = Array.from({ length: sh.scopes }, (_, i) => v[myScopeKey(i)] as string);
  return db
    .selectFrom('document_acknowledgement as a')
    .innerJoin('document_version as v', 'v.id', 'a.document_version_id')
    .innerJoin('document as d', 'd.id', 'a.document_id')
    .innerJoin('scope as s', 's.id', 'a.scope_id')
    .where('a.user_id', '=', v.userId as string)
    .where('a.acknowledged_at', 'is', null)
    .where('v.status', '=', 'published')
    .where('a.scope_id', 'in', scopeIds.length ? scopeIds : ['-']);
}

const myAcknowledgementPage = cachedList(
  'document-acknowledgement.mine',
  (db, sh: MyAckShape, v: Params) =>
    myAcknowledgementsFiltered(db, sh, v)
      .select([
        'a.id',
        'a.scope_id',
        's.name as scope_name',
        'a.document_id',
        'a.document_version_id',
        'd.reference',
        'd.title',
        'd.doc_type',
        'v.version_no',
        'a.assigned_at',
        'a.due_on',
      ])
      .orderBy('a.due_on')
      .orderBy('d.reference'),
  myAcknowledgementsFiltered,
);

/**
 * The user's open assignments of versions in force, across the given scopes: two statements, compiled once per number
 * of scopes (query-cache.ts; each scope bound on its own).
 */
export async function listMyOpenAcknowledgements(db: Executor, userId: string, scopeIds: string[], limit: number, offset: number) {
  const values: Params = { userId };
  scopeIds.forEach((id, i) => {
    values[myScopeKey(i)] = id;
  });
  return myAcknowledgementPage(db, { scopes: scopeIds.length }, values, limit, offset);
}

// ---------------------------------------------------------------- sweeps

/** Overdue, unacknowledged assignments of versions in force that have not been reminded yet. */
export async function findOverdueUnreminded(db: Executor, today: string, limit: number) {
  return db
    .selectFrom('document_acknowledgement as a')
    .innerJoin('document_version as v', 'v.id', 'a.document_version_id')
    .innerJoin('document as d', 'd.id', 'a.document_id')
    .select([
      'a.id',
      'a.scope_id',
      'a.user_id',
      'a.due_on',
      'a.document_id',
      'a.document_version_id',
      'd.reference',
      'd.title',
      'v.version_no',
    ])
    .where('a.acknowledged_at', 'is', null)
    .where('a.reminded_at', 'is', null)
    .where('a.due_on', '<', today)
    .where('v.status', '=', 'published')
    .orderBy('a.due_on')
    .limit(limit)
    .execute();
}

/** Claims the reminder of one assignment; false when another run claimed it first. */
export async function claimReminder(db: Executor, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('document_acknowledgement')
    .set({ reminded_at: at })
    .where('id', '=', id)
    .where('reminded_at', 'is', null)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setReminderTask(db: Executor, id: string, taskId: string): Promise<void> {
  await db.updateTable('document_acknowledgement').set({ reminder_task_id: taskId }).where('id', '=', id).execute();
}

/** Published documents whose review date is at most `by` and for which no review task exists for that date. */
export async function findReviewDue(db: Executor, by: string, limit: number) {
  return db
    .selectFrom('document')
    .select(['id', 'scope_id', 'reference', 'title', 'owner_id', 'next_review_on'])
    .where('status', '=', 'published')
    .where('next_review_on', 'is not', null)
    .where('next_review_on', '<=', by)
    .where((eb) => eb.or([eb('review_task_for', 'is', null), eb('review_task_for', '!=', eb.ref('next_review_on'))]))
    .orderBy('next_review_on')
    .limit(limit)
    .execute();
}

/** Claims the review task of one document and review date; false when another run claimed it first. */
export async function claimReviewTask(db: Executor, id: string, reviewOn: string): Promise<boolean> {
  const r = await db
    .updateTable('document')
    .set({ review_task_for: reviewOn })
    .where('id', '=', id)
    .where('next_review_on', '=', reviewOn)
    .where((eb) => eb.or([eb('review_task_for', 'is', null), eb('review_task_for', '!=', reviewOn)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Register entries of records control that stand for the document and are on legal hold. */
export async function findLegalHolds(db: Executor, documentId: string) {
  return db
    .selectFrom('controlled_record')
    .select(['reference', 'legal_hold_reason'])
    .where('linked_record_type', '=', 'document')
    .where('linked_record_id', '=', documentId)
    .where('legal_hold', '=', true)
    .execute();
}

/**
 * Claims a version row for one workflow step before anything else is written: the conditional update takes the row
 * lock (PostgreSQL) so that a concurrent step on the same version waits and then finds the version changed.
 */
export async function claimVersionRow(db: Executor, id: string, version: number, at: string): Promise<boolean> {
  const r = await db
    .updateTable('document_version')
    .set({ updated_at: at })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------- periodic reviews without changes

export async function insertReview(db: Executor, row: DocumentReviewTable): Promise<void> {
  await db.insertInto('document_review').values(row).execute();
}

export type ReviewRow = DocumentReviewTable & { reviewer_name: string | null; reviewer_email: string | null; version_no: number | null };

/** The latest reviews of a document, newest first. */
export async function findReviews(db: Executor, documentId: string, limit: number): Promise<ReviewRow[]> {
  return db
    .selectFrom('document_review')
    .leftJoin('app_user', 'app_user.id', 'document_review.reviewed_by')
    .leftJoin('document_version', 'document_version.id', 'document_review.document_version_id')
    .selectAll('document_review')
    .select(['app_user.name as reviewer_name', 'app_user.email as reviewer_email', 'document_version.version_no as version_no'])
    .where('document_review.document_id', '=', documentId)
    .orderBy('document_review.reviewed_at', 'desc')
    .orderBy('document_review.id', 'desc')
    .limit(limit)
    .execute();
}

/** Open review-due tasks of a document made before tasks named their purpose (created by the review sweep; not the tasks other processes hand over). */
export async function findOpenReviewTasks(db: Executor, documentId: string) {
  return db
    .selectFrom('task')
    .selectAll()
    .where('origin_process_key', '=', 'policy-management')
    .where('origin_record_type', '=', 'document')
    .where('origin_record_id', '=', documentId)
    .where('purpose', 'is', null)
    .where('status', 'in', ['open', 'in_progress'])
    .execute();
}
