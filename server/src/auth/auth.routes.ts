import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, clearSessionCookie, setSessionCookie } from '../http/auth.plugin.ts';
import type { Deps } from '../shared/context.ts';
import { errorResponse, idSchema } from '../shared/schemas.ts';
import { isSetupNeeded, runSetup } from '../setup/setup.service.ts';
import { forbidden, errorText } from '../shared/errors.ts';
import * as auth from './auth.service.ts';
import { mfaPendingResponse } from './mfa/mfa.schemas.ts';
import { setMfaCookie } from './mfa/mfa.routes.ts';
import { limited, limits } from './rate-limit.ts';
import {
  apiTokenResponse,
  changePasswordBody,
  createApiTokenBody,
  createdApiTokenResponse,
  loginBody,
  sessionResponse,
  setupBody,
  setupStatusResponse,
} from './auth.schemas.ts';

export const authRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/setup',
    { schema: { tags: ['auth'], summary: 'Whether first-run setup is needed', response: { 200: setupStatusResponse } } },
    async () => ({
      needed: await isSetupNeeded(deps),
    }),
  );

  app.post(
    '/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'First-run setup: administrator and first scope',
        body: setupBody,
        response: { 201: sessionResponse, 409: errorResponse },
      },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const result = await runSetup(deps, request.body);
      setSessionCookie(reply, deps, result.cookie);
      const session = await auth.resolveSession(deps, result.cookie);
      return reply.status(201).send(await auth.sessionResponse(deps, session!.actor, result.csrfToken));
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password',
        body: loginBody,
        // with a second factor enrolled: no session yet, but the pending sign-in (POST /api/auth/mfa completes it)
        response: { 200: z.union([sessionResponse, mfaPendingResponse]), 401: errorResponse },
      },
    },
    async (request, reply) => {
      // wrong passwords are limited per account and per address across accounts, in the database (rate-limit.ts)
      const result = await limited(deps, reply, [limits.loginAccount(request.body.email), limits.loginAddress(request.ip)], () =>
        auth.login(deps, request.body.email, request.body.password),
      );
      if (result.mfa) {
        setMfaCookie(reply, deps, result.mfa.token);
        return { mfaRequired: true as const, methods: result.mfa.methods };
      }
      setSessionCookie(reply, deps, result.cookie);
      return auth.sessionResponse(deps, result.actor, result.csrfToken);
    },
  );

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'Log out', response: { 204: z.null() } } }, async (request, reply) => {
    if (request.sessionId) await auth.logout(deps, request.sessionId);
    clearSessionCookie(reply);
    return reply.status(204).send(null);
  });

  app.get(
    '/auth/session',
    { schema: { tags: ['auth'], summary: 'The current session', response: { 200: sessionResponse, 401: errorResponse } } },
    async (request) => {
      return auth.sessionResponse(deps, actorOf(request), request.csrfToken);
    },
  );

  app.post(
    '/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your password (ends all sessions)',
        body: changePasswordBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await limited(deps, reply, [limits.passwordChange(actor.userId)], () =>
        auth.changePassword(deps, actor, request.body.currentPassword, request.body.newPassword),
      );
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me/tokens',
    { schema: { tags: ['auth'], summary: 'Your API tokens', response: { 200: z.array(apiTokenResponse) } } },
    async (request) => auth.listTokens(deps, actorOf(request)),
  );

  app.post(
    '/me/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an API token (shown once)',
        body: createApiTokenBody,
        response: { 201: createdApiTokenResponse },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.via === 'token') throw forbidden(errorText('tokenCannotCreateTokens'));
      return reply.status(201).send(await auth.createToken(deps, actor, request.body.name));
    },
  );

  app.delete(
    '/me/tokens/:id',
    { schema: { tags: ['auth'], summary: 'Revoke an API token', params: z.object({ id: idSchema }), response: { 204: z.null() } } },
    async (request, reply) => {
      await auth.revokeToken(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
