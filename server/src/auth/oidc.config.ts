import { z } from 'zod';
import { ConfigError, configText } from '../config-error.ts';
import { type ScopeRole, scopeRoles } from './roles.ts';

/**
 * Single sign-on with an OpenID provider (OpenID Connect, authorization code flow with PKCE, state and nonce).
 * Enabled when PRAXIS_OIDC_ISSUER is set; everything comes from the environment:
 *
 * - PRAXIS_OIDC_ISSUER         the provider's issuer URL (its discovery document is read from there)
 * - PRAXIS_OIDC_CLIENT_ID      the client Praxis is registered as
 * - PRAXIS_OIDC_CLIENT_SECRET  its secret (client_secret_basic)
 * - PRAXIS_OIDC_REDIRECT_URL   default `<PRAXIS_PUBLIC_URL>/api/auth/oidc/callback`; register it at the provider
 * - PRAXIS_OIDC_NAME           the provider's name on the sign-in page ("Sign in with <name>"), default "single sign-on"
 * - PRAXIS_OIDC_SCOPES         default "openid email profile"; add the scope that releases the group claim
 * - PRAXIS_OIDC_GROUPS_CLAIM   the claim that lists the user's groups, default "groups"
 * - PRAXIS_OIDC_GROUP_ROLES    JSON: [{"group": "isms-team", "scope": "<scope name or id>", "role": "manager"}, …]
 * - PRAXIS_OIDC_DEFAULT_ROLE   the scope role a new user gets in the default scope when no group gives one there
 *                              (default "employee"; "none" for no default membership)
 * - PRAXIS_OIDC_DEFAULT_SCOPE  the scope (name or id) for the default role; default: the only scope, if there is one
 */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  name: string;
  scopes: string;
  groupsClaim: string;
  groupRoles: { group: string; scope: string; role: ScopeRole }[];
  defaultRole: ScopeRole | null;
  defaultScope: string | null;
  /** http:// issuers are accepted only on this machine (a provider under test); anything else must be https */
  allowHttp: boolean;
}

const groupRoles = z.array(
  z.strictObject({
    group: z.string().min(1),
    scope: z.string().min(1),
    role: z.enum(scopeRoles),
  }),
);

const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Reads the OIDC settings; null when single sign-on is not configured. Throws a sentence naming the variable (a
 * ConfigError, worded in the CLI's language by `praxis`); the roles it lists are the values the variables take.
 */
export function loadOidcConfig(env: NodeJS.ProcessEnv, publicUrl: string): OidcConfig | null {
  const issuer = env.PRAXIS_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError(configText('oidc.issuerNotAUrl', { value: issuer }));
  }
  const allowHttp = url.protocol === 'http:' && loopback.has(url.hostname);
  if (url.protocol !== 'https:' && !allowHttp) throw new ConfigError(configText('oidc.issuerNotHttps'));
  const clientId = env.PRAXIS_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.PRAXIS_OIDC_CLIENT_SECRET?.trim();
  if (!clientId) throw new ConfigError(configText('oidc.required', { name: 'PRAXIS_OIDC_CLIENT_ID' }));
  if (!clientSecret) throw new ConfigError(configText('oidc.required', { name: 'PRAXIS_OIDC_CLIENT_SECRET' }));
  let mapping: OidcConfig['groupRoles'] = [];
  if (env.PRAXIS_OIDC_GROUP_ROLES?.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.PRAXIS_OIDC_GROUP_ROLES);
    } catch {
      throw new ConfigError(configText('oidc.groupRolesNotJson'));
    }
    const result = groupRoles.safeParse(parsed);
    if (!result.success) {
      throw new ConfigError(configText('oidc.groupRolesShape', { roles: scopeRoles.join(', ') }));
    }
    mapping = result.data;
  }
  const defaultRole = env.PRAXIS_OIDC_DEFAULT_ROLE?.trim() || 'employee';
  if (defaultRole !== 'none' && !(scopeRoles as readonly string[]).includes(defaultRole)) {
    throw new ConfigError(configText('oidc.defaultRole', { roles: scopeRoles.join(', '), value: defaultRole }));
  }
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUrl: env.PRAXIS_OIDC_REDIRECT_URL?.trim() || `${publicUrl}/api/auth/oidc/callback`,
    name: env.PRAXIS_OIDC_NAME?.trim() || 'single sign-on',
    scopes: env.PRAXIS_OIDC_SCOPES?.trim() || 'openid email profile',
    groupsClaim: env.PRAXIS_OIDC_GROUPS_CLAIM?.trim() || 'groups',
    groupRoles: mapping,
    defaultRole: defaultRole === 'none' ? null : (defaultRole as ScopeRole),
    defaultScope: env.PRAXIS_OIDC_DEFAULT_SCOPE?.trim() || null,
    allowHttp,
  };
}
