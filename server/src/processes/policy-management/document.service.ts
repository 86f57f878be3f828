import { listPage } from '../../db/paging.ts';
import type { Readable } from 'node:stream';
import { type Changes, diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, can, requireScopePermission, roleIn } from '../../auth/actor.ts';
import type { ScopeRole } from '../../auth/roles.ts';
import { rolePermissions } from '../../auth/role-permissions.ts';
import { toBool } from '../../db/column.ts';
import type { Executor, Tx } from '../../db/database.ts';
import type { DocumentAcknowledgementTable, DocumentTable, DocumentVersionTable } from './policy-management.tables.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { OFFICE_TYPES, openFile, registerBlobTx, type StoredFile, storeFile } from '../../files/file-store.ts';
import type { UploadPart } from '../../files/upload.ts';
import type { Text } from '../../i18n/i18n.ts';
import { findProcessOwner } from '../../isms/process.service.ts';
import { findScope } from '../../scopes/scope.repository.ts';
import { isoNow, utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, conflictWithCurrent, errorText, forbidden, invalid, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { changeVersionedRecord, loadVersionedRecord, type VersionedRecordKind } from '../../shared/versioned-record.ts';
import { openWorkTx, settleWorkTx, type WorkOutcome } from '../../work/work.ts';
import {
  addMonths,
  allowedFrom,
  approvalRefusal,
  approvalSettingRefusal,
  canReviseDocument,
  canRetireDocument,
  eligibleApprovers,
  isReviewDue,
  isWorking,
  nextVersionStatus,
  requiredApprovals,
  resolveAudience,
  retentionEndsOn,
  type VersionAction,
} from './document-lifecycle.ts';
import type {
  AudienceInput,
  CreateDocumentInput,
  DiffResponse,
  DocumentDetailResponse,
  DocumentResponse,
  DocumentReview,
  ListDocumentsQuery,
  ReadResponse,
  ReviewInput,
  UpdateDocumentInput,
  VersionDetailResponse,
  VersionStatus,
  VersionSummary,
} from './document.schemas.ts';
import * as repo from './document.repository.ts';

/** Review tasks are created this many days before a document's next review date. */
export const REVIEW_LEAD_DAYS = 30;
/** How many past reviews the document detail lists. */
export const REVIEW_HISTORY = 5;
const PROCESS = 'policy-management';

const today = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);
const userOf = (id: string | null, name: string | null, email: string | null) => (id ? { id, name: name ?? '', email: email ?? '' } : null);

// ---------------------------------------------------------------- presentation

function present(row: repo.DocumentRow, day: string): DocumentResponse {
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    type: row.doc_type,
    title: row.title,
    classification: row.classification as DocumentResponse['classification'],
    status: row.status,
    owner: userOf(row.owner_id, row.owner_name, row.owner_email),
    currentVersion:
      row.current_version_id && row.cv_version_no !== null
        ? {
            id: row.current_version_id,
            versionNo: row.cv_version_no,
            status: row.cv_status as VersionStatus,
            publishedAt: row.cv_published_at,
          }
        : null,
    nextReviewOn: row.next_review_on,
    reviewDue: isReviewDue(row.status, row.next_review_on, day, REVIEW_LEAD_DAYS),
    updatedAt: row.updated_at,
    version: row.version,
  };
}

function presentVersion(v: repo.VersionRow): VersionSummary {
  return {
    id: v.id,
    versionNo: v.version_no,
    status: v.status,
    changeSummary: v.change_summary,
    materialChange: toBool(v.material_change),
    author: userOf(v.author_id, v.author_name, v.author_email),
    changeRequestId: v.change_request_id,
    submittedAt: v.submitted_at,
    approvedAt: v.approved_at,
    publishedAt: v.published_at,
    supersededAt: v.superseded_at,
    contentDisposed: v.content_disposed_at !== null,
    hasFile: v.file_id !== null,
    createdAt: v.created_at,
    version: v.version,
  };
}

function presentReview(r: repo.ReviewRow): DocumentReview {
  return {
    id: r.id,
    reviewedBy: userOf(r.reviewed_by, r.reviewer_name, r.reviewer_email),
    reviewedAt: r.reviewed_at,
    comment: r.comment,
    versionNo: r.version_no,
    dueOn: r.due_on,
    nextReviewOn: r.next_review_on,
  };
}

async function loadDetail(db: Executor, scopeId: string, id: string, day: string): Promise<DocumentDetailResponse | null> {
  const row = await repo.findDocument(db, scopeId, id);
  if (!row) return null;
  const [approvers, people, versions, scope, reviews] = await Promise.all([
    repo.findApprovers(db, id),
    repo.findAudienceUsers(db, id),
    repo.findVersions(db, id),
    findScope(db, scopeId),
    repo.findReviews(db, id, REVIEW_HISTORY),
  ]);
  const working = versions.find((v) => isWorking(v.status));
  return {
    ...present(row, day),
    description: row.description,
    audience: {
      kind: row.audience_kind,
      roles: JSON.parse(row.audience_roles) as ScopeRole[],
      people,
    },
    reviewCadenceMonths: row.review_cadence_months,
    retention: { value: row.retention_value, unit: row.retention_unit as 'months' | 'years' },
    requiredApprovals: row.required_approvals,
    effectiveRequiredApprovals: requiredApprovals(scope?.profile ?? 'small', row.required_approvals),
    approvers,
    ackDueDays: row.ack_due_days,
    workingVersion: working ? { id: working.id, versionNo: working.version_no, status: working.status, publishedAt: null } : null,
    versions: versions.map(presentVersion),
    reviews: reviews.map(presentReview),
    retiredAt: row.retired_at,
    retentionEndsOn: retentionEndsOn(row.retired_at, row.retention_value, row.retention_unit as 'months' | 'years'),
    disposedAt: row.disposed_at,
    createdAt: row.created_at,
  };
}

const auditable = (d: DocumentDetailResponse) => ({
  type: d.type,
  title: d.title,
  description: d.description,
  ownerId: d.owner?.id ?? null,
  classification: d.classification,
  status: d.status,
  audience:
    d.audience.kind === 'roles'
      ? `roles:${d.audience.roles.join(',')}`
      : d.audience.kind === 'people'
        ? `people:${d.audience.people.length}`
        : 'everyone',
  reviewCadenceMonths: d.reviewCadenceMonths,
  retention: `${d.retention.value} ${d.retention.unit}`,
  requiredApprovals: d.requiredApprovals,
  approvers: d.approvers.map((a) => a.name),
  ackDueDays: d.ackDueDays,
  currentVersion: d.currentVersion?.versionNo ?? null,
  nextReviewOn: d.nextReviewOn,
});

