import { listPage } from '../../db/paging.ts';
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { appendAudit } from '../../audit/audit.service.ts';
import { exportTexts } from '../../i18n/export-texts.ts';
import { fallbackLanguage } from '../../i18n/i18n.ts';
import { type Actor, can, inActorLanguage, requireScopePermission } from '../../auth/actor.ts';
import type { ScopeRole } from '../../auth/roles.ts';
import { rolePermissions } from '../../auth/role-permissions.ts';
import { toBool } from '../../db/column.ts';
import type { Executor, Tx } from '../../db/database.ts';
import { findCurrentCycle } from '../../isms/cycle/cycle.repository.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText, invalid, notMember } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { changeVersionedRecord, loadVersionedRecord, type VersionedRecordKind } from '../../shared/versioned-record.ts';
import { openWorkTx, settleWorkTx } from '../../work/work.ts';
import { createChangeTx } from '../change-management/index.ts';
import { sumControlCosts } from '../control-implementation/index.ts';
import { countOverdueCorrectiveActions, findFindingOfSource, improvementFigures } from '../improvement/index.ts';
import { countIncidentsBySeverity } from '../incident-management/index.ts';
import { auditSummary } from '../internal-audit/index.ts';
import { measurementSummary } from '../performance-evaluation/index.ts';
import { registerRecordTx } from '../records-control/index.ts';
import {
  countRisksByLevel,
  countRisksPastReview,
  findCurrentMethod,
  findScopeProfile,
  levelLabelIn,
  parseMethod,
} from '../risk-assessment/index.ts';
import { countRisksAboveCriteriaUntreated, treatmentActionFigures } from '../risk-treatment/index.ts';
import type {
  AddDecisionInput,
  CompiledInputs,
  CreateReviewInput,
  DecisionRecordType,
  DecisionResponse,
  ListReviewsQuery,
  ReviewDetailResponse,
  ReviewResponse,
  ReviewStatus,
  UpdateReviewInput,
} from './management-review.schemas.ts';
import * as repo from './management-review.repository.ts';

/** how long approved minutes are kept in the records register */
export const MINUTES_RETENTION_MONTHS = 36;

export const statusWords: Record<ReviewStatus, string> = {
  planned: 'Planned',
  compiled: 'Inputs compiled',
  held: 'Held',
  approved: 'Minutes approved',
  closed: 'Closed',
};

/** the one step each status may take (compiled → compiled compiles the inputs again) */
const next: Record<ReviewStatus, ReviewStatus[]> = {
  planned: ['compiled'],
  compiled: ['compiled', 'held'],
  held: ['approved'],
  approved: ['closed'],
  closed: [],
};

const dayStart = (d: string) => `${d}T00:00:00.000Z`;
const dayAfter = (d: string) => {
  const t = new Date(`${d}T00:00:00.000Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString();
};
const addDays = (d: string, days: number) => {
  const t = new Date(`${d}T00:00:00.000Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
};
export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const userRef = (id: string | null, name: string | null | undefined, email: string | null | undefined) =>
  id ? { id, name: name ?? '', email: email ?? '' } : null;

function presentReview(row: repo.ReviewRow): ReviewResponse {
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    status: row.status,
    chair: userRef(row.chair_id, row.chair_name, row.chair_email),
    plannedOn: row.planned_on,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    heldAt: row.held_at,
    decisions: Number(row.decision_count ?? 0),
    version: row.version,
  };
}

const recordType = (t: string) => t as DecisionRecordType;

function presentDecision(d: repo.DecisionRow): DecisionResponse {
  return {
    id: d.id,
    position: d.position,
    kind: d.kind,
    title: d.title,
    description: d.description,
    owner: userRef(d.owner_id, d.owner_name, d.owner_email),
    dueOn: d.due_on,
    record: { type: recordType(d.record_type), id: d.record_id, reference: d.record_ref, status: d.record_status },
    createdAt: d.created_at,
  };
}

