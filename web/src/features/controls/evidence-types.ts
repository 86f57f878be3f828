/** Evidence types from the server's zod schemas: the client cannot drift from the API silently. */
import type { z } from 'zod';
import type * as evidenceSchemas from '../../../../server/src/processes/control-implementation/evidence.schemas.ts';

export type Evidence = z.infer<typeof evidenceSchemas.evidenceResponse>;
export type EvidenceDetail = z.infer<typeof evidenceSchemas.evidenceDetailResponse>;
export type LinkEvidenceInput = z.input<typeof evidenceSchemas.linkEvidenceBody>;
export type AttachControlInput = z.input<typeof evidenceSchemas.attachControlBody>;
export type EvidenceListQuery = z.input<typeof evidenceSchemas.listEvidenceQuery>;
