import { importRoute } from '../../shared/import/import.routes.ts';
import { riskImport } from './risk.import.ts';
import { riskImportReport } from './risk.import.schemas.ts';

export const riskImportRoutes = importRoute(riskImport, {
  tag: 'risks',
  summary:
    'Import risks from a spreadsheet: multipart/form-data with the XLSX or CSV file in "file" (10 MB), an optional ' +
    '"mapping" (JSON: column header → field) and "dryRun" ("true" by default: the rows are written and rolled back). ' +
    'A row with the reference of a risk updates it, the others create risks, each through the risk service. The import ' +
    'is all or nothing: 422 with the report in details.report when any row is refused',
  report: riskImportReport,
});
