import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/auth.plugin.ts';
import { languageOf } from '../i18n/i18n.ts';
import type { Deps } from '../shared/context.ts';
import { scopeParams } from '../shared/schemas.ts';
import {
  cadenceListResponse,
  cadenceResponse,
  processCadenceParams,
  sourceCadenceParams,
  sourceCadenceResponse,
  upcomingQuery,
  upcomingResponse,
  updateCadenceBody,
  updateSourceCadenceBody,
} from './cadence.schemas.ts';
import * as cadences from './cadence.service.ts';

export const cadenceRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['cadences'];
  app.get(
    '/scopes/:scopeId/processes/:key/cadence',
    {
      schema: {
        tags,
        summary: "A process's cadence: its rule, the next dates, the review under way",
        params: processCadenceParams,
        response: { 200: cadenceResponse },
      },
    },
    async (request) =>
      cadences.getProcessCadence(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.key,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.put(
    '/scopes/:scopeId/processes/:key/cadence',
    {
      schema: {
        tags,
        summary: "Set a process's cadence (an RFC 5545 rule, fixed or counted from the last completion)",
        params: processCadenceParams,
        body: updateCadenceBody,
        response: { 200: cadenceResponse },
      },
    },
    async (request) =>
      cadences.updateProcessCadence(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.key,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.get(
    '/scopes/:scopeId/cadences',
    {
      schema: {
        tags,
        summary: 'The cadence of every process of a scope, in short',
        params: scopeParams,
        response: { 200: cadenceListResponse },
      },
    },
    async (request) =>
      cadences.listProcessCadences(deps, actorOf(request), request.params.scopeId, languageOf(request.headers['accept-language'])),
  );
  app.get(
    '/scopes/:scopeId/cadences/sources/:source',
    {
      schema: {
        tags,
        summary: "The rule of a kind of record with a review date (e.g. 'risk-review')",
        params: sourceCadenceParams,
        response: { 200: sourceCadenceResponse },
      },
    },
    async (request) =>
      cadences.getSourceCadence(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.source,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.put(
    '/scopes/:scopeId/cadences/sources/:source',
    {
      schema: {
        tags,
        summary: "Set the rule that moves each record's review date when its review is done",
        params: sourceCadenceParams,
        body: updateSourceCadenceBody,
        response: { 200: sourceCadenceResponse },
      },
    },
    async (request) =>
      cadences.updateSourceCadence(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.source,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
  app.get(
    '/scopes/:scopeId/cadences/upcoming',
    {
      schema: {
        tags,
        summary: 'What the cadences bring in the next days (default 90), overdue first',
        params: scopeParams,
        querystring: upcomingQuery,
        response: { 200: upcomingResponse },
      },
    },
    async (request) =>
      cadences.listUpcoming(deps, actorOf(request), request.params.scopeId, request.query, languageOf(request.headers['accept-language'])),
  );
};
