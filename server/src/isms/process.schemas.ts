import { z } from 'zod';
import { dateSchema, idSchema, userRef, versionSchema } from '../shared/schemas.ts';

export const processTypes = ['governance', 'core', 'support'] as const;
export const pdcaPhases = ['plan', 'do', 'check', 'act'] as const;
export const cadences = ['none', 'monthly', 'quarterly', 'half_yearly', 'yearly'] as const;

export const processResponse = z.object({
  key: z.string(),
  name: z.string(),
  type: z.enum(processTypes),
  phase: z.enum(pdcaPhases),
  description: z.string(),
  inputs: z.array(z.string()),
  outputs: z.array(z.string()),
  owner: userRef,
  cadence: z.enum(cadences),
  nextReviewOn: z.string().nullable(),
  openTasks: z.number().int(),
  overdueTasks: z.number().int(),
  version: z.number(),
});
export type ProcessResponse = z.infer<typeof processResponse>;

export const handoffStatuses = ['live', 'planned'] as const;

/** An edge of the model with what waits on it: live edges carry work, planned ones wait for their module. */
export const handoffResponse = z.object({
  from: z.string(),
  to: z.string(),
  output: z.string(),
  status: z.enum(handoffStatuses),
  /** hand-offs delivered along this edge whose work is not done yet */
  waiting: z.number().int(),
  overdue: z.number().int(),
  /** when the oldest and the median waiting item were handed off */
  oldestAt: z.string().nullable(),
  medianAt: z.string().nullable(),
});
export type HandoffResponse = z.infer<typeof handoffResponse>;

export const processMapResponse = z.object({
  processes: z.array(processResponse),
  handoffs: z.array(handoffResponse),
});

export const processParams = z.object({ scopeId: idSchema, key: z.string().max(60) });
export const updateProcessBody = z.strictObject({
  version: versionSchema,
  ownerId: idSchema.nullable().optional(),
  cadence: z.enum(cadences).optional(),
  nextReviewOn: dateSchema.nullable().optional(),
});
