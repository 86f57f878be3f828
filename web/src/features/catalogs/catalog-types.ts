/** Catalog types from the server's zod schemas: the client cannot drift from the API silently. */
import type { z } from 'zod';
import type * as catalogSchemas from '../../../../server/src/catalogs/catalog.schemas.ts';

export type Catalog = z.infer<typeof catalogSchemas.catalogResponse>;
export type Requirement = z.infer<typeof catalogSchemas.requirementResponse>;
export type CatalogImportReport = z.infer<typeof catalogSchemas.importReportResponse>;
export type RequirementListQuery = z.input<typeof catalogSchemas.listRequirementsQuery>;
