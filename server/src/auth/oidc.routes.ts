import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { setSessionCookie } from '../http/auth.plugin.ts';
import type { Deps } from '../shared/context.ts';
import { completeSignIn } from './auth.service.ts';
import { setMfaCookie } from './mfa/mfa.routes.ts';
import { startSecondFactor } from './mfa/mfa.service.ts';
import { signInProvidersResponse } from './oidc.schemas.ts';
import { decodePending, encodePending, finishSignIn, provisionUser, SsoError, startSignIn } from './oidc.service.ts';

const PENDING_COOKIE = 'praxis_oidc';
const PENDING_PATH = '/api/auth/oidc';

/** Redirects to the sign-in page with the reason, which the page words (`auth:login.sso.<reason>`). */
const failed = (reply: FastifyReply, reason: string) => {
  reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH });
  return reply.redirect(`/login?sso=${encodeURIComponent(reason)}`, 302);
};

export const oidcRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const oidc = deps.config.oidc;

  app.get(
    '/auth/providers',
    { schema: { tags: ['auth'], summary: 'How people can sign in besides a password', response: { 200: signInProvidersResponse } } },
    async () => ({ sso: oidc ? { name: oidc.name, startUrl: '/api/auth/oidc/start' } : null }),
  );

  app.get(
    '/auth/oidc/start',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start single sign-on: redirects to the OpenID provider (authorization code with PKCE)',
        querystring: z.strictObject({ returnTo: z.string().max(500).optional() }),
      },
    },
    async (request, reply) => {
      if (!oidc) return failed(reply, 'notConfigured');
      try {
        const { url, pending } = await startSignIn(oidc, request.query.returnTo);
        reply.setCookie(PENDING_COOKIE, encodePending(pending), {
          path: PENDING_PATH,
          httpOnly: true,
          // the provider's redirect back is a top-level navigation from another site: lax cookies travel with it
          sameSite: 'lax',
          secure: deps.config.secureCookies,
          maxAge: 10 * 60,
        });
        return reply.redirect(url, 302);
      } catch (err) {
        if (err instanceof SsoError) return failed(reply, err.reason);
        throw err;
      }
    },
  );

  app.get(
    '/auth/oidc/callback',
    {
      schema: {
        tags: ['auth'],
        summary: 'Where the OpenID provider returns: signs the person in (provisioned just in time) and redirects',
        // the provider's parameters (code, state, iss, error, …) are read by openid-client from the raw query
        querystring: z.record(z.string(), z.string().max(4000)),
      },
    },
    async (request, reply) => {
      if (!oidc) return failed(reply, 'notConfigured');
      const pending = decodePending(request.cookies[PENDING_COOKIE]);
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      try {
        if (request.query.error) throw new SsoError(request.query.error === 'access_denied' ? 'cancelled' : 'failed');
        const claims = await finishSignIn(oidc, query, pending);
        const user = await provisionUser(deps, oidc, claims);
        reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH });
        // a second factor enrolled here is asked for after the provider, as after a password
        const second = await startSecondFactor(deps, user.id);
        if (second) {
          setMfaCookie(reply, deps, second.token);
          return reply.redirect(`/login?mfa=1&next=${encodeURIComponent(pending!.returnTo)}`, 302);
        }
        const session = await completeSignIn(deps, user.id, 'sso');
        setSessionCookie(reply, deps, session.cookie);
        return reply.redirect(pending!.returnTo, 302);
      } catch (err) {
        if (err instanceof SsoError) {
          request.log.warn({ reason: err.reason }, 'single sign-on did not complete');
          return failed(reply, err.reason);
        }
        // a browser navigation: anything else (e.g. the same person's first sign-in twice at once) also ends on the
        // sign-in page, which offers to start again, instead of a JSON error
        request.log.error({ err }, 'single sign-on failed');
        return failed(reply, 'failed');
      }
    },
  );
};