async function loadVersionDetail(
  db: Executor,
  scopeId: string,
  documentId: string,
  versionId: string,
  day: string,
): Promise<VersionDetailResponse | null> {
  const [doc, v] = await Promise.all([repo.findDocument(db, scopeId, documentId), repo.findVersion(db, documentId, versionId)]);
  if (!doc || !v) return null;
  const [approvals, summary, scope] = await Promise.all([
    repo.findApprovals(db, versionId),
    repo.acknowledgementSummary(db, versionId, day),
    findScope(db, scopeId),
  ]);
  return {
    ...presentVersion(v),
    documentId,
    documentReference: doc.reference,
    documentTitle: doc.title,
    contentMd: v.content_md,
    file:
      v.file_id && v.file_name
        ? { name: v.file_name, mediaType: v.file_media_type ?? 'application/octet-stream', size: Number(v.file_size ?? 0) }
        : null,
    reviewRound: v.review_round,
    requiredApprovals: requiredApprovals(scope?.profile ?? 'small', doc.required_approvals),
    approvals: approvals.map((a) => ({
      id: a.id,
      approver: userOf(a.approver_id, a.approver_name, a.approver_email),
      decision: a.decision,
      comment: a.comment,
      round: a.review_round,
      decidedAt: a.decided_at,
    })),
    publishedBy: userOf(v.published_by, v.publisher_name, v.publisher_email),
    acknowledgements: summary,
  };
}

// ---------------------------------------------------------------- validation of people

async function checkPeople(
  tx: Tx,
  scopeId: string,
  input: { ownerId?: string | null | undefined; approverIds?: string[] | undefined; audience?: AudienceInput | undefined },
) {
  const ids = [
    ...(input.ownerId ? [input.ownerId] : []),
    ...(input.approverIds ?? []),
    ...(input.audience?.kind === 'people' ? input.audience.userIds : []),
  ];
  const members = new Map((await repo.findMembersAmong(tx, scopeId, [...new Set(ids)])).map((m) => [m.user_id, m.role]));
  if (input.ownerId && !members.has(input.ownerId)) throw invalid('body.ownerId', errorText('ownerNotMember'));
  for (const a of input.approverIds ?? []) {
    const role = members.get(a);
    if (!role || !rolePermissions[role].has('document:approve'))
      throw invalid('body.approverIds', errorText('document.approverMayNotApprove'));
  }
  if (input.audience?.kind === 'people')
    for (const u of input.audience.userIds)
      if (!members.has(u)) throw invalid('body.audience.userIds', errorText('document.audienceNotMember'));
}

/**
 * Segregation of duties (ISO 27001 5.3): the number of approvals a document asks for never drops below the scope
 * profile's minimum, and only a manager raises it above (or changes a raised setting).
 */
async function checkApprovalSetting(tx: Tx, actor: Actor, scopeId: string, setting: number | null | undefined, before: number | null) {
  if (setting === undefined) return;
  const scope = await findScope(tx, scopeId);
  const refusal = approvalSettingRefusal(scope?.profile ?? 'small', setting, before, roleIn(actor, scopeId) === 'manager');
  if (refusal) throw new AppError(refusal.code, errorText(refusal.key, refusal.params), { field: 'body.requiredApprovals' });
}

// ---------------------------------------------------------------- documents

export async function createDocument(deps: Deps, actor: Actor, scopeId: string, input: CreateDocumentInput) {
  requireScopePermission(actor, scopeId, 'document:write');
  return deps.db.transaction().execute(async (tx) => {
    await checkPeople(tx, scopeId, input);
    await checkApprovalSetting(tx, actor, scopeId, input.requiredApprovals, null);
    const now = isoNow(deps.clock);
    const approverIds = [...new Set(input.approverIds)];
    const doc: DocumentTable = {
      id: newId(),
      scope_id: scopeId,
      reference: await nextReference(tx, scopeId, 'POL'),
      doc_type: input.type,
      title: input.title,
      description: input.description,
      owner_id: input.ownerId ?? (await findProcessOwner(tx, scopeId, PROCESS)) ?? actor.userId,
      classification: input.classification,
      audience_kind: input.audience.kind,
      audience_roles: JSON.stringify(input.audience.kind === 'roles' ? [...new Set(input.audience.roles)] : []),
      review_cadence_months: input.reviewCadenceMonths,
      retention_value: input.retention.value,
      retention_unit: input.retention.unit,
      required_approvals: input.requiredApprovals,
      ack_due_days: input.ackDueDays,
      status: 'draft',
      current_version_id: null,
      next_review_on: null,
      review_task_for: null,
      retired_at: null,
      disposed_at: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insertDocument(tx, doc);
    await repo.insertVersion(tx, newVersionRow(doc, 1, input.contentMd, input.changeSummary, true, null, actor.userId, now));
    await repo.replaceApprovers(tx, doc.id, approverIds);
    if (input.audience.kind === 'people') await repo.replaceAudienceUsers(tx, doc.id, [...new Set(input.audience.userIds)]);
    const after = (await loadDetail(tx, scopeId, doc.id, today(deps)))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'create',
      recordType: 'document',
      recordId: doc.id,
      recordRef: doc.reference,
      changes: diffChanges(null, auditable(after)),
    });
    return after;
  });
}

function newVersionRow(
  doc: Pick<DocumentTable, 'id' | 'scope_id'>,
  versionNo: number,
  contentMd: string | null,
  changeSummary: string,
  materialChange: boolean,
  changeRequestId: string | null,
  createdBy: string | null,
  now: string,
): DocumentVersionTable {
  return {
    id: newId(),
    scope_id: doc.scope_id,
    document_id: doc.id,
    version_no: versionNo,
    status: 'draft',
    content_md: contentMd,
    file_id: null,
    file_name: null,
    file_media_type: null,
    file_size: null,
    change_summary: changeSummary,
    material_change: materialChange,
    change_request_id: changeRequestId,
    review_round: 0,
    author_id: null,
    submitted_at: null,
    approved_at: null,
    published_at: null,
    published_by: null,
    superseded_at: null,
    content_disposed_at: null,
    created_by: createdBy,
    created_at: now,
    updated_at: now,
    version: 1,
  };
}

export async function getDocument(deps: Deps, actor: Actor, scopeId: string, id: string) {
  requireScopePermission(actor, scopeId, 'document:read');
  return loadVersionedRecord(deps.db, documentKind(deps), scopeId, id);
}

