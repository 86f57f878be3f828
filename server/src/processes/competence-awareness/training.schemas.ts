/**
 * Training API (ISO 27001 7.3, A.6.3). Endpoints:
 *   GET    /api/scopes/:scopeId/courses                          courses (page, pageSize, q, status)                      training:read
 *   POST   /api/scopes/:scopeId/courses                          { title, description, materialDocumentId?, materialUrl?, quiz?, dueDays, recurrenceMonths?, grantsCompetenceId? }  training:manage
 *   GET    /api/scopes/:scopeId/courses/:id                      one course with targets; correct answers only for training:manage
 *   PATCH  /api/scopes/:scopeId/courses/:id                      { version, …same fields…, status? }                       training:manage
 *   POST   /api/scopes/:scopeId/courses/:id/targets              { targetType: job_role|scope_role|department|person, targetValue } → assigns now  training:manage
 *   DELETE /api/scopes/:scopeId/courses/:id/targets/:targetId    stop assigning to that target (open assignments stay)    training:manage
 *   GET    /api/scopes/:scopeId/training-assignments             assignments (page, pageSize, courseId, userId, status: open|completed|overdue)  training:read
 *   GET    /api/me/trainings                                     the actor's open assignments across scopes, quiz questions without answers
 *   POST   /api/me/trainings/:assignmentId/complete              { version } for a course without a quiz                  training:complete (own only)
 *   POST   /api/me/trainings/:assignmentId/quiz                  { version, answers: [{ questionId, selected: number[] }] } scored server-side  training:complete (own only)
 */
import { z } from 'zod';
import { scopeRoles } from '../../auth/roles.ts';
import { idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../../shared/schemas.ts';

export const targetTypes = ['job_role', 'scope_role', 'department', 'person'] as const;
export type TargetType = (typeof targetTypes)[number];
export const courseStatuses = ['active', 'retired'] as const;

const question = z.strictObject({
  text: z.string().trim().min(1, { error: 'question text is required' }).max(2000),
  options: z.array(z.string().trim().min(1).max(500)).min(2, { error: 'a question needs at least two options' }).max(10),
  correct: z.array(z.number().int().min(0)).min(1, { error: 'mark at least one option as correct' }).max(10),
});
const quizInput = z.strictObject({
  passMark: z.number().int().min(1).max(100),
  questions: z.array(question).min(1, { error: 'a quiz needs at least one question' }).max(100),
});

const courseFields = {
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  description: z.string().max(20000),
  /** the course material: a policy document in Praxis, or a link */
  materialDocumentId: idSchema.nullable(),
  materialUrl: z
    .url({ protocol: /^https?$/, error: 'materialUrl must be an http(s) link' })
    .max(2000)
    .nullable(),
  quiz: quizInput.nullable(),
  /** days from assignment to due date */
  dueDays: z.number().int().min(1).max(730),
  /** every N months (12: yearly); null: once */
  recurrenceMonths: z.number().int().min(1).max(120).nullable(),
  /** a competence that completing the course gives (with the completion as evidence) */
  grantsCompetenceId: idSchema.nullable(),
};

export const createCourseBody = z.strictObject({
  title: courseFields.title,
  description: courseFields.description.default(''),
  materialDocumentId: courseFields.materialDocumentId.default(null),
  materialUrl: courseFields.materialUrl.default(null),
  quiz: courseFields.quiz.default(null),
  dueDays: courseFields.dueDays.default(30),
  recurrenceMonths: courseFields.recurrenceMonths.default(null),
  grantsCompetenceId: courseFields.grantsCompetenceId.default(null),
});
export const updateCourseBody = z.strictObject({
  version: versionSchema,
  title: courseFields.title.optional(),
  description: courseFields.description.optional(),
  materialDocumentId: courseFields.materialDocumentId.optional(),
  materialUrl: courseFields.materialUrl.optional(),
  quiz: courseFields.quiz.optional(),
  dueDays: courseFields.dueDays.optional(),
  recurrenceMonths: courseFields.recurrenceMonths.optional(),
  grantsCompetenceId: courseFields.grantsCompetenceId.optional(),
  status: z.enum(courseStatuses).optional(),
});
export type CourseInput = z.infer<typeof createCourseBody>;

export const addTargetBody = z.strictObject({
  targetType: z.enum(targetTypes, { error: `targetType must be one of ${targetTypes.join(', ')}` }),
  /** a job role id, a scope role (manager, contributor, …), a department name, or a user id */
  targetValue: z.string().trim().min(1, { error: 'targetValue is required' }).max(200),
});

export const completeBody = z.strictObject({ version: versionSchema });
export const quizAnswersBody = z.strictObject({
  version: versionSchema,
  answers: z.array(z.strictObject({ questionId: z.string().min(1).max(50), selected: z.array(z.number().int().min(0)).max(10) })).max(100),
});

export const listCoursesQuery = z.strictObject({
  ...pageQuery,
  q: searchQuery,
  status: z.enum(courseStatuses).optional(),
});
export const listAssignmentsQuery = z.strictObject({
  ...pageQuery,
  courseId: idSchema.optional(),
  userId: idSchema.optional(),
  status: z.enum(['open', 'completed', 'overdue']).optional(),
});
export const courseTargetParams = z.object({ scopeId: idSchema, id: idSchema, targetId: idSchema });
export const assignmentParams = z.object({ assignmentId: idSchema });

const questionOut = z.object({ id: z.string(), text: z.string(), options: z.array(z.string()), correct: z.array(z.number()).optional() });
export const quizResponse = z.object({ passMark: z.number(), questions: z.array(questionOut) });

export const targetResponse = z.object({
  id: z.string(),
  targetType: z.enum(targetTypes),
  targetValue: z.string(),
  /** a readable name: the job role's or person's name, the role or department */
  label: z.string(),
});

export const courseResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  materialDocumentId: z.string().nullable(),
  materialUrl: z.string().nullable(),
  hasQuiz: z.boolean(),
  /** with correct answers only for those who manage training */
  quiz: quizResponse.nullable(),
  dueDays: z.number().int(),
  recurrenceMonths: z.number().int().nullable(),
  grantsCompetenceId: z.string().nullable(),
  status: z.enum(courseStatuses),
  targets: z.array(targetResponse),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type CourseResponse = z.infer<typeof courseResponse>;

export const assignTargetResponse = z.object({ course: courseResponse, assigned: z.number().int() });

export const assignmentResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  course: z.object({ id: z.string(), reference: z.string(), title: z.string() }),
  user: userRef,
  round: z.number().int(),
  assignedAt: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  completedAt: z.string().nullable(),
  score: z.number().int().nullable(),
  passed: z.boolean().nullable(),
  attempts: z.number().int(),
  version: z.number().int(),
});
export type AssignmentResponse = z.infer<typeof assignmentResponse>;

/** An employee's own training: the course, its material and the quiz questions without the answers. */
export const myTrainingResponse = assignmentResponse.extend({
  scopeName: z.string(),
  description: z.string(),
  materialDocumentId: z.string().nullable(),
  materialUrl: z.string().nullable(),
  quiz: z
    .object({ passMark: z.number(), questions: z.array(z.object({ id: z.string(), text: z.string(), options: z.array(z.string()) })) })
    .nullable(),
});
export type MyTrainingResponse = z.infer<typeof myTrainingResponse>;
export const myTrainingsResponse = z.object({ items: z.array(myTrainingResponse) });

export const quizResultResponse = z.object({
  assignment: myTrainingResponse,
  score: z.number().int(),
  right: z.number().int(),
  total: z.number().int(),
  passed: z.boolean(),
});

export const scopeRoleValues = scopeRoles;
