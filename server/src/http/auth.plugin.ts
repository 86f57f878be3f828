import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../auth/actor.ts';
import { ActorCache } from '../auth/actor-cache.ts';
import { whileAuthenticating } from '../db/database.ts';
import { resolveApiToken, resolveSession } from '../auth/auth.service.ts';
import type { Deps } from '../shared/context.ts';
import { scopeExists } from '../scopes/scope.repository.ts';
import { AppError, errorText, notFound } from '../shared/errors.ts';

export const SESSION_COOKIE = 'praxis_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    csrfToken: string | null;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the actor of every request from `Authorization: Bearer` (API tokens) or the session cookie.
 * Cookie-authenticated writes must carry the session's CSRF token in `x-csrf-token`.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { deps: Deps }) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  // a repeated credential reuses its actor for a few seconds (auth/actor-cache.ts says how changes invalidate it)
  const cache = new ActorCache(opts.deps.db, opts.deps.clock);
  // Runs before validation (onRequest): some routes check access before they read the body (403 before a field error).
  // With the cache, a repeated request does no database work before its input is validated.
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.url.startsWith('/api/')) return;
    const auth = request.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const token = auth.slice(7).trim();
      const key = `token:${token}`;
      let resolved = cache.get(key);
      if (!resolved) {
        const begun = cache.begin();
        const actor = await whileAuthenticating(() => resolveApiToken(opts.deps, token));
        if (!actor) throw new AppError('unauthenticated', errorText('tokenInvalid'));
        resolved = { actor, csrfToken: null, sessionId: null };
        cache.set(key, resolved, begun);
      }
      request.actor = resolved.actor;
      followLanguageSetting(request);
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const key = `session:${cookie}`;
    let session = cache.get(key);
    if (!session) {
      const begun = cache.begin();
      const resolved = await whileAuthenticating(() => resolveSession(opts.deps, cookie));
      if (!resolved) return;
      session = resolved;
      cache.set(key, session, begun);
    }
    request.actor = session.actor;
    request.sessionId = session.sessionId;
    request.csrfToken = session.csrfToken;
    followLanguageSetting(request);
    if (!safeMethods.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
      throw new AppError('csrf_failed', errorText('csrfFailed'));
    }
  });
  // An installation administrator acts as a manager in every scope (`roleIn`), but only in a scope that exists: a scope
  // id that names none is 404 for the administrator as for everyone else, before any service reads or writes with it.
  // Checked here, after validation, for the scope a request names (`:scopeId`, or `?scopeId=`); members need no query.
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const actor = request.actor;
    if (!actor?.isAdmin) return;
    const scopeId = scopeIdOf(request.params) ?? scopeIdOf(request.query);
    if (!scopeId || actor.memberships.has(scopeId)) return;
    if (!uuidLike.test(scopeId) || !(await scopeExists(opts.deps.db, scopeId))) throw notFound('Scope');
  });
});

/**
 * The reader's language: a user's language setting (the account page) wins over the `Accept-Language` the request
 * brings. Everything that words a text for a request — messages, exports, task titles, validation — reads that header
 * (`languageOf`), so the setting takes its place there; without a setting the header stands.
 */
function followLanguageSetting(request: FastifyRequest): void {
  const actor = request.actor;
  if (!actor) return;
  if (actor.language) request.headers['accept-language'] = actor.language;
  // the cached actor is shared by requests: one that brings a language gets its own copy that knows it
  else if (request.headers['accept-language']) request.actor = { ...actor, acceptLanguage: request.headers['accept-language'] };
}

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const scopeIdOf = (part: unknown): string | undefined => {
  const id = part && typeof part === 'object' ? (part as { scopeId?: unknown }).scopeId : undefined;
  return typeof id === 'string' ? id : undefined;
};

/** The authenticated actor, or 401. Routes call this first. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', errorText('unauthenticated'));
  return request.actor;
}

export function setSessionCookie(reply: FastifyReply, deps: Deps, value: string): void {
  reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.secureCookies,
    maxAge: deps.config.sessionAbsoluteHours * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
