import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import { getScope } from '../../scopes/scope.service.ts';
import type { Deps } from '../../shared/context.ts';
import { DOCX_MEDIA_TYPE } from '../../shared/docx.ts';
import { errorResponse, pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import { exportAuditOscal } from './internal-audit.oscal.ts';
import { renderAuditDocx, renderAuditPdf } from './internal-audit.report.ts';
import {
  addFindingBody,
  auditDetailResponse,
  auditResponse,
  createAuditBody,
  exportAuditsQuery,
  itemParams,
  listAuditsQuery,
  programmeQuery,
  programmeResponse,
  recordResultBody,
  transitionAuditBody,
  updateAuditBody,
} from './internal-audit.schemas.ts';
import * as audits from './internal-audit.service.ts';

/** The reader's language (their account's setting, else Accept-Language): the standard's titles are worded in it. */
const lang = (request: FastifyRequest) => languageOf(request.headers['accept-language']);

export const internalAuditRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['internal audit'];
  const base = '/scopes/:scopeId/audits';
  app.get(
    '/scopes/:scopeId/audit-programme',
    {
      schema: {
        tags,
        summary: 'The audit programme of an ISMS cycle (the current one unless cycleId): coverage, gaps, suggested frequencies',
        params: scopeParams,
        querystring: programmeQuery,
        response: { 200: programmeResponse, 404: errorResponse },
      },
    },
    async (request) => audits.getProgramme(deps, actorOf(request), request.params.scopeId, request.query, lang(request)),
  );
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'List audits (paginated, filtered, searched)',
        params: scopeParams,
        querystring: listAuditsQuery,
        response: { 200: pageOf(auditResponse) },
      },
    },
    async (request) => audits.listAudits(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.get(
    '/scopes/:scopeId/audits.csv',
    { schema: { tags, summary: 'Export the filtered audit list as CSV', params: scopeParams, querystring: exportAuditsQuery } },
    async (request, reply) => {
      const stream = Readable.from(audits.exportAuditsCsv(deps, actorOf(request), request.params.scopeId, request.query, lang(request)));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audits-${new Date().toISOString().slice(0, 10)}.csv"`)
        .send(stream);
    },
  );
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Plan an audit, internal or external (its checklist is generated from the criteria)',
        params: scopeParams,
        body: createAuditBody,
        response: { 201: auditDetailResponse, 400: errorResponse, 409: errorResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await audits.createAudit(deps, actorOf(request), request.params.scopeId, request.body, lang(request))),
  );
  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'One audit with its criteria, team and checklist',
        params: scopeRecordParams,
        response: { 200: auditDetailResponse, 404: errorResponse },
      },
    },
    async (request) => audits.getAudit(deps, actorOf(request), request.params.scopeId, request.params.id, lang(request)),
  );
  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Change an audit (409 with the current record when stale)',
        params: scopeRecordParams,
        body: updateAuditBody,
        response: { 200: auditDetailResponse, 409: errorResponse },
      },
    },
    async (request) => audits.updateAudit(deps, actorOf(request), request.params.scopeId, request.params.id, request.body, lang(request)),
  );
  app.post(
    `${base}/:id/transition`,
    {
      schema: {
        tags,
        summary: 'Move an audit: planned → prepared → fieldwork → reporting → closed',
        params: scopeRecordParams,
        body: transitionAuditBody,
        response: { 200: auditDetailResponse, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request) =>
      audits.transitionAudit(deps, actorOf(request), request.params.scopeId, request.params.id, request.body, lang(request)),
  );
  app.put(
    `${base}/:id/checklist/:itemId`,
    {
      schema: {
        tags,
        summary: 'Record the result of a checklist row (a nonconformity or opportunity goes to improvement)',
        params: itemParams,
        body: recordResultBody,
        response: { 200: auditDetailResponse, 409: errorResponse },
      },
    },
    async (request) =>
      audits.recordResult(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.params.itemId,
        request.body,
        lang(request),
      ),
  );
  app.post(
    `${base}/:id/findings`,
    {
      schema: {
        tags,
        summary: 'Add a finding beside the checklist (e.g. from an external audit report)',
        params: scopeRecordParams,
        body: addFindingBody,
        response: { 201: auditDetailResponse, 409: errorResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await audits.addFinding(deps, actorOf(request), request.params.scopeId, request.params.id, request.body, lang(request))),
  );
  app.get(
    `${base}/:id/export.oscal.json`,
    {
      schema: {
        tags,
        summary: 'The audit as OSCAL 1.0.4 assessment results: observations per checklist row, findings, the risks they bear on',
        params: scopeRecordParams,
      },
    },
    async (request, reply) => {
      const { fileName, document } = await exportAuditOscal(deps, actorOf(request), request.params.scopeId, request.params.id);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(document);
    },
  );
  for (const format of ['pdf', 'docx'] as const)
    app.get(
      `${base}/:id/report.${format}`,
      { schema: { tags, summary: `The audit report as ${format.toUpperCase()}`, params: scopeRecordParams } },
      async (request, reply) => {
        const actor = actorOf(request);
        const reader = lang(request);
        const audit = await audits.getAudit(deps, actor, request.params.scopeId, request.params.id, reader);
        const scope = await getScope(deps, actor, request.params.scopeId);
        const body = format === 'pdf' ? await renderAuditPdf(audit, scope.name, reader) : await renderAuditDocx(audit, scope.name, reader);
        return reply
          .header('content-type', format === 'pdf' ? 'application/pdf' : DOCX_MEDIA_TYPE)
          .header('content-disposition', `attachment; filename="${audit.reference}.${format}"`)
          .send(body);
      },
    );
};
