import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { scopeParams } from '../../shared/schemas.ts';
import * as cockpit from './cockpit.service.ts';
import { cockpitResponse, cycleListResponse, cycleParams, cycleResponse, startCycleBody, updateCycleBody } from './cycle.schemas.ts';
import * as cycles from './cycle.service.ts';

export const cycleRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['ISMS cycle'];
  app.get(
    '/scopes/:scopeId/cockpit',
    {
      schema: {
        tags,
        summary: 'The cockpit: the current cycle with its phases and readiness checks, overdue work, hand-offs waiting, next steps',
        params: scopeParams,
        response: { 200: cockpitResponse },
      },
    },
    async (request) => cockpit.getCockpit(deps, actorOf(request), request.params.scopeId, languageOf(request.headers['accept-language'])),
  );
  app.get(
    '/scopes/:scopeId/cycles',
    { schema: { tags, summary: "The scope's ISMS cycles, newest first", params: scopeParams, response: { 200: cycleListResponse } } },
    async (request) => cycles.listCycles(deps, actorOf(request), request.params.scopeId),
  );
  app.post(
    '/scopes/:scopeId/cycles',
    {
      schema: {
        tags,
        summary: 'Start the next ISMS cycle (the current one is closed and kept as history)',
        params: scopeParams,
        body: startCycleBody,
        response: { 201: cycleResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await cycles.startCycle(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.patch(
    '/scopes/:scopeId/cycles/:cycleId',
    {
      schema: { tags, summary: "Change a cycle's dates", params: cycleParams, body: updateCycleBody, response: { 200: cycleResponse } },
    },
    async (request) => cycles.updateCycle(deps, actorOf(request), request.params.scopeId, request.params.cycleId, request.body),
  );
};
