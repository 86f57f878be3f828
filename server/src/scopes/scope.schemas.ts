import { z } from 'zod';
import { emailSchema, nameSchema } from '../auth/auth.schemas.ts';
import { scopeRoles } from '../auth/roles.ts';
import { versionSchema } from '../shared/schemas.ts';

export const scopeResponse = z.object({
  id: z.string(),
  name: z.string(),
  profile: z.enum(['small', 'large']),
  description: z.string(),
  /** its managers need a second factor (TOTP or a passkey) for manager actions */
  requireMfaForManagers: z.boolean(),
  /** the caller manages this scope but has no second factor: until enrolled they act as a contributor here */
  managerNeedsMfa: z.boolean(),
  /** the caller's role in this scope (`manager` for an installation admin without membership) */
  role: z.enum(scopeRoles),
  assetCount: z.number().int(),
  createdAt: z.string(),
  version: z.number(),
});
export type ScopeResponse = z.infer<typeof scopeResponse>;

export const createScopeBody = z.strictObject({
  name: nameSchema,
  profile: z.enum(['small', 'large'], { error: 'profile must be small or large' }),
  description: z.string().max(5000).default(''),
});
export const updateScopeBody = z.strictObject({
  version: versionSchema,
  name: nameSchema.optional(),
  profile: z.enum(['small', 'large']).optional(),
  description: z.string().max(5000).optional(),
  requireMfaForManagers: z.boolean().optional(),
});

export const memberResponse = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(scopeRoles),
  status: z.enum(['active', 'invited', 'disabled']),
  version: z.number(),
});
export type MemberResponse = z.infer<typeof memberResponse>;

export const inviteMemberBody = z.strictObject({
  email: emailSchema,
  name: nameSchema.optional(),
  role: z.enum(scopeRoles, { error: `role must be one of ${scopeRoles.join(', ')}` }),
});
export const inviteMemberResponse = z.object({
  member: memberResponse,
  /** path of the invitation page for a user who has no password yet; null if the user already exists */
  invitationUrl: z.string().nullable(),
});
export const updateMemberBody = z.strictObject({ version: versionSchema, role: z.enum(scopeRoles) });

export const invitationResponse = z.object({ email: z.string(), name: z.string(), scopeName: z.string() });
export const acceptInvitationBody = z.strictObject({
  name: nameSchema.optional(),
  password: z.string().min(12, { error: 'password must have at least 12 characters' }).max(200),
});
