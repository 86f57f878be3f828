import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { errorResponse, pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import {
  assetDetailResponse,
  assetResponse,
  createAssetBody,
  deleteAssetQuery,
  exportAssetsQuery,
  listAssetsQuery,
  updateAssetBody,
} from './asset.schemas.ts';
import * as assets from './asset.service.ts';

export const assetRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['assets'];
  app.get(
    '/scopes/:scopeId/assets',
    {
      schema: {
        tags,
        summary: 'List assets (paginated, filtered, sorted, searched)',
        params: scopeParams,
        querystring: listAssetsQuery,
        response: { 200: pageOf(assetResponse) },
      },
    },
    async (request) => assets.listAssets(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.get(
    '/scopes/:scopeId/assets.csv',
    { schema: { tags, summary: 'Export the filtered asset list as CSV', params: scopeParams, querystring: exportAssetsQuery } },
    async (request, reply) => {
      const actor = actorOf(request);
      const lang = languageOf(request.headers['accept-language']);
      const stream = Readable.from(assets.exportAssetsCsv(deps, actor, request.params.scopeId, request.query, lang));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="assets-${new Date().toISOString().slice(0, 10)}.csv"`)
        .send(stream);
    },
  );
  app.post(
    '/scopes/:scopeId/assets',
    { schema: { tags, summary: 'Create an asset', params: scopeParams, body: createAssetBody, response: { 201: assetDetailResponse } } },
    async (request, reply) =>
      reply.status(201).send(await assets.createAsset(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.get(
    '/scopes/:scopeId/assets/:id',
    {
      schema: {
        tags,
        summary: 'One asset with its dependencies',
        params: scopeRecordParams,
        response: { 200: assetDetailResponse, 404: errorResponse },
      },
    },
    async (request) => assets.getAsset(deps, actorOf(request), request.params.scopeId, request.params.id),
  );
  app.patch(
    '/scopes/:scopeId/assets/:id',
    {
      schema: {
        tags,
        summary: 'Update an asset (409 with the current record when stale)',
        params: scopeRecordParams,
        body: updateAssetBody,
        response: { 200: assetDetailResponse, 409: errorResponse },
      },
    },
    async (request) => assets.updateAsset(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.delete(
    '/scopes/:scopeId/assets/:id',
    {
      schema: {
        tags,
        summary: 'Delete an asset',
        params: scopeRecordParams,
        querystring: deleteAssetQuery,
        response: { 204: z.null(), 409: errorResponse },
      },
    },
    async (request, reply) => {
      await assets.deleteAsset(deps, actorOf(request), request.params.scopeId, request.params.id, request.query.version);
      return reply.status(204).send(null);
    },
  );
};