export async function listDocuments(deps: Deps, actor: Actor, scopeId: string, q: ListDocumentsQuery) {
  requireScopePermission(actor, scopeId, 'document:read');
  const day = today(deps);
  const { rows, total, capped } = await repo.listDocuments(
    deps.db,
    scopeId,
    {
      type: q.type,
      status: q.status,
      ownerId: q.ownerId,
      reviewDueBy: q.reviewDue ? utcDatePlusDays(deps.clock.now(), REVIEW_LEAD_DAYS) : undefined,
      q: q.q,
      sort: q.sort,
      dir: q.dir,
    },
    q.pageSize,
    (q.page - 1) * q.pageSize,
  );
  return listPage(
    rows.map((r) => present(r, day)),
    { total, capped },
    q,
  );
}

function documentKind(deps: Deps): VersionedRecordKind<DocumentDetailResponse, 'document'> {
  return { table: 'document', recordType: 'document', label: 'Document', load: (db, s, i) => loadDetail(db, s, i, today(deps)), auditable };
}

export async function updateDocument(deps: Deps, actor: Actor, scopeId: string, id: string, input: UpdateDocumentInput) {
  requireScopePermission(actor, scopeId, 'document:write');
  return changeVersionedRecord(deps, actor, documentKind(deps), { scopeId, id, version: input.version }, async (tx, before) => {
    if (before.status === 'retired' || before.status === 'disposed')
      throw new AppError('invalid_state', errorText('document.metadataFixed', { reference: before.reference, status: before.status }));
    await checkPeople(tx, scopeId, input);
    await checkApprovalSetting(tx, actor, scopeId, input.requiredApprovals, before.requiredApprovals);
    if (input.approverIds) await repo.replaceApprovers(tx, id, [...new Set(input.approverIds)]);
    if (input.audience)
      await repo.replaceAudienceUsers(tx, id, input.audience.kind === 'people' ? [...new Set(input.audience.userIds)] : []);
    const patch: Partial<DocumentTable> = {
      ...(input.type !== undefined && { doc_type: input.type }),
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
      ...(input.classification !== undefined && { classification: input.classification }),
      ...(input.audience !== undefined && {
        audience_kind: input.audience.kind,
        audience_roles: JSON.stringify(input.audience.kind === 'roles' ? [...new Set(input.audience.roles)] : []),
      }),
      ...(input.retention !== undefined && { retention_value: input.retention.value, retention_unit: input.retention.unit }),
      ...(input.requiredApprovals !== undefined && { required_approvals: input.requiredApprovals }),
      ...(input.ackDueDays !== undefined && { ack_due_days: input.ackDueDays }),
    };
    if (input.reviewCadenceMonths !== undefined) {
      patch.review_cadence_months = input.reviewCadenceMonths;
      // the next review follows the new cadence from the publication of the version in force
      const published = before.versions.find((v) => v.id === before.currentVersion?.id)?.publishedAt;
      if (before.status === 'published' && published) patch.next_review_on = addMonths(published.slice(0, 10), input.reviewCadenceMonths);
    }
    return patch;
  });
}

export async function listVersions(deps: Deps, actor: Actor, scopeId: string, id: string) {
  requireScopePermission(actor, scopeId, 'document:read');
  const doc = await repo.findDocument(deps.db, scopeId, id);
  if (!doc) throw notFound('Document');
  return { items: (await repo.findVersions(deps.db, id)).map(presentVersion) };
}

export async function getVersion(deps: Deps, actor: Actor, scopeId: string, id: string, vid: string) {
  requireScopePermission(actor, scopeId, 'document:read');
  const v = await loadVersionDetail(deps.db, scopeId, id, vid, today(deps));
  if (!v) throw notFound('Document version');
  return v;
}

// ---------------------------------------------------------------- version workflow

interface VersionStep {
  /** patch of the version row (the version is bumped) */
  patch: Partial<DocumentVersionTable>;
  /** patch of the document row (the document's version is bumped too) */
  documentPatch?: Partial<DocumentTable> | undefined;
  /** extra facts for the audit entry */
  audit?: Record<string, unknown> | undefined;
}

/**
 * One step on a version: permission first, then in one transaction load document and version, refuse a stale version,
 * check the lifecycle, apply the step, bump versions, append the audit entry. Returns the version as it is afterwards.
 */
async function stepVersion(
  deps: Deps,
  actor: Actor,
  target: { scopeId: string; id: string; vid: string; version: number },
  permission: 'document:write' | 'document:approve',
  action: VersionAction | 'edit',
  fn: (tx: Tx, doc: repo.DocumentRow, v: repo.VersionRow, now: string) => Promise<VersionStep>,
): Promise<VersionDetailResponse> {
  requireScopePermission(actor, target.scopeId, permission);
  // someone who changed the version or its document between the check and the write: 409 with the version as it is now
  const current = () => loadVersionDetail(deps.db, target.scopeId, target.id, target.vid, today(deps));
  const work = deps.db.transaction().execute(async (tx) => {
    const doc = await repo.findDocument(tx, target.scopeId, target.id);
    const v = doc ? await repo.findVersion(tx, target.id, target.vid) : undefined;
    if (!doc || !v) throw notFound('Document version');
    const ref = `${doc.reference} v${v.version_no}`;
    if (v.version !== target.version) {
      const current = await loadVersionDetail(tx, target.scopeId, target.id, target.vid, today(deps));
      throw new AppError('version_conflict', errorText('recordChanged', { reference: ref }), { details: { current } });
    }
    const status = v.status;
    if (action === 'edit' ? status !== 'draft' : nextVersionStatus(status, action) === null) {
      const from = action === 'edit' ? ['draft'] : allowedFrom(action);
      throw new AppError('invalid_state', errorText('document.wrongVersionStatus', { reference: ref, status, expected: from.join(',') }));
    }
    const now = isoNow(deps.clock);
    if (!(await repo.claimVersionRow(tx, v.id, v.version, now)))
      throw new AppError('version_conflict', errorText('recordChangedMeanwhile', { reference: ref }));
    const step = await fn(tx, doc, v, now);
    await updateVersioned(tx, 'document_version', v.id, v.version, { ...step.patch, updated_at: now });
    if (step.documentPatch) await updateVersioned(tx, 'document', doc.id, doc.version, { ...step.documentPatch, updated_at: now });
    const changes: Changes = {};
    for (const [k, value] of Object.entries(step.patch)) {
      const before = (v as unknown as Record<string, unknown>)[k];
      if (k !== 'content_md' && before !== value) changes[k] = { from: before ?? null, to: value ?? null };
    }
    // the text itself stays in the version; the trail records that it changed and by how much
    if ('content_md' in step.patch && step.patch.content_md !== v.content_md)
      changes.content = { from: `${(v.content_md ?? '').length} characters`, to: `${(step.patch.content_md ?? '').length} characters` };
    for (const [k, x] of Object.entries(step.audit ?? {})) changes[k] = { from: null, to: x };
    await appendAudit(tx, deps, actor, {
      scopeId: target.scopeId,
      action: action === 'edit' ? 'update' : action,
      recordType: 'document_version',
      recordId: v.id,
      recordRef: ref,
      changes,
    });
    return (await loadVersionDetail(tx, target.scopeId, target.id, target.vid, today(deps)))!;
  });
  return conflictWithCurrent(work, null, current);
}