async function loadReview(db: Executor, scopeId: string, id: string): Promise<ReviewDetailResponse | null> {
  const row = await repo.findReview(db, scopeId, id);
  if (!row) return null;
  const [attendees, decisions] = await Promise.all([repo.findAttendees(db, id), repo.findDecisions(db, id)]);
  const inputs = row.inputs ? (JSON.parse(row.inputs) as CompiledInputs) : null;
  return {
    ...presentReview(row),
    quorum: row.quorum,
    attendees: attendees.map((a) => ({ id: a.id, name: a.name, email: a.email, present: toBool(a.present) })),
    inputs,
    inputsHash: row.inputs_hash,
    inputsVerified: row.inputs && row.inputs_hash ? sha256(row.inputs) === row.inputs_hash : null,
    compiledAt: row.compiled_at,
    commentary: JSON.parse(row.commentary),
    discussion: row.discussion,
    decisionList: decisions.map(presentDecision),
    approvedAt: row.approved_at,
    approvedBy: userRef(row.approved_by, row.approver_name, row.approver_email),
    minutesRecord: row.minutes_record_id ? { id: row.minutes_record_id, reference: row.minutes_record_ref ?? '' } : null,
    closedAt: row.closed_at,
    createdAt: row.created_at,
    canManage: false,
    canApprove: false,
    chairIsMember: toBool(row.chair_member),
  } as ReviewDetailResponse & { chairIsMember: boolean };
}

function auditable(r: ReviewDetailResponse): Record<string, unknown> {
  return {
    title: r.title,
    status: r.status,
    chair: r.chair?.name ?? null,
    plannedOn: r.plannedOn,
    period: `${r.periodFrom} – ${r.periodTo}`,
    quorum: r.quorum,
    attendees: r.attendees.map((a) => `${a.name}${a.present ? ' (present)' : ''}`).join(', '),
    inputsHash: r.inputsHash,
    commentary: r.commentary,
    discussion: r.discussion,
    // each decision by its kind, title and the record it created, worded by the history views (audit-vocabulary.ts)
    decisions: r.decisionList.map((d) => ({ kind: d.kind, title: d.title, record: `${d.record.type}:${d.record.reference}` })),
    minutesRecord: r.minutesRecord?.reference ?? null,
  };
}

const reviewKind: VersionedRecordKind<ReviewDetailResponse, 'management_review'> = {
  table: 'management_review',
  recordType: 'management_review',
  label: 'Management review',
  load: loadReview,
  auditable,
};

/** the chair may approve the minutes; a manager may when the chair is no longer a member of the scope */
function mayApprove(actor: Actor, scopeId: string, r: ReviewDetailResponse): boolean {
  const chairLeft = !r.chair || !(r as ReviewDetailResponse & { chairIsMember: boolean }).chairIsMember;
  return r.chair?.id === actor.userId || (chairLeft && can(actor, scopeId, 'review:manage'));
}

/** what the reader may do, and the built-in labels of the risk levels in the inputs in their language */
function withAccess(actor: Actor, scopeId: string, r: ReviewDetailResponse, lang: string = fallbackLanguage): ReviewDetailResponse {
  const { chairIsMember: _, ...rest } = r as ReviewDetailResponse & { chairIsMember?: boolean };
  const inputs = r.inputs && {
    ...r.inputs,
    risks: { ...r.inputs.risks, byLevel: r.inputs.risks.byLevel.map((l) => ({ ...l, label: levelLabelIn(l.level, l.label, lang) })) },
  };
  return {
    ...rest,
    inputs,
    canManage: can(actor, scopeId, 'review:manage'),
    canApprove: r.status === 'held' && mayApprove(actor, scopeId, r),
  };
}

/** a member of the scope whose role reads management reviews (a chair or an attendee) */
async function checkMember(db: Executor, scopeId: string, userId: string, field: string) {
  const m = await findMembership(db, scopeId, userId);
  if (!m || !rolePermissions[m.role as ScopeRole].has('review:read'))
    throw invalid(field, errorText('review.memberMayRead', { field: field === 'body.chairId' ? 'chair' : 'attendee' }));
}

