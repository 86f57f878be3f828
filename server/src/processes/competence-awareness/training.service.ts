import { listPage } from '../../db/paging.ts';
import { diffChanges } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import { type Actor, actorLanguage, can, inActorLanguage, requireScopePermission } from '../../auth/actor.ts';
import { scopeRoles } from '../../auth/roles.ts';
import { toBool } from '../../db/column.ts';
import type { Executor, Tx } from '../../db/database.ts';
import type { TrainingAssignmentTable, TrainingCourseTable } from './competence-awareness.tables.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { findMembership } from '../../scopes/scope.repository.ts';
import { isoNow, utcDatePlusDays } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, conflictWithCurrent, errorText, invalid, notFound, versionConflict } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { nextReference } from '../../shared/references.ts';
import { auditCreatedRecord, changeVersionedRecord } from '../../shared/versioned-record.ts';
import { addMonths } from '../records-control/index.ts';
import * as competenceRepo from './competence.repository.ts';
import { nextRoundFrom, type Quiz, quizForEmployee, quizProblems, scoreQuiz } from './training-rules.ts';
import type { AssignmentResponse, CourseInput, CourseResponse, MyTrainingResponse, TargetType } from './training.schemas.ts';
import * as repo from './training.repository.ts';

const today = (deps: Deps) => deps.clock.now().toISOString().slice(0, 10);
const parseQuiz = (json: string | null): Quiz | null => (json ? (JSON.parse(json) as Quiz) : null);

type TargetRow = Awaited<ReturnType<typeof repo.findTargets>>[number];

