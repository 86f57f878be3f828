import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/auth.plugin.ts';
import { languageOf } from '../i18n/i18n.ts';
import type { Deps } from '../shared/context.ts';
import { pageOf, scopeParams, scopeRecordParams } from '../shared/schemas.ts';
import { createTaskBody, listTasksQuery, myTasksQuery, taskResponse, updateTaskBody } from './task.schemas.ts';
import * as tasks from './task.service.ts';

export const taskRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['work'];
  app.get(
    '/me/tasks',
    { schema: { tags, summary: 'My work: my tasks across scopes', querystring: myTasksQuery, response: { 200: pageOf(taskResponse) } } },
    async (request) => tasks.listMyTasks(deps, actorOf(request), request.query, languageOf(request.headers['accept-language'])),
  );
  app.get(
    '/scopes/:scopeId/tasks',
    {
      schema: {
        tags,
        summary: 'Tasks of a scope',
        params: scopeParams,
        querystring: listTasksQuery,
        response: { 200: pageOf(taskResponse) },
      },
    },
    async (request) =>
      tasks.listScopeTasks(deps, actorOf(request), request.params.scopeId, request.query, languageOf(request.headers['accept-language'])),
  );
  app.post(
    '/scopes/:scopeId/tasks',
    { schema: { tags, summary: 'Create a task', params: scopeParams, body: createTaskBody, response: { 201: taskResponse } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await tasks.createTask(
            deps,
            actorOf(request),
            request.params.scopeId,
            request.body,
            languageOf(request.headers['accept-language']),
          ),
        ),
  );
  app.patch(
    '/scopes/:scopeId/tasks/:id',
    {
      schema: {
        tags,
        summary: 'Update a task (assignees may change its status)',
        params: scopeRecordParams,
        body: updateTaskBody,
        response: { 200: taskResponse },
      },
    },
    async (request) =>
      tasks.updateTask(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
};
