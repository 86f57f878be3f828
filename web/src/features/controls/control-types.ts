/** Control library types from the server's zod schemas: the client cannot drift from the API silently. */
import type { z } from 'zod';
import type * as controlSchemas from '../../../../server/src/processes/control-implementation/control.schemas.ts';

export type Control = z.infer<typeof controlSchemas.controlResponse>;
export type ControlDetail = z.infer<typeof controlSchemas.controlDetailResponse>;
export type ControlStatus = Control['status'];
export type Effectiveness = Control['effectiveness'];
export type LinkedRequirement = z.infer<typeof controlSchemas.linkedRequirement>;
export type LinkedRisk = z.infer<typeof controlSchemas.linkedRisk>;
export type LinkedEvidence = z.infer<typeof controlSchemas.linkedEvidence>;
export type CreateControlInput = z.input<typeof controlSchemas.createControlBody>;
export type UpdateControlInput = z.input<typeof controlSchemas.updateControlBody>;
export type ControlListQuery = z.input<typeof controlSchemas.listControlsQuery>;