function checkPeriod(from: string, to: string) {
  if (from > to) throw invalid('body.periodTo', errorText('review.periodEndsBeforeStart'));
}

// -- inputs ---------------------------------------------------------------------------------------------------------

/**
 * Compiles the inputs of ISO 27001 9.3.2 for the period from the live records of the scope, through the modules'
 * read models: aggregates only, a fixed number of statements whatever the number of records.
 */
export async function compileInputs(
  db: Executor,
  scopeId: string,
  reviewId: string,
  period: { from: string; to: string },
  now: string,
): Promise<CompiledInputs> {
  const on = now.slice(0, 10);
  const instants = { from: dayStart(period.from), to: dayAfter(period.to) };
  const [
    earlier,
    improvement,
    overdueActions,
    measures,
    audits,
    levels,
    method,
    aboveCriteria,
    pastReview,
    actions,
    controlCosts,
    incidents,
  ] = await Promise.all([
    repo.findEarlierDecisions(db, scopeId, reviewId),
    improvementFigures(db, scopeId, instants),
    countOverdueCorrectiveActions(db, scopeId, on),
    measurementSummary(db, scopeId, period),
    auditSummary(db, scopeId, period),
    countRisksByLevel(db, scopeId),
    findCurrentMethod(db, scopeId),
    countRisksAboveCriteriaUntreated(db, scopeId),
    countRisksPastReview(db, scopeId, on),
    treatmentActionFigures(db, scopeId, on),
    sumControlCosts(db, scopeId),
    countIncidentsBySeverity(db, scopeId, instants),
  ]);
  const m = method ? parseMethod(method.definition) : null;
  const levelOrder = (key: string | null) => (key === null ? 1e6 : (m?.levels.findIndex((l) => l.key === key) ?? 0));
  const decisions = earlier.map((d) => {
    const open = !d.record_status || !(repo.doneStatuses as readonly string[]).includes(d.record_status);
    return {
      reviewRef: d.review_ref,
      kind: d.kind,
      title: d.title,
      owner: d.owner_name ?? null,
      dueOn: d.due_on,
      record: { type: recordType(d.record_type), id: d.record_id, reference: d.record_ref, status: d.record_status },
      open,
    };
  });
  return {
    period,
    compiledAt: now,
    actions: {
      open: decisions.filter((d) => d.open).length,
      done: decisions.filter((d) => !d.open).length,
      overdue: decisions.filter((d) => d.open && d.dueOn < on).length,
      decisions,
    },
    performance: {
      nonconformities: { ...improvement.nonconformities, overdueActions },
      measures: measures.map((x) => ({
        reference: x.reference,
        name: x.name,
        unit: x.unit,
        target: x.target,
        latest: x.latest,
        breaches: x.breaches,
        trend: x.trend,
      })),
      audits: {
        held: audits.auditsHeld,
        majorNonconformities: audits.findings.major_nonconformity,
        minorNonconformities: audits.findings.minor_nonconformity,
        observations: audits.findings.observation,
        opportunities: audits.findings.opportunity,
        openNonconformities: audits.openNonconformities,
      },
    },
    risks: {
      total: levels.reduce((a, l) => a + l.count, 0),
      byLevel: [...levels]
        .sort((a, b) => levelOrder(a.level) - levelOrder(b.level))
        .map((l) => ({
          level: l.level ?? '',
          label: l.level === null ? '' : (m?.levels.find((x) => x.key === l.level)?.label ?? l.level),
          count: l.count,
        })),
      aboveCriteriaUntreated: aboveCriteria,
      pastReview,
      treatmentActions: { open: actions.open, overdue: actions.overdue },
    },
    opportunities: improvement.opportunities,
    resources: { controlCosts, treatmentActionCosts: actions.cost },
    incidents: { reported: incidents.reduce((a, i) => a + i.count, 0), bySeverity: incidents },
  };
}

