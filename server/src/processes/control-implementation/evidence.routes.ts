import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { uploadParts } from '../../files/upload.ts';
import { actorOf } from '../../http/auth.plugin.ts';
import type { Deps } from '../../shared/context.ts';
import { errorResponse, pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import {
  attachControlBody,
  deleteEvidenceQuery,
  evidenceControlParams,
  evidenceDetailResponse,
  evidenceResponse,
  linkEvidenceBody,
  listEvidenceQuery,
  updateEvidenceBody,
} from './evidence.schemas.ts';
import * as evidence from './evidence.service.ts';

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const evidenceRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  await app.register(multipart, { throwFileSizeLimit: false });
  const tags = ['evidence'];
  app.get(
    '/scopes/:scopeId/evidence',
    {
      schema: {
        tags,
        summary: 'Evidence of the scope (paginated, searched; filter by validity, kind, control)',
        params: scopeParams,
        querystring: listEvidenceQuery,
        response: { 200: pageOf(evidenceResponse) },
      },
    },
    async (request) => evidence.listEvidence(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.post(
    '/scopes/:scopeId/evidence',
    {
      schema: {
        tags,
        summary:
          'Upload evidence: multipart/form-data with fields title, evidenceDate, validUntil?, description?, controlIds? and the file in "file" (25 MB)',
        params: scopeParams,
        consumes: ['multipart/form-data'],
        response: { 201: evidenceDetailResponse, 400: errorResponse, 413: errorResponse },
      },
    },
    async (request, reply) => {
      // one byte over the limit tells storeFile that the file was cut short
      const parts = uploadParts(request, { fileSize: evidence.EVIDENCE_MAX_BYTES + 1 });
      return reply.status(201).send(await evidence.createFileEvidence(deps, actorOf(request), request.params.scopeId, parts));
    },
  );
  app.post(
    '/scopes/:scopeId/evidence/links',
    {
      schema: {
        tags,
        summary: 'Record evidence that lives elsewhere, as an http(s) link',
        params: scopeParams,
        body: linkEvidenceBody,
        response: { 201: evidenceDetailResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await evidence.createLinkEvidence(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.get(
    '/scopes/:scopeId/evidence/:id',
    {
      schema: {
        tags,
        summary: 'One piece of evidence with its controls',
        params: scopeRecordParams,
        response: { 200: evidenceDetailResponse, 404: errorResponse },
      },
    },
    async (request) => evidence.getEvidence(deps, actorOf(request), request.params.scopeId, request.params.id),
  );
  app.get(
    '/scopes/:scopeId/evidence/:id/file',
    { schema: { tags, summary: 'Download the stored file (as an attachment)', params: scopeRecordParams } },
    async (request, reply) => {
      const file = await evidence.downloadEvidence(deps, actorOf(request), request.params.scopeId, request.params.id);
      return reply
        .header('content-type', file.mediaType)
        .header('content-length', String(file.size))
        .header('content-disposition', attachment(file.fileName))
        .header('cache-control', 'private, no-store')
        .send(file.stream);
    },
  );
  app.patch(
    '/scopes/:scopeId/evidence/:id',
    {
      schema: {
        tags,
        summary: 'Update evidence details (409 with the current record when stale)',
        params: scopeRecordParams,
        body: updateEvidenceBody,
        response: { 200: evidenceDetailResponse, 409: errorResponse },
      },
    },
    async (request) => evidence.updateEvidence(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.delete(
    '/scopes/:scopeId/evidence/:id',
    {
      schema: {
        tags,
        summary: 'Delete evidence',
        params: scopeRecordParams,
        querystring: deleteEvidenceQuery,
        response: { 204: z.null(), 409: errorResponse },
      },
    },
    async (request, reply) => {
      await evidence.deleteEvidence(deps, actorOf(request), request.params.scopeId, request.params.id, request.query.version);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/scopes/:scopeId/evidence/:id/controls',
    {
      schema: {
        tags,
        summary: 'Attach the evidence to a control of the scope',
        params: scopeRecordParams,
        body: attachControlBody,
        response: { 200: evidenceDetailResponse, 404: errorResponse },
      },
    },
    async (request) =>
      evidence.attachEvidenceToControl(deps, actorOf(request), request.params.scopeId, request.params.id, request.body.controlId),
  );
  app.delete(
    '/scopes/:scopeId/evidence/:id/controls/:controlId',
    {
      schema: {
        tags,
        summary: 'Detach the evidence from a control',
        params: evidenceControlParams,
        response: { 200: evidenceDetailResponse, 404: errorResponse },
      },
    },
    async (request) =>
      evidence.detachEvidenceFromControl(deps, actorOf(request), request.params.scopeId, request.params.id, request.params.controlId),
  );
};
