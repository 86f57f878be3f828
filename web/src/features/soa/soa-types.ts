/** Statement of Applicability types from the server's zod schemas: the client cannot drift from the API silently. */
import type { z } from 'zod';
import type * as soaSchemas from '../../../../server/src/processes/risk-treatment/soa.schemas.ts';

export type Soa = z.infer<typeof soaSchemas.soaResponse>;
export type SoaEntry = z.infer<typeof soaSchemas.soaEntryResponse>;
export type SoaEntryPage = z.infer<typeof soaSchemas.soaEntryPage>;
export type SoaVersion = z.infer<typeof soaSchemas.soaVersionResponse>;
export type SoaVersions = z.infer<typeof soaSchemas.soaVersionsResponse>;
export type CreateSoaInput = z.input<typeof soaSchemas.createSoaBody>;
export type UpdateSoaEntryInput = z.input<typeof soaSchemas.updateSoaEntryBody>;
export type SoaVersionInput = z.input<typeof soaSchemas.soaVersionBody>;
export type SoaEntryQuery = z.input<typeof soaSchemas.listSoaEntriesQuery>;
export type ImplementationStatus = SoaEntry['implementationStatus'];
export type SoaStatus = Soa['status'];
