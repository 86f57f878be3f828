import { z } from 'zod';

/** How people can sign in besides a password (GET /api/auth/providers), for the sign-in page. */
export const signInProvidersResponse = z.object({
  /** single sign-on through an OpenID provider, when configured: its name for "Sign in with <name>" */
  sso: z.object({ name: z.string(), startUrl: z.string() }).nullable(),
});
export type SignInProviders = z.infer<typeof signInProvidersResponse>;
