import { z } from 'zod';

export const idSchema = z.uuid({ error: 'must be a UUID' });
export const dateSchema = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
export const versionSchema = z.number({ error: 'version is required (the version you edited)' }).int().min(1);

export const errorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    /** the message as a key of the server's texts with its parameters, for clients that word it themselves */
    key: z.string().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

export const userRef = z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable();

export const scopeParams = z.object({ scopeId: idSchema });
export const scopeRecordParams = z.object({ scopeId: idSchema, id: idSchema });