// -- reads ----------------------------------------------------------------------------------------------------------

export async function listReviews(deps: Deps, actor: Actor, scopeId: string, q: ListReviewsQuery) {
  requireScopePermission(actor, scopeId, 'review:read');
  const { rows, total, capped } = await repo.listReviews(deps.db, scopeId, q, q.pageSize, (q.page - 1) * q.pageSize);
  return listPage(rows.map(presentReview), { total, capped }, q);
}

/** The filtered list as CSV, page by page (the permission is checked before the first byte is sent). */
export function exportReviewsCsv(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: Omit<ListReviewsQuery, 'page' | 'pageSize'>,
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'review:read');
  // the headers and the status in the language of the user who asks
  const t = exportTexts(lang);
  const columns = ['reference', 'title', 'status', 'chair', 'plannedOn', 'periodFrom', 'periodTo', 'heldAt', 'decisions'];
  return (async function* () {
    yield stringify([columns.map((c) => t(`minutes.csv.${c}`))]);
    const pageSize = 500;
    for (let offset = 0; ; offset += pageSize) {
      const { rows } = await repo.listReviews(deps.db, scopeId, q, pageSize, offset);
      if (rows.length === 0) break;
      yield stringify(
        rows
          .map(presentReview)
          .map((r) => [
            r.reference,
            r.title,
            t(`minutes.status.${r.status}`),
            r.chair?.name ?? '',
            r.plannedOn,
            r.periodFrom,
            r.periodTo,
            r.heldAt ? r.heldAt.slice(0, 10) : '',
            r.decisions,
          ]),
      );
      if (rows.length < pageSize) break;
    }
  })();
}

export async function getReview(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  lang: string = fallbackLanguage,
): Promise<ReviewDetailResponse> {
  requireScopePermission(actor, scopeId, 'review:read');
  return withAccess(actor, scopeId, await loadVersionedRecord(deps.db, reviewKind, scopeId, id), lang);
}

/** Read model for the cockpit: the last review held and the decisions whose record is still open. Two statements. */
export async function reviewSummary(db: Executor, scopeId: string) {
  const s = await repo.summary(db, scopeId);
  return {
    lastHeld: s.last?.held_at ? { id: s.last.id, reference: s.last.reference, title: s.last.title, heldAt: s.last.held_at } : null,
    openDecisions: s.open,
  };
}

export async function getReviewSummary(deps: Deps, actor: Actor, scopeId: string) {
  requireScopePermission(actor, scopeId, 'review:read');
  return reviewSummary(deps.db, scopeId);
}

// -- changes --------------------------------------------------------------------------------------------------------

/** The period by default: from the day after the last review's period (or the cycle's start) to the planned date. */
async function defaultPeriodFrom(db: Executor, scopeId: string, plannedOn: string): Promise<string> {
  const last = await repo.findLastHeldPeriodEnd(db, scopeId);
  if (last) return addDays(last.period_to, 1);
  const cycle = await findCurrentCycle(db, scopeId);
  if (cycle && cycle.starts_on <= plannedOn) return cycle.starts_on;
  return addDays(plannedOn, -365);
}

