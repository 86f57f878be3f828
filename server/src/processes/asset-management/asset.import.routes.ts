import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { uploadParts } from '../../files/upload.ts';
import { actorOf } from '../../http/auth.plugin.ts';
import { languageOf } from '../../i18n/i18n.ts';
import type { Deps } from '../../shared/context.ts';
import { errorResponse, scopeParams } from '../../shared/schemas.ts';
import { ASSET_IMPORT_MAX_BYTES, importAssetsUpload } from './asset.import.ts';
import { assetImportReport } from './asset.import.schemas.ts';

export const assetImportRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  await app.register(multipart, { throwFileSizeLimit: false });
  app.post(
    '/scopes/:scopeId/imports/assets',
    {
      schema: {
        tags: ['assets'],
        summary:
          'Import assets from a spreadsheet: multipart/form-data with the XLSX or CSV file in "file" (10 MB), an optional ' +
          '"mapping" (JSON: column header → field) and "dryRun" ("true" by default: nothing is written). The import is all ' +
          'or nothing: 422 with the report in details.report when any row is refused',
        params: scopeParams,
        consumes: ['multipart/form-data'],
        response: { 200: assetImportReport, 400: errorResponse, 413: errorResponse, 422: errorResponse },
      },
    },
    async (request) => {
      // one byte over the limit tells the reader that the file was cut short
      const parts = uploadParts(request, { fileSize: ASSET_IMPORT_MAX_BYTES + 1, fields: 5 });
      return importAssetsUpload(deps, actorOf(request), request.params.scopeId, parts, languageOf(request.headers['accept-language']));
    },
  );
};
