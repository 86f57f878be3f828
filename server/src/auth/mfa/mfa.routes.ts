import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, setSessionCookie } from '../../http/auth.plugin.ts';
import type { Deps } from '../../shared/context.ts';
import { errorResponse, idSchema } from '../../shared/schemas.ts';
import { sessionResponse } from '../auth.schemas.ts';
import * as auth from '../auth.service.ts';
import {
  addPasskeyBody,
  addPasskeyResponse,
  mfaPendingResponse,
  mfaProofBody,
  mfaStatusResponse,
  mfaVerifyBody,
  passkeyResponse,
  passkeySignInBody,
  recoveryCodesResponse,
  renamePasskeyBody,
  totpConfirmBody,
  totpSetupResponse,
  webauthnOptionsResponse,
} from './mfa.schemas.ts';
import * as mfa from './mfa.service.ts';

/** The pending sign-in's token: an httpOnly cookie sent to the sign-in routes only, for as long as the challenge lives. */
export const MFA_COOKIE = 'praxis_mfa';
const MFA_COOKIE_PATH = '/api/auth';

export function setMfaCookie(reply: FastifyReply, deps: Deps, token: string): void {
  reply.setCookie(MFA_COOKIE, token, {
    path: MFA_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.secureCookies,
    maxAge: mfa.CHALLENGE_MINUTES * 60,
  });
}
const clearMfaCookie = (reply: FastifyReply) => reply.clearCookie(MFA_COOKIE, { path: MFA_COOKIE_PATH });
const mfaTokenOf = (request: FastifyRequest) => request.cookies[MFA_COOKIE];

/** a per-address guard in front of the database-kept limits of the challenge and the user (mfa.service.ts) */
const perAddress = { rateLimit: { max: 30, timeWindow: '1 minute' } };

export const mfaRoutes: FastifyPluginAsyncZod<{ deps: Deps }> = async (app, { deps }) => {
  const tags = ['auth'];

  async function signIn(reply: FastifyReply, signedIn: mfa.SignedIn) {
    const result = await auth.completeSignIn(deps, signedIn.userId, signedIn.method);
    clearMfaCookie(reply);
    setSessionCookie(reply, deps, result.cookie);
    return auth.sessionResponse(deps, result.actor, result.csrfToken);
  }

  // -- the second step of signing in
  app.get(
    '/auth/mfa',
    {
      schema: { tags, summary: 'The sign-in waiting for a second factor', response: { 200: mfaPendingResponse, 401: errorResponse } },
    },
    async (request) => ({ mfaRequired: true as const, methods: await mfa.pendingMethods(deps, mfaTokenOf(request)) }),
  );

  app.post(
    '/auth/mfa',
    {
      schema: {
        tags,
        summary: 'Second step of signing in: an authenticator code, a recovery code or a passkey',
        body: mfaVerifyBody,
        response: { 200: sessionResponse, 401: errorResponse, 429: errorResponse },
      },
      config: perAddress,
    },
    async (request, reply) => signIn(reply, await mfa.verifySecondFactor(deps, mfaTokenOf(request), request.body)),
  );

  app.post(
    '/auth/mfa/passkey-options',
    {
      schema: {
        tags,
        summary: 'WebAuthn options for proving the second factor with a passkey',
        response: { 200: webauthnOptionsResponse, 401: errorResponse },
      },
      config: perAddress,
    },
    async (request) => mfa.signInPasskeyOptions(deps, mfaTokenOf(request)),
  );

  app.delete(
    '/auth/mfa',
    { schema: { tags, summary: 'Abandon a sign-in that waits for its second factor', response: { 204: z.null() } } },
    async (request, reply) => {
      await mfa.cancelSignIn(deps, mfaTokenOf(request));
      clearMfaCookie(reply);
      return reply.status(204).send(null);
    },
  );

  // -- signing in with a passkey alone
  app.post(
    '/auth/passkey/options',
    {
      schema: { tags, summary: 'Start signing in with a passkey (no password)', response: { 200: webauthnOptionsResponse } },
      config: perAddress,
    },
    async (_request, reply) => {
      const { token, options } = await mfa.startPasskeySignIn(deps);
      setMfaCookie(reply, deps, token);
      return options;
    },
  );

  app.post(
    '/auth/passkey',
    {
      schema: {
        tags,
        summary: 'Sign in with a passkey (no password)',
        body: passkeySignInBody,
        response: { 200: sessionResponse, 401: errorResponse, 429: errorResponse },
      },
      config: perAddress,
    },
    async (request, reply) =>
      signIn(
        reply,
        await mfa.finishPasskeySignIn(deps, mfaTokenOf(request), request.body.response as unknown as AuthenticationResponseJSON),
      ),
  );

  // -- your own second factors
  app.get(
    '/me/mfa',
    { schema: { tags, summary: 'Your second factors and the scopes that require one', response: { 200: mfaStatusResponse } } },
    async (request) => mfa.mfaStatus(deps, actorOf(request)),
  );

  app.post(
    '/me/mfa/totp',
    {
      schema: {
        tags,
        summary: 'Start enrolling an authenticator app: its secret and QR code (confirm with a code)',
        response: { 200: totpSetupResponse, 409: errorResponse },
      },
    },
    async (request) => mfa.setupTotp(deps, actorOf(request)),
  );

  app.post(
    '/me/mfa/totp/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm the authenticator app with a code; the first factor also issues recovery codes (shown once)',
        body: totpConfirmBody,
        response: { 200: recoveryCodesResponse },
      },
    },
    async (request) => mfa.confirmTotp(deps, actorOf(request), request.body.code),
  );

  app.post(
    '/me/mfa/totp/disable',
    {
      schema: {
        tags,
        summary: 'Turn the authenticator app off (with your password or a code)',
        body: mfaProofBody,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await mfa.disableTotp(deps, actorOf(request), request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/me/mfa/recovery-codes',
    {
      schema: {
        tags,
        summary: 'New recovery codes (shown once; the old ones stop working)',
        body: mfaProofBody,
        response: { 200: recoveryCodesResponse },
      },
    },
    async (request) => mfa.regenerateRecoveryCodes(deps, actorOf(request), request.body),
  );

  app.get('/me/passkeys', { schema: { tags, summary: 'Your passkeys', response: { 200: z.array(passkeyResponse) } } }, async (request) =>
    mfa.listPasskeys(deps, actorOf(request)),
  );

  app.post(
    '/me/passkeys/options',
    { schema: { tags, summary: 'WebAuthn options for registering a passkey', response: { 200: webauthnOptionsResponse } } },
    async (request) => mfa.passkeyRegistrationOptions(deps, actorOf(request)),
  );

  app.post(
    '/me/passkeys',
    {
      schema: {
        tags,
        summary: 'Register a passkey; the first factor also issues recovery codes (shown once)',
        body: addPasskeyBody,
        response: { 201: addPasskeyResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await mfa.addPasskey(deps, actorOf(request), request.body.name, request.body.response as unknown as RegistrationResponseJSON),
        ),
  );

  app.patch(
    '/me/passkeys/:id',
    {
      schema: {
        tags,
        summary: 'Rename a passkey',
        params: z.object({ id: idSchema }),
        body: renamePasskeyBody,
        response: { 200: passkeyResponse },
      },
    },
    async (request) => mfa.renamePasskey(deps, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/me/passkeys/:id',
    { schema: { tags, summary: 'Remove a passkey', params: z.object({ id: idSchema }), response: { 204: z.null() } } },
    async (request, reply) => {
      await mfa.removePasskey(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
