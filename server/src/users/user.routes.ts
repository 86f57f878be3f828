import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.plugin.ts';
import type { Deps } from '../shared/context.ts';
import { idSchema, pageOf } from '../shared/schemas.ts';
import {
  createUserBody,
  invitationLinkResponse,
  listUsersQuery,
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
};
