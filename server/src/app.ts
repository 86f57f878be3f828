import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditRoutes } from './audit/audit.routes.ts';
import { auditPackRoutes } from './audit-pack/audit-pack.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { oidcRoutes } from './auth/oidc.routes.ts';
import { mfaRoutes } from './auth/mfa/mfa.routes.ts';
import { authPlugin } from './http/auth.plugin.ts';
import { registerErrorHandler } from './http/errors.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { listSerializerCompiler } from './http/list-serializer.ts';
import { inputGuard } from './http/input-guard.ts';
import { apiInfo, apiServers, finishDocument, transformRoute } from './http/openapi.ts';
import { handoffRoutes } from './isms/handoff.routes.ts';
import { processRoutes } from './isms/process.routes.ts';
import { cadenceRoutes } from './cadences/index.ts';
import { cycleRoutes } from './isms/cycle/cycle.routes.ts';
import { processModules } from './processes/registry.ts';
import { scopeRoutes } from './scopes/scope.routes.ts';
import type { Deps } from './shared/context.ts';
import { notFound } from './shared/errors.ts';
import { userRoutes } from './users/user.routes.ts';
import { taskRoutes } from './work/task.routes.ts';

/** OpenAPI tags of the platform's own routes; each process module declares its tags in its `index.ts`. */
export const platformTags = [
  { name: 'health', description: 'Liveness of the server and its database' },
  { name: 'auth', description: 'First-run setup, sign-in, sessions and API tokens' },
  { name: 'users', description: 'Users of the installation (administrators)' },
  { name: 'scopes', description: 'ISMS scopes, members and invitations' },
  { name: 'process model', description: 'The ISMS processes of a scope, their owners, cadences and hand-offs' },
  { name: 'ISMS cycle', description: 'The ISMS cycle of a scope, its Plan / Do / Check / Act readiness, and the cockpit' },
  { name: 'cadences', description: 'Recurrence rules on processes and review dates, and what they bring next' },
  { name: 'work', description: 'Tasks: work created by people and by hand-offs; My work' },
  { name: 'audit', description: 'The hash-chained audit trail' },
  { name: 'audit pack', description: 'One ZIP for a certification auditor: the documents in force, with a SHA-256 manifest' },
];

export interface AppOptions {
  logger?: boolean;
  /** serve the built web client from this directory (skipped when it does not exist) */
  webDistDir?: string;
}

/** Builds the HTTP application without listening, so tests can use `app.inject()`. */
export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: process.env.PRAXIS_TRUST_PROXY === 'true',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  // list pages by a serializer compiled from their zod schema, every other response by zod (http/list-serializer.ts)
  app.setSerializerCompiler(listSerializerCompiler);
  registerErrorHandler(app);
  // API answers are personal and current: no browser or proxy keeps them (OWASP ASVS 8.2.1); static assets are cached
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  await app.register(cookie);
  // helmet's headers, computed once at start (http/security-headers.ts)
  registerSecurityHeaders(app);
  // setup and invitation acceptance; sign-in and password changes are limited in the database (auth/rate-limit.ts)
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: apiInfo,
      servers: apiServers,
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token created under Account → API tokens' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'praxis_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
      tags: [...platformTags, ...processModules.flatMap((m) => m.tags)],
    },
    // zod to JSON Schema, then operation ids, public operations and the shared error answers (http/openapi.ts)
    transform: transformRoute,
    transformObject: finishDocument,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(authPlugin, { deps });
  await app.register(inputGuard);

  await app.register(
    async (api) => {
      api.get(
        '/health',
        {
          schema: {
            tags: ['health'],
            summary: 'Liveness of the server and its database',
            response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }) },
          },
        },
        async () => ({
          status: 'ok' as const,
          database: deps.dialect,
        }),
      );
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      // the platform: accounts, scopes, the process model and its cycle, work, the audit trail
      const platformRoutes = [
        authRoutes,
        oidcRoutes,
        mfaRoutes,
        userRoutes,
        scopeRoutes,
        processRoutes,
        handoffRoutes,
        cadenceRoutes,
        cycleRoutes,
        taskRoutes,
        auditRoutes,
        auditPackRoutes,
      ];
      // then every process module's routes, from the registry
      for (const routes of [...platformRoutes, ...processModules.flatMap((m) => m.routes)]) {
        await api.register(routes, { deps });
      }
    },
    { prefix: '/api' },
  );

  const dist = options.webDistDir;
  if (dist && fs.existsSync(path.join(dist, 'index.html'))) {
    const assets = path.join(dist, 'assets');
    await app.register(fastifyStatic, {
      root: dist,
      wildcard: false,
      // the build writes .br and .gz copies (scripts/web-build.ts): sent to browsers that accept them
      preCompressed: true,
      cacheControl: false,
      // files under assets/ carry a hash of their content in their name: cached for good; the rest is checked each time
      setHeaders: (reply, file) => {
        reply.header('cache-control', file.startsWith(assets + path.sep) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    // the single-page app handles every other non-API path
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      if (request.url.startsWith('/api/')) throw notFound(`Route ${request.url.split('?')[0]}`);
      return reply.type('text/html').sendFile('index.html');
    });
  }
  return app;
}