function presentCourse(row: TrainingCourseTable, targets: TargetRow[], withAnswers: boolean): CourseResponse {
  const quiz = parseQuiz(row.quiz);
  return {
    id: row.id,
    scopeId: row.scope_id,
    reference: row.reference,
    title: row.title,
    description: row.description,
    materialDocumentId: row.material_document_id,
    materialUrl: row.material_url,
    hasQuiz: quiz !== null,
    quiz: quiz ? (withAnswers ? quiz : quizForEmployee(quiz)) : null,
    dueDays: row.due_days,
    recurrenceMonths: row.recurrence_months,
    grantsCompetenceId: row.grants_competence_id,
    status: row.status,
    targets: targets
      .filter((t) => t.course_id === row.id)
      .map((t) => ({
        id: t.id,
        targetType: t.target_type,
        targetValue: t.target_value,
        label: t.job_role_name ?? t.user_name ?? t.target_value,
      })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

/**
 * A course as its history reads its links: the material document's reference and the granted competence's name. Under a
 * symbol, so that they stay out of the course as the API presents it (a response is the course's string keys).
 */
const linkNames = Symbol('linkNames');
type AuditedCourse = CourseResponse & {
  [linkNames]: { materialDocument: string | null; grantsCompetence: string | null };
};

const courseAuditable = (c: AuditedCourse) => ({
  title: c.title,
  description: c.description,
  // the document's reference and the competence's name, as a person reads them (entries before them carry the ids,
  // materialDocumentId and grantsCompetenceId)
  materialDocument: c[linkNames].materialDocument,
  materialUrl: c.materialUrl,
  quiz: c.quiz ? `${c.quiz.questions.length} questions, pass mark ${c.quiz.passMark} %` : null,
  dueDays: c.dueDays,
  recurrenceMonths: c.recurrenceMonths,
  grantsCompetence: c[linkNames].grantsCompetence,
  status: c.status,
  targets: c.targets.map((t) => `${t.targetType}:${t.label}`),
});

async function loadCourse(db: Executor, scopeId: string, id: string): Promise<AuditedCourse | null> {
  const row = await repo.findCourse(db, scopeId, id);
  if (!row) return null;
  const names = await repo.findCourseLinkNames(db, scopeId, id);
  return {
    ...presentCourse(row, await repo.findTargets(db, [id]), true),
    [linkNames]: { materialDocument: names?.materialDocument ?? null, grantsCompetence: names?.grantsCompetence ?? null },
  };
}

/** Stored form of a quiz: questions get stable ids (q1, q2, …) that answers refer to. */
function storeQuiz(quiz: CourseInput['quiz'], field: string): string | null {
  if (!quiz) return null;
  const problems = quizProblems(quiz);
  if (problems.length) throw invalid(`${field}.${problems[0]![0]}`, problems[0]![1]);
  const stored: Quiz = {
    passMark: quiz.passMark,
    questions: quiz.questions.map((q, i) => ({
      id: `q${i + 1}`,
      text: q.text,
      options: q.options,
      correct: [...new Set(q.correct)].sort(),
    })),
  };
  return JSON.stringify(stored);
}

async function checkGrant(db: Executor, scopeId: string, competenceId: string | null | undefined) {
  if (competenceId && !(await competenceRepo.findCompetence(db, scopeId, competenceId)))
    throw invalid('body.grantsCompetenceId', errorText('competence.noCompetence'));
}

async function checkMaterial(db: Executor, scopeId: string, documentId: string | null | undefined) {
  if (!documentId) return;
  const doc = await db.selectFrom('document').select('id').where('scope_id', '=', scopeId).where('id', '=', documentId).executeTakeFirst();
  if (!doc) throw invalid('body.materialDocumentId', errorText('training.noDocument'));
}

export async function listCourses(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: { page: number; pageSize: number; q?: string | undefined; status?: TrainingCourseTable['status'] | undefined },
) {
  requireScopePermission(actor, scopeId, 'training:read');
  const withAnswers = can(actor, scopeId, 'training:manage');
  const { rows, total, capped } = await repo.listCourses(deps.db, scopeId, q, q.pageSize, (q.page - 1) * q.pageSize);
  const targets = await repo.findTargets(
    deps.db,
    rows.map((r) => r.id),
  );
  return listPage(
    rows.map((r) => presentCourse(r, targets, withAnswers)),
    { total, capped },
    q,
  );
}

export async function getCourse(deps: Deps, actor: Actor, scopeId: string, id: string): Promise<CourseResponse> {
  requireScopePermission(actor, scopeId, 'training:read');
  const row = await repo.findCourse(deps.db, scopeId, id);
  if (!row) throw notFound('Course');
  return presentCourse(row, await repo.findTargets(deps.db, [id]), can(actor, scopeId, 'training:manage'));
}

export async function createCourse(deps: Deps, actor: Actor, scopeId: string, input: CourseInput): Promise<CourseResponse> {
  requireScopePermission(actor, scopeId, 'training:manage');
  return deps.db.transaction().execute(async (tx) => {
    await checkMaterial(tx, scopeId, input.materialDocumentId);
    await checkGrant(tx, scopeId, input.grantsCompetenceId);
    const now = isoNow(deps.clock);
    const row: TrainingCourseTable = {
      id: newId(),
      scope_id: scopeId,
      reference: await nextReference(tx, scopeId, 'TRN'),
      title: input.title,
      description: input.description,
      material_document_id: input.materialDocumentId,
      material_url: input.materialUrl,
      quiz: storeQuiz(input.quiz, 'body.quiz'),
      pass_mark: input.quiz?.passMark ?? null,
      due_days: input.dueDays,
      recurrence_months: input.recurrenceMonths,
      grants_competence_id: input.grantsCompetenceId,
      status: 'active',
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insertCourse(tx, row);
    return auditCreatedRecord(tx, deps, actor, courseKind, { scopeId, id: row.id });
  });
}

const courseKind = {
  table: 'training_course' as const,
  recordType: 'training_course',
  label: 'Course',
  load: loadCourse,
  auditable: courseAuditable,
};

export async function updateCourse(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  id: string,
  input: Partial<CourseInput> & { version: number; status?: 'active' | 'retired' | undefined },
): Promise<CourseResponse> {
  requireScopePermission(actor, scopeId, 'training:manage');
  return changeVersionedRecord(deps, actor, courseKind, { scopeId, id, version: input.version }, async (tx) => {
    await checkMaterial(tx, scopeId, input.materialDocumentId);
    await checkGrant(tx, scopeId, input.grantsCompetenceId);
    return {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.materialDocumentId !== undefined && { material_document_id: input.materialDocumentId }),
      ...(input.materialUrl !== undefined && { material_url: input.materialUrl }),
      ...(input.quiz !== undefined && { quiz: storeQuiz(input.quiz, 'body.quiz'), pass_mark: input.quiz?.passMark ?? null }),
      ...(input.dueDays !== undefined && { due_days: input.dueDays }),
      ...(input.recurrenceMonths !== undefined && { recurrence_months: input.recurrenceMonths }),
      ...(input.grantsCompetenceId !== undefined && { grants_competence_id: input.grantsCompetenceId }),
      ...(input.status !== undefined && { status: input.status }),
    };
  });
}

/**
 * Brings a course's assignments up to date inside the caller's transaction: everyone its targets address who has
 * never had it gets round 1; for a recurring course, everyone whose last completion is old enough gets the next round.
 * Idempotent (one assignment per course, person and round). Returns how many assignments it created.
 */
export async function assignCourseTx(tx: Tx, deps: Deps, course: TrainingCourseTable): Promise<number> {
  if (course.status !== 'active') return 0;
  const targets = await repo.findTargets(tx, [course.id]);
  const users = await repo.findTargetedUsers(tx, course.scope_id, targets);
  const latest = new Map((await repo.findLatestRounds(tx, course.id)).map((r) => [r.user_id, r]));
  const on = today(deps);
  const now = isoNow(deps.clock);
  const rows: TrainingAssignmentTable[] = [];
  const add = (userId: string, round: number) =>
    rows.push({
      id: newId(),
      scope_id: course.scope_id,
      course_id: course.id,
      user_id: userId,
      round,
      assigned_at: now,
      due_on: utcDatePlusDays(deps.clock.now(), course.due_days),
      completed_at: null,
      score: null,
      passed: null,
      attempts: 0,
      version: 1,
    });
  for (const userId of users) {
    const last = latest.get(userId);
    if (!last) add(userId, 1);
    // ISO 27001 A.6.3: awareness training is repeated regularly
    else if (nextRoundFrom(last.completed_at, course.recurrence_months, on)) add(userId, last.round + 1);
  }
  return repo.insertAssignments(tx, rows);
}

async function validateTarget(db: Executor, scopeId: string, type: TargetType, value: string): Promise<void> {
  const field = 'body.targetValue';
  if (type === 'scope_role' && !(scopeRoles as readonly string[]).includes(value))
    throw invalid(field, errorText('training.scopeRoleUnknown', { roles: scopeRoles.join(',') }));
  if (type === 'job_role' && !(await competenceRepo.findJobRole(db, scopeId, value).catch(() => undefined)))
    throw invalid(field, errorText('training.noJobRole'));
  if (type === 'person' && !(await findMembership(db, scopeId, value))) throw invalid(field, errorText('training.personNotMember'));
}

/** Assigns a course to a job role, a scope role, a department or a person; the people addressed get it at once. */
export async function addTarget(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  courseId: string,
  input: { targetType: TargetType; targetValue: string },
): Promise<{ course: CourseResponse; assigned: number }> {
  requireScopePermission(actor, scopeId, 'training:manage');
  return deps.db.transaction().execute(async (tx) => {
    const course = await repo.findCourse(tx, scopeId, courseId);
    if (!course) throw notFound('Course');
    if (course.status !== 'active')
      throw new AppError('invalid_state', errorText('training.courseRetired', { reference: course.reference }));
    await validateTarget(tx, scopeId, input.targetType, input.targetValue);
    const before = (await loadCourse(tx, scopeId, courseId))!;
    const added = await repo.insertTarget(tx, {
      id: newId(),
      scope_id: scopeId,
      course_id: courseId,
      target_type: input.targetType,
      target_value: input.targetValue,
      created_at: isoNow(deps.clock),
    });
    if (!added) throw new AppError('duplicate', errorText('training.alreadyAssigned'));
    const assigned = await assignCourseTx(tx, deps, course);
    const after = (await loadCourse(tx, scopeId, courseId))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'assign',
      recordType: 'training_course',
      recordId: courseId,
      recordRef: course.reference,
      changes: { ...diffChanges(courseAuditable(before), courseAuditable(after)), assigned: { to: assigned } },
    });
    return { course: after, assigned };
  });
}

export async function removeTarget(deps: Deps, actor: Actor, scopeId: string, courseId: string, targetId: string): Promise<CourseResponse> {
  requireScopePermission(actor, scopeId, 'training:manage');
  return deps.db.transaction().execute(async (tx) => {
    const before = await loadCourse(tx, scopeId, courseId);
    if (!before) throw notFound('Course');
    if (!(await repo.deleteTarget(tx, courseId, targetId))) throw notFound('Target');
    const after = (await loadCourse(tx, scopeId, courseId))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'training_course',
      recordId: courseId,
      recordRef: after.reference,
      changes: diffChanges(courseAuditable(before), courseAuditable(after)),
    });
    return after;
  });
}

