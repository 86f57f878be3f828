import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { DOCX_MEDIA_TYPE } from '../../shared/docx.ts';
import { pageOf, scopeParams } from '../../shared/schemas.ts';
import { exportSoaDocx, exportSoaOscal, exportSoaPdf, exportSoaXlsx } from './soa.export.ts';
import {
  createSoaBody,
  exportSoaQuery,
  listSoaEntriesQuery,
  listSoasQuery,
  soaEntryPage,
  soaEntryParams,
  soaEntryResponse,
  soaParams,
  soaResponse,
  soaVersionBody,
  soaVersionsResponse,
  updateSoaEntryBody,
} from './soa.schemas.ts';
import * as soas from './soa.service.ts';
import { z } from 'zod';

/** The Statement of Applicability (ISO/IEC 27001 6.1.3 d): per scope and catalog, edited, approved, exported. */
export const soaRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['statement of applicability'];
  const base = '/scopes/:scopeId/soa';
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Statements of Applicability of the scope',
        params: scopeParams,
        querystring: listSoasQuery,
        response: { 200: pageOf(soaResponse) },
      },
    },
    async (request) => soas.listSoas(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create the SoA for a catalog, pre-filled from the treatment decisions',
        params: scopeParams,
        body: createSoaBody,
        response: { 201: soaResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await soas.createSoa(
            deps,
            actorOf(request),
            request.params.scopeId,
            request.body,
            languageOf(request.headers['accept-language']),
          ),
        ),
  );
  app.get(
    `${base}/:id`,
    { schema: { tags, summary: 'One SoA with its decision counts', params: soaParams, response: { 200: soaResponse } } },
    async (request) => soas.getSoa(deps, actorOf(request), request.params.scopeId, request.params.id),
  );
  app.get(
    `${base}/:id/entries`,
    {
      schema: {
        tags,
        summary: 'Entries of the working copy or of an approved version (?version=N), filtered, searched, sorted, paginated',
        params: soaParams,
        querystring: listSoaEntriesQuery,
        response: { 200: soaEntryPage },
      },
    },
    async (request) =>
      soas.listSoaEntries(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.query,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.patch(
    `${base}/:id/entries/:entryId`,
    {
      schema: {
        tags,
        summary: 'Decide an entry: applicable or not, and why (a change to an approved SoA starts a new draft)',
        params: soaEntryParams,
        body: updateSoaEntryBody,
        response: { 200: soaEntryResponse },
      },
    },
    async (request) =>
      soas.updateSoaEntry(deps, actorOf(request), request.params.scopeId, request.params.id, request.params.entryId, request.body),
  );
  app.post(
    `${base}/:id/refresh`,
    {
      schema: {
        tags,
        summary: 'Re-apply the pre-fill from treatment decisions to the entries no person has decided',
        params: soaParams,
        response: { 200: z.object({ soa: soaResponse, updated: z.number().int() }) },
      },
    },
    async (request) => soas.refreshSoa(deps, actorOf(request), request.params.scopeId, request.params.id),
  );
  app.post(
    `${base}/:id/submit`,
    {
      schema: {
        tags,
        summary: 'Send the working copy for approval',
        params: soaParams,
        body: soaVersionBody,
        response: { 200: soaResponse },
      },
    },
    async (request) => soas.submitSoa(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.post(
    `${base}/:id/approve`,
    {
      schema: {
        tags,
        summary: 'Approve the submitted working copy: it becomes a frozen, numbered version (422 while entries are open)',
        params: soaParams,
        body: soaVersionBody,
        response: { 200: soaResponse },
      },
    },
    async (request) => soas.approveSoa(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.get(
    `${base}/:id/versions`,
    { schema: { tags, summary: 'Approved versions', params: soaParams, response: { 200: soaVersionsResponse } } },
    async (request) => soas.listSoaVersions(deps, actorOf(request), request.params.scopeId, request.params.id),
  );

  const target = (request: { params: { scopeId: string; id: string }; query: { version?: number | undefined } }) => ({
    scopeId: request.params.scopeId,
    id: request.params.id,
    version: request.query.version,
  });
  const attachment = (name: string) => `attachment; filename="${name}"`;
  app.get(
    `${base}/:id/export.xlsx`,
    { schema: { tags, summary: 'The SoA as XLSX (working copy, or ?version=N)', params: soaParams, querystring: exportSoaQuery } },
    async (request, reply) => {
      const { fileName, stream } = await exportSoaXlsx(
        deps,
        actorOf(request),
        target(request),
        languageOf(request.headers['accept-language']),
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', attachment(fileName))
        .send(stream);
    },
  );
  app.get(
    `${base}/:id/export.pdf`,
    { schema: { tags, summary: 'The SoA as PDF (working copy, or ?version=N)', params: soaParams, querystring: exportSoaQuery } },
    async (request, reply) => {
      const { fileName, body } = await exportSoaPdf(
        deps,
        actorOf(request),
        target(request),
        languageOf(request.headers['accept-language']),
      );
      return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(fileName)).send(body);
    },
  );
  app.get(
    `${base}/:id/export.docx`,
    { schema: { tags, summary: 'The SoA as DOCX (working copy, or ?version=N)', params: soaParams, querystring: exportSoaQuery } },
    async (request, reply) => {
      const { fileName, body } = await exportSoaDocx(
        deps,
        actorOf(request),
        target(request),
        languageOf(request.headers['accept-language']),
      );
      return reply.header('content-type', DOCX_MEDIA_TYPE).header('content-disposition', attachment(fileName)).send(body);
    },
  );
  app.get(
    `${base}/:id/export.json`,
    {
      schema: {
        tags,
        summary: 'The SoA as an OSCAL 1.0.4 System Security Plan (working copy, or ?version=N)',
        params: soaParams,
        querystring: exportSoaQuery,
      },
    },
    async (request, reply) => {
      const { fileName, document } = await exportSoaOscal(deps, actorOf(request), target(request));
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', attachment(fileName))
        .send(document);
    },
  );
};
