import type { AccessRow } from '../../test/access-rows.ts';

/**
 * The access matrix's rows for multi-factor sign-in. The matrix's actors call with API tokens: second factors are
 * managed in a browser session only (403 for a token), the status can be read; the sign-in steps answer the same to
 * everyone (no pending sign-in: 401). The scope's "require MFA for managers" setting is a manager's.
 */
const anyToken = [401, 403, 403, 403, 403, 403, 403, 403] as AccessRow['expect'];
const sameForAll = (status: number) => [status, status, status, status, status, status, status, status] as AccessRow['expect'];
const passkeyId = '01900000-0000-7000-8000-000000000001';
const webauthn = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: {} };

export const mfaAccessRows: AccessRow[] = [
  { name: 'my second factors', method: 'GET', url: () => '/api/me/mfa', expect: [401, 200, 200, 200, 200, 200, 200, 200] },
  { name: 'set up an authenticator app', method: 'POST', url: () => '/api/me/mfa/totp', expect: anyToken },
  {
    name: 'confirm the authenticator app',
    method: 'POST',
    url: () => '/api/me/mfa/totp/confirm',
    body: () => ({ code: '123456' }),
    expect: anyToken,
  },
  {
    name: 'turn the authenticator app off',
    method: 'POST',
    url: () => '/api/me/mfa/totp/disable',
    body: () => ({ password: 'x' }),
    expect: anyToken,
  },
  {
    name: 'new recovery codes',
    method: 'POST',
    url: () => '/api/me/mfa/recovery-codes',
    body: () => ({ password: 'x' }),
    expect: anyToken,
  },
  { name: 'my passkeys', method: 'GET', url: () => '/api/me/passkeys', expect: anyToken },
  { name: 'passkey registration options', method: 'POST', url: () => '/api/me/passkeys/options', expect: anyToken },
  {
    name: 'register a passkey',
    method: 'POST',
    url: () => '/api/me/passkeys',
    body: () => ({ name: 'Key', response: webauthn }),
    expect: anyToken,
  },
  {
    name: 'rename a passkey',
    method: 'PATCH',
    url: () => `/api/me/passkeys/${passkeyId}`,
    body: () => ({ version: 1, name: 'Key' }),
    expect: anyToken,
  },
  { name: 'remove a passkey', method: 'DELETE', url: () => `/api/me/passkeys/${passkeyId}`, expect: anyToken },
  { name: 'pending sign-in', method: 'GET', url: () => '/api/auth/mfa', expect: sameForAll(401) },
  {
    name: 'second step of signing in',
    method: 'POST',
    url: () => '/api/auth/mfa',
    body: () => ({ method: 'totp', code: '123456' }),
    expect: sameForAll(401),
  },
  { name: 'passkey options for the second step', method: 'POST', url: () => '/api/auth/mfa/passkey-options', expect: sameForAll(401) },
  { name: 'abandon a pending sign-in', method: 'DELETE', url: () => '/api/auth/mfa', expect: sameForAll(204) },
  { name: 'start a passkey sign-in', method: 'POST', url: () => '/api/auth/passkey/options', expect: sameForAll(200) },
  {
    name: 'sign in with a passkey',
    method: 'POST',
    url: () => '/api/auth/passkey',
    body: () => ({ response: webauthn }),
    expect: sameForAll(401),
  },
  {
    name: 'require MFA for managers (stale version)',
    method: 'PATCH',
    url: (f) => `/api/scopes/${f.scopeId}`,
    body: () => ({ version: 99, requireMfaForManagers: false }),
    expect: [401, 404, 403, 403, 403, 403, 409, 409],
  },
];
