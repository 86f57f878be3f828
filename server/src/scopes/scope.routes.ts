import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seedDemo } from '../demo/demo.service.ts';
import { actorOf, setSessionCookie } from '../http/auth.plugin.ts';
import { resolveSession, sessionResponse } from '../auth/auth.service.ts';
import type { Deps } from '../shared/context.ts';
import { idSchema, scopeParams } from '../shared/schemas.ts';
import {
  acceptInvitationBody,
  createScopeBody,
  invitationResponse,
  inviteMemberBody,
  inviteMemberResponse,
  memberResponse,
  scopeResponse,
  updateMemberBody,
  updateScopeBody,
} from './scope.schemas.ts';
import { sessionResponse as sessionResponseSchema } from '../auth/auth.schemas.ts';
import * as scopes from './scope.service.ts';

export const scopeRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['scopes'];
  const memberParams = z.object({ scopeId: idSchema, userId: idSchema });

  app.get('/scopes', { schema: { tags, summary: 'Scopes you can see', response: { 200: z.array(scopeResponse) } } }, async (request) =>
    scopes.listScopes(deps, actorOf(request)),
  );
  app.post(
    '/scopes',
    { schema: { tags, summary: 'Create a scope (admin)', body: createScopeBody, response: { 201: scopeResponse } } },
    async (request, reply) => reply.status(201).send(await scopes.createScope(deps, actorOf(request), request.body)),
  );
  app.get(
    '/scopes/:scopeId',
    { schema: { tags, summary: 'One scope', params: scopeParams, response: { 200: scopeResponse } } },
    async (request) => scopes.getScope(deps, actorOf(request), request.params.scopeId),
  );
  app.patch(
    '/scopes/:scopeId',
    { schema: { tags, summary: 'Update a scope', params: scopeParams, body: updateScopeBody, response: { 200: scopeResponse } } },
    async (request) => scopes.updateScope(deps, actorOf(request), request.params.scopeId, request.body),
  );
  app.get(
    '/scopes/:scopeId/members',
    { schema: { tags, summary: 'Members of a scope', params: scopeParams, response: { 200: z.array(memberResponse) } } },
    async (request) => scopes.listMembers(deps, actorOf(request), request.params.scopeId),
  );
  app.post(
    '/scopes/:scopeId/members',
    {
      schema: {
        tags,
        summary: 'Invite a person into the scope with a role',
        params: scopeParams,
        body: inviteMemberBody,
        response: { 201: inviteMemberResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await scopes.inviteMember(deps, actorOf(request), request.params.scopeId, request.body)),
  );
  app.patch(
    '/scopes/:scopeId/members/:userId',
    {
      schema: { tags, summary: "Change a member's role", params: memberParams, body: updateMemberBody, response: { 200: memberResponse } },
    },
    async (request) => scopes.updateMember(deps, actorOf(request), request.params.scopeId, request.params.userId, request.body),
  );
  app.delete(
    '/scopes/:scopeId/members/:userId',
    { schema: { tags, summary: 'Remove a member', params: memberParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await scopes.removeMember(deps, actorOf(request), request.params.scopeId, request.params.userId);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/scopes/:scopeId/demo',
    {
      schema: {
        tags,
        summary: 'Load the demo organisation into an empty scope',
        params: scopeParams,
        response: { 201: z.object({ assets: z.number(), tasks: z.number() }) },
      },
    },
    async (request, reply) => reply.status(201).send(await seedDemo(deps, actorOf(request), request.params.scopeId)),
  );

  const tokenParams = z.object({ token: z.string().min(10).max(200) });
  app.get(
    '/invitations/:token',
    { schema: { tags, summary: 'An open invitation', params: tokenParams, response: { 200: invitationResponse } } },
    async (request) => scopes.getInvitation(deps, request.params.token),
  );
  app.post(
    '/invitations/:token/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation and set a password',
        params: tokenParams,
        body: acceptInvitationBody,
        response: { 200: sessionResponseSchema },
      },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const { cookie, csrfToken } = await scopes.acceptInvitation(deps, request.params.token, request.body);
      setSessionCookie(reply, deps, cookie);
      const session = await resolveSession(deps, cookie);
      return sessionResponse(deps, session!.actor, csrfToken);
    },
  );
};
