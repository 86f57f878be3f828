import { languageOf, type Text, translate } from '../i18n/i18n.ts';
import { errorText, forbidden, notFound } from '../shared/errors.ts';
import type { UserLanguage } from '../users/user-language.ts';
import type { Permission, ScopeRole } from './roles.ts';
import { rolePermissions } from './role-permissions.ts';

/** Who is acting: resolved once per request from the session cookie or an API token. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  isAdmin: boolean;
  /**
   * The user's language setting (null or absent: none, the request's `Accept-Language` applies). It wins over
   * `Accept-Language` for everything the server words for this actor (`http/auth.plugin.ts`).
   */
  language?: UserLanguage | null;
  /**
   * The request's `Accept-Language` (set per request by `http/auth.plugin.ts`): with the setting, it says which language
   * texts Praxis writes into a record on the actor's behalf (a change request's reason, a risk's origin, a competence's
   * evidence) are written in: see `inActorLanguage`.
   */
  acceptLanguage?: string | undefined;
  via: 'session' | 'token' | 'cli';
  /** scopeId → role */
  memberships: ReadonlyMap<string, ScopeRole>;
  /**
   * Scopes that require a second factor of their managers while this manager has none (`auth/mfa/mfa-policy.ts`):
   * there the actor acts as a contributor until enrolled.
   */
  mfaMissingIn?: ReadonlySet<string>;
}

/**
 * The actor's role in a scope; an installation admin acts as manager everywhere — in every scope that exists: for a
 * scope id that names none, the request is answered 404 before any service runs (`http/auth.plugin.ts`).
 */
export function roleIn(actor: Actor, scopeId: string): ScopeRole | null {
  const role = actor.memberships.get(scopeId) ?? (actor.isAdmin ? 'manager' : null);
  return role === 'manager' && actor.mfaMissingIn?.has(scopeId) ? 'contributor' : role;
}

export function can(actor: Actor, scopeId: string, permission: Permission): boolean {
  const role = roleIn(actor, scopeId);
  return role !== null && rolePermissions[role].has(permission);
}

/**
 * The access check every scoped service call starts with. Without membership the scope does not exist for the
 * actor (404, so that other scopes' records cannot even be probed); with a role that lacks the permission, 403.
 */
export function requireScopePermission(actor: Actor, scopeId: string, permission: Permission): ScopeRole {
  const role = roleIn(actor, scopeId);
  if (!role) throw notFound('Scope');
  if (!rolePermissions[role].has(permission)) {
    if (actor.mfaMissingIn?.has(scopeId) && rolePermissions.manager.has(permission)) throw forbidden(errorText('mfaRequiredForManagers'));
    throw forbidden(errorText('roleForbids', { role, permission }));
  }
  return role;
}

export function requireAdmin(actor: Actor): void {
  if (!actor.isAdmin) throw forbidden(errorText('adminOnly'));
}

/**
 * A text Praxis writes into a record for the actor (content people edit afterwards, not a label): worded once, in the
 * language the actor's request is worded in, as a person writing it would.
 */
export function inActorLanguage(actor: Actor | null, text: Text): string {
  return translate(actorLanguage(actor), text.key, text.params);
}

/** The language the actor's request is worded in: their setting, else the request's `Accept-Language`. */
export const actorLanguage = (actor: Actor | null): string => actor?.language ?? languageOf(actor?.acceptLanguage);
