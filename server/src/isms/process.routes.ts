import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/auth.plugin.ts';
import { languageOf } from '../i18n/i18n.ts';
import type { Deps } from '../shared/context.ts';
import { scopeParams } from '../shared/schemas.ts';
import { processMapResponse, processParams, processResponse, updateProcessBody } from './process.schemas.ts';
import * as processes from './process.service.ts';

export const processRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['process model'];
  app.get(
    '/scopes/:scopeId/processes',
    {
      schema: {
        tags,
        summary: 'The process map: processes with owners, cadences, task counts, and hand-offs',
        params: scopeParams,
        response: { 200: processMapResponse },
      },
    },
    async (request) =>
      processes.getProcessMap(deps, actorOf(request), request.params.scopeId, languageOf(request.headers['accept-language'])),
  );
  app.patch(
    '/scopes/:scopeId/processes/:key',
    {
      schema: {
        tags,
        summary: "Set a process's owner and cadence",
        params: processParams,
        body: updateProcessBody,
        response: { 200: processResponse },
      },
    },
    async (request) =>
      processes.updateProcess(
        deps,
        actorOf(request),
        request.params.scopeId,
        request.params.key,
        request.body,
        languageOf(request.headers['accept-language']),
      ),
  );
};