/** The recurring sweep: every active course's assignments brought up to date, one transaction per course. */
export async function sweepTrainingAssignments(deps: Deps): Promise<number> {
  let created = 0;
  for (const course of await repo.findActiveCourses(deps.db)) {
    created += await deps.db.transaction().execute(async (tx) => {
      const current = await repo.findCourse(tx, course.scope_id, course.id);
      return current ? assignCourseTx(tx, deps, current) : 0;
    });
  }
  return created;
}

function presentAssignment(r: repo.AssignmentRow, on: string): AssignmentResponse {
  return {
    id: r.id,
    scopeId: r.scope_id,
    course: { id: r.course_id, reference: r.course_reference, title: r.course_title },
    user: { id: r.user_id, name: r.user_name, email: r.user_email },
    round: r.round,
    assignedAt: r.assigned_at,
    dueOn: r.due_on,
    overdue: r.completed_at === null && r.due_on < on,
    completedAt: r.completed_at,
    score: r.score,
    passed: r.passed === null ? null : toBool(r.passed),
    attempts: r.attempts,
    version: r.version,
  };
}

export async function listAssignments(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  q: {
    page: number;
    pageSize: number;
    courseId?: string | undefined;
    userId?: string | undefined;
    status?: 'open' | 'completed' | 'overdue' | undefined;
  },
) {
  requireScopePermission(actor, scopeId, 'training:read');
  const on = today(deps);
  const { rows, total, capped } = await repo.listAssignments(deps.db, scopeId, on, q, q.pageSize, (q.page - 1) * q.pageSize);
  return listPage(
    rows.map((r) => presentAssignment(r, on)),
    { total, capped },
    q,
  );
}

