import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { uploadParts } from '../../files/upload.ts';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../context.ts';
import { errorResponse, scopeParams } from '../schemas.ts';
import { type ImportDeclaration, importUploadLimits, runImportUpload } from './import-engine.ts';

/**
 * The import route of a module's declaration: `POST /scopes/:scopeId/imports/<kind>`, multipart/form-data with the
 * XLSX or CSV file in "file" (10 MB), an optional "mapping" (JSON: column header → field) and "dryRun" ("true" by
 * default: nothing is written). All or nothing: 422 with the report in details.report when any row is refused.
 */
export function importRoute<F extends string, K, I>(
  decl: ImportDeclaration<F, K, I>,
  options: { tag: string; summary: string; report: z.ZodType },
): FastifyPluginAsyncZod<{ deps: Deps }> {
  return async (app, { deps }) => {
    await app.register(multipart, { throwFileSizeLimit: false });
    app.post(
      `/scopes/:scopeId/imports/${decl.kind}`,
      {
        schema: {
          tags: [options.tag],
          summary: options.summary,
          params: scopeParams,
          consumes: ['multipart/form-data'],
          response: { 200: options.report, 400: errorResponse, 413: errorResponse, 422: errorResponse },
        },
      },
      async (request) => {
        const parts = uploadParts(request, importUploadLimits);
        return runImportUpload(decl, deps, actorOf(request), request.params.scopeId, parts, languageOf(request.headers['accept-language']));
      },
    );
  };
}
