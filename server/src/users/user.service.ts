import { diffChanges } from '../audit/audit-hash.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type Actor, requireAdmin } from '../auth/actor.ts';
import { assertPasswordNotCommon } from '../auth/common-passwords.ts';
import { hashPassword } from '../auth/password.ts';
import { deleteSessionsOfUser } from '../auth/session.repository.ts';
import { toBool } from '../db/column.ts';
import type { Tx } from '../db/database.ts';
import type { AppUserTable } from '../db/schema.ts';
import { lockForTransaction, lockKeys } from '../db/locks.ts';
import { updateVersioned } from '../db/versioned.ts';
import { insertInvitation } from '../scopes/scope.repository.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, conflictWithCurrent, errorText, notFound, versionConflict } from '../shared/errors.ts';
import { newId, newSecret, sha256 } from '../shared/ids.ts';
import type { SessionResponse } from '../auth/auth.schemas.ts';
import type { InvitationLinkResponse, UpdateAccountBody, UserListItemResponse, UserResponse } from './user.schemas.ts';
import { isUserLanguage } from './user-language.ts';
import * as repo from './user.repository.ts';

/** How long an invitation link works (as long as the one a scope's invitation sends). */
const INVITATION_DAYS = 14;

export function presentUser(u: AppUserTable): UserResponse {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    isAdmin: toBool(u.is_admin),
    status: u.status,
    createdAt: u.created_at,
    version: u.version,
  };
}

/** The signed-in user as the session and the account page see them. */
export const presentAccount = (u: AppUserTable): SessionResponse['user'] => ({
  id: u.id,
  email: u.email,
  name: u.name,
  isAdmin: toBool(u.is_admin),
  language: isUserLanguage(u.language) ? u.language : null,
  hasPassword: u.password_hash !== null,
});

const auditable = (u: AppUserTable) => ({ email: u.email, name: u.name, isAdmin: toBool(u.is_admin), status: u.status });

/** Inserts a user inside a transaction (used by the admin API, first-run setup, invitations and the CLI). */
export async function insertUserTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  input: { email: string; name: string; password: string | null; isAdmin: boolean; status?: AppUserTable['status'] },
): Promise<AppUserTable> {
  if (await repo.findUserByEmail(tx, input.email)) {
    throw new AppError('duplicate', errorText('userExists', { email: input.email }), { field: 'body.email' });
  }
  if (input.password) assertPasswordNotCommon(input.password, 'body.password', [input.email, input.name]);
  const now = isoNow(deps.clock);
  const row: AppUserTable = {
    id: newId(),
    email: input.email.toLowerCase(),
    name: input.name,
    password_hash: input.password ? await hashPassword(input.password) : null,
    is_admin: input.isAdmin,
    status: input.status ?? 'active',
    language: null,
    created_at: now,
    updated_at: now,
    version: 1,
  };
  await repo.insertUser(tx, row);
  await appendAudit(tx, deps, actor, {
    scopeId: null,
    action: 'create',
    recordType: 'user',
    recordId: row.id,
    recordRef: row.email,
    changes: Object.fromEntries(Object.entries(auditable(row)).map(([k, v]) => [k, { to: v }])),
  });
  return row;
}

export async function createUser(
  deps: Deps,
  actor: Actor,
  input: { email: string; name: string; password: string; isAdmin: boolean },
): Promise<UserResponse> {
  requireAdmin(actor);
  const row = await deps.db.transaction().execute((tx) => insertUserTx(tx, deps, actor, input));
  return presentUser(row);
}

export async function listUsers(deps: Deps, actor: Actor, q: { q?: string | undefined; page: number; pageSize: number }) {
  requireAdmin(actor);
  const { rows, total } = await repo.listUsers(deps.db, q.q, q.pageSize, (q.page - 1) * q.pageSize);
  const expiry = await repo.invitationExpiryOfUsers(
    deps.db,
    rows.filter((u) => u.status === 'invited').map((u) => u.id),
  );
  const items: UserListItemResponse[] = rows.map((u) => ({ ...presentUser(u), invitationExpiresAt: expiry.get(u.id) ?? null }));
  return { items, total, page: q.page, pageSize: q.pageSize };
}

export async function updateUser(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { version: number; name?: string | undefined; isAdmin?: boolean | undefined; status?: 'active' | 'disabled' | undefined },
): Promise<UserResponse> {
  requireAdmin(actor);
  const work = deps.db.transaction().execute(async (tx) => {
    const before = await repo.findUserById(tx, id);
    if (!before) throw notFound('User');
    if (before.version !== input.version) {
      throw versionConflict(errorText('userChanged'), presentUser(before));
    }
    if (id === actor.userId && (input.isAdmin === false || input.status === 'disabled')) {
      throw new AppError('invalid_state', errorText('notYourself'));
    }
    const patch: Partial<AppUserTable> = { updated_at: isoNow(deps.clock) };
    if (input.name !== undefined) patch.name = input.name;
    if (input.isAdmin !== undefined) patch.is_admin = input.isAdmin;
    if (input.status !== undefined) patch.status = input.status;
    await updateVersioned(tx, 'app_user', id, before.version, patch);
    if (input.status === 'disabled') await deleteSessionsOfUser(tx, id);
    const after = (await repo.findUserById(tx, id))!;
    await appendAudit(tx, deps, actor, {
      scopeId: null,
      action: 'update',
      recordType: 'user',
      recordId: id,
      recordRef: after.email,
      changes: diffChanges(auditable(before), auditable(after)),
    });
    return presentUser(after);
  });
  return conflictWithCurrent(work, errorText('userChanged'), async () => {
    const u = await repo.findUserById(deps.db, id);
    return u && presentUser(u);
  });
}