type Target = { scopeId: string; id: string; vid: string; version: number };

export function updateVersion(
  deps: Deps,
  actor: Actor,
  t: Target,
  input: { contentMd?: string | undefined; changeSummary?: string | undefined; materialChange?: boolean | undefined },
) {
  return stepVersion(deps, actor, t, 'document:write', 'edit', async (_tx, _doc, v) => {
    if (v.version_no === 1 && input.materialChange === false)
      throw invalid('body.materialChange', errorText('document.firstVersionMaterial'));
    return {
      patch: {
        ...(input.contentMd !== undefined && { content_md: input.contentMd }),
        ...(input.changeSummary !== undefined && { change_summary: input.changeSummary }),
        ...(input.materialChange !== undefined && { material_change: input.materialChange }),
      },
    };
  });
}

async function requiredFor(tx: Tx, doc: repo.DocumentRow) {
  const scope = await findScope(tx, doc.scope_id);
  return requiredApprovals(scope?.profile ?? 'small', doc.required_approvals);
}

/** ISO 27001 7.5.2 c): the version goes to its designated approvers; whoever submits it is its author. */
export function submitVersion(deps: Deps, actor: Actor, t: Target) {
  return stepVersion(deps, actor, t, 'document:write', 'submit', async (tx, doc, v) => {
    if (!(v.content_md ?? '').trim() && !v.file_id)
      throw new AppError('invalid_state', errorText('document.noContent', { reference: doc.reference, versionNo: v.version_no }));
    const required = await requiredFor(tx, doc);
    const designated = (await repo.findApprovers(tx, doc.id)).map((a) => a.id);
    const eligible = eligibleApprovers(designated, actor.userId);
    if (eligible.length < required)
      throw new AppError('invalid_state', errorText('document.tooFewApprovers', { count: required, eligible: eligible.length }));
    for (const approver of eligible) {
      await openWorkTx(tx, deps, actor, {
        scopeId: doc.scope_id,
        processKey: PROCESS,
        purpose: `approve:${approver}`,
        title: { key: 'tasks:title.approveVersion', params: { documentRef: doc.reference, versionNo: v.version_no, title: doc.title } },
        description: { key: 'tasks:description.approveVersion', params: { docType: doc.doc_type } },
        assigneeId: approver,
        dueOn: null,
        origin: { processKey: PROCESS, recordType: 'document_version', recordId: v.id, recordRef: `${doc.reference} v${v.version_no}` },
      });
    }
    // a revision asked for (by an approved change) is done once it goes for approval
    await settleDocumentWorkTx(tx, deps, actor, doc, ['revise'], 'done', {
      key: 'tasks:note.versionSubmitted',
      params: { documentRef: doc.reference, versionNo: v.version_no, name: actor.name },
    });
    return { patch: { status: 'in_review', author_id: actor.userId, submitted_at: isoNow(deps.clock), review_round: v.review_round + 1 } };
  });
}

async function decide(deps: Deps, actor: Actor, t: Target, decision: 'approved' | 'rejected', comment: string) {
  return stepVersion(deps, actor, t, 'document:approve', decision === 'approved' ? 'approve' : 'reject', async (tx, doc, v, now) => {
    const designated = (await repo.findApprovers(tx, doc.id)).map((a) => a.id);
    const round = (await repo.findApprovals(tx, v.id)).filter((a) => a.review_round === v.review_round);
    const approved = round.filter((a) => a.decision === 'approved').map((a) => a.approver_id!);
    const refusal = approvalRefusal({ approverId: actor.userId, designated, authorId: v.author_id, approvedThisRound: approved });
    if (refusal) throw new AppError(refusal.code, errorText(refusal.key));
    await repo.insertApproval(tx, {
      id: newId(),
      document_version_id: v.id,
      document_id: doc.id,
      review_round: v.review_round,
      approver_id: actor.userId,
      decision,
      comment: comment.trim(),
      decided_at: now,
    });
    const params = { documentRef: doc.reference, versionNo: v.version_no, name: actor.name };
    // the approver's own task is done with the decision
    await settleApprovalWorkTx(tx, deps, actor, doc, v, [`approve:${actor.userId}`], 'done', {
      key: decision === 'rejected' ? 'tasks:note.versionRejected' : 'tasks:note.versionApproved',
      params,
    });
    if (decision === 'rejected') {
      // back to the author with the comments: the other approvers' tasks of this round are no longer needed
      await settleApprovalWorkTx(tx, deps, actor, doc, v, undefined, 'cancelled', { key: 'tasks:note.versionBackToDraft', params });
      return { patch: { status: 'draft' }, audit: { comment: comment.trim() } };
    }
    const required = await requiredFor(tx, doc);
    const complete = approved.length + 1 >= required;
    if (complete)
      await settleApprovalWorkTx(tx, deps, actor, doc, v, undefined, 'done', { key: 'tasks:note.versionFullyApproved', params });
    return {
      // an approval short of the required number keeps the version in review (the version row is still bumped)
      patch: complete ? { status: 'approved', approved_at: now } : {},
      audit: { approvals: `${approved.length + 1} of ${required}`, ...(comment.trim() && { comment: comment.trim() }) },
    };
  });
}

/** Settles approval tasks of a version: those of the given purposes, or every approver's. */
function settleApprovalWorkTx(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  doc: Pick<DocumentTable, 'scope_id'>,
  v: Pick<repo.VersionRow, 'id'>,
  purposes: string[] | undefined,
  outcome: WorkOutcome,
  note: Text,
) {
  return settleWorkTx(tx, deps, actor, {
    scopeId: doc.scope_id,
    recordType: 'document_version',
    recordId: v.id,
    ...(purposes ? { purposes } : { purposePrefix: 'approve:' }),
    outcome,
    note,
  });
}

/** Settles the document's own tasks: its periodic review ("review") and a revision an approved change asked for ("revise"). */
function settleDocumentWorkTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  doc: Pick<DocumentTable, 'id' | 'scope_id'>,
  purposes: string[],
  outcome: WorkOutcome,
  note: Text,
) {
  return settleWorkTx(tx, deps, actor, { scopeId: doc.scope_id, recordType: 'document', recordId: doc.id, purposes, outcome, note });
}

export const approveVersion = (deps: Deps, actor: Actor, t: Target, comment: string) => decide(deps, actor, t, 'approved', comment);
export const rejectVersion = (deps: Deps, actor: Actor, t: Target, comment: string) => decide(deps, actor, t, 'rejected', comment);

