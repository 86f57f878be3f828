import { importRoute } from '../../shared/import/import.routes.ts';
import { assetImport } from './asset.import.ts';
import { assetImportReport } from './asset.import.schemas.ts';

export const assetImportRoutes = importRoute(assetImport, {
  tag: 'assets',
  summary:
    'Import assets from a spreadsheet: multipart/form-data with the XLSX or CSV file in "file" (10 MB), an optional ' +
    '"mapping" (JSON: column header → field) and "dryRun" ("true" by default: nothing is written). The import is all ' +
    'or nothing: 422 with the report in details.report when any row is refused',
  report: assetImportReport,
});
