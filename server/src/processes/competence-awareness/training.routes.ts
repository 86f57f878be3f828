import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import type { Deps } from '../../shared/context.ts';
import { pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import {
  addTargetBody,
  assignmentParams,
  assignmentResponse,
  assignTargetResponse,
  completeBody,
  courseResponse,
  courseTargetParams,
  createCourseBody,
  listAssignmentsQuery,
  listCoursesQuery,
  myTrainingResponse,
  myTrainingsResponse,
  quizAnswersBody,
  quizResultResponse,
  updateCourseBody,
} from './training.schemas.ts';
import * as training from './training.service.ts';

export const trainingRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['training'];
  const base = '/scopes/:scopeId/courses';
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Training courses',
        params: scopeParams,
        querystring: listCoursesQuery,
        response: { 200: pageOf(courseResponse) },
      },
    },
    async (request) => training.listCourses(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create a course (material, optional quiz, due period, recurrence)',
        params: scopeParams,
        body: createCourseBody,
        response: { 201: courseResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await training.createCourse(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.get(
    `${base}/:id`,
    { schema: { tags, summary: 'One course with its targets', params: scopeRecordParams, response: { 200: courseResponse } } },
    async (request) => training.getCourse(deps, actorOf(request), request.params.scopeId, request.params.id),
  );
  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Edit or retire a course',
        params: scopeRecordParams,
        body: updateCourseBody,
        response: { 200: courseResponse },
      },
    },
    async (request) => training.updateCourse(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.post(
    `${base}/:id/targets`,
    {
      schema: {
        tags,
        summary: 'Assign the course to a job role, scope role, department or person (assigns at once)',
        params: scopeRecordParams,
        body: addTargetBody,
        response: { 201: assignTargetResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await training.addTarget(deps, actorOf(request), request.params.scopeId, request.params.id, request.body)),
  );
  app.delete(
    `${base}/:id/targets/:targetId`,
    { schema: { tags, summary: 'Stop assigning the course to a target', params: courseTargetParams, response: { 200: courseResponse } } },
    async (request) => training.removeTarget(deps, actorOf(request), request.params.scopeId, request.params.id, request.params.targetId),
  );
  app.get(
    '/scopes/:scopeId/training-assignments',
    {
      schema: {
        tags,
        summary: 'Training assignments (paginated, by course, person, status)',
        params: scopeParams,
        querystring: listAssignmentsQuery,
        response: { 200: pageOf(assignmentResponse) },
      },
    },
    async (request) => training.listAssignments(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.get(
    '/me/trainings',
    {
      schema: { tags, summary: 'My open trainings across scopes (quiz questions without answers)', response: { 200: myTrainingsResponse } },
    },
    async (request) => training.listMyTrainings(deps, actorOf(request)),
  );
  app.post(
    '/me/trainings/:assignmentId/complete',
    {
      schema: {
        tags,
        summary: 'Mark my training completed (courses without a quiz)',
        params: assignmentParams,
        body: completeBody,
        response: { 200: myTrainingResponse },
      },
    },
    async (request) => training.completeTraining(deps, actorOf(request), request.params.assignmentId, request.body),
  );
  app.post(
    '/me/trainings/:assignmentId/quiz',
    {
      schema: {
        tags,
        summary: 'Submit my quiz answers (scored on the server)',
        params: assignmentParams,
        body: quizAnswersBody,
        response: { 200: quizResultResponse },
      },
    },
    async (request) => training.submitQuiz(deps, actorOf(request), request.params.assignmentId, request.body),
  );
};
