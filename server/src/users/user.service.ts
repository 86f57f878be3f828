import { diffChanges } from '../audit/audit-hash.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { type Actor, requireAdmin } from '../auth/actor.ts';
import { hashPassword } from '../auth/password.ts';
import { deleteSessionsOfUser } from '../auth/session.repository.ts';
import { toBool } from '../db/column.ts';
import type { Tx } from '../db/database.ts';
import type { AppUserTable } from '../db/schema.ts';
import { updateVersioned } from '../db/versioned.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { UserResponse } from './user.schemas.ts';
import * as repo from './user.repository.ts';

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

const auditable = (u: AppUserTable) => ({ email: u.email, name: u.name, isAdmin: toBool(u.is_admin), status: u.status });

/** Inserts a user inside a transaction (used by the admin API, first-run setup, invitations and the CLI). */
export async function insertUserTx(
  tx: Tx,
  deps: Deps,
  actor: Actor | null,
  input: { email: string; name: string; password: string | null; isAdmin: boolean; status?: AppUserTable['status'] },
): Promise<AppUserTable> {
  if (await repo.findUserByEmail(tx, input.email)) {
    throw new AppError('duplicate', `A user with email ${input.email} already exists`, { field: 'body.email' });
  }
  const now = isoNow(deps.clock);
  const row: AppUserTable = {
    id: newId(),
    email: input.email.toLowerCase(),
    name: input.name,
    password_hash: input.password ? await hashPassword(input.password) : null,
    is_admin: input.isAdmin,
    status: input.status ?? 'active',
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
  return { items: rows.map(presentUser), total, page: q.page, pageSize: q.pageSize };
}

export async function updateUser(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { version: number; name?: string | undefined; isAdmin?: boolean | undefined; status?: 'active' | 'disabled' | undefined },
): Promise<UserResponse> {
  requireAdmin(actor);
  return deps.db.transaction().execute(async (tx) => {
    const before = await repo.findUserById(tx, id);
    if (!before) throw notFound('User');
    if (before.version !== input.version) {
      throw new AppError('version_conflict', 'This user was changed by someone else', { details: { current: presentUser(before) } });
    }
    if (id === actor.userId && (input.isAdmin === false || input.status === 'disabled')) {
      throw new AppError('invalid_state', 'You cannot remove your own administrator rights or disable yourself');
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
}
