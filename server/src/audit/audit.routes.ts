import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/auth.plugin.ts';
import type { Deps } from '../shared/context.ts';
import { pageOf, scopeParams } from '../shared/schemas.ts';
import { auditEntryResponse, listAuditQuery } from './audit.schemas.ts';
import { listScopeAudit } from './audit.query.ts';

export const auditRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/scopes/:scopeId/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit trail of a scope, newest first',
        params: scopeParams,
        querystring: listAuditQuery,
        response: { 200: pageOf(auditEntryResponse) },
      },
    },
    async (request) => listScopeAudit(deps, actorOf(request), request.params.scopeId, request.query),
  );
};
