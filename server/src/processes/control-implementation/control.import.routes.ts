import { importRoute } from '../../shared/import/import.routes.ts';
import { controlImport } from './control.import.ts';
import { controlImportReport } from './control.import.schemas.ts';

export const controlImportRoutes = importRoute(controlImport, {
  tag: 'controls',
  summary:
    'Import controls from a spreadsheet: multipart/form-data with the XLSX or CSV file in "file" (10 MB), an optional ' +
    '"mapping" (JSON: column header → field) and "dryRun" ("true" by default: the rows are written and rolled back). ' +
    'A row with the reference of a control updates it, the others create controls, each through the control service. ' +
    'The import is all or nothing: 422 with the report in details.report when any row is refused',
  report: controlImportReport,
});
