import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider for tests and browser journeys (the oidc-provider package, listening on loopback): a
 * confidential client with PKCE, ID tokens, user info with email and groups, and its own login form (the package's
 * development interactions: any login name of a known account, any password). Consent is granted for the one client.
 */
export interface TestAccount {
  email: string;
  name?: string;
  emailVerified?: boolean;
  groups?: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** the accounts by login name (the provider's subject is the login name) */
  accounts: Map<string, TestAccount>;
  /** environment for Praxis (PRAXIS_OIDC_*) */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export async function startOidcProvider(options: { redirectUri: string; port?: number }): Promise<TestOidcProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'praxis';
  const clientSecret = 'praxis-test-client-secret-0123456789';
  const accounts = new Map<string, TestAccount>();
  const scope = 'openid email profile groups';

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    findAccount: async (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: account.email,
          email_verified: account.emailVerified ?? true,
          name: account.name ?? id,
          groups: account.groups ?? [],
        }),
      };
    },
    // the one client is first-party: consent is implied
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId || !ctx.oidc.client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId });
      grant.addOIDCScope(scope);
      await grant.save();
      return grant;
    },
    cookies: { keys: ['praxis-test-provider-cookie-key'] },
    // a signing key of its own for this run (the ID tokens are RS256)
    jwks: {
      keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }],
    },
    features: { devInteractions: { enabled: true } },
  });
  server.on('request', provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    env: (extra = {}) => ({
      PRAXIS_OIDC_ISSUER: issuer,
      PRAXIS_OIDC_CLIENT_ID: clientId,
      PRAXIS_OIDC_CLIENT_SECRET: clientSecret,
      PRAXIS_OIDC_REDIRECT_URL: options.redirectUri,
      PRAXIS_OIDC_SCOPES: scope,
      PRAXIS_OIDC_NAME: 'Example ID',
      ...extra,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A minimal user agent for the provider's pages: follows its redirects with its cookies and signs in on its form. */
export async function signInAtProvider(authorizationUrl: string, login: string, until: string): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  let url = new URL(authorizationUrl);
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    if (url.href.startsWith(until)) return url;
    const res = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: cookieHeader(), ...(body && { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(body && { body }),
    });
    remember(res);
    body = undefined;
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url);
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action) throw new Error(`the provider answered ${res.status}: ${html.slice(0, 300)}`);
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1] ?? 'login';
    url = new URL(action.replace(/&amp;/g, '&'), url);
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any password' } : { prompt });
  }
  throw new Error('the provider did not redirect back');
}
