import type { Configuration } from 'openid-client';
import { appendAudit } from '../audit/audit.service.ts';
import type { Tx } from '../db/database.ts';
import type { AppUserTable } from '../db/schema.ts';
import { updateVersioned } from '../db/versioned.ts';
import * as scopeRepo from '../scopes/scope.repository.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { findUserByEmail, findUserById } from '../users/user.repository.ts';
import { insertUserTx } from '../users/user.service.ts';
import type { OidcConfig } from './oidc.config.ts';
import { type ScopeRole, scopeRoles } from './roles.ts';

/**
 * Single sign-on through an OpenID provider with openid-client: the authorization code flow with PKCE (S256), state
 * and nonce, the ID token checked by openid-client (issuer, audience, signature, expiry, nonce), then the user info.
 * The person is provisioned just in time: found by the provider's subject, else by a verified email, else created
 * without a password; the provider's groups give scope roles (PRAXIS_OIDC_GROUP_ROLES), every change trailed.
 */

/** Why a sign-in through the provider did not complete; the sign-in page words each (`/login?sso=<reason>`). */
export type SsoFailure = 'unavailable' | 'expired' | 'failed' | 'cancelled' | 'notConfigured' | 'noEmail' | 'unverified' | 'disabled';
export class SsoError extends Error {
  readonly reason: SsoFailure;
  constructor(reason: SsoFailure) {
    super(`single sign-on failed: ${reason}`);
    this.reason = reason;
  }
}

/** openid-client loads with the first single sign-on, not when the server starts */
const openid = () => import('openid-client');

const discovered = new WeakMap<OidcConfig, Promise<Configuration>>();

/** The provider's metadata, discovered once per configuration (and again after a failure). */
function providerOf(oidc: OidcConfig): Promise<Configuration> {
  let found = discovered.get(oidc);
  if (!found) {
    found = openid().then((client) =>
      client.discovery(
        new URL(oidc.issuer),
        oidc.clientId,
        { redirect_uris: [oidc.redirectUrl], response_types: ['code'] },
        client.ClientSecretBasic(oidc.clientSecret),
        oidc.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      ),
    );
    discovered.set(oidc, found);
    found.catch(() => discovered.delete(oidc));
  }
  return found;
}

/** What the browser keeps between the start and the callback (an httpOnly cookie scoped to the callback's path). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

export const encodePending = (p: PendingSignIn) => Buffer.from(JSON.stringify(p)).toString('base64url');
export function decodePending(value: string | undefined): PendingSignIn | null {
  if (!value) return null;
  try {
    const p = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<PendingSignIn>;
    if (typeof p.state !== 'string' || typeof p.nonce !== 'string' || typeof p.verifier !== 'string') return null;
    return { state: p.state, nonce: p.nonce, verifier: p.verifier, returnTo: safeReturnTo(p.returnTo) };
  } catch {
    return null;
  }
}

/** Only a path of this site: never another origin (no open redirect), never the API. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !/^\/(?!\/|\\)/.test(value) || value.startsWith('/api/')) return '/';
  return value.slice(0, 500);
}

/** The provider's authorization URL for a new sign-in, and the values the callback checks. */
export async function startSignIn(oidc: OidcConfig, returnTo: unknown): Promise<{ url: string; pending: PendingSignIn }> {
  let provider: Configuration;
  try {
    provider = await providerOf(oidc);
  } catch {
    throw new SsoError('unavailable');
  }
  const client = await openid();
  const verifier = client.randomPKCECodeVerifier();
  const pending: PendingSignIn = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier,
    returnTo: safeReturnTo(returnTo),
  };
  const url = client.buildAuthorizationUrl(provider, {
    redirect_uri: oidc.redirectUrl,
    scope: oidc.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url: url.href, pending };
}

export interface SsoClaims {
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
  [claim: string]: unknown;
}

/**
 * The callback: exchanges the code (with the PKCE verifier), checks state and nonce and the ID token, and reads the
 * user info. `query` is the callback's query string; the URL it is read against is the configured redirect URL, so
 * that a proxy in front of Praxis does not change what the provider compares.
 */
