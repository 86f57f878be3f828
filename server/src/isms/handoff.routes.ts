import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/auth.plugin.ts';
import { languageOf } from '../i18n/i18n.ts';
import type { Deps } from '../shared/context.ts';
import { pageOf, scopeParams } from '../shared/schemas.ts';
import { handoffItemResponse, listHandoffsQuery } from './handoff.schemas.ts';
import { listHandoffs } from './handoff.service.ts';

export const handoffRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/scopes/:scopeId/handoffs',
    {
      schema: {
        tags: ['process model'],
        summary: 'Hand-offs along an edge of the process model: the items in transit (or done), oldest first',
        params: scopeParams,
        querystring: listHandoffsQuery,
        response: { 200: pageOf(handoffItemResponse) },
      },
    },
    async (request) =>
      listHandoffs(deps, actorOf(request), request.params.scopeId, request.query, languageOf(request.headers['accept-language'])),
  );
};
