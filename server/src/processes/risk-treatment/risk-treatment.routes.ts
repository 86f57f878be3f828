import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { errorResponse, pageOf, scopeParams } from '../../shared/schemas.ts';
import { exportPoamOscal } from './poam.oscal.ts';
import * as acceptances from './risk-acceptance.service.ts';
import {
  acceptanceOverviewResponse,
  acceptanceResponse,
  decideTreatmentBody,
  exportTreatmentsQuery,
  listTreatmentsQuery,
  revokeAcceptanceBody,
  riskTreatmentParams,
  saveTreatmentBody,
  signAcceptanceBody,
  treatmentListItem,
  treatmentResponse,
} from './risk-treatment.schemas.ts';
import { exportTreatmentPlanCsv } from './risk-treatment.export.ts';
import * as treatments from './risk-treatment.service.ts';

export const riskTreatmentRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['risk treatment'];
  const base = '/scopes/:scopeId/risks/:riskId';

  app.get(
    '/scopes/:scopeId/treatments',
    {
      schema: {
        tags,
        summary: 'The risk treatment plan: treatments with their risk, progress, cost and next due date',
        params: scopeParams,
        querystring: listTreatmentsQuery,
        response: { 200: pageOf(treatmentListItem) },
      },
    },
    async (request) => treatments.listTreatments(deps, actorOf(request), request.params.scopeId, request.query),
  );
  app.get(
    '/scopes/:scopeId/treatments.csv',
    {
      schema: {
        tags,
        summary: 'Export the filtered treatment plan as CSV (one row per action, in the order of the references)',
        params: scopeParams,
        querystring: exportTreatmentsQuery,
      },
    },
    async (request, reply) => {
      const lang = languageOf(request.headers['accept-language']);
      const stream = Readable.from(exportTreatmentPlanCsv(deps, actorOf(request), request.params.scopeId, request.query, lang));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="treatment-plan-${isoNow(deps.clock).slice(0, 10)}.csv"`)
        .send(stream);
    },
  );
  app.get(
    '/scopes/:scopeId/poam.oscal.json',
    {
      schema: {
        tags,
        summary:
          'The plan of action and milestones as OSCAL 1.0.4: open nonconformities with their corrective actions, and risk treatment plans under way',
        params: scopeParams,
      },
    },
    async (request, reply) => {
      const { fileName, document } = await exportPoamOscal(deps, actorOf(request), request.params.scopeId);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(document);
    },
  );
  app.get(
    `${base}/treatment`,
    {
      schema: {
        tags,
        summary: 'The treatment of a risk (404 when it has none yet)',
        params: riskTreatmentParams,
        response: { 200: treatmentResponse, 404: errorResponse },
      },
    },
    async (request) => treatments.getTreatment(deps, actorOf(request), request.params.scopeId, request.params.riskId),
  );
  app.put(
    `${base}/treatment`,
    {
      schema: {
        tags,
        summary: 'Create (version 0) or replace the treatment of a risk; 409 with the current one when stale',
        params: riskTreatmentParams,
        body: saveTreatmentBody,
        response: { 200: treatmentResponse, 409: errorResponse },
      },
    },
    async (request) => treatments.saveTreatment(deps, actorOf(request), request.params.scopeId, request.params.riskId, request.body),
  );
  app.post(
    `${base}/treatment/decide`,
    {
      schema: {
        tags,
        summary: 'Decide the treatment: controls created or reused and linked, tasks and requests for change handed off',
        params: riskTreatmentParams,
        body: decideTreatmentBody,
        response: { 200: treatmentResponse, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request) => treatments.decideTreatment(deps, actorOf(request), request.params.scopeId, request.params.riskId, request.body),
  );

  app.get(
    `${base}/acceptance`,
    {
      schema: {
        tags,
        summary: 'The residual-risk acceptance of a risk: the current one, every earlier one, and what may be accepted',
        params: riskTreatmentParams,
        response: { 200: acceptanceOverviewResponse },
      },
    },
    async (request) => acceptances.getAcceptance(deps, actorOf(request), request.params.scopeId, request.params.riskId),
  );
  app.post(
    `${base}/acceptance`,
    {
      schema: {
        tags,
        summary: 'Sign the acceptance of the residual risk (as its owner, or as management); refused above the criteria',
        params: riskTreatmentParams,
        body: signAcceptanceBody,
        response: { 201: acceptanceResponse, 409: errorResponse, 422: errorResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await acceptances.signAcceptance(deps, actorOf(request), request.params.scopeId, request.params.riskId, request.body)),
  );
  app.post(
    `${base}/acceptance/revoke`,
    {
      schema: {
        tags,
        summary: 'Revoke the pending or effective acceptance of a risk',
        params: riskTreatmentParams,
        body: revokeAcceptanceBody,
        response: { 200: acceptanceResponse, 409: errorResponse },
      },
    },
    async (request) => acceptances.revokeAcceptance(deps, actorOf(request), request.params.scopeId, request.params.riskId, request.body),
  );
};
