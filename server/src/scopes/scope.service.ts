import { assertPasswordNotCommon } from '../auth/common-passwords.ts';
import { diffChanges } from '../audit/audit-hash.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type Actor, requireAdmin, requireScopePermission, roleIn } from '../auth/actor.ts';
import { createSession } from '../auth/auth.service.ts';
import { requireOwnMfaTo } from '../auth/mfa/mfa-policy.ts';
import { toBool } from '../db/column.ts';
import type { ScopeRole } from '../auth/roles.ts';
import type { Tx } from '../db/database.ts';
import type { ScopeTable } from '../db/schema.ts';
import { updateVersioned } from '../db/versioned.ts';
import { createScopeProcesses } from '../isms/process.service.ts';
import { startCycleTx } from '../isms/cycle/cycle.service.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, conflictWithCurrent, errorText, invalid, notFound, versionConflict } from '../shared/errors.ts';
import { newId, newSecret, sha256 } from '../shared/ids.ts';
import { findUserByEmail } from '../users/user.repository.ts';
import { insertUserTx } from '../users/user.service.ts';
import { hashPassword } from '../auth/password.ts';
import type { MemberResponse, ScopeResponse } from './scope.schemas.ts';
import * as repo from './scope.repository.ts';

const INVITATION_DAYS = 14;

function presentScope(row: ScopeTable & { asset_count?: unknown }, role: ScopeRole, actor?: Actor): ScopeResponse {
  return {
    id: row.id,
    name: row.name,
    profile: row.profile,
    description: row.description,
    requireMfaForManagers: toBool(row.require_mfa_managers),
    managerNeedsMfa: actor?.mfaMissingIn?.has(row.id) ?? false,
    role,
    assetCount: Number(row.asset_count ?? 0),
    createdAt: row.created_at,
    version: row.version,
  };
}

const auditableScope = (s: ScopeTable) => ({
  name: s.name,
  profile: s.profile,
  description: s.description,
  requireMfaForManagers: toBool(s.require_mfa_managers),
});

/** Creates a scope with its process model, and makes `managerId` its first manager. */
export async function createScopeTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  input: { name: string; profile: 'small' | 'large'; description: string },
  managerId: string,
): Promise<ScopeTable> {
  const now = isoNow(deps.clock);
  const row: ScopeTable = { id: newId(), ...input, require_mfa_managers: false, created_at: now, updated_at: now, version: 1 };
  await repo.insertScope(tx, row);
  await appendAudit(tx, deps, actor, {
    scopeId: row.id,
    action: 'create',
    recordType: 'scope',
    recordId: row.id,
    recordRef: row.name,
    changes: diffChanges(null, auditableScope(row)),
  });
  await addMemberTx(tx, deps, actor, row.id, managerId, 'manager');
  await createScopeProcesses(tx, deps, row.id, managerId);
  await startCycleTx(tx, deps, actor, row.id, {});
  return row;
}

async function addMemberTx(tx: Tx, deps: Deps, actor: Actor | null, scopeId: string, userId: string, role: ScopeRole) {
  const now = isoNow(deps.clock);
  const id = newId();
  await repo.insertMembership(tx, { id, scope_id: scopeId, user_id: userId, role, created_at: now, updated_at: now, version: 1 });
  await appendAudit(tx, deps, actor, {
    scopeId,
    action: 'create',
    recordType: 'membership',
    recordId: id,
    recordRef: userId,
    changes: { userId: { to: userId }, role: { to: role } },
  });
}

export async function createScope(
  deps: Deps,
  actor: Actor,
  input: { name: string; profile: 'small' | 'large'; description: string },
): Promise<ScopeResponse> {
  requireAdmin(actor);
  const row = await deps.db.transaction().execute((tx) => createScopeTx(tx, deps, actor, input, actor.userId));
  return presentScope(row, 'manager');
}

export async function listScopes(deps: Deps, actor: Actor): Promise<ScopeResponse[]> {
  const ids = actor.isAdmin ? 'all' : [...actor.memberships.keys()];
  const rows = await repo.listScopes(deps.db, ids);
  return rows.map((r) => presentScope(r, roleIn(actor, r.id)!, actor));
}