export async function finishSignIn(oidc: OidcConfig, query: string, pending: PendingSignIn | null): Promise<SsoClaims> {
  if (!pending) throw new SsoError('expired');
  let provider: Configuration;
  try {
    provider = await providerOf(oidc);
  } catch {
    throw new SsoError('unavailable');
  }
  const current = new URL(oidc.redirectUrl);
  current.search = query;
  const client = await openid();
  try {
    const tokens = await client.authorizationCodeGrant(provider, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new SsoError('failed');
    let claims: SsoClaims = { ...idClaims };
    if (provider.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(provider, tokens.access_token, idClaims.sub);
      claims = { ...claims, ...info, sub: idClaims.sub };
    }
    return claims;
  } catch (err) {
    if (err instanceof SsoError) throw err;
    throw new SsoError('failed');
  }
}

const rank = (role: ScopeRole) => scopeRoles.indexOf(role);

/** The scope a setting names, by id or by name (names are matched exactly, ignoring case). */
async function scopeNamed(tx: Tx, nameOrId: string): Promise<string | null> {
  const row = await tx
    .selectFrom('scope')
    .select('id')
    .where((eb) => eb.or([eb('id', '=', nameOrId), eb(eb.fn('lower', ['name']), '=', nameOrId.toLowerCase())]))
    .orderBy('created_at')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The scope role each scope gets from the groups (the highest role where several groups name one scope). */
async function rolesFromGroups(tx: Tx, oidc: OidcConfig, groups: string[]): Promise<Map<string, { role: ScopeRole; group: string }>> {
  const out = new Map<string, { role: ScopeRole; group: string }>();
  for (const m of oidc.groupRoles) {
    if (!groups.includes(m.group)) continue;
    const scopeId = await scopeNamed(tx, m.scope);
    if (!scopeId) continue;
    const before = out.get(scopeId);
    if (!before || rank(m.role) < rank(before.role)) out.set(scopeId, { role: m.role, group: m.group });
  }
  return out;
}

function groupsOf(claims: SsoClaims, claim: string): string[] {
  const value = claims[claim];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

/**
 * Finds or creates the user for the provider's claims and brings their group memberships up to date, in one
 * transaction with its trail. Returns the user; throws SsoError when the claims cannot sign anyone in.
 */
export async function provisionUser(deps: Deps, oidc: OidcConfig, claims: SsoClaims): Promise<AppUserTable> {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!email || email.length > 254 || !email.includes('@')) throw new SsoError('noEmail');
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  const name = (typeof claims.name === 'string' && claims.name.trim()) || email;
  const groups = groupsOf(claims, oidc.groupsClaim);

  return deps.db.transaction().execute(async (tx) => {
    const now = isoNow(deps.clock);
    const identity = await tx
      .selectFrom('user_identity')
      .selectAll()
      .where('issuer', '=', oidc.issuer)
      .where('subject', '=', claims.sub)
      .executeTakeFirst();
    let user = identity ? await findUserById(tx, identity.user_id) : undefined;
    let created = false;
    if (!user) {
      const existing = await findUserByEmail(tx, email);
      if (existing) {
        // an account made here (password, invitation) is taken over only by a provider that vouches for the address
        if (!verified) throw new SsoError('unverified');
        user = existing;
      } else {
        user = await insertUserTx(tx, deps, null, { email, name: name.slice(0, 200), password: null, isAdmin: false });
        created = true;
      }
    }
    if (user.status === 'disabled') throw new SsoError('disabled');
    if (user.status === 'invited') {
      await updateVersioned(tx, 'app_user', user.id, user.version, { status: 'active', updated_at: now });
      await appendAudit(tx, deps, null, {
        scopeId: null,
        action: 'update',
        recordType: 'user',
        recordId: user.id,
        recordRef: user.email,
        changes: { status: { from: 'invited', to: 'active' }, signIn: { to: oidc.name } },
      });
    }
    if (identity) {
      await tx.updateTable('user_identity').set({ email, last_sign_in_at: now }).where('id', '=', identity.id).execute();
    } else {
      await tx
        .insertInto('user_identity')
        .values({
          id: newId(),
          user_id: user.id,
          issuer: oidc.issuer,
          subject: claims.sub,
          email,
          managed_scopes: '[]',
          created_at: now,
          last_sign_in_at: now,
        })
        .execute();
      await appendAudit(tx, deps, null, {
        scopeId: null,
        action: 'link-identity',
        recordType: 'user',
        recordId: user.id,
        recordRef: user.email,
        changes: { provider: { to: oidc.name }, issuer: { to: oidc.issuer }, subject: { to: claims.sub } },
      });
    }

    const desired = await rolesFromGroups(tx, oidc, groups);
    const previouslyManaged = new Set<string>(JSON.parse(identity?.managed_scopes ?? '[]') as string[]);
    for (const [scopeId, { role, group }] of desired) {
      await setMembershipTx(tx, deps, user, scopeId, role, { group });
    }
    // a group taken away takes its membership with it (but never the scope's last manager)
    for (const scopeId of previouslyManaged) {
      if (desired.has(scopeId)) continue;
      const m = await scopeRepo.findMembership(tx, scopeId, user.id);
      if (!m) continue;
      if (m.role === 'manager' && (await scopeRepo.countManagers(tx, scopeId)) <= 1) continue;
      await scopeRepo.deleteMembership(tx, m.id);
      await appendAudit(tx, deps, null, {
        scopeId,
        action: 'delete',
        recordType: 'membership',
        recordId: m.id,
        recordRef: user.email,
        changes: { userId: { from: user.id }, role: { from: m.role }, source: { from: `sso:provider-groups:${oidc.name}` } },
      });
    }
    if (created && oidc.defaultRole) {
      const scopeId = oidc.defaultScope ? await scopeNamed(tx, oidc.defaultScope) : await onlyScope(tx);
      if (scopeId && !desired.has(scopeId)) await setMembershipTx(tx, deps, user, scopeId, oidc.defaultRole, { group: null });
    }
    await tx
      .updateTable('user_identity')
      .set({ managed_scopes: JSON.stringify([...desired.keys()].sort()) })
      .where('issuer', '=', oidc.issuer)
      .where('subject', '=', claims.sub)
      .execute();
    return (await findUserById(tx, user.id))!;
  });
}

async function onlyScope(tx: Tx): Promise<string | null> {
  const rows = await tx.selectFrom('scope').select('id').limit(2).execute();
  return rows.length === 1 ? rows[0]!.id : null;
}

/** Creates or changes a membership to the role the provider gives (trailed in the scope); a manager is never demoted below the last one. */
async function setMembershipTx(
  tx: Tx,
  deps: Deps,
  user: AppUserTable,
  scopeId: string,
  role: ScopeRole,
  from: { group: string | null },
): Promise<void> {
  // how single sign-on gave it, as a code the history views word in the reader's language (audit-vocabulary.ts)
  const source = from.group ? `sso:group:${from.group}` : 'sso:default-role';
  const m = await scopeRepo.findMembership(tx, scopeId, user.id);
  const now = isoNow(deps.clock);
  if (!m) {
    const id = newId();
    await scopeRepo.insertMembership(tx, { id, scope_id: scopeId, user_id: user.id, role, created_at: now, updated_at: now, version: 1 });
    await appendAudit(tx, deps, null, {
      scopeId,
      action: 'create',
      recordType: 'membership',
      recordId: id,
      recordRef: user.email,
      changes: { userId: { to: user.id }, role: { to: role }, source: { to: source } },
    });
    return;
  }
  if (m.role === role) return;
  if (m.role === 'manager' && (await scopeRepo.countManagers(tx, scopeId)) <= 1) return;
  await updateVersioned(tx, 'membership', m.id, m.version, { role, updated_at: now });
  await appendAudit(tx, deps, null, {
    scopeId,
    action: 'update',
    recordType: 'membership',
    recordId: m.id,
    recordRef: user.email,
    changes: { role: { from: m.role, to: role }, source: { to: source } },
  });
}
