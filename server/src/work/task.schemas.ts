import { z } from 'zod';
import { dateSchema, idSchema, pageQuery, searchQuery, userRef, versionSchema } from '../shared/schemas.ts';

export const taskStatuses = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export const taskResponse = z.object({
  id: z.string(),
  scopeId: z.string(),
  scopeName: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string(),
  processKey: z.string(),
  processName: z.string(),
  origin: z
    .object({
      processKey: z.string().nullable(),
      recordType: z.string().nullable(),
      recordId: z.string().nullable(),
      recordRef: z.string().nullable(),
    })
    .nullable(),
  assignee: userRef,
  dueOn: z.string().nullable(),
  overdue: z.boolean(),
  status: z.enum(taskStatuses),
  createdAt: z.string(),
  updatedAt: z.string(),
  completedAt: z.string().nullable(),
  /** why a system-made task exists for its origin record (e.g. "triage"); null for tasks people made */
  purpose: z.string().nullable(),
  /** what completed or cancelled it ("INC-0004 was triaged") */
  completionNote: z.string().nullable(),
  version: z.number(),
});
export type TaskResponse = z.infer<typeof taskResponse>;

export const listTasksQuery = z.strictObject({
  ...pageQuery,
  status: z.enum([...taskStatuses, 'active']).default('active'),
  assigneeId: idSchema.optional(),
  processKey: z.string().max(60).optional(),
  q: searchQuery,
});
export const myTasksQuery = z.strictObject({ ...pageQuery, status: z.enum([...taskStatuses, 'active']).default('active') });

export const createTaskBody = z.strictObject({
  title: z.string().trim().min(1, { error: 'title is required' }).max(300),
  description: z.string().max(10000).default(''),
  processKey: z.string().min(1).max(60),
  assigneeId: idSchema.nullable().default(null),
  dueOn: dateSchema.nullable().default(null),
});
export const updateTaskBody = z.strictObject({
  version: versionSchema,
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(10000).optional(),
  assigneeId: idSchema.nullable().optional(),
  dueOn: dateSchema.nullable().optional(),
  status: z.enum(taskStatuses).optional(),
});