export async function getScope(deps: Deps, actor: Actor, scopeId: string): Promise<ScopeResponse> {
  const role = requireScopePermission(actor, scopeId, 'scope:read');
  const [row] = await repo.listScopes(deps.db, [scopeId]);
  if (!row) throw notFound('Scope');
  return presentScope(row, role, actor);
}

export async function updateScope(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: {
    version: number;
    name?: string | undefined;
    profile?: 'small' | 'large' | undefined;
    description?: string | undefined;
    requireMfaForManagers?: boolean | undefined;
  },
): Promise<ScopeResponse> {
  requireScopePermission(actor, scopeId, 'scope:manage');
  // whoever switches the requirement on has a second factor, so that no one locks themselves out of the scope
  if (input.requireMfaForManagers === true) await requireOwnMfaTo(deps, actor, 'body.requireMfaForManagers');
  const saved = deps.db.transaction().execute(async (tx) => {
    const before = await repo.findScope(tx, scopeId);
    if (!before) throw notFound('Scope');
    if (before.version !== input.version) throw versionConflict(errorText('scopeChanged'));
    const patch: Partial<ScopeTable> = { updated_at: isoNow(deps.clock) };
    if (input.name !== undefined) patch.name = input.name;
    if (input.profile !== undefined) patch.profile = input.profile;
    if (input.description !== undefined) patch.description = input.description;
    if (input.requireMfaForManagers !== undefined) patch.require_mfa_managers = input.requireMfaForManagers;
    await updateVersioned(tx, 'scope', scopeId, before.version, patch);
    const after = (await repo.findScope(tx, scopeId))!;
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'scope',
      recordId: scopeId,
      recordRef: after.name,
      changes: diffChanges(auditableScope(before), auditableScope(after)),
    });
  });
  // a stale version (409) says what the scope is now
  await conflictWithCurrent(saved, errorText('scopeChanged'), () => getScope(deps, actor, scopeId));
  return getScope(deps, actor, scopeId);
}

export async function listMembers(deps: Deps, actor: Actor, scopeId: string): Promise<MemberResponse[]> {
  requireScopePermission(actor, scopeId, 'member:read');
  const rows = await repo.listMembers(deps.db, scopeId);
  return rows.map((r) => ({
    userId: r.user_id,
    email: r.email,
    name: r.name,
    role: r.role,
    status: r.status,
    version: r.version,
  }));
}

/**
 * Invites a person into a scope with a role. An existing user becomes a member at once; a new one is created
 * as `invited` and gets an invitation link (valid 14 days) to set a password.
 */
export async function inviteMember(
  deps: Deps,
  actor: Actor,
  scopeId: string,
  input: { email: string; name?: string | undefined; role: ScopeRole },
) {
  requireScopePermission(actor, scopeId, 'member:manage');
  const result = await deps.db.transaction().execute(async (tx) => {
    if (!(await repo.findScope(tx, scopeId))) throw notFound('Scope');
    let user = await findUserByEmail(tx, input.email);
    let invitationUrl: string | null = null;
    if (user && (await repo.findMembership(tx, scopeId, user.id))) {
      throw new AppError('duplicate', errorText('alreadyMember', { email: input.email }), { field: 'body.email' });
    }
    if (!user) {
      user = await insertUserTx(tx, deps, actor, {
        email: input.email,
        name: input.name ?? input.email.split('@')[0]!,
        password: null,
        isAdmin: false,
        status: 'invited',
      });
    }
    if (user.status === 'invited') {
      const token = newSecret();
      const now = deps.clock.now();
      await repo.insertInvitation(tx, {
        id: newId(),
        token_hash: sha256(token),
        user_id: user.id,
        scope_id: scopeId,
        role: input.role,
        created_by: actor.userId,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString(),
        accepted_at: null,
      });
      invitationUrl = `/invite/${token}`;
    }
    await addMemberTx(tx, deps, actor, scopeId, user.id, input.role);
    return { userId: user.id, invitationUrl };
  });
  const members = await listMembers(deps, actor, scopeId);
  return { member: members.find((m) => m.userId === result.userId)!, invitationUrl: result.invitationUrl };
}

