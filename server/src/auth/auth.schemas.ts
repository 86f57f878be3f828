import { z } from 'zod';
import { userLanguages } from '../users/user-language.ts';
import { scopeRoles } from './roles.ts';

export const passwordSchema = z
  .string({ error: 'password is required' })
  .min(12, { error: 'password must have at least 12 characters' })
  .max(200, { error: 'password must have at most 200 characters' });
export const emailSchema = z
  .email({ error: 'must be an email address' })
  .max(254)
  .transform((v) => v.toLowerCase());
export const nameSchema = z.string().trim().min(1, { error: 'name is required' }).max(200);

export const membershipResponse = z.object({
  scopeId: z.string(),
  scopeName: z.string(),
  role: z.enum(scopeRoles),
});

export const sessionUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  /** the user's language setting; null follows the browser's language */
  language: z.enum(userLanguages).nullable(),
  /** false for an account that signs in through single sign-on only: it has no password to change */
  hasPassword: z.boolean(),
});

export const sessionResponse = z.object({
  user: sessionUser,
  csrfToken: z.string().nullable(),
  memberships: z.array(membershipResponse),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

export const loginBody = z.strictObject({ email: emailSchema, password: z.string().min(1, { error: 'password is required' }) });

export const setupStatusResponse = z.object({ needed: z.boolean() });
export const setupBody = z.strictObject({
  admin: z.strictObject({ email: emailSchema, name: nameSchema, password: passwordSchema }),
  scope: z.strictObject({
    name: nameSchema,
    profile: z.enum(['small', 'large'], { error: 'profile must be small or large' }),
  }),
});
export type SetupBody = z.infer<typeof setupBody>;

export const apiTokenResponse = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const createApiTokenBody = z.strictObject({ name: nameSchema });
export const createdApiTokenResponse = apiTokenResponse.extend({ token: z.string() });

export const changePasswordBody = z.strictObject({ currentPassword: z.string().min(1), newPassword: passwordSchema });
