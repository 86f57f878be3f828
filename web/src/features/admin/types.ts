import type { z } from 'zod';
import type * as userSchemas from '../../../../server/src/users/user.schemas.ts';

/** A user in the administrators' list: with when their invitation link expires while they are invited. */
export type UserListItem = z.infer<typeof userSchemas.userListItemResponse>;
/** A new invitation link for an invited user (its path; the page puts its own origin in front). */
export type InvitationLink = z.infer<typeof userSchemas.invitationLinkResponse>;
