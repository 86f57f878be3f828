import type { SelectQueryBuilder } from 'kysely';
import { scopeRoles } from '../../auth/roles.ts';
import { containsPattern, likeInsensitive } from '../../db/column.ts';
import type { Executor } from '../../db/database.ts';
import { cachedList } from '../../db/paging.ts';
import type { Params, Shape } from '../../db/query-cache.ts';
import type { DB } from '../../db/schema.ts';
import type { TrainingAssignmentTable, TrainingCourseTable, TrainingTargetTable } from './competence-awareness.tables.ts';

// ---- courses ----

export async function insertCourse(db: Executor, row: TrainingCourseTable): Promise<void> {
  await db.insertInto('training_course').values(row).execute();
}

export async function findCourse(db: Executor, scopeId: string, id: string) {
  return db.selectFrom('training_course').selectAll().where('scope_id', '=', scopeId).where('id', '=', id).executeTakeFirst();
}

/** What a course's links read as in its history: the material document's reference and the granted competence's name. */
export async function findCourseLinkNames(db: Executor, scopeId: string, id: string) {
  return db
    .selectFrom('training_course as c')
    .leftJoin('document as d', 'd.id', 'c.material_document_id')
    .leftJoin('competence as k', 'k.id', 'c.grants_competence_id')
    .select(['d.reference as materialDocument', 'k.name as grantsCompetence'])
    .where('c.scope_id', '=', scopeId)
    .where('c.id', '=', id)
    .executeTakeFirst();
}

interface CourseShape extends Shape {
  status: boolean;
  q: boolean;
}
interface CourseValues extends Params {
  scopeId: string;
  status?: string;
  pattern?: string;
}

function filteredCourses(db: Executor, s: CourseShape, v: CourseValues) {
  let q = db.selectFrom('training_course').where('scope_id', '=', v.scopeId);
  if (s.status) q = q.where('status', '=', v.status as TrainingCourseTable['status']);
  if (s.q) {
    const pattern = v.pattern as string;
    q = q.where((eb) => eb.or([likeInsensitive(eb.ref('title'), pattern), likeInsensitive(eb.ref('reference'), pattern)]));
  }
  return q;
}

const coursePage = cachedList(
  'training-course.list',
  (db, s: CourseShape, v: CourseValues) => filteredCourses(db, s, v).selectAll().orderBy('reference'),
  filteredCourses,
);

export async function listCourses(
  db: Executor,
  scopeId: string,
  f: { q?: string | undefined; status?: TrainingCourseTable['status'] | undefined },
  limit: number,
  offset: number,
) {
  const values: CourseValues = { scopeId };
  if (f.status) values.status = f.status;
  if (f.q) values.pattern = containsPattern(f.q);
  return coursePage(db, { status: !!f.status, q: !!f.q }, values, limit, offset);
}

/** Active courses of every scope, for the sweep. */
export async function findActiveCourses(db: Executor) {
  return db.selectFrom('training_course').selectAll().where('status', '=', 'active').orderBy('scope_id').orderBy('reference').execute();
}

// ---- targets ----

export async function findTargets(db: Executor, courseIds: string[]) {
  if (!courseIds.length) return [];
  return db
    .selectFrom('training_target')
    .leftJoin('job_role', (j) =>
      j.on('training_target.target_type', '=', 'job_role').onRef('job_role.id', '=', 'training_target.target_value'),
    )
    .leftJoin('app_user', (j) =>
      j.on('training_target.target_type', '=', 'person').onRef('app_user.id', '=', 'training_target.target_value'),
    )
    .selectAll('training_target')
    .select(['job_role.name as job_role_name', 'app_user.name as user_name'])
    .where('training_target.course_id', 'in', courseIds)
    .orderBy('training_target.created_at')
    .orderBy('training_target.id')
    .execute();
}

export async function insertTarget(db: Executor, row: TrainingTargetTable): Promise<boolean> {
  const r = await db
    .insertInto('training_target')
    .values(row)
    .onConflict((oc) => oc.columns(['course_id', 'target_type', 'target_value']).doNothing())
    .returning('id')
    .execute();
  return r.length === 1;
}

export async function deleteTarget(db: Executor, courseId: string, targetId: string): Promise<boolean> {
  const r = await db.deleteFrom('training_target').where('course_id', '=', courseId).where('id', '=', targetId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/**
 * Members of the scope that one or more targets address (by scope role, job role, department or person), in one query.
 */
export async function findTargetedUsers(db: Executor, scopeId: string, targets: { target_type: string; target_value: string }[]) {
  const of = (type: string) => targets.filter((t) => t.target_type === type).map((t) => t.target_value);
  const roleValues = of('scope_role');
  const roles = scopeRoles.filter((role) => roleValues.includes(role));
  const people = of('person');
  const departments = of('department');
  const jobRoles = of('job_role');
  if (!roles.length && !people.length && !departments.length && !jobRoles.length) return [];
  const rows = await db
    .selectFrom('membership')
    .leftJoin('person_profile', (j) =>
      j.onRef('person_profile.scope_id', '=', 'membership.scope_id').onRef('person_profile.user_id', '=', 'membership.user_id'),
    )
    .select('membership.user_id')
    .where('membership.scope_id', '=', scopeId)
    .where((eb) => {
      const any = [];
      if (roles.length) any.push(eb('membership.role', 'in', roles));
      if (people.length) any.push(eb('membership.user_id', 'in', people));
      if (departments.length) any.push(eb('person_profile.department', 'in', departments));
      if (jobRoles.length)
        any.push(
          eb.exists(
            eb
              .selectFrom('person_job_role')
              .select('person_job_role.user_id')
              .whereRef('person_job_role.scope_id', '=', 'membership.scope_id')
              .whereRef('person_job_role.user_id', '=', 'membership.user_id')
              .where('person_job_role.job_role_id', 'in', jobRoles),
          ),
        );
      return eb.or(any);
    })
    .execute();
  return rows.map((r) => r.user_id);
}

// ---- assignments ----

/** Each person's latest round of a course. */
export async function findLatestRounds(db: Executor, courseId: string) {
  return db
    .selectFrom('training_assignment as a')
    .select(['a.user_id', 'a.round', 'a.completed_at'])
    .where('a.course_id', '=', courseId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('training_assignment as n')
            .select('n.id')
            .whereRef('n.course_id', '=', 'a.course_id')
            .whereRef('n.user_id', '=', 'a.user_id')
            .whereRef('n.round', '>', 'a.round'),
        ),
      ),
    )
    .execute();
}