export async function createReview(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: CreateReviewInput,
  lang: string = fallbackLanguage,
): Promise<ReviewDetailResponse> {
  requireScopePermission(actor, scopeId, 'review:manage');
  const created = await deps.db.transaction().execute(async (tx) => {
    await checkMember(tx, scopeId, input.chairId, 'body.chairId');
    for (const id of input.attendeeIds) await checkMember(tx, scopeId, id, 'body.attendeeIds');
    const periodTo = input.periodTo ?? input.plannedOn;
    const periodFrom = input.periodFrom ?? (await defaultPeriodFrom(tx, scopeId, input.plannedOn));
    checkPeriod(periodFrom, periodTo);
    const now = isoNow(deps.clock);
    const id = newId();
    await repo.insertReview(tx, {
      id,
      scope_id: scopeId,
      reference: await nextReference(tx, scopeId, 'MR'),
      title: input.title,
      status: 'planned',
      chair_id: input.chairId,
      planned_on: input.plannedOn,
      period_from: periodFrom,
      period_to: periodTo,
      quorum: input.quorum,
      inputs: null,
      inputs_hash: null,
      compiled_at: null,
      commentary: '{}',
      discussion: '',
      held_at: null,
      approved_at: null,
      approved_by: null,
      minutes_record_id: null,
      minutes_record_ref: null,
      closed_at: null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    });
    const attendees = [...new Set([input.chairId, ...input.attendeeIds])];
    await repo.replaceAttendees(
      tx,
      id,
      attendees.map((userId) => ({ review_id: id, user_id: userId, present: false })),
    );
    const after = (await loadReview(tx, scopeId, id))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'create',
      recordType: 'management_review',
      recordId: id,
      recordRef: after.reference,
      changes: Object.fromEntries(Object.entries(auditable(after)).map(([k, v]) => [k, { from: null, to: v }])),
    });
    return after;
  });
  return withAccess(actor, scopeId, created, lang);
}

export async function updateReview(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: UpdateReviewInput,
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'review:manage');
  const after = await changeVersionedRecord(deps, actor, reviewKind, { scopeId, id, version: input.version }, async (tx, before) => {
    const planning = before.status === 'planned' || before.status === 'compiled';
    const refuse = (field: string, part: 'minutes' | 'inputs' | 'plan') => {
      throw new AppError(
        'invalid_state',
        errorText('review.noLongerChanges', { reference: before.reference, status: before.status, part }),
        {
          field: `body.${field}`,
        },
      );
    };
    if (before.status === 'approved' || before.status === 'closed') refuse('version', 'minutes');
    for (const f of ['title', 'chairId', 'plannedOn', 'periodFrom', 'periodTo', 'quorum', 'attendees', 'commentary'] as const)
      if (input[f] !== undefined && !planning) refuse(f, f === 'commentary' ? 'inputs' : 'plan');
    if (input.chairId) await checkMember(tx, scopeId, input.chairId, 'body.chairId');
    for (const [i, a] of (input.attendees ?? []).entries()) await checkMember(tx, scopeId, a.userId, `body.attendees.${i}.userId`);
    const from = input.periodFrom ?? before.periodFrom;
    const to = input.periodTo ?? before.periodTo;
    checkPeriod(from, to);
    if (input.attendees) {
      const seen = new Map(input.attendees.map((a) => [a.userId, a.present]));
      await repo.replaceAttendees(
        tx,
        id,
        [...seen].map(([userId, present]) => ({ review_id: id, user_id: userId, present })),
      );
    }
    return {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.chairId !== undefined && { chair_id: input.chairId }),
      ...(input.plannedOn !== undefined && { planned_on: input.plannedOn }),
      ...(input.periodFrom !== undefined && { period_from: input.periodFrom }),
      ...(input.periodTo !== undefined && { period_to: input.periodTo }),
      ...(input.quorum !== undefined && { quorum: input.quorum }),
      ...(input.commentary !== undefined && { commentary: JSON.stringify({ ...before.commentary, ...input.commentary }) }),
      ...(input.discussion !== undefined && { discussion: input.discussion }),
    };
  });
  return withAccess(actor, scopeId, after, lang);
}

