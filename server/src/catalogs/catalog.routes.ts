import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readUploadedFile } from '../files/upload.ts';
import { actorOf } from '../http/auth.plugin.ts';
import { languageOf } from '../i18n/i18n.ts';
import type { Deps } from '../shared/context.ts';
import { errorResponse, pageOf, scopeParams } from '../shared/schemas.ts';
import {
  catalogParams,
  catalogResponse,
  importCatalogQuery,
  importReportResponse,
  listRequirementsQuery,
  requirementResponse,
} from './catalog.schemas.ts';
import * as catalogs from './catalog.service.ts';
import { catalogIn } from './iso27001-annex-a.de.ts';

/** Largest catalog file accepted (NIST SP 800-53 rev5 in full is about 10 MB, the MODERATE baseline about 1.7 MB). */
export const MAX_CATALOG_BYTES = 20 * 1024 * 1024;

export const catalogRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  await app.register(multipart, { throwFileSizeLimit: false });
  const tags = ['catalogs'];
  app.get(
    '/scopes/:scopeId/catalogs',
    {
      schema: {
        tags,
        summary: 'Catalogs available to the scope (installation-wide and its own) with counts',
        params: scopeParams,
        response: { 200: z.array(catalogResponse) },
      },
    },
    async (request) =>
      catalogs.listCatalogs(deps, actorOf(request), request.params.scopeId, languageOf(request.headers['accept-language'])),
  );
  app.post(
    '/scopes/:scopeId/catalogs/import',
    {
      // the app-wide limit is 1 MB; catalogs are larger (JSON bodies; multipart files are limited while read)
      bodyLimit: MAX_CATALOG_BYTES,
      schema: {
        tags,
        summary:
          'Import an OSCAL 1.x catalog: a JSON file in the multipart/form-data field "file" (browsers), or the JSON document as the request body; ?global=true (administrators) makes it available to every scope',
        params: scopeParams,
        querystring: importCatalogQuery,
        consumes: ['multipart/form-data', 'application/json'],
        response: { 201: importReportResponse, 400: errorResponse, 409: errorResponse, 413: errorResponse },
      },
    },
    async (request, reply) => {
      const { scopeId } = request.params;
      const report = await catalogs.importCatalog(
        deps,
        actorOf(request),
        { scopeId: request.query.global ? null : scopeId, viaScopeId: scopeId },
        async () => {
          if (request.isMultipart()) return (await readUploadedFile(request, MAX_CATALOG_BYTES)).content;
          // a text body (text/plain) is parsed here; a JSON body arrives parsed
          return typeof request.body === 'string' ? request.body : { json: request.body };
        },
      );
      return reply.status(201).send(report);
    },
  );
  app.get(
    '/scopes/:scopeId/catalogs/:id',
    { schema: { tags, summary: 'One catalog', params: catalogParams, response: { 200: catalogResponse, 404: errorResponse } } },
    async (request) =>
      catalogIn(
        await catalogs.getCatalog(deps, actorOf(request), request.params.scopeId, request.params.id),
        languageOf(request.headers['accept-language']),
      ),
  );
  app.get(
    '/scopes/:scopeId/catalogs/:id/requirements',
    {
      schema: {
        tags,
        summary: "A catalog's groups and controls in document order (paginated, searched, filtered)",
        params: catalogParams,
        querystring: listRequirementsQuery,
        response: { 200: pageOf(requirementResponse), 404: errorResponse },
      },
    },
    async (request) =>
      catalogs.listRequirements(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.query,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.delete(
    '/scopes/:scopeId/catalogs/:id',
    {
      schema: {
        tags,
        summary: "Delete one of the scope's own catalogs (refused while controls link to it)",
        params: catalogParams,
        response: { 204: z.null(), 404: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) => {
      await catalogs.deleteCatalog(deps, actorOf(request), request.params.scopeId, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