/**
 * Changes the actor's own account settings (the account page): only ever the actor's own record, whoever else they
 * may administer. The change is version-checked against the row read in the same transaction and trailed.
 */
export async function updateOwnAccount(deps: Deps, actor: Actor, input: UpdateAccountBody): Promise<SessionResponse['user']> {
  const work = deps.db.transaction().execute(async (tx) => {
    const before = await repo.findUserById(tx, actor.userId);
    if (!before) throw notFound('User');
    const from = isUserLanguage(before.language) ? before.language : null;
    if (from !== input.language) {
      await updateVersioned(tx, 'app_user', before.id, before.version, { language: input.language, updated_at: isoNow(deps.clock) });
      await appendAudit(tx, deps, actor, {
        scopeId: null,
        action: 'update',
        recordType: 'user',
        recordId: before.id,
        recordRef: before.email,
        changes: { language: { from, to: input.language } },
      });
    }
    return presentAccount({ ...before, language: input.language });
  });
  return conflictWithCurrent(work, errorText('userChanged'), async () => {
    const u = await repo.findUserById(deps.db, actor.userId);
    return u && presentAccount(u);
  });
}

/**
 * Sets a user's password and ends their sessions (`praxis user reset-password`). An invited user who has not set a
 * password yet becomes active with it; a disabled user is refused (enable the account first).
 */
export async function resetPassword(
  deps: Deps,
  actor: Actor | null,
  email: string,
  password: string,
): Promise<{ user: AppUserTable; activated: boolean }> {
  if (password.length < 12) throw new AppError('validation_failed', errorText('passwordTooShort', { count: 12 }), { field: 'password' });
  assertPasswordNotCommon(password, 'password', [email]);
  const hash = await hashPassword(password);
  return deps.db.transaction().execute(async (tx) => {
    const before = await repo.findUserByEmail(tx, email);
    if (!before) throw new AppError('not_found', errorText('noUser', { email }));
    if (before.status === 'disabled') {
      throw new AppError('invalid_state', errorText('userDisabledNoReset', { email: before.email }));
    }
    const activated = before.status === 'invited';
    await updateVersioned(tx, 'app_user', before.id, before.version, {
      password_hash: hash,
      updated_at: isoNow(deps.clock),
      ...(activated && { status: 'active' as const }),
    });
    await deleteSessionsOfUser(tx, before.id);
    await appendAudit(tx, deps, actor, {
      scopeId: null,
      action: 'password-set',
      recordType: 'user',
      recordId: before.id,
      recordRef: before.email,
      changes: {
        password: { from: '(hidden)', to: '(hidden)' },
        ...(activated && { status: { from: 'invited', to: 'active' } }),
      },
    });
    return { user: (await repo.findUserById(tx, before.id))!, activated };
  });
}

/**
 * A new invitation link for an invited user who has not set a password yet (the administrator copies it and sends it
 * on). The links sent before stop working. The invitation is into the user's scope (the one they were last invited
 * into while they are still a member there).
 */
export async function resendInvitation(deps: Deps, actor: Actor, userId: string): Promise<InvitationLinkResponse> {
  requireAdmin(actor);
  const token = newSecret();
  return deps.db.transaction().execute(async (tx) => {
    // one resend at a time (the lock the audit entry takes anyway): the links of a resend running alongside stop too
    await lockForTransaction(tx, deps.dialect, lockKeys.auditChain);
    const user = await repo.findUserById(tx, userId);
    if (!user) throw notFound('User');
    if (user.status !== 'invited') {
      throw new AppError(
        'invalid_state',
        user.status === 'active'
          ? errorText('invitationAccepted', { email: user.email })
          : errorText('userDisabledNoInvite', { email: user.email }),
      );
    }
    const previous = await repo.findLatestInvitationOfUser(tx, userId);
    const memberships = await repo.findMembershipsOfUser(tx, userId);
    const membership = memberships.find((m) => m.scope_id === previous?.scope_id) ?? memberships[0];
    const target = membership
      ? { scopeId: membership.scope_id, role: membership.role, scopeName: membership.scope_name }
      : previous && { scopeId: previous.scope_id, role: previous.role, scopeName: previous.scope_name };
    if (!target) throw new AppError('invalid_state', errorText('inNoScope', { email: user.email }));
    const now = deps.clock.now();
    await repo.expireOpenInvitationsOfUser(tx, userId, new Date(now.getTime() - 1).toISOString());
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString();
    await insertInvitation(tx, {
      id: newId(),
      token_hash: sha256(token),
      user_id: userId,
      scope_id: target.scopeId,
      role: target.role,
      created_by: actor.userId,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      accepted_at: null,
    });
    await appendAudit(tx, deps, actor, {
      scopeId: null,
      action: 'resend-invitation',
      recordType: 'user',
      recordId: userId,
      recordRef: user.email,
      changes: { invitationExpiresAt: { from: previous && !previous.accepted_at ? previous.expires_at : null, to: expiresAt } },
    });
    return { invitationUrl: `/invite/${token}`, expiresAt, scopeName: target.scopeName };
  });
}
