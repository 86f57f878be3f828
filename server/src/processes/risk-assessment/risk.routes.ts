import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { errorResponse, pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import * as methods from './risk-method.service.ts';
import {
  createRiskBody,
  createThreatBody,
  createThreatWarningBody,
  deleteRiskQuery,
  exportRisksQuery,
  heatmapQuery,
  heatmapResponse,
  listRisksQuery,
  listThreatWarningsQuery,
  listThreatsQuery,
  riskDetailResponse,
  riskMethodResponse,
  riskMethodVersionsResponse,
  riskResponse,
  threatResponse,
  threatWarningResponse,
  updateRiskBody,
  updateRiskMethodBody,
} from './risk.schemas.ts';
import * as risks from './risk.service.ts';
import * as threats from './threat.service.ts';

export const riskRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['risks'];

  // ------------------------------------------------------------ method
  app.get(
    '/scopes/:scopeId/risk-method',
    {
      schema: {
        tags,
        summary: "The scope's current risk method (scales, matrix, levels, acceptance criteria)",
        params: scopeParams,
        response: { 200: riskMethodResponse },
      },
    },
    async (request) =>
      methods.getRiskMethod(deps, actorOf(request), request.params.scopeId, languageOf(request.headers['accept-language'])),
  );
  app.put(
    '/scopes/:scopeId/risk-method',
    {
      schema: {
        tags,
        summary: 'Save a new version of the risk method (409 with the current one when stale); old versions stay',
        params: scopeParams,
        body: updateRiskMethodBody,
        response: { 200: riskMethodResponse, 409: errorResponse },
      },
    },
    async (request) =>
      methods.updateRiskMethod(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.get(
    '/scopes/:scopeId/risk-method/versions',
    {
      schema: {
        tags,
        summary: 'Every version of the risk method, newest first, with the number of risks each scored',
        params: scopeParams,
        response: { 200: riskMethodVersionsResponse },
      },
    },
    async (request) =>
      methods.listRiskMethodVersions(deps, actorOf(request), request.params.scopeId, languageOf(request.headers['accept-language'])),
  );

  // ------------------------------------------------------------ threats and warnings
  app.get(
    '/threats',
    {
      schema: {
        tags,
        summary: 'The threat catalog: BSI elementary threats, plus the custom threats of a scope',
        querystring: listThreatsQuery,
        response: { 200: z.object({ items: z.array(threatResponse) }) },
      },
    },
    async (request) => threats.listThreats(deps, actorOf(request), request.query.scopeId, languageOf(request.headers['accept-language'])),
  );
  app.post(
    '/scopes/:scopeId/threats',
    { schema: { tags, summary: 'Add a custom threat', params: scopeParams, body: createThreatBody, response: { 201: threatResponse } } },
    async (request, reply) =>
      reply.status(201).send(await threats.createThreat(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.get(
    '/scopes/:scopeId/threat-warnings',
    {
      schema: {
        tags,
        summary: 'Threats and warnings received from outside, newest first',
        params: scopeParams,
        querystring: listThreatWarningsQuery,
        response: { 200: pageOf(threatWarningResponse) },
      },
    },
    async (request) =>
      threats.listThreatWarnings(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.query,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    '/scopes/:scopeId/threat-warnings',
    {
      schema: {
        tags,
        summary: 'Record a threat or warning received from outside',
        params: scopeParams,
        body: createThreatWarningBody,
        response: { 201: threatWarningResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await threats.createThreatWarning(
            deps,
            actorOf(request),
            request.params.scopeId,
            request.body,
            languageOf(request.headers['accept-language']),
          ),
        ),
  );

  // ------------------------------------------------------------ risks
  app.get(
    '/scopes/:scopeId/risks',
    {
      schema: {
        tags,
        summary: 'The prioritised risk list (paginated, filtered, sorted, searched)',
        params: scopeParams,
        querystring: listRisksQuery,
        // past the count cap (1,000 matching risks, db/paging.ts) `total` is the cap and `totalCapped` is true
        response: { 200: pageOf(riskResponse).extend({ totalCapped: z.boolean().optional() }) },
      },
    },
    async (request) =>
      risks.listRisks(deps, actorOf(request), request.params.scopeId, request.query, languageOf(request.headers['accept-language'])),
  );
  app.get(
    '/scopes/:scopeId/risks.csv',
    { schema: { tags, summary: 'Export the filtered risk list as CSV', params: scopeParams, querystring: exportRisksQuery } },
    async (request, reply) => {
      const stream = Readable.from(
        risks.exportRisksCsv(deps, actorOf(request), request.params.scopeId, request.query, languageOf(request.headers['accept-language'])),
      );
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="risks-${new Date().toISOString().slice(0, 10)}.csv"`)
        .send(stream);
    },
  );
  app.get(
    '/scopes/:scopeId/risks/heatmap',
    {
      schema: {
        tags,
        summary: 'Risk heat map: counts per (likelihood, impact) cell of one basis, with scales and level colours',
        params: scopeParams,
        querystring: heatmapQuery,
        response: { 200: heatmapResponse },
      },
    },
    async (request) =>
      risks.getRiskHeatmap(deps, actorOf(request), request.params.scopeId, request.query, languageOf(request.headers['accept-language'])),
  );
  app.post(
    '/scopes/:scopeId/risks',
    { schema: { tags, summary: 'Identify a risk', params: scopeParams, body: createRiskBody, response: { 201: riskDetailResponse } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await risks.createRisk(
            deps,
            actorOf(request),
            request.params.scopeId,
            request.body,
            languageOf(request.headers['accept-language']),
          ),
        ),
  );
  app.get(
    '/scopes/:scopeId/risks/:id',
    {
      schema: {
        tags,
        summary: 'One risk with its assets and the impact their protection needs suggest',
        params: scopeRecordParams,
        response: { 200: riskDetailResponse, 404: errorResponse },
      },
    },
    async (request) =>
      risks.getRisk(deps, actorOf(request), request.params.scopeId, request.params.id, languageOf(request.headers['accept-language'])),
  );
  app.patch(
    '/scopes/:scopeId/risks/:id',
    {
      schema: {
        tags,
        summary: 'Update or score a risk; levels are computed by the current method (409 with the current record when stale)',
        params: scopeRecordParams,
        body: updateRiskBody,
        response: { 200: riskDetailResponse, 409: errorResponse },
      },
    },
    async (request) =>
      risks.updateRisk(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.delete(
    '/scopes/:scopeId/risks/:id',
    {
      schema: {
        tags,
        summary: 'Delete a risk',
        params: scopeRecordParams,
        querystring: deleteRiskQuery,
        response: { 204: z.null(), 409: errorResponse },
      },
    },
    async (request, reply) => {
      await risks.deleteRisk(deps, actorOf(request), request.params.scopeId, request.params.id, request.query.version);
      return reply.status(204).send(null);
    },
  );
};