export async function transitionReview(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: { version: number; to: ReviewStatus },
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'review:read');
  const after = await changeVersionedRecord(
    deps,
    actor,
    reviewKind,
    { scopeId, id, version: input.version },
    async (tx, before) => {
      if (input.to === 'approved') {
        if (!mayApprove(actor, scopeId, before)) throw new AppError('forbidden', errorText('review.whoApproves'));
      } else requireScopePermission(actor, scopeId, 'review:manage');
      if (!next[before.status].includes(input.to))
        throw new AppError(
          'invalid_state',
          errorText('review.transition', { reference: before.reference, from: before.status, to: input.to }),
          { field: 'body.to' },
        );
      const now = isoNow(deps.clock);
      if (input.to === 'compiled') {
        const inputs = await compileInputs(tx, scopeId, id, { from: before.periodFrom, to: before.periodTo }, now);
        return { status: 'compiled' as const, inputs: JSON.stringify(inputs), compiled_at: now };
      }
      if (input.to === 'held') {
        const present = before.attendees.filter((a) => a.present).length;
        const profile = await findScopeProfile(tx, scopeId);
        if (profile === 'large' && before.quorum === null)
          throw new AppError('unprocessable', errorText('review.quorumFirst', { reference: before.reference }), {
            field: 'body.quorum',
          });
        if (before.quorum !== null && present < before.quorum)
          throw new AppError(
            'unprocessable',
            errorText('review.quorumMissed', { reference: before.reference, quorum: before.quorum, present }),
            {
              field: 'body.attendees',
              details: { present, quorum: before.quorum },
            },
          );
        if (present === 0)
          throw new AppError('unprocessable', errorText('review.attendanceFirst', { reference: before.reference }), {
            field: 'body.attendees',
          });
        // the inputs as of the meeting, with the owner's commentary, frozen and hashed
        const inputs = await compileInputs(tx, scopeId, id, { from: before.periodFrom, to: before.periodTo }, now);
        const frozen = JSON.stringify({ ...inputs, commentary: before.commentary });
        const process = await repo.findScopeProcess(tx, scopeId, 'management-review');
        if (process)
          await settleWorkTx(tx, deps, actor, {
            scopeId,
            recordType: 'process',
            recordId: process.id,
            purposePrefix: 'cadence:',
            outcome: 'done',
            note: { key: 'reviews:note.reviewHeld', params: { reviewRef: before.reference } },
          });
        return { status: 'held' as const, inputs: frozen, inputs_hash: sha256(frozen), compiled_at: now, held_at: now };
      }
      if (input.to === 'approved') {
        if (!before.discussion.trim())
          throw new AppError('unprocessable', errorText('review.discussionFirst', { reference: before.reference }), {
            field: 'body.discussion',
          });
        const record = await registerRecordTx(tx, deps, actor, {
          scopeId,
          // the record's words, which people edit afterwards, in the language of the approver's request
          title: inActorLanguage(actor, {
            key: 'written:record.minutes.title',
            params: { review: before.reference, title: before.title },
          }).slice(0, 300),
          description: inActorLanguage(actor, {
            key: 'written:record.minutes.description',
            params: { review: before.reference, heldOn: before.heldAt?.slice(0, 10) ?? '', hash: before.inputsHash ?? '' },
          }),
          ownerId: before.chair?.id ?? actor.userId,
          processKey: 'management-review',
          retentionMonths: MINUTES_RETENTION_MONTHS,
        });
        return {
          status: 'approved' as const,
          approved_at: now,
          approved_by: actor.userId,
          minutes_record_id: record.id,
          minutes_record_ref: record.reference,
        };
      }
      return { status: 'closed' as const, closed_at: now };
    },
    { action: 'transition', always: input.to === 'compiled' },
  );
  return withAccess(actor, scopeId, after, lang);
}

/**
 * Records a decision of a held review (ISO 27001 9.3.3) and creates its record in the same transaction: a corrective
 * action or opportunity goes to improvement (review.decided, the management-review → improvement edge), a change request
 * to change management, the others are tasks for their owner (purpose `decision:<id>`).
 */