/**
 * Publishing puts the version in force (the previous one is superseded) and distributes it (ISO 27001 5.2 g, 7.3,
 * 7.5.3 a; A.5.1 "communicated to and acknowledged by relevant personnel"): every person of the audience, resolved now,
 * gets a read-and-acknowledge assignment. A minor revision carries acknowledgements of the previous version over.
 */
export function publishVersion(deps: Deps, actor: Actor, t: Target, input: { dueOn?: string | undefined }) {
  return stepVersion(deps, actor, t, 'document:write', 'publish', async (tx, doc, v, now) => {
    const day = today(deps);
    if (input.dueOn !== undefined && input.dueOn < day) throw invalid('body.dueOn', errorText('document.ackDueInPast'));
    const dueOn = input.dueOn ?? utcDatePlusDays(deps.clock.now(), doc.ack_due_days);
    const previousId = doc.current_version_id;
    let carried = new Map<string, { id: string; at: string }>();
    if (previousId) {
      if (!toBool(v.material_change))
        carried = new Map((await repo.findAcknowledged(tx, previousId)).map((a) => [a.user_id, { id: a.id, at: a.acknowledged_at! }]));
      await repo.deleteOpenAcknowledgements(tx, previousId);
      await settleWorkTx(tx, deps, actor, {
        scopeId: doc.scope_id,
        recordType: 'document_version',
        recordId: previousId,
        purposePrefix: 'acknowledge:',
        outcome: 'cancelled',
        note: { key: 'tasks:note.versionSuperseded', params: { documentRef: doc.reference, versionNo: v.version_no } },
      });
      const prev = await repo.findVersion(tx, doc.id, previousId);
      if (prev)
        await updateVersioned(tx, 'document_version', prev.id, prev.version, { status: 'superseded', superseded_at: now, updated_at: now });
    }
    const [members, people] = await Promise.all([repo.findMembers(tx, doc.scope_id), repo.findAudienceUsers(tx, doc.id)]);
    const audience = resolveAudience(
      { kind: doc.audience_kind, roles: JSON.parse(doc.audience_roles) as string[], people: people.map((p) => p.id) },
      members.map((m) => ({ userId: m.user_id, role: m.role })),
    );
    const rows: DocumentAcknowledgementTable[] = audience.map((userId) => {
      const c = carried.get(userId);
      return {
        id: newId(),
        scope_id: doc.scope_id,
        document_id: doc.id,
        document_version_id: v.id,
        user_id: userId,
        assigned_at: now,
        due_on: dueOn,
        acknowledged_at: c?.at ?? null,
        carried_over_from: c?.id ?? null,
        reminded_at: null,
        reminder_task_id: null,
      };
    });
    await repo.insertAcknowledgements(tx, rows);
    const open = rows.filter((r) => r.acknowledged_at === null).length;
    // a published version answers the periodic review and the revision asked for
    await settleDocumentWorkTx(tx, deps, actor, doc, ['review', 'revise'], 'done', {
      key: 'tasks:note.versionPublished',
      params: { documentRef: doc.reference, versionNo: v.version_no, name: actor.name },
    });
    await deps.events.emit(tx, actor, 'document.published', {
      scopeId: doc.scope_id,
      documentId: doc.id,
      documentRef: doc.reference,
      title: doc.title,
      versionId: v.id,
      versionNo: v.version_no,
      materialChange: toBool(v.material_change),
      assigned: rows.length,
      dueOn,
    });
    return {
      patch: { status: 'published', published_at: now, published_by: actor.userId },
      documentPatch: {
        status: 'published',
        current_version_id: v.id,
        next_review_on: addMonths(day, doc.review_cadence_months),
        review_task_for: null,
      },
      audit: { assigned: rows.length, toAcknowledge: open, carriedOver: rows.length - open, dueOn },
    };
  });
}

/** Abandons a version being worked on (draft, in review or approved); the published version stays in force. */
export function withdrawVersion(deps: Deps, actor: Actor, t: Target) {
  return stepVersion(deps, actor, t, 'document:write', 'withdraw', async (tx, doc, v) => {
    // open approval tasks of the version are no longer needed
    await settleApprovalWorkTx(tx, deps, actor, doc, v, undefined, 'cancelled', {
      key: 'tasks:note.versionWithdrawn',
      params: { documentRef: doc.reference, versionNo: v.version_no, name: actor.name },
    });
    return { patch: { status: 'withdrawn' } };
  });
}

/** Opens a revision (a new draft version) while the published version stays in force. ISO 27001 7.5.3 c). */
export async function reviseDocumentTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  doc: Pick<DocumentTable, 'id' | 'scope_id' | 'reference' | 'status' | 'current_version_id' | 'version'>,
  input: { changeSummary: string; materialChange: boolean; changeRequest?: { id: string; reference: string } | null },
) {
  const versions = await repo.findVersions(tx, doc.id);
  const refusal = canReviseDocument(
    doc.status,
    versions.some((v) => isWorking(v.status)),
  );
  if (refusal) throw new AppError('invalid_state', errorText(refusal.key, { reference: doc.reference, ...refusal.params }));
  const current = versions.find((v) => v.id === doc.current_version_id);
  const now = isoNow(deps.clock);
  const row = newVersionRow(
    doc,
    Math.max(0, ...versions.map((v) => v.version_no)) + 1,
    current?.content_md ?? '',
    input.changeSummary,
    input.materialChange,
    input.changeRequest?.id ?? null,
    actor?.userId ?? null,
    now,
  );
  // the document first: a concurrent revision waits for its row lock and then finds the version changed
  await updateVersioned(tx, 'document', doc.id, doc.version, { updated_at: now });
  await repo.insertVersion(tx, row);
  await appendAudit(tx, deps, actor, {
    scopeId: doc.scope_id,
    action: 'revise',
    recordType: 'document_version',
    recordId: row.id,
    recordRef: `${doc.reference} v${row.version_no}`,
    changes: diffChanges(null, {
      versionNo: row.version_no,
      changeSummary: row.change_summary,
      materialChange: input.materialChange,
      // the change request's reference, as a person reads it (entries before it carry `changeRequestId`)
      ...(input.changeRequest && { changeRequest: input.changeRequest.reference }),
    }),
  });
  return row;
}

export async function reviseDocument(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; changeSummary: string; materialChange: boolean },
) {
  requireScopePermission(actor, scopeId, 'document:write');
  const work = deps.db.transaction().execute(async (tx) => {
    const doc = await repo.findDocument(tx, scopeId, id);
    if (!doc) throw notFound('Document');
    if (doc.version !== input.version)
      throw new AppError('version_conflict', errorText('recordChanged', { reference: doc.reference }), {
        details: { current: await loadDetail(tx, scopeId, id, today(deps)) },
      });
    await reviseDocumentTx(tx, deps, actor, doc, input);
    return (await loadDetail(tx, scopeId, id, today(deps)))!;
  });
  return conflictWithCurrent(work, null, () => loadDetail(deps.db, scopeId, id, today(deps)));
}

