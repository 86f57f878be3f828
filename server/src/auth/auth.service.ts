import { appendAudit } from '../audit/audit.service.ts';
import { toBool } from '../db/column.ts';
import { type Clock, isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, conflictWithCurrent, errorText, notFound } from '../shared/errors.ts';
import { newId, newSecret, sha256 } from '../shared/ids.ts';
import { updateVersioned } from '../db/versioned.ts';
import { findMembershipsOfUser, findUserByEmail, findUserById } from '../users/user.repository.ts';
import { presentUser } from '../users/user.service.ts';
import { isUserLanguage, type UserLanguage } from '../users/user-language.ts';
import type { Actor } from './actor.ts';
import type { SessionResponse } from './auth.schemas.ts';
import { scopesAwaitingMfa } from './mfa/mfa-policy.ts';
import { startSecondFactor } from './mfa/mfa.service.ts';
import { assertPasswordNotCommon } from './common-passwords.ts';
import { hashPassword, verifyPassword } from './password.ts';
import * as repo from './session.repository.ts';

export interface Principal {
  userId: string;
  email: string;
  name: string;
  isAdmin: boolean;
  language: UserLanguage | null;
}

async function buildActor(deps: Deps, p: Principal, via: Actor['via']): Promise<Actor> {
  const memberships = await findMembershipsOfUser(deps.db, p.userId);
  const mfaMissingIn = await scopesAwaitingMfa(deps.db, p, memberships);
  return { ...p, via, memberships: new Map(memberships.map((m) => [m.scope_id, m.role])), mfaMissingIn };
}

export async function sessionResponse(deps: Deps, actor: Actor, csrfToken: string | null): Promise<SessionResponse> {
  const [memberships, password] = await Promise.all([findMembershipsOfUser(deps.db, actor.userId), findUserById(deps.db, actor.userId)]);
  return {
    user: {
      id: actor.userId,
      email: actor.email,
      name: actor.name,
      isAdmin: actor.isAdmin,
      language: actor.language ?? null,
      hasPassword: Boolean(password?.password_hash),
    },
    csrfToken,
    memberships: memberships.map((m) => ({ scopeId: m.scope_id, scopeName: m.scope_name, role: m.role })),
  };
}

/** Creates a server-side session; the cookie carries the secret, the database only its hash. */
export async function createSession(deps: Deps, userId: string): Promise<{ cookie: string; csrfToken: string }> {
  const cookie = newSecret();
  const csrfToken = newSecret();
  const now = deps.clock.now();
  await repo.insertSession(deps.db, {
    id: sha256(cookie),
    user_id: userId,
    csrf_token: csrfToken,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3600_000).toISOString(),
  });
  return { cookie, csrfToken };
}

export async function login(deps: Deps, email: string, password: string) {
  const user = await findUserByEmail(deps.db, email);
  const ok = await verifyPassword(password, user?.password_hash ?? null);
  if (!user || !ok || user.status !== 'active') {
    throw new AppError('unauthenticated', errorText('loginFailed'));
  }
  // with a second factor enrolled, the password only opens the second step (auth/mfa): no session yet
  const pending = await startSecondFactor(deps, user.id);
  if (pending) return { mfa: pending } as const;
  return { mfa: null, ...(await completeSignIn(deps, user.id, 'password')) } as const;
}

/** Issues the session of a user whose sign-in is complete (password, second factor, passkey…) and trails it. */
export async function completeSignIn(deps: Deps, userId: string, method: string) {
  const user = await findUserById(deps.db, userId);
  if (user?.status !== 'active') throw new AppError('unauthenticated', errorText('loginFailed'));
  const session = await createSession(deps, user.id);
  const actor = await buildActor(deps, principalOf(user), 'session');
  await deps.db.transaction().execute((tx) =>
    appendAudit(tx, deps, actor, {
      scopeId: null,
      action: 'login',
      recordType: 'user',
      recordId: user.id,
      recordRef: user.email,
      changes: method === 'password' ? {} : { method: { to: method } },
    }),
  );
  return { ...session, actor };
}

function principalOf(u: { id: string; email: string; name: string; is_admin: unknown; language: string | null }): Principal {
  return {
    userId: u.id,
    email: u.email,
    name: u.name,
    isAdmin: toBool(u.is_admin),
    language: isUserLanguage(u.language) ? u.language : null,
  };
}

export type ResolvedSession = { actor: Actor; csrfToken: string; sessionId: string };

