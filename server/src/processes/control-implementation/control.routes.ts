import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { errorResponse, pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import {
  controlDetailResponse,
  controlResponse,
  createControlBody,
  deleteControlQuery,
  exportControlsQuery,
  listControlsQuery,
  updateControlBody,
} from './control.schemas.ts';
import * as controls from './control.service.ts';

export const controlRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['controls'];
  app.get(
    '/scopes/:scopeId/controls',
    {
      schema: {
        tags,
        summary: "The scope's control library (paginated, filtered, sorted, searched)",
        params: scopeParams,
        querystring: listControlsQuery,
        response: { 200: pageOf(controlResponse) },
      },
    },
    async (request) => controls.listControls(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.get(
    '/scopes/:scopeId/controls.csv',
    { schema: { tags, summary: 'Export the filtered control list as CSV', params: scopeParams, querystring: exportControlsQuery } },
    async (request, reply) => {
      const lang = languageOf(request.headers['accept-language']);
      const stream = Readable.from(controls.exportControlsCsv(deps, actorOf(request), request.params.scopeId, request.query, lang));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="controls-${controls.todayOf(deps)}.csv"`)
        .send(stream);
    },
  );
  app.post(
    '/scopes/:scopeId/controls',
    {
      schema: {
        tags,
        summary: 'Create a control (links to catalog requirements and risks of the scope)',
        params: scopeParams,
        body: createControlBody,
        response: { 201: controlDetailResponse, 404: errorResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await controls.createControl(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.get(
    '/scopes/:scopeId/controls/:id',
    {
      schema: {
        tags,
        summary: 'One control with its requirements, risks and evidence',
        params: scopeRecordParams,
        response: { 200: controlDetailResponse, 404: errorResponse },
      },
    },
    async (request) => controls.getControl(deps, actorOf(request), request.params.scopeId, request.params.id),
  );
  app.patch(
    '/scopes/:scopeId/controls/:id',
    {
      schema: {
        tags,
        summary: 'Update a control (409 with the current record when stale)',
        params: scopeRecordParams,
        body: updateControlBody,
        response: { 200: controlDetailResponse, 404: errorResponse, 409: errorResponse },
      },
    },
    async (request) => controls.updateControl(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.delete(
    '/scopes/:scopeId/controls/:id',
    {
      schema: {
        tags,
        summary: 'Delete a control',
        params: scopeRecordParams,
        querystring: deleteControlQuery,
        response: { 204: z.null(), 404: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      await controls.deleteControl(deps, actorOf(request), request.params.scopeId, request.params.id, request.query.version);
      return reply.status(204).send(null);
    },
  );
};
