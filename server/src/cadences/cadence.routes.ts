import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/auth.plugin.ts';
import type { Deps } from '../shared/context.ts';
import { scopeParams } from '../shared/schemas.ts';
import {
  cadenceListResponse,
  cadenceResponse,
  processCadenceParams,
  upcomingQuery,
  upcomingResponse,
  updateCadenceBody,
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
    async (request) => cadences.getProcessCadence(deps, actorOf(request), request.params.scopeId, request.params.key),
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
    async (request) => cadences.updateProcessCadence(deps, actorOf(request), request.params.scopeId, request.params.key, request.body),
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
    async (request) => cadences.listProcessCadences(deps, actorOf(request), request.params.scopeId),
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
    async (request) => cadences.listUpcoming(deps, actorOf(request), request.params.scopeId, request.query),
  );
};
