import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../http/auth.plugin.ts';
import { languageOf } from '../i18n/i18n.ts';
import type { Deps } from '../shared/context.ts';
import { scopeParams } from '../shared/schemas.ts';
import { buildAuditPack } from './audit-pack.service.ts';

/** The audit pack of a scope: one ZIP for a certification auditor (managers and auditors of the scope). */
export const auditPackRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/scopes/:scopeId/audit-pack.zip',
    {
      schema: {
        tags: ['audit pack'],
        summary:
          'The audit pack: a ZIP with an index PDF, the scope, policies in force, risk method, register and treatment plan, SoA, ' +
          'measures, awareness, audit reports, review minutes and nonconformities, with a SHA-256 manifest',
        params: scopeParams,
      },
    },
    async (request, reply) => {
      const lang = languageOf(request.headers['accept-language']);
      const { fileName, stream } = await buildAuditPack(deps, actorOf(request), request.params.scopeId, lang);
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(stream);
    },
  );
};