/** Retires a document: no version is in force any more; the retention period starts (ISO 27001 7.5.3 d). */
export async function retireDocument(deps: Deps, actor: Actor, scopeId: string, id: string, input: { version: number; reason: string }) {
  requireScopePermission(actor, scopeId, 'document:write');
  return changeVersionedRecord(deps, actor, documentKind(deps), { scopeId, id, version: input.version }, async (tx, before) => {
    const refusal = canRetireDocument(before.status);
    if (refusal) throw new AppError('invalid_state', errorText(refusal.key, { reference: before.reference, ...refusal.params }));
    const now = isoNow(deps.clock);
    for (const v of await repo.findVersions(tx, id)) {
      const s = v.status;
      const next = s === 'published' ? nextVersionStatus(s, 'retire') : isWorking(s) ? nextVersionStatus(s, 'withdraw') : null;
      if (next) await updateVersioned(tx, 'document_version', v.id, v.version, { status: next, updated_at: now });
      if (s === 'published') await repo.deleteOpenAcknowledgements(tx, v.id);
      // the version's approvals and acknowledgement reminders are no longer needed
      if (next)
        await settleWorkTx(tx, deps, actor, {
          scopeId,
          recordType: 'document_version',
          recordId: v.id,
          outcome: 'cancelled',
          note: { key: 'tasks:note.documentRetired', params: { documentRef: before.reference } },
        });
    }
    await settleDocumentWorkTx(tx, deps, actor, { id, scope_id: scopeId }, ['review', 'revise'], 'cancelled', {
      key: 'tasks:note.documentRetired',
      params: { documentRef: before.reference },
    });
    if (input.reason.trim())
      await appendAudit(tx, deps, actor, {
        scopeId,
        action: 'retire',
        recordType: 'document',
        recordId: id,
        recordRef: before.reference,
        changes: { reason: { from: null, to: input.reason.trim() } },
      });
    return { status: 'retired', retired_at: now, next_review_on: null } satisfies Partial<DocumentTable>;
  });
}

// ---------------------------------------------------------------- periodic review without changes

/**
 * Confirms the periodic review of a published document that needs no changes (ISO 27001 5.2, 7.5.2; A.5.1 "reviewed
 * at planned intervals"): records who reviewed it, when and why it stays as it is, moves the next review date by the
 * review cadence from today and completes the open review-due tasks of the document. The owner or a manager may do it.
 */
export async function confirmReview(deps: Deps, actor: Actor, scopeId: string, id: string, input: ReviewInput) {
  const role = requireScopePermission(actor, scopeId, 'document:write');
  const work = deps.db.transaction().execute(async (tx) => {
    const doc = await repo.findDocument(tx, scopeId, id);
    if (!doc) throw notFound('Document');
    if (role !== 'manager' && doc.owner_id !== actor.userId)
      throw forbidden(errorText('document.whoConfirmsReview', { reference: doc.reference }));
    if (doc.version !== input.version)
      throw new AppError('version_conflict', errorText('recordChanged', { reference: doc.reference }), {
        details: { current: await loadDetail(tx, scopeId, id, today(deps)) },
      });
    if (doc.status !== 'published' || !doc.current_version_id)
      throw new AppError('invalid_state', errorText('document.reviewOnlyPublished', { reference: doc.reference, status: doc.status }));
    const now = isoNow(deps.clock);
    const day = today(deps);
    const nextReviewOn = addMonths(day, doc.review_cadence_months);
    const comment = input.comment.trim();
    await repo.insertReview(tx, {
      id: newId(),
      scope_id: scopeId,
      document_id: id,
      document_version_id: doc.current_version_id,
      reviewed_by: actor.userId,
      reviewed_at: now,
      comment,
      due_on: doc.next_review_on,
      next_review_on: nextReviewOn,
    });
    await updateVersioned(tx, 'document', id, doc.version, { next_review_on: nextReviewOn, review_task_for: null, updated_at: now });
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'review',
      recordType: 'document',
      recordId: id,
      recordRef: doc.reference,
      changes: {
        nextReviewOn: { from: doc.next_review_on, to: nextReviewOn },
        reviewComment: { from: null, to: comment },
        reviewedVersion: { from: null, to: doc.cv_version_no },
      },
    });
    // the review-due task the sweep gave the owner is done; tasks handed over by other processes stay open
    await settleDocumentWorkTx(tx, deps, actor, doc, ['review'], 'done', {
      key: 'tasks:note.reviewConfirmed',
      params: { documentRef: doc.reference, name: actor.name },
    });
    // review tasks from before tasks named their purpose
    for (const task of await repo.findOpenReviewTasks(tx, id)) {
      await updateVersioned(tx, 'task', task.id, task.version, { status: 'done', completed_at: now, updated_at: now });
      await appendAudit(tx, deps, actor, {
        scopeId,
        action: 'update',
        recordType: 'task',
        recordId: task.id,
        recordRef: task.reference,
        changes: { status: { from: task.status, to: 'done' } },
      });
    }
    return (await loadDetail(tx, scopeId, id, day))!;
  });
  return conflictWithCurrent(work, null, () => loadDetail(deps.db, scopeId, id, today(deps)));
}

// ---------------------------------------------------------------- disposal

export interface DisposalRule {
  /** the records-control rule or queue entry that disposes of the document, for the tombstone */
  id?: string | null | undefined;
  /**
   * the rule as a code history views word in the reader's language (`records-control:REC-0001:retention:24:2023-01-01:
   * 2025-01-01`, audit-vocabulary.ts), written as it is; or a rule in someone's words, written with its id
   */
  label: string;
}

/** a rule records control gives as a code: it names its record itself */
const ruleCode = /^records-control:[^:]+:retention:\d+:\d{4}-\d{2}-\d{2}:\d{4}-\d{2}-\d{2}$/;

/**
 * Disposes of a retired document whose retention period has passed (ISO 27001 7.5.3 d, retention and disposition):
 * deletes the content (Markdown and files) of every version, keeps the metadata, versions, approvals and
 * acknowledgements, and leaves a tombstone in the audit trail. Called by records control's disposal queue; after the
 * caller's transaction has committed, pass the returned `fileIds` to `removeUnreferencedBlobs` (files/file-store.ts) to delete the bytes.
 */
