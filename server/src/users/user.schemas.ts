import { z } from 'zod';
import { emailSchema, nameSchema, passwordSchema } from '../auth/auth.schemas.ts';
import { pageQuery, versionSchema } from '../shared/schemas.ts';

export const userResponse = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  status: z.enum(['active', 'invited', 'disabled']),
  createdAt: z.string(),
  version: z.number(),
});
export type UserResponse = z.infer<typeof userResponse>;

export const listUsersQuery = z.strictObject({ ...pageQuery, q: z.string().max(200).optional() });
export const createUserBody = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  password: passwordSchema,
  isAdmin: z.boolean().default(false),
});
export const updateUserBody = z.strictObject({
  version: versionSchema,
  name: nameSchema.optional(),
  isAdmin: z.boolean().optional(),
  status: z.enum(['active', 'disabled']).optional(),
});