/** Inserts assignments; one per (course, person, round), so a second run or a parallel instance adds nothing. */
export async function insertAssignments(db: Executor, rows: TrainingAssignmentTable[]): Promise<number> {
  let created = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const r = await db
      .insertInto('training_assignment')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['course_id', 'user_id', 'round']).doNothing())
      .returning('id')
      .execute();
    created += r.length;
  }
  return created;
}

export type AssignmentRow = TrainingAssignmentTable & {
  course_reference: string;
  course_title: string;
  user_name: string;
  user_email: string;
};

/** Assignments (a filtered query) with their course and person. */
const withCourseAndUser = (assignments: SelectQueryBuilder<DB, 'training_assignment', object>) =>
  assignments
    .innerJoin('training_course', 'training_course.id', 'training_assignment.course_id')
    .innerJoin('app_user', 'app_user.id', 'training_assignment.user_id')
    .selectAll('training_assignment')
    .select([
      'training_course.reference as course_reference',
      'training_course.title as course_title',
      'app_user.name as user_name',
      'app_user.email as user_email',
    ]);

/** What changes the assignment list's SQL: which filters are given, the status branch (values bound: AssignmentValues). */
interface AssignmentShape extends Shape {
  courseId: boolean;
  userId: boolean;
  status: 'open' | 'completed' | 'overdue' | undefined;
}

interface AssignmentValues extends Params {
  scopeId: string;
  courseId?: string;
  userId?: string;
  /** only when the list shows overdue assignments */
  today?: string;
}

function filteredAssignments(db: Executor, s: AssignmentShape, v: AssignmentValues) {
  let q = db.selectFrom('training_assignment').where('training_assignment.scope_id', '=', v.scopeId);
  if (s.courseId) q = q.where('training_assignment.course_id', '=', v.courseId as string);
  if (s.userId) q = q.where('training_assignment.user_id', '=', v.userId as string);
  if (s.status === 'completed') q = q.where('training_assignment.completed_at', 'is not', null);
  if (s.status === 'open') q = q.where('training_assignment.completed_at', 'is', null);
  if (s.status === 'overdue')
    q = q.where('training_assignment.completed_at', 'is', null).where('training_assignment.due_on', '<', v.today as string);
  return q;
}

const assignmentPage = cachedList(
  'training-assignment.list',
  (db, s: AssignmentShape, v: AssignmentValues) =>
    withCourseAndUser(filteredAssignments(db, s, v))
      .orderBy('training_assignment.due_on')
      .orderBy('training_assignment.id'),
  filteredAssignments,
);

/** A page of assignments by due date with course and person, and the total: two statements, compiled once per shape. */
export async function listAssignments(
  db: Executor,
  scopeId: string,
  today: string,
  f: { courseId?: string | undefined; userId?: string | undefined; status?: 'open' | 'completed' | 'overdue' | undefined },
  limit: number,
  offset: number,
) {
  const shape: AssignmentShape = { courseId: !!f.courseId, userId: !!f.userId, status: f.status };
  const values: AssignmentValues = { scopeId };
  if (f.courseId) values.courseId = f.courseId;
  if (f.userId) values.userId = f.userId;
  if (f.status === 'overdue') values.today = today;
  const { rows, total, capped } = await assignmentPage(db, shape, values, limit, offset);
  return { rows: rows as AssignmentRow[], total, capped };
}

export type MyAssignmentRow = AssignmentRow & {
  scope_name: string;
  description: string;
  material_document_id: string | null;
  material_url: string | null;
  quiz: string | null;
};

const mine = (db: Executor) =>
  withCourseAndUser(db.selectFrom('training_assignment'))
    .innerJoin('scope', 'scope.id', 'training_assignment.scope_id')
    .select([
      'scope.name as scope_name',
      'training_course.description',
      'training_course.material_document_id',
      'training_course.material_url',
      'training_course.quiz',
    ]);

/** A person's open assignments of active courses in the scopes where they are still a member. */
export async function findOpenAssignmentsOf(db: Executor, userId: string): Promise<MyAssignmentRow[]> {
  return (await mine(db)
    .innerJoin('membership', (j) =>
      j.onRef('membership.scope_id', '=', 'training_assignment.scope_id').onRef('membership.user_id', '=', 'training_assignment.user_id'),
    )
    .where('training_assignment.user_id', '=', userId)
    .where('training_assignment.completed_at', 'is', null)
    .where('training_course.status', '=', 'active')
    .orderBy('training_assignment.due_on')
    .orderBy('training_assignment.id')
    .execute()) as MyAssignmentRow[];
}

export async function findAssignment(db: Executor, id: string): Promise<MyAssignmentRow | undefined> {
  return (await mine(db).where('training_assignment.id', '=', id).executeTakeFirst()) as MyAssignmentRow | undefined;
}