export async function disposeDocumentTx(tx: Tx, deps: Deps, actor: Actor | null, documentId: string, rule: DisposalRule) {
  const doc = await repo.findDocumentById(tx, documentId);
  if (!doc) throw notFound('Document');
  if (doc.status !== 'retired')
    throw new AppError('invalid_state', errorText('document.disposeOnlyRetired', { reference: doc.reference, status: doc.status }));
  const endsOn = retentionEndsOn(doc.retired_at, doc.retention_value, doc.retention_unit as 'months' | 'years')!;
  if (today(deps) < endsOn)
    throw new AppError(
      'invalid_state',
      errorText('document.retainedUntil', { reference: doc.reference, endsOn, count: doc.retention_value, unit: doc.retention_unit }),
    );
  // a legal hold suspends disposal whatever the retention says (ISO 27001 A.5.33)
  const holds = await repo.findLegalHolds(tx, documentId);
  if (holds.length)
    throw new AppError(
      'invalid_state',
      errorText('document.onLegalHold', { reference: doc.reference, holds: holds.map((h) => h.reference).join(', ') }),
    );
  const now = isoNow(deps.clock);
  const files = await repo.findFileIds(tx, documentId);
  const versions = await repo.disposeContent(tx, documentId, now);
  await updateVersioned(tx, 'document', doc.id, doc.version, { status: 'disposed', disposed_at: now, updated_at: now });
  await appendAudit(tx, deps, actor, {
    scopeId: doc.scope_id,
    action: 'dispose',
    recordType: 'document',
    recordId: doc.id,
    recordRef: doc.reference,
    changes: diffChanges(null, {
      tombstone: `${doc.reference} ${doc.title}`,
      type: doc.doc_type,
      classification: doc.classification,
      versions,
      files: files.length,
      retiredAt: doc.retired_at,
      retentionEndedOn: endsOn,
      rule: rule.id && !ruleCode.test(rule.label) ? `${rule.label} (${rule.id})` : rule.label,
      status: 'disposed',
    }),
  });
  return { documentId: doc.id, reference: doc.reference, versions, fileIds: files };
}

// ---------------------------------------------------------------- diff

export async function diffVersions(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  q: { from: string; to: string },
): Promise<DiffResponse> {
  requireScopePermission(actor, scopeId, 'document:read');
  const doc = await repo.findDocument(deps.db, scopeId, id);
  if (!doc) throw notFound('Document');
  const [from, to] = await Promise.all([repo.findVersion(deps.db, id, q.from), repo.findVersion(deps.db, id, q.to)]);
  if (!from) throw invalid('querystring.from', errorText('document.fromNotVersion'));
  if (!to) throw invalid('querystring.to', errorText('document.toNotVersion'));
  if (from.content_md === null || to.content_md === null) throw new AppError('invalid_state', errorText('document.disposedCompared'));
  // the diff library loads with the first comparison, not with the server
  const { structuredPatch } = await import('diff');
  const patch = structuredPatch('from', 'to', withNewline(from.content_md), withNewline(to.content_md), '', '', { context: 3 });
  let added = 0;
  let removed = 0;
  const hunks = patch.hunks.map((h) => ({
    oldStart: h.oldStart,
    oldLines: h.oldLines,
    newStart: h.newStart,
    newLines: h.newLines,
    lines: h.lines
      .filter((l) => !l.startsWith('\\'))
      .map((l) => {
        const kind = l[0] === '+' ? ('add' as const) : l[0] === '-' ? ('remove' as const) : ('context' as const);
        if (kind === 'add') added++;
        if (kind === 'remove') removed++;
        return { kind, text: l.slice(1) };
      }),
  }));
  return { from: { id: from.id, versionNo: from.version_no }, to: { id: to.id, versionNo: to.version_no }, added, removed, hunks };
}

const withNewline = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);

// ---------------------------------------------------------------- read and acknowledge

/**
 * What a person may read: a registered reader (document:read) reads any version through the register; through the
 * reading view everybody sees only the published version, and someone without document:read only when it is addressed
 * to them (an assignment exists).
 */
async function loadReadable(db: Executor, actor: Actor, scopeId: string, id: string, vid: string) {
  requireScopePermission(actor, scopeId, 'document:acknowledge');
  const [doc, v] = await Promise.all([repo.findDocument(db, scopeId, id), repo.findVersion(db, id, vid)]);
  if (!doc || !v || v.status !== 'published') throw notFound('Published document version');
  const assignment = await repo.findAssignment(db, vid, actor.userId);
  if (!assignment && !can(actor, scopeId, 'document:read')) throw forbidden(errorText('document.notAddressed'));
  return { doc, v, assignment };
}

const presentRead = (
  doc: repo.DocumentRow,
  v: repo.VersionRow,
  assignment: { due_on: string; acknowledged_at: string | null } | undefined,
): ReadResponse => ({
  documentId: doc.id,
  versionId: v.id,
  scopeId: doc.scope_id,
  reference: doc.reference,
  title: doc.title,
  type: doc.doc_type,
  classification: doc.classification as ReadResponse['classification'],
  versionNo: v.version_no,
  publishedAt: v.published_at,
  contentMd: v.content_md,
  hasFile: v.file_id !== null,
  acknowledgement: assignment ? { dueOn: assignment.due_on, acknowledgedAt: assignment.acknowledged_at } : null,
});

export async function readVersion(deps: Deps, actor: Actor, scopeId: string, id: string, vid: string) {
  const { doc, v, assignment } = await loadReadable(deps.db, actor, scopeId, id, vid);
  return presentRead(doc, v, assignment);
}

export async function acknowledgeVersion(deps: Deps, actor: Actor, scopeId: string, id: string, vid: string) {
  requireScopePermission(actor, scopeId, 'document:acknowledge');
  return deps.db.transaction().execute(async (tx) => {
    const { doc, v, assignment } = await loadReadable(tx, actor, scopeId, id, vid);
    if (!assignment) throw forbidden(errorText('document.notAddressed'));
    if (assignment.acknowledged_at)
      throw new AppError('invalid_state', errorText('document.acknowledgedAlready', { reference: doc.reference, versionNo: v.version_no }));
    const now = isoNow(deps.clock);
    if (!(await repo.markAcknowledged(tx, assignment.id, now)))
      throw new AppError('invalid_state', errorText('document.acknowledgedAlready', { reference: doc.reference, versionNo: v.version_no }));
    if (assignment.reminder_task_id)
      await settleWorkTx(tx, deps, actor, {
        scopeId,
        recordType: 'document_version',
        recordId: v.id,
        purposes: [`acknowledge:${actor.userId}`],
        outcome: 'done',
        note: { key: 'tasks:note.versionAcknowledged', params: { documentRef: doc.reference, versionNo: v.version_no, name: actor.name } },
      });
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'acknowledge',
      recordType: 'document_version',
      recordId: v.id,
      recordRef: `${doc.reference} v${v.version_no}`,
      changes: { acknowledgedBy: { from: null, to: `${actor.name} <${actor.email}>` } },
    });
    return presentRead(doc, v, { due_on: assignment.due_on, acknowledged_at: now });
  });
}