export async function addDecision(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: AddDecisionInput,
  lang: string = fallbackLanguage,
) {
  requireScopePermission(actor, scopeId, 'review:manage');
  const after = await changeVersionedRecord(
    deps,
    actor,
    reviewKind,
    { scopeId, id, version: input.version },
    async (tx, before) => {
      if (before.status !== 'held') throw new AppError('invalid_state', errorText('review.decisionsWhen', { reference: before.reference }));
      await checkOwner(tx, scopeId, input.ownerId);
      const decisionId = newId();
      const position = await repo.nextDecisionPosition(tx, id);
      const decisionRef = `${before.reference} #${position}`;
      const record = await createDecisionRecord(tx, deps, actor, scopeId, before, { ...input, decisionId, decisionRef });
      await repo.insertDecision(tx, {
        id: decisionId,
        review_id: id,
        scope_id: scopeId,
        position,
        kind: input.kind,
        title: input.title,
        description: input.description,
        owner_id: input.ownerId,
        due_on: input.dueOn,
        record_type: record.type,
        record_id: record.id,
        record_ref: record.reference,
        created_by: actor.userId,
        created_at: isoNow(deps.clock),
      });
      return null;
    },
    { action: 'decide', always: true },
  );
  return withAccess(actor, scopeId, after, lang);
}

/** the owner of a decision: any member of the scope (top management may own a resource or objective decision) */
async function checkOwner(db: Executor, scopeId: string, userId: string) {
  if (!(await findMembership(db, scopeId, userId))) throw notMember('body.ownerId');
}

const taskProcess: Record<
  'risk_acceptance' | 'policy_revision' | 'resource' | 'objective',
  'risk-treatment' | 'policy-management' | 'management-review'
> = {
  risk_acceptance: 'risk-treatment',
  policy_revision: 'policy-management',
  resource: 'management-review',
  objective: 'management-review',
};

async function createDecisionRecord(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  scopeId: string,
  review: ReviewDetailResponse,
  d: AddDecisionInput & { decisionId: string; decisionRef: string },
): Promise<{ type: DecisionRecordType; id: string; reference: string }> {
  if (d.kind === 'corrective_action' || d.kind === 'opportunity') {
    await deps.events.emit(tx, actor, 'review.decided', {
      scopeId,
      reviewId: review.id,
      reviewRef: review.reference,
      decisionId: d.decisionId,
      decisionRef: d.decisionRef,
      kind: d.kind,
      title: d.title,
      description: d.description,
      ownerId: d.ownerId,
      dueOn: d.dueOn,
    });
    const kind = d.kind === 'corrective_action' ? 'nonconformity' : 'opportunity';
    const found = await findFindingOfSource(tx, kind, 'management_review_decision', d.decisionId);
    if (!found) throw new Error(`Improvement did not record the ${kind} of ${d.decisionRef}`);
    return { type: kind === 'nonconformity' ? 'nonconformity' : 'improvement_opportunity', id: found.id, reference: found.reference };
  }
  if (d.kind === 'change_request') {
    const change = await createChangeTx(tx, deps, actor, scopeId, {
      title: d.title,
      description: d.description,
      reason: inActorLanguage(actor, {
        key: 'written:change.reason.reviewDecision',
        params: { review: review.reference, title: review.title },
      }),
      plannedOn: d.dueOn,
      targets: [],
      ownerId: d.ownerId,
      source: 'manual',
      sourceRecord: { type: 'management_review', id: review.id, ref: review.reference },
    });
    return { type: 'change_request', id: change.id, reference: change.reference };
  }
  const { task } = await openWorkTx(tx, deps, actor, {
    scopeId,
    processKey: taskProcess[d.kind],
    purpose: `decision:${d.decisionId}`,
    title: { key: `reviews:task.${d.kind}`, params: { reviewRef: review.reference, title: d.title } },
    description: d.description
      ? {
          key: 'tasks:description.reviewDecisionWithDetails',
          params: { kind: d.kind, reviewRef: review.reference, details: d.description },
        }
      : { key: 'tasks:description.reviewDecision', params: { kind: d.kind, reviewRef: review.reference } },
    assigneeId: d.ownerId,
    dueOn: d.dueOn,
    origin: { processKey: 'management-review', recordType: 'management_review', recordId: review.id, recordRef: review.reference },
  });
  return { type: 'task', id: task.id, reference: task.reference };
}
