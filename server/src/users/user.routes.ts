import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireAdmin } from '../auth/actor.ts';
import { sessionUser } from '../auth/auth.schemas.ts';
import { actorOf } from '../http/auth.plugin.ts';
import type { Deps } from '../shared/context.ts';
import { idSchema, pageOf } from '../shared/schemas.ts';
import {
  createUserBody,
  invitationLinkResponse,
  listUsersQuery,
  updateAccountBody,
  updateUserBody,
  userListItemResponse,
  userResponse,
} from './user.schemas.ts';
import * as users from './user.service.ts';

export const userRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['users'];
  app.get(
    '/users',
    { schema: { tags, summary: 'List users (admin)', querystring: listUsersQuery, response: { 200: pageOf(userListItemResponse) } } },
    async (request) => users.listUsers(deps, actorOf(request), request.query),
  );
  app.post(
    '/users',
    { schema: { tags, summary: 'Create a user (admin)', body: createUserBody, response: { 201: userResponse } } },
    async (request, reply) => reply.status(201).send(await users.createUser(deps, actorOf(request), request.body)),
  );
  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Update a user (admin)',
        params: z.object({ id: idSchema }),
        body: updateUserBody,
        response: { 200: userResponse },
      },
      // someone else's account is the administrators' alone: 403 before any field of the body is looked at
      preValidation: async (request) => requireAdmin(actorOf(request)),
    },
    async (request) => users.updateUser(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/users/:id/invitation',
    {
      schema: {
        tags,
        summary: 'A new invitation link for an invited user (admin); the links sent before stop working',
        params: z.object({ id: idSchema }),
        response: { 201: invitationLinkResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await users.resendInvitation(deps, actorOf(request), request.params.id)),
  );
  app.patch(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change your own account settings: the language of Praxis (null follows the browser)',
        body: updateAccountBody,
        response: { 200: sessionUser },
      },
    },
    async (request) => users.updateOwnAccount(deps, actorOf(request), request.body),
  );
};