async function guardLastManager(tx: Tx, scopeId: string, currentRole: string, nextRole: string | null) {
  if (currentRole === 'manager' && nextRole !== 'manager' && (await repo.countManagers(tx, scopeId)) <= 1) {
    throw new AppError('invalid_state', errorText('lastManager'));
  }
}

export async function updateMember(deps: Deps, actor: Actor, scopeId: string, userId: string, input: { version: number; role: ScopeRole }) {
  requireScopePermission(actor, scopeId, 'member:manage');
  const saved = deps.db.transaction().execute(async (tx) => {
    const m = await repo.findMembership(tx, scopeId, userId);
    if (!m) throw notFound('Member');
    if (m.version !== input.version) throw versionConflict(errorText('membershipChanged'));
    await guardLastManager(tx, scopeId, m.role, input.role);
    await updateVersioned(tx, 'membership', m.id, m.version, { role: input.role, updated_at: isoNow(deps.clock) });
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'update',
      recordType: 'membership',
      recordId: m.id,
      recordRef: userId,
      changes: diffChanges({ role: m.role }, { role: input.role }),
    });
  });
  const member = async () => (await listMembers(deps, actor, scopeId)).find((m) => m.userId === userId)!;
  // a stale version (409) says what the membership is now
  await conflictWithCurrent(saved, errorText('membershipChanged'), member);
  return member();
}

export async function removeMember(deps: Deps, actor: Actor, scopeId: string, userId: string): Promise<void> {
  requireScopePermission(actor, scopeId, 'member:manage');
  await deps.db.transaction().execute(async (tx) => {
    const m = await repo.findMembership(tx, scopeId, userId);
    if (!m) throw notFound('Member');
    await guardLastManager(tx, scopeId, m.role, null);
    await repo.deleteMembership(tx, m.id);
    await appendAudit(tx, deps, actor, {
      scopeId,
      action: 'delete',
      recordType: 'membership',
      recordId: m.id,
      recordRef: userId,
      changes: { userId: { from: userId }, role: { from: m.role } },
    });
  });
}

async function openInvitation(deps: Deps, token: string) {
  const inv = await repo.findInvitation(deps.db, sha256(token));
  if (!inv || inv.accepted_at || inv.status !== 'invited' || new Date(inv.expires_at) < deps.clock.now()) {
    throw new AppError('not_found', errorText('invitationNotFound'));
  }
  return inv;
}

export async function getInvitation(deps: Deps, token: string) {
  const inv = await openInvitation(deps, token);
  return { email: inv.email, name: inv.name, scopeName: inv.scope_name };
}

/** The invited person sets a password; the account becomes active and is logged in. */
export async function acceptInvitation(deps: Deps, token: string, input: { name?: string | undefined; password: string }) {
  const inv = await openInvitation(deps, token);
  if (input.password.length < 12) throw invalid('body.password', errorText('passwordTooShort', { count: 12 }));
  assertPasswordNotCommon(input.password, 'body.password', [inv.email, input.name ?? inv.name]);
  const hash = await hashPassword(input.password);
  await deps.db.transaction().execute(async (tx) => {
    const now = isoNow(deps.clock);
    await updateVersioned(tx, 'app_user', inv.user_id, inv.user_version, {
      password_hash: hash,
      status: 'active',
      updated_at: now,
      ...(input.name && { name: input.name }),
    });
    await repo.markInvitationAccepted(tx, inv.id, now);
    await appendAudit(tx, deps, null, {
      scopeId: null,
      action: 'accept-invitation',
      recordType: 'user',
      recordId: inv.user_id,
      recordRef: inv.email,
      changes: { status: { from: 'invited', to: 'active' } },
    });
  });
  return createSession(deps, inv.user_id);
}
