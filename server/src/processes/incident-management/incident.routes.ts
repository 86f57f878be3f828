import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import { getScope } from '../../scopes/scope.service.ts';
import type { Deps } from '../../shared/context.ts';
import { pageOf, scopeParams, scopeRecordParams } from '../../shared/schemas.ts';
import { DOCX_MEDIA_TYPE } from '../../shared/docx.ts';
import { renderIncidentDocx, renderIncidentPdf } from './incident.report.ts';
import {
  addIncidentEventBody,
  incidentDetailResponse,
  incidentResponse,
  incidentTaskBody,
  listIncidentsQuery,
  recordNotificationBody,
  reportedResponse,
  reportIncidentBody,
  transitionIncidentBody,
  triageIncidentBody,
} from './incident.schemas.ts';
import * as incidents from './incident.service.ts';

export const incidentRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['incident management'];
  const base = '/scopes/:scopeId/incidents';
  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Report an incident or a suspected weakness (any member)',
        params: scopeParams,
        body: reportIncidentBody,
        response: { 201: reportedResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await incidents.reportIncident(deps, actorOf(request), request.params.scopeId, request.body, request.log)),
  );
  app.get(
    base,
    {
      schema: {
        tags,
        summary: 'Incidents (reporters without incident:read see their own)',
        params: scopeParams,
        querystring: listIncidentsQuery,
        response: { 200: pageOf(incidentResponse) },
      },
    },
    async (request) => incidents.listIncidents(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'One incident with timeline and regulatory clocks',
        params: scopeRecordParams,
        response: { 200: incidentDetailResponse },
      },
    },
    async (request) =>
      incidents.getIncident(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        languageOf(request.headers['accept-language']),
      ),
  );
  for (const format of ['pdf', 'docx'] as const)
    app.get(
      `${base}/:id/report.${format}`,
      { schema: { tags, summary: `Incident report as ${format.toUpperCase()}`, params: scopeRecordParams } },
      async (request, reply) => {
        const actor = actorOf(request);
        const lang = languageOf(request.headers['accept-language']);
        const incident = await incidents.getIncidentReport(deps, actor, request.params.scopeId, request.params.id, lang);
        const scope = await getScope(deps, actor, request.params.scopeId);
        const body =
          format === 'pdf' ? await renderIncidentPdf(incident, scope.name, lang) : await renderIncidentDocx(incident, scope.name, lang);
        return reply
          .header('content-type', format === 'pdf' ? 'application/pdf' : DOCX_MEDIA_TYPE)
          .header('content-disposition', `attachment; filename="${incident.reference}.${format}"`)
          .send(body);
      },
    );
  app.post(
    `${base}/:id/triage`,
    {
      schema: {
        tags,
        summary: 'Triage: classify, assess impact, start regulatory clocks',
        params: scopeRecordParams,
        body: triageIncidentBody,
        response: { 200: incidentDetailResponse },
      },
    },
    async (request) =>
      incidents.triageIncident(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    `${base}/:id/status`,
    {
      schema: {
        tags,
        summary: 'Move the incident on (closing needs lessons learned)',
        params: scopeRecordParams,
        body: transitionIncidentBody,
        response: { 200: incidentDetailResponse },
      },
    },
    async (request) =>
      incidents.transitionIncident(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    `${base}/:id/events`,
    {
      schema: {
        tags,
        summary: 'Add a timeline entry or a corrective measure',
        params: scopeRecordParams,
        body: addIncidentEventBody,
        response: { 200: incidentDetailResponse },
      },
    },
    async (request) =>
      incidents.addIncidentEvent(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    `${base}/:id/notifications`,
    {
      schema: {
        tags,
        summary: 'Record a regulatory notification as sent',
        params: scopeRecordParams,
        body: recordNotificationBody,
        response: { 200: incidentDetailResponse },
      },
    },
    async (request) =>
      incidents.recordNotification(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.post(
    `${base}/:id/tasks`,
    {
      schema: {
        tags,
        summary: 'Give a responder a task on this incident',
        params: scopeRecordParams,
        body: incidentTaskBody,
        response: { 200: incidentDetailResponse },
      },
    },
    async (request) =>
      incidents.addResponderTask(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.id,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
};