/** Resolves a session cookie; applies idle and absolute timeouts. */
export async function resolveSession(deps: Deps, cookie: string): Promise<ResolvedSession | null> {
  const id = sha256(cookie);
  const row = await repo.findSession(deps.db, id);
  if (row?.status !== 'active') return null;
  const now = deps.clock.now();
  const idleLimit = new Date(row.last_seen_at).getTime() + deps.config.sessionIdleMinutes * 60_000;
  if (now.getTime() > idleLimit || now.getTime() > new Date(row.expires_at).getTime()) {
    await repo.deleteSession(deps.db, id);
    return null;
  }
  // write the last-seen time at most once a minute, not on every request
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) await repo.touchSession(deps.db, id, now.toISOString());
  const actor = await buildActor(deps, principalOf({ ...row, id: row.user_id }), 'session');
  return { actor, csrfToken: row.csrf_token, sessionId: id };
}

export async function logout(deps: Deps, sessionId: string): Promise<void> {
  await repo.deleteSession(deps.db, sessionId);
}

/** API tokens: `prx_<secret>`; only the SHA-256 is stored. */
export async function resolveApiToken(deps: Deps, token: string): Promise<Actor | null> {
  const row = await repo.findApiTokenByHash(deps.db, sha256(token));
  if (!row || row.revoked_at || row.status !== 'active') return null;
  const now = deps.clock.now();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await repo.setApiTokenUsed(deps.db, row.id, now.toISOString());
  }
  return buildActor(deps, principalOf({ ...row, id: row.user_id }), 'token');
}

const presentToken = (t: Awaited<ReturnType<typeof repo.listApiTokens>>[number]) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.created_at,
  lastUsedAt: t.last_used_at,
  revokedAt: t.revoked_at,
});

export async function listTokens(deps: Deps, actor: Actor) {
  return (await repo.listApiTokens(deps.db, actor.userId)).map(presentToken);
}

export async function createToken(deps: Deps, actor: Actor, name: string) {
  const token = `prx_${newSecret()}`;
  const row = {
    id: newId(),
    user_id: actor.userId,
    name,
    token_hash: sha256(token),
    prefix: token.slice(0, 8),
    created_at: isoNow(deps.clock),
    last_used_at: null,
    revoked_at: null,
  };
  await deps.db.transaction().execute(async (tx) => {
    await repo.insertApiToken(tx, row);
    await appendAudit(tx, deps, actor, {
      scopeId: null,
      action: 'create',
      recordType: 'api_token',
      recordId: row.id,
      recordRef: name,
      changes: { name: { to: name }, prefix: { to: row.prefix } },
    });
  });
  return { ...presentToken(row), token };
}

export async function revokeToken(deps: Deps, actor: Actor, id: string): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const row = await repo.findApiToken(tx, actor.userId, id);
    if (!row) throw notFound('API token');
    if (row.revoked_at) return;
    const at = isoNow(deps.clock);
    await repo.revokeApiToken(tx, id, at);
    await appendAudit(tx, deps, actor, {
      scopeId: null,
      action: 'revoke',
      recordType: 'api_token',
      recordId: id,
      recordRef: row.name,
      changes: { revokedAt: { from: null, to: at } },
    });
  });
}

export async function changePassword(deps: Deps, actor: Actor, current: string, next: string): Promise<void> {
  const user = await findUserById(deps.db, actor.userId);
  if (!user || !(await verifyPassword(current, user.password_hash))) {
    throw new AppError('validation_failed', errorText('currentPasswordWrong'), { field: 'body.currentPassword' });
  }
  assertPasswordNotCommon(next, 'body.newPassword', [user.email, user.name]);
  await setPassword(deps, actor, user.id, next);
}

/** Sets a password and ends every session of that user (used by change, reset and the CLI). */
export async function setPassword(deps: Deps & { clock: Clock }, actor: Actor | null, userId: string, password: string) {
  const hash = await hashPassword(password);
  const work = deps.db.transaction().execute(async (tx) => {
    const user = await findUserById(tx, userId);
    if (!user) throw notFound('User');
    await updateVersioned(tx, 'app_user', userId, user.version, { password_hash: hash, updated_at: isoNow(deps.clock) });
    await repo.deleteSessionsOfUser(tx, userId);
    await appendAudit(tx, deps, actor, {
      scopeId: null,
      action: 'password-set',
      recordType: 'user',
      recordId: userId,
      recordRef: user.email,
      changes: { password: { from: '(hidden)', to: '(hidden)' } },
    });
  });
  await conflictWithCurrent(work, null, async () => {
    const user = await findUserById(deps.db, userId);
    return user && presentUser(user);
  });
}
