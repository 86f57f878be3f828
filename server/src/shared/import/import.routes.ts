import { PassThrough } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { uploadParts } from '../../files/upload.ts';
import { actorOf } from '../../http/auth.plugin.ts';
import { inLanguage, languageOf, render } from '../../i18n/i18n.ts';
import type { Deps } from '../context.ts';
import { AppError, errorText } from '../errors.ts';
import { errorResponse, scopeParams } from '../schemas.ts';
import { type ImportDeclaration, importUploadLimits, prepareImport, readImportUpload } from './import-engine.ts';

/** The media type of an import answered line by line: progress lines, then the report or the error. */
export const importProgressType = 'application/x-ndjson';

/**
 * The import route of a module's declaration: `POST /scopes/:scopeId/imports/<kind>`, multipart/form-data with the
 * XLSX or CSV file in "file" (10 MB), an optional "mapping" (JSON: column header → field) and "dryRun" ("true" by
 * default: nothing is written). All or nothing: 422 with the report in details.report when any row is refused.
 *
 * A client that accepts `application/x-ndjson` gets, once the file and the mapping are accepted (a refusal of the file
 * is still an HTTP error), one JSON line per chunk of rows written (`{"progress":{"done":200,"total":5000}}`) and a
 * last line with `{"report":…}` or `{"error":…}` (the error body of any other answer), for a progress bar.
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
      async (request, reply) => {
        const lang = languageOf(request.headers['accept-language']);
        const actor = actorOf(request);
        const upload = await readImportUpload(decl, actor, request.params.scopeId, uploadParts(request, importUploadLimits));
        const prepared = await prepareImport(decl, deps, actor, request.params.scopeId, upload);
        if (!String(request.headers.accept ?? '').includes(importProgressType)) return prepared.run(lang);

        const lines = new PassThrough();
        const line = (value: unknown) => lines.write(`${JSON.stringify(value)}\n`);
        prepared
          .run(lang, (done, total) => line({ progress: { done, total } }))
          .then((report) => line({ report }))
          .catch((e: unknown) => {
            if (!(e instanceof AppError)) {
              // nothing was written (the transaction rolled back); the cause goes to the log, not to the client
              request.log.error(e);
              const text = errorText('internal');
              line({ error: { code: 'internal', message: render(lang, text), key: text.key } });
              return;
            }
            line({
              error: {
                code: e.code,
                message: render(lang, e.text),
                key: e.text.key,
                ...(e.text.params && { params: inLanguage(lang, e.text.params) }),
                ...(e.field && { field: e.field }),
                ...(e.details && { details: e.details }),
              },
            });
          })
          .finally(() => lines.end());
        // a stream is sent as it is (not serialised by the report's schema)
        return reply.type(importProgressType).send(lines);
      },
    );
  };
}
