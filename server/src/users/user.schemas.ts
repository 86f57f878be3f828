import { z } from 'zod';
import { emailSchema, nameSchema, passwordSchema } from '../auth/auth.schemas.ts';
import { pageQuery, versionSchema } from '../shared/schemas.ts';
import { userLanguages } from './user-language.ts';

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

/** A user in the administrators' list: with when their invitation link expires while they are invited. */
export const userListItemResponse = userResponse.extend({ invitationExpiresAt: z.string().nullable() });
export type UserListItemResponse = z.infer<typeof userListItemResponse>;

/** A new invitation link (the path of the invitation page: the client puts its own origin in front). */
export const invitationLinkResponse = z.object({ invitationUrl: z.string(), expiresAt: z.string(), scopeName: z.string() });
export type InvitationLinkResponse = z.infer<typeof invitationLinkResponse>;

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

/** Your own account's settings (PATCH /api/me): the language of Praxis; null follows the browser's language. */
export const updateAccountBody = z.strictObject({ language: z.enum(userLanguages).nullable() });
export type UpdateAccountBody = z.infer<typeof updateAccountBody>;
