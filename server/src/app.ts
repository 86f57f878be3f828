import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditRoutes } from './audit/audit.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { catalogRoutes } from './catalogs/catalog.routes.ts';
import { controlRoutes } from './processes/control-implementation/control.routes.ts';
import { evidenceRoutes } from './processes/control-implementation/evidence.routes.ts';
import { authPlugin } from './http/auth.plugin.ts';
import { registerErrorHandler } from './http/errors.ts';
import { processRoutes } from './isms/process.routes.ts';
import { assetRoutes } from './processes/asset-management/asset.routes.ts';
import { changeRoutes } from './processes/change-management/change.routes.ts';
import { improvementRoutes } from './processes/improvement/improvement.routes.ts';
import { incidentRoutes } from './processes/incident-management/incident.routes.ts';
import { awarenessRoutes } from './processes/competence-awareness/awareness.routes.ts';
import { competenceRoutes } from './processes/competence-awareness/competence.routes.ts';
import { trainingRoutes } from './processes/competence-awareness/training.routes.ts';
import { recordRoutes } from './processes/records-control/record.routes.ts';
import { riskRoutes } from './processes/risk-assessment/risk.routes.ts';
import { riskTreatmentRoutes } from './processes/risk-treatment/risk-treatment.routes.ts';
import { scopeRoutes } from './scopes/scope.routes.ts';
import type { Deps } from './shared/context.ts';
import { notFound } from './shared/errors.ts';
import { userRoutes } from './users/user.routes.ts';
import { taskRoutes } from './work/task.routes.ts';
import { documentRoutes } from './processes/policy-management/document.routes.ts';
import { soaRoutes } from './processes/risk-treatment/soa.routes.ts';

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
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  // preHandler: after body parsing, so that the login limit can key on the account as well as the address
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Praxis API', version: '0.1.0', description: 'ISMS process model, registers and work items' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token created under Account → API tokens' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'praxis_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  await app.register(authPlugin, { deps });

  await app.register(
    async (api) => {
      api.get(
        '/health',
        {
          schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['sqlite', 'postgres']) }) } },
        },
        async () => ({
          status: 'ok' as const,
          database: deps.dialect,
        }),
      );
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      for (const routes of [
        authRoutes,
        userRoutes,
        scopeRoutes,
        assetRoutes,
        processRoutes,
        taskRoutes,
        auditRoutes,
        incidentRoutes,
        changeRoutes,
        improvementRoutes,
        riskRoutes,
        // -- catalogs, controls, evidence
        catalogRoutes,
        controlRoutes,
        evidenceRoutes,
        // -- risk treatment
        riskTreatmentRoutes,
        // -- statement of applicability
        soaRoutes,
        // -- policy management
        documentRoutes,
        // -- records control
        recordRoutes,
        // -- competence and awareness
        competenceRoutes,
        trainingRoutes,
        awarenessRoutes,
      ]) {
        await api.register(routes, { deps });
      }
    },
    { prefix: '/api' },
  );

  const dist = options.webDistDir;
  if (dist && fs.existsSync(path.join(dist, 'index.html'))) {
    await app.register(fastifyStatic, { root: dist, wildcard: false });
    // the single-page app handles every other non-API path
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      if (request.url.startsWith('/api/')) throw notFound(`Route ${request.url.split('?')[0]}`);
      return reply.type('text/html').sendFile('index.html');
    });
  }
  return app;
}