function presentMine(r: repo.MyAssignmentRow, on: string): MyTrainingResponse {
  const quiz = parseQuiz(r.quiz);
  return {
    ...presentAssignment(r, on),
    scopeName: r.scope_name,
    description: r.description,
    materialDocumentId: r.material_document_id,
    materialUrl: r.material_url,
    // the correct answers never leave the server
    quiz: quiz ? quizForEmployee(quiz) : null,
  };
}

/** The actor's open trainings across their scopes (the employee's own page). */
export async function listMyTrainings(deps: Deps, actor: Actor): Promise<{ items: MyTrainingResponse[] }> {
  const on = today(deps);
  const rows = await repo.findOpenAssignmentsOf(deps.db, actor.userId);
  return { items: rows.filter((r) => can(actor, r.scope_id, 'training:complete')).map((r) => presentMine(r, on)) };
}

/** Loads one of the actor's own assignments for completion; anybody else's does not exist for them (404). */
async function ownAssignment(tx: Tx, deps: Deps, actor: Actor, id: string, version: number) {
  const a = await repo.findAssignment(tx, id);
  if (!a || a.user_id !== actor.userId) throw notFound('Training');
  requireScopePermission(actor, a.scope_id, 'training:complete');
  if (a.completed_at) throw new AppError('invalid_state', errorText('training.alreadyCompleted', { reference: a.course_reference }));
  if (a.version !== version) throw versionConflict(errorText('training.changed'), presentMine(a, today(deps)));
  return a;
}

/** A completion that lost the race at the write: 409 with the assignment as "My trainings" shows it now. */
function withCurrentAssignment<T>(deps: Deps, id: string, work: Promise<T>): Promise<T> {
  return conflictWithCurrent(work, errorText('training.changed'), async () => {
    const a = await repo.findAssignment(deps.db, id);
    return a && presentMine(a, today(deps));
  });
}

/** A completed round grants the course's competence, then is handed off (`training.completed`). */
async function completedTx(tx: Tx, deps: Deps, actor: Actor, a: repo.MyAssignmentRow, score: number | null) {
  await grantCompetenceTx(tx, deps, actor, a, score);
  await deps.events.emit(tx, actor, 'training.completed', {
    scopeId: a.scope_id,
    assignmentId: a.id,
    courseId: a.course_id,
    courseRef: a.course_reference,
    userId: a.user_id,
    round: a.round,
    score,
  });
}

/** "Mark completed" for a course without a quiz. */
export async function completeTraining(deps: Deps, actor: Actor, id: string, input: { version: number }): Promise<MyTrainingResponse> {
  const work = deps.db.transaction().execute(async (tx) => {
    const a = await ownAssignment(tx, deps, actor, id, input.version);
    if (a.quiz) throw new AppError('invalid_state', errorText('training.quizNeeded', { reference: a.course_reference }));
    const now = isoNow(deps.clock);
    await updateVersioned(tx, 'training_assignment', id, a.version, { completed_at: now });
    await appendAudit(tx, deps, actor, {
      scopeId: a.scope_id,
      action: 'complete',
      recordType: 'training_assignment',
      recordId: id,
      recordRef: a.course_reference,
      changes: { completedAt: { to: now }, round: { to: a.round }, user: { to: a.user_email } },
    });
    await completedTx(tx, deps, actor, a, null);
    return presentMine((await repo.findAssignment(tx, id))!, today(deps));
  });
  return withCurrentAssignment(deps, id, work);
}

