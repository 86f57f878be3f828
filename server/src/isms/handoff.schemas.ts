import { z } from 'zod';
import { pageQuery } from '../shared/schemas.ts';
import { processKeys } from './process-model.ts';

export const handoffStates = ['open', 'done', 'all'] as const;
export const handoffOutcomes = ['done', 'cancelled'] as const;

export const listHandoffsQuery = z.strictObject({
  ...pageQuery,
  /** an edge of the model, "<from>><to>" */
  edge: z
    .string()
    .max(80)
    .regex(/^[a-z-]+>[a-z-]+$/, { error: 'validation:edgeFormat' })
    .optional(),
  to: z.enum(processKeys, { error: 'to must be a process of the model' }).optional(),
  state: z.enum(handoffStates).default('open'),
});

/** One delivery along an edge: where it came from, the work it created, and whether that work is done. */
export const handoffItemResponse = z.object({
  id: z.string(),
  edge: z.string(),
  from: z.string(),
  fromName: z.string(),
  to: z.string(),
  toName: z.string(),
  title: z.string(),
  source: z.object({ recordType: z.string(), recordId: z.string(), reference: z.string().nullable() }),
  work: z.object({
    recordType: z.string(),
    recordId: z.string(),
    reference: z.string().nullable(),
    /** for work that is a task: its version, so that it can be finished from the list */
    taskVersion: z.number().int().nullable(),
  }),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  dueOn: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
  outcome: z.enum(handoffOutcomes).nullable(),
  note: z.string().nullable(),
});
export type HandoffItemResponse = z.infer<typeof handoffItemResponse>;
