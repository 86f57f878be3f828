import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import {
  addRecommendedBody,
  analysisBody,
  catalogueEntryResponse,
  createMeasureBody,
  exportMeasuresQuery,
  listMeasurementsQuery,
  listMeasuresQuery,
  measureDetailResponse,
  measurementParams,
  measurementResponse,
  measureResponse,
  recordMeasurementBody,
  trendQuery,
  trendResponse,
  updateMeasureBody,
} from './measure.schemas.ts';
import * as measures from './measure.service.ts';

/** The reader's language (their account's setting, else Accept-Language): a linked process is named in it. */
const lang = (request: FastifyRequest) => languageOf(request.headers['accept-language']);

/**
 * Performance evaluation (ISO 27001 9.1). Measurements are appended only: there is no route to change or delete one.
 */
export const measureRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['performance evaluation'];
  const base = '/scopes/:scopeId/measures';
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Measures with their latest value, status and trend (paged, filtered, searched)',
        params: scopeParams,
        querystring: listMeasuresQuery,
        response: { 200: pageOf(measureResponse) },
      },
    },
    async (request) => measures.listMeasures(deps, actorOf(request), request.params.scopeId, request.query, lang(request)),
  );
  app.get(
    '/scopes/:scopeId/measures.csv',
    { schema: { tags, summary: 'Export the filtered measures as CSV', params: scopeParams, querystring: exportMeasuresQuery } },
    async (request, reply) => {
      const lang = languageOf(request.headers['accept-language']);
      const stream = Readable.from(measures.exportMeasuresCsv(deps, actorOf(request), request.params.scopeId, request.query, lang));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="measures-${new Date().toISOString().slice(0, 10)}.csv"`)
        .send(stream);
    },
  );
  app.post(
    base,
    {
      schema: { tags, summary: 'Define a measure', params: scopeParams, body: createMeasureBody, response: { 201: measureDetailResponse } },
    },
    async (request, reply) =>
      reply.status(201).send(await measures.createMeasure(deps, actorOf(request), request.params.scopeId, request.body, lang(request))),
  );
  app.get(
    `${base}/recommended`,
    {
      schema: {
        tags,
        summary: 'The recommended live measures and whether the scope has each',
        params: scopeParams,
        response: { 200: z.array(catalogueEntryResponse) },
      },
    },
    async (request) => measures.listRecommended(deps, actorOf(request), request.params.scopeId, lang(request)),
  );
  app.post(
    `${base}/recommended`,
    {
      schema: {
        tags,
        summary: 'Add the recommended live measures the scope lacks',
        params: scopeParams,
        body: addRecommendedBody,
        response: { 200: z.object({ created: z.number() }) },
      },
    },
    async (request) => measures.addRecommendedMeasures(deps, actorOf(request), request.params.scopeId, request.body),
  );
  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'One measure with its definition versions and links',
        params: scopeRecordParams,
        response: { 200: measureDetailResponse },
      },
    },
    async (request) => measures.getMeasure(deps, actorOf(request), request.params.scopeId, request.params.id, lang(request)),
  );
  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Edit a measure (a new formula, target or threshold starts a new definition version)',
        params: scopeRecordParams,
        body: updateMeasureBody,
        response: { 200: measureDetailResponse },
      },
    },
    async (request) =>
      measures.updateMeasure(deps, actorOf(request), request.params.scopeId, request.params.id, request.body, lang(request)),
  );
  app.get(
    `${base}/:id/measurements`,
    {
      schema: {
        tags,
        summary: 'The measurements of a measure, newest first',
        params: scopeRecordParams,
        querystring: listMeasurementsQuery,
        response: { 200: pageOf(measurementResponse) },
      },
    },
    async (request) => measures.listMeasurementsOf(deps, actorOf(request), request.params.scopeId, request.params.id, request.query),
  );
  app.post(
    `${base}/:id/measurements`,
    {
      schema: {
        tags,
        summary: 'Record a value (signed in: manual; with an API token: pushed by a script)',
        params: scopeRecordParams,
        body: recordMeasurementBody,
        response: { 201: measurementResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await measures.recordMeasurement(deps, actorOf(request), request.params.scopeId, request.params.id, request.body)),
  );
  app.get(
    `${base}/:id/trend`,
    {
      schema: {
        tags,
        summary: 'The values for the trend chart, per cycle or period',
        params: scopeRecordParams,
        querystring: trendQuery,
        response: { 200: trendResponse },
      },
    },
    async (request) => measures.getTrend(deps, actorOf(request), request.params.scopeId, request.params.id, request.query),
  );
  app.post(
    `${base}/:id/measurements/:measurementId/analysis`,
    {
      schema: {
        tags,
        summary: 'Analyse a value in breach: raise a nonconformity or an opportunity, or close with no action',
        params: measurementParams,
        body: analysisBody,
        response: { 200: measurementResponse },
      },
    },
    async (request) =>
      measures.analyseMeasurement(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.params.measurementId,
        request.body,
      ),
  );
};