/** Scores the answers on the server; a pass completes the training, a fail counts as an attempt and may be retried. */
export async function submitQuiz(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { version: number; answers: { questionId: string; selected: number[] }[] },
) {
  const work = deps.db.transaction().execute(async (tx) => {
    const a = await ownAssignment(tx, deps, actor, id, input.version);
    const quiz = parseQuiz(a.quiz);
    if (!quiz) throw new AppError('invalid_state', errorText('training.noQuiz', { reference: a.course_reference }));
    const result = scoreQuiz(quiz, input.answers);
    const now = isoNow(deps.clock);
    await updateVersioned(tx, 'training_assignment', id, a.version, {
      score: result.score,
      passed: result.passed,
      attempts: a.attempts + 1,
      ...(result.passed && { completed_at: now }),
    });
    await appendAudit(tx, deps, actor, {
      scopeId: a.scope_id,
      action: result.passed ? 'complete' : 'quiz-failed',
      recordType: 'training_assignment',
      recordId: id,
      recordRef: a.course_reference,
      changes: {
        score: { from: a.score, to: result.score },
        passed: { to: result.passed },
        attempts: { from: a.attempts, to: a.attempts + 1 },
        user: { to: a.user_email },
        ...(result.passed && { completedAt: { to: now } }),
      },
    });
    if (result.passed) await completedTx(tx, deps, actor, a, result.score);
    return { assignment: presentMine((await repo.findAssignment(tx, id))!, today(deps)), ...result };
  });
  return withCurrentAssignment(deps, id, work);
}

/**
 * A completed course that grants a competence records it for the person, with the completion as evidence and the
 * competence's validity as expiry (ISO 27001 7.2 c, d); a later round renews it.
 */
async function grantCompetenceTx(tx: Tx, deps: Deps, actor: Actor, a: repo.MyAssignmentRow, score: number | null): Promise<void> {
  const course = await repo.findCourse(tx, a.scope_id, a.course_id);
  if (!course?.grants_competence_id) return;
  const competence = await competenceRepo.findCompetence(tx, a.scope_id, course.grants_competence_id);
  if (!competence) return;
  const on = today(deps);
  const now = isoNow(deps.clock);
  const expiresOn = competence.validity_months ? addMonths(on, competence.validity_months) : null;
  const language = actorLanguage(actor);
  const params = {
    course: course.reference,
    title: course.title,
    on: new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${on}T00:00:00Z`)),
  };
  const evidence = inActorLanguage(
    actor,
    score === null
      ? { key: 'written:competence.evidence', params }
      : { key: 'written:competence.evidenceWithScore', params: { ...params, score } },
  );
  const held = await competenceRepo.findHeld(tx, a.scope_id, a.user_id, competence.id);
  const existing = held ? await competenceRepo.findPersonCompetence(tx, a.scope_id, held.id) : undefined;
  if (existing) {
    await updateVersioned(tx, 'person_competence', existing.id, existing.version, {
      evidence,
      acquired_on: on,
      expires_on: expiresOn,
      updated_at: now,
    });
  } else {
    await competenceRepo.insertPersonCompetence(tx, {
      id: newId(),
      scope_id: a.scope_id,
      user_id: a.user_id,
      competence_id: competence.id,
      evidence,
      acquired_on: on,
      expires_on: expiresOn,
      recorded_by: actor.userId,
      created_at: now,
      updated_at: now,
      version: 1,
    });
  }
  await appendAudit(tx, deps, actor, {
    scopeId: a.scope_id,
    action: existing ? 'update' : 'create',
    recordType: 'person_competence',
    recordId: existing?.id ?? (await competenceRepo.findHeld(tx, a.scope_id, a.user_id, competence.id))!.id,
    recordRef: competence.name,
    changes: diffChanges(
      existing ? { evidence: existing.evidence, acquiredOn: existing.acquired_on, expiresOn: existing.expires_on } : null,
      { userId: a.user_id, evidence, acquiredOn: on, expiresOn },
    ),
  });
}
