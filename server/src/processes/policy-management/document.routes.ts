import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { uploadParts } from '../../files/upload.ts';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { DOCX_MEDIA_TYPE } from '../../shared/docx.ts';
import { pageOf, scopeParams } from '../../shared/schemas.ts';
import { renderDocumentDocx } from './document.docx.ts';
import { renderDocumentPdf } from './document.pdf.ts';
import {
  acknowledgementsQuery,
  acknowledgementsResponse,
  approveBody,
  createDocumentBody,
  diffQuery,
  diffResponse,
  documentDetailResponse,
  documentParams,
  documentResponse,
  listDocumentsQuery,
  myAcknowledgementsQuery,
  myAcknowledgementsResponse,
  publishBody,
  readResponse,
  rejectBody,
  retireBody,
  reviewBody,
  reviseBody,
  updateDocumentBody,
  updateVersionBody,
  versionActionBody,
  versionDetailResponse,
  versionParams,
  versionsResponse,
} from './document.schemas.ts';
import * as documents from './document.service.ts';

export const documentRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  await app.register(multipart, { throwFileSizeLimit: false });
  const tags = ['policy management'];
  const base = '/scopes/:scopeId/documents';
  const doc = `${base}/:id`;
  const ver = `${doc}/versions/:vid`;
  const detail = { 200: documentDetailResponse };
  const versionDetail = { 200: versionDetailResponse };
  const target = (p: { scopeId: string; id: string; vid: string }, version: number) => ({ ...p, version });

  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Policies, standards, procedures and guidelines',
        params: scopeParams,
        querystring: listDocumentsQuery,
        response: { 200: pageOf(documentResponse) },
      },
    },
    async (request) => documents.listDocuments(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create a document with its first draft version',
        params: scopeParams,
        body: createDocumentBody,
        response: { 201: documentDetailResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await documents.createDocument(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.get(
    doc,
    { schema: { tags, summary: 'One document with approvers, audience and versions', params: documentParams, response: detail } },
    async (request) => documents.getDocument(deps, actorOf(request), request.params.scopeId, request.params.id),
  );
  app.patch(
    doc,
    { schema: { tags, summary: 'Edit the metadata of a document', params: documentParams, body: updateDocumentBody, response: detail } },
    async (request) => documents.updateDocument(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.get(
    `${doc}/versions`,
    { schema: { tags, summary: 'Versions of a document, newest first', params: documentParams, response: { 200: versionsResponse } } },
    async (request) => documents.listVersions(deps, actorOf(request), request.params.scopeId, request.params.id),
  );
  app.get(
    ver,
    { schema: { tags, summary: 'One version with content and approval record', params: versionParams, response: versionDetail } },
    async (request) => documents.getVersion(deps, actorOf(request), request.params.scopeId, request.params.id, request.params.vid),
  );
  app.patch(
    ver,
    { schema: { tags, summary: 'Edit a draft version', params: versionParams, body: updateVersionBody, response: versionDetail } },
    async (request) => documents.updateVersion(deps, actorOf(request), target(request.params, request.body.version), request.body),
  );
  app.post(
    `${ver}/submit`,
    { schema: { tags, summary: 'Send a draft to its approvers', params: versionParams, body: versionActionBody, response: versionDetail } },
    async (request) => documents.submitVersion(deps, actorOf(request), target(request.params, request.body.version)),
  );
  app.post(
    `${ver}/approve`,
    {
      schema: {
        tags,
        summary: 'Approve a version (designated approvers, not the author)',
        params: versionParams,
        body: approveBody,
        response: versionDetail,
      },
    },
    async (request) => documents.approveVersion(deps, actorOf(request), target(request.params, request.body.version), request.body.comment),
  );
  app.post(
    `${ver}/reject`,
    {
      schema: {
        tags,
        summary: 'Reject a version back to draft with comments',
        params: versionParams,
        body: rejectBody,
        response: versionDetail,
      },
    },
    async (request) => documents.rejectVersion(deps, actorOf(request), target(request.params, request.body.version), request.body.comment),
  );
  app.post(
    `${ver}/publish`,
    {
      schema: {
        tags,
        summary: 'Publish an approved version and assign read-and-acknowledge',
        params: versionParams,
        body: publishBody,
        response: versionDetail,
      },
    },
    async (request) => documents.publishVersion(deps, actorOf(request), target(request.params, request.body.version), request.body),
  );
  app.post(
    `${ver}/withdraw`,
    {
      schema: {
        tags,
        summary: 'Abandon a version being worked on',
        params: versionParams,
        body: versionActionBody,
        response: versionDetail,
      },
    },
    async (request) => documents.withdrawVersion(deps, actorOf(request), target(request.params, request.body.version)),
  );
  app.post(
    `${doc}/revise`,
    { schema: { tags, summary: 'Open a revision (new draft version)', params: documentParams, body: reviseBody, response: detail } },
    async (request) => documents.reviseDocument(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.post(
    `${doc}/retire`,
    {
      schema: {
        tags,
        summary: 'Retire a document (its retention period starts)',
        params: documentParams,
        body: retireBody,
        response: detail,
      },
    },
    async (request) => documents.retireDocument(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.post(
    `${doc}/review`,
    {
      schema: {
        tags,
        summary: 'Confirm a periodic review that needs no changes (the owner or a manager; published documents)',
        params: documentParams,
        body: reviewBody,
        response: detail,
      },
    },
    async (request) => documents.confirmReview(deps, actorOf(request), request.params.scopeId, request.params.id, request.body),
  );
  app.get(
    `${doc}/diff`,
    {
      schema: {
        tags,
        summary: 'Line diff of two versions',
        params: documentParams,
        querystring: diffQuery,
        response: { 200: diffResponse },
      },
    },
    async (request) => documents.diffVersions(deps, actorOf(request), request.params.scopeId, request.params.id, request.query),
  );
  app.get(`${ver}/pdf`, { schema: { tags, summary: 'A version as PDF', params: versionParams } }, async (request, reply) => {
    const data = await documents.loadForPdf(deps, actorOf(request), request.params.scopeId, request.params.id, request.params.vid);
    const pdf = await renderDocumentPdf(
      data.document,
      data.version,
      data.scopeName,
      data.generatedAt,
      languageOf(request.headers['accept-language']),
    );
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${data.document.reference}-v${data.version.versionNo}.pdf"`)
      .send(pdf);
  });
  app.get(`${ver}/docx`, { schema: { tags, summary: 'A version as DOCX', params: versionParams } }, async (request, reply) => {
    const data = await documents.loadForPdf(deps, actorOf(request), request.params.scopeId, request.params.id, request.params.vid);
    const docx = await renderDocumentDocx(
      data.document,
      data.version,
      data.scopeName,
      data.generatedAt,
      languageOf(request.headers['accept-language']),
    );
    return reply
      .header('content-type', DOCX_MEDIA_TYPE)
      .header('content-disposition', `attachment; filename="${data.document.reference}-v${data.version.versionNo}.docx"`)
      .send(docx);
  });
  app.post(
    `${ver}/file`,
    {
      schema: {
        tags,
        summary: 'Attach a PDF or DOCX to a draft version: multipart/form-data with field version and the file in "file" (25 MB)',
        params: versionParams,
        consumes: ['multipart/form-data'],
        response: versionDetail,
      },
    },
    async (request) => {
      // one byte over the limit tells storeFile that the file was cut short
      return documents.attachVersionFile(deps, actorOf(request), request.params, () =>
        uploadParts(request, { fileSize: documents.DOCUMENT_FILE_MAX_BYTES + 1 }),
      );
    },
  );
  app.get(`${ver}/file`, { schema: { tags, summary: "Download a version's file", params: versionParams } }, async (request, reply) => {
    const file = await documents.downloadVersionFile(deps, actorOf(request), request.params.scopeId, request.params.id, request.params.vid);
    const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_');
    return reply
      .header('content-type', file.mediaType)
      .header('content-length', String(file.size))
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('cache-control', 'private, no-store')
      .send(file.stream);
  });
  app.get(
    `${ver}/acknowledgements`,
    {
      schema: {
        tags,
        summary: 'Who has and has not acknowledged a version',
        params: versionParams,
        querystring: acknowledgementsQuery,
        response: { 200: acknowledgementsResponse },
      },
    },
    async (request) =>
      documents.listAcknowledgements(deps, actorOf(request), request.params.scopeId, request.params.id, request.params.vid, request.query),
  );
  app.get(
    `${ver}/read`,
    { schema: { tags, summary: 'Read a published version addressed to you', params: versionParams, response: { 200: readResponse } } },
    async (request) => documents.readVersion(deps, actorOf(request), request.params.scopeId, request.params.id, request.params.vid),
  );
  app.post(
    `${ver}/acknowledge`,
    { schema: { tags, summary: 'Acknowledge having read a published version', params: versionParams, response: { 200: readResponse } } },
    async (request) => documents.acknowledgeVersion(deps, actorOf(request), request.params.scopeId, request.params.id, request.params.vid),
  );
  app.get(
    '/me/acknowledgements',
    {
      schema: {
        tags,
        summary: 'Your open read-and-acknowledge assignments',
        querystring: myAcknowledgementsQuery,
        response: { 200: myAcknowledgementsResponse },
      },
    },
    async (request) => documents.listMyAcknowledgements(deps, actorOf(request), request.query),
  );
};