export async function listAcknowledgements(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  vid: string,
  q: { page: number; pageSize: number; state: 'all' | 'acknowledged' | 'open' | 'overdue'; q?: string | undefined },
) {
  requireScopePermission(actor, scopeId, 'document:read');
  const day = today(deps);
  const [doc, v] = await Promise.all([repo.findDocument(deps.db, scopeId, id), repo.findVersion(deps.db, id, vid)]);
  if (!doc || !v) throw notFound('Document version');
  const [{ rows, total, capped }, s] = await Promise.all([
    repo.listAcknowledgements(deps.db, vid, { state: q.state, q: q.q, today: day }, q.pageSize, (q.page - 1) * q.pageSize),
    repo.acknowledgementSummary(deps.db, vid, day),
  ]);
  return {
    ...listPage(
      rows.map((r) => ({
        id: r.id,
        user: { id: r.user_id, name: r.name, email: r.email },
        assignedAt: r.assigned_at,
        dueOn: r.due_on,
        acknowledgedAt: r.acknowledged_at,
        carriedOver: r.carried_over_from !== null,
        overdue: r.acknowledged_at === null && r.due_on < day,
        remindedAt: r.reminded_at,
      })),
      { total, capped },
      q,
    ),
    summary: { ...s, open: s.assigned - s.acknowledged },
  };
}

/** The signed-in user's open read-and-acknowledge assignments across their scopes. */
export async function listMyAcknowledgements(deps: Deps, actor: Actor, q: { page: number; pageSize: number }) {
  const day = today(deps);
  const scopeIds = [...actor.memberships.keys()].filter((s) => can(actor, s, 'document:acknowledge'));
  const { rows, total, capped } = await repo.listMyOpenAcknowledgements(
    deps.db,
    actor.userId,
    scopeIds,
    q.pageSize,
    (q.page - 1) * q.pageSize,
  );
  return listPage(
    rows.map((r) => ({
      id: r.id,
      scopeId: r.scope_id,
      scopeName: r.scope_name,
      documentId: r.document_id,
      versionId: r.document_version_id,
      reference: r.reference,
      title: r.title,
      type: r.doc_type,
      versionNo: r.version_no,
      assignedAt: r.assigned_at,
      dueOn: r.due_on,
      overdue: r.due_on < day,
    })),
    { total, capped },
    q,
  );
}

// ---------------------------------------------------------------- PDF

/** The data of a version's PDF export; readers through the register, or the people it is addressed to. */
export async function loadForPdf(deps: Deps, actor: Actor, scopeId: string, id: string, vid: string) {
  if (!can(actor, scopeId, 'document:read')) await loadReadable(deps.db, actor, scopeId, id, vid);
  else requireScopePermission(actor, scopeId, 'document:read');
  const [version, document, scope] = await Promise.all([
    loadVersionDetail(deps.db, scopeId, id, vid, today(deps)),
    loadDetail(deps.db, scopeId, id, today(deps)),
    findScope(deps.db, scopeId),
  ]);
  if (!version || !document || !scope) throw notFound('Document version');
  if (version.contentMd === null && version.contentDisposed)
    throw new AppError(
      'invalid_state',
      errorText('document.contentDisposed', { reference: document.reference, versionNo: version.versionNo }),
    );
  return { version, document, scopeName: scope.name, generatedAt: isoNow(deps.clock) };
}

// ---------------------------------------------------------------- uploaded file per version

/** Largest document file accepted. */
export const DOCUMENT_FILE_MAX_BYTES = 25 * 1024 * 1024;
/** A version's file: PDF or Word (DOCX), decided by the content, not the name. */
export const documentFileTypes = ['application/pdf', OFFICE_TYPES.docx] as const;

function cleanFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  return (base.replace(/[\p{Cc}"]/gu, '').trim() || 'document').slice(0, 200);
}

/**
 * Attaches an uploaded file (PDF or DOCX) to a draft version: multipart fields `version` (the version's version) and
 * `file`. The bytes go to the content-addressed store first; the version row, the blob row and the audit entry in one
 * transaction (a refused step leaves at most an unreferenced blob behind, never a half-written version).
 */
export async function attachVersionFile(
  deps: Deps,
  actor: Actor,
  t: Omit<Target, 'version'>,
  readParts: () => AsyncIterable<UploadPart>,
): Promise<VersionDetailResponse> {
  requireScopePermission(actor, t.scopeId, 'document:write');
  const parts = readParts();
  let version: number | null = null;
  let file: (StoredFile & { fileName: string }) | null = null;
  for await (const part of parts) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || !part.file) throw invalid(`body.${part.fieldname}`, errorText('document.fileField'));
      const fileName = cleanFileName(part.filename);
      file = {
        ...(await storeFile(deps, part.file as Readable, { maxBytes: DOCUMENT_FILE_MAX_BYTES, fileName, allowedTypes: documentFileTypes })),
        fileName,
      };
    } else if (part.fieldname === 'version') {
      const n = Number(part.value);
      if (!Number.isInteger(n) || n < 1) throw invalid('body.version', errorText('document.versionRequired'));
      version = n;
    }
  }
  if (version === null) throw invalid('body.version', errorText('document.versionRequired'));
  if (!file) throw invalid('file', errorText('document.noFile'));
  const stored = file;
  return stepVersion(deps, actor, { ...t, version }, 'document:write', 'edit', async (tx) => {
    await registerBlobTx(tx, deps, stored);
    return {
      patch: { file_id: stored.sha256, file_name: stored.fileName, file_media_type: stored.mediaType, file_size: stored.size },
      audit: { file: `${stored.fileName} (${stored.mediaType}, ${stored.size} bytes)` },
    };
  });
}

/** The file of a version, for registered readers and for the people a published version is addressed to. */
export async function downloadVersionFile(deps: Deps, actor: Actor, scopeId: string, id: string, vid: string) {
  let v: repo.VersionRow | undefined;
  if (can(actor, scopeId, 'document:read')) {
    v = await repo.findVersion(deps.db, id, vid);
    if (!v || v.scope_id !== scopeId) throw notFound('Document version');
  } else {
    v = (await loadReadable(deps.db, actor, scopeId, id, vid)).v;
  }
  if (!v.file_id) throw notFound(v.content_disposed_at ? 'File (disposed of)' : 'File');
  const { stream, size } = await openFile(deps, v.file_id);
  return { stream, size, fileName: v.file_name ?? 'document', mediaType: v.file_media_type ?? 'application/octet-stream' };
}
