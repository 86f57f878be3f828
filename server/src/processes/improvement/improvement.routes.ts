import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import {
  correctiveActionBody,
  createNonconformityBody,
  createOpportunityBody,
  effectivenessBody,
  exportFindingsQuery,
  listFindingsQuery,
  listOpportunitiesQuery,
  nonconformityChangeBody,
  nonconformityDetailResponse,
  nonconformityResponse,
  opportunityResponse,
  requestCheckBody,
  updateNonconformityBody,
  updateOpportunityBody,
} from './improvement.schemas.ts';
import { exportNonconformitiesCsv } from './improvement.export.ts';
import * as improvement from './improvement.service.ts';

export const improvementRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['improvement'];
  const nc = '/scopes/:scopeId/nonconformities';
  const detail = { 200: nonconformityDetailResponse };
  app.get(
    nc,
    {
      schema: {
        tags,
        summary: 'Nonconformities and observations',
        params: scopeParams,
        querystring: listFindingsQuery,
        response: { 200: pageOf(nonconformityResponse) },
      },
    },
    async (request) => improvement.listNonconformities(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.get(
    `${nc}.csv`,
    {
      schema: {
        tags,
        summary: 'Export the filtered nonconformities and observations with their corrective actions as CSV',
        params: scopeParams,
        querystring: exportFindingsQuery,
      },
    },
    async (request, reply) => {
      const lang = languageOf(request.headers['accept-language']);
      const stream = Readable.from(exportNonconformitiesCsv(deps, actorOf(request), request.params.scopeId, request.query, lang));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="nonconformities-${isoNow(deps.clock).slice(0, 10)}.csv"`)
        .send(stream);
    },
  );
  app.post(
    nc,
    {
      schema: {
        tags,
        summary: 'Record a nonconformity or observation',
        params: scopeParams,
        body: createNonconformityBody,
        response: { 201: nonconformityDetailResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await improvement.createNonconformity(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.get(
    `${nc}/:id`,
    { schema: { tags, summary: 'One finding with its corrective actions', params: scopeRecordParams, response: detail } },
    async (request) =>
      improvement.getNonconformity(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.patch(
    `${nc}/:id`,
    {
      schema: {
        tags,
        summary: 'Edit: immediate correction, root cause (five whys), owner…',
        params: scopeRecordParams,
        body: updateNonconformityBody,
        response: detail,
      },
    },
    async (request) =>
      improvement.updateNonconformity(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    `${nc}/:id/corrective-actions`,
    {
      schema: {
        tags,
        summary: 'Add a corrective action (a task with owner and due date)',
        params: scopeRecordParams,
        body: correctiveActionBody,
        response: detail,
      },
    },
    async (request) =>
      improvement.addCorrectiveAction(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    `${nc}/:id/effectiveness-check`,
    { schema: { tags, summary: 'Schedule the effectiveness check', params: scopeRecordParams, body: requestCheckBody, response: detail } },
    async (request) =>
      improvement.requestEffectivenessCheck(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    `${nc}/:id/effectiveness`,
    {
      schema: {
        tags,
        summary: 'Record the effectiveness check: closes or reopens',
        params: scopeRecordParams,
        body: effectivenessBody,
        response: detail,
      },
    },
    async (request) =>
      improvement.recordEffectiveness(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    `${nc}/:id/change-request`,
    {
      schema: {
        tags,
        summary: 'Hand a request for change to change management',
        params: scopeRecordParams,
        body: nonconformityChangeBody,
        response: detail,
      },
    },
    async (request) =>
      improvement.requestChangeForNonconformity(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );

  const ofi = '/scopes/:scopeId/opportunities';
  app.get(
    ofi,
    {
      schema: {
        tags,
        summary: 'Opportunities for improvement',
        params: scopeParams,
        querystring: listOpportunitiesQuery,
        response: { 200: pageOf(opportunityResponse) },
      },
    },
    async (request) => improvement.listOpportunities(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.post(
    ofi,
    {
      schema: {
        tags,
        summary: 'Record an opportunity for improvement',
        params: scopeParams,
        body: createOpportunityBody,
        response: { 201: opportunityResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await improvement.createOpportunity(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.patch(
    `${ofi}/:id`,
    {
      schema: {
        tags,
        summary: 'Update an opportunity for improvement',
        params: scopeRecordParams,
        body: updateOpportunityBody,
        response: { 200: opportunityResponse },
      },
    },
    async (request) => improvement.updateOpportunity(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
};
