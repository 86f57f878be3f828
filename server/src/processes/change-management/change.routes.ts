import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import type { Deps } from '../../shared/context.ts';
import { pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import {
  changeDetailResponse,
  changeResponse,
  closeChangeBody,
  createChangeBody,
  decideChangeBody,
  implementChangeBody,
  listChangesQuery,
  submitChangeBody,
  updateChangeBody,
  verifyChangeBody,
} from './change.schemas.ts';
import * as changes from './change.service.ts';

export const changeRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['change management'];
  const base = '/scopes/:scopeId/changes';
  const detail = { 200: changeDetailResponse };
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Change requests',
        params: scopeParams,
        querystring: listChangesQuery,
        response: { 200: pageOf(changeResponse) },
      },
    },
    async (request) => changes.listChanges(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Raise a change request by hand',
        params: scopeParams,
        body: createChangeBody,
        response: { 201: changeDetailResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await changes.createChange(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'One change request with affected records, approvals and tasks',
        params: scopeRecordParams,
        response: detail,
      },
    },
    async (request) => changes.getChange(deps, actorOf(request), request.params.scopeId, request.params.id),
  );
  app.patch(
    `${base}/:id`,
    {
      schema: { tags, summary: 'Edit a change request before review', params: scopeRecordParams, body: updateChangeBody, response: detail },
    },
    async (request) => changes.updateChange(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.post(
    `${base}/:id/submit`,
    {
      schema: {
        tags,
        summary: 'Review consequences and send for approval',
        params: scopeRecordParams,
        body: submitChangeBody,
        response: detail,
      },
    },
    async (request) => changes.submitChange(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.post(
    `${base}/:id/decision`,
    {
      schema: {
        tags,
        summary: "An approver's decision (rejection needs reasons)",
        params: scopeRecordParams,
        body: decideChangeBody,
        response: detail,
      },
    },
    async (request) => changes.decideChange(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.post(
    `${base}/:id/implement`,
    {
      schema: { tags, summary: 'Start implementation with tasks', params: scopeRecordParams, body: implementChangeBody, response: detail },
    },
    async (request) => changes.implementChange(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.post(
    `${base}/:id/verify`,
    {
      schema: {
        tags,
        summary: 'Record the verification of an implemented change',
        params: scopeRecordParams,
        body: verifyChangeBody,
        response: detail,
      },
    },
    async (request) => changes.verifyChange(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.post(
    `${base}/:id/close`,
    { schema: { tags, summary: 'Close a verified change', params: scopeRecordParams, body: closeChangeBody, response: detail } },
    async (request) => changes.closeChange(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
};
