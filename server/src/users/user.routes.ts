import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/auth.plugin.ts';
import type { Deps } from '../shared/context.ts';
import { idSchema, pageOf } from '../shared/schemas.ts';
import { createUserBody, listUsersQuery, updateUserBody, userResponse } from './user.schemas.ts';
import * as users from './user.service.ts';

export const userRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['users'];
  app.get(
    '/users',
    { schema: { tags, summary: 'List users (admin)', querystring: listUsersQuery, response: { 200: pageOf(userResponse) } } },
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
};
