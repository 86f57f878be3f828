import type { Executor } from '../db/database.ts';
import type { InvitationTable, MembershipTable, ScopeTable } from '../db/schema.ts';

export async function insertScope(db: Executor, row: ScopeTable): Promise<void> {
  await db.insertInto('scope').values(row).execute();
}

export async function findScope(db: Executor, id: string) {
  return db.selectFrom('scope').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function scopeExists(db: Executor, id: string): Promise<boolean> {
  return (await db.selectFrom('scope').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Scopes with their asset counts; `ids = 'all'` for an installation admin. */
export async function listScopes(db: Executor, ids: string[] | 'all') {
  let q = db
    .selectFrom('scope')
    .selectAll('scope')
    .select((eb) =>
      eb.selectFrom('asset').whereRef('asset.scope_id', '=', 'scope.id').select(eb.fn.countAll<number>().as('n')).as('asset_count'),
    );
  if (ids !== 'all') q = q.where('scope.id', 'in', ids.length ? ids : ['-']);
  return q.orderBy('scope.name').execute();
}

export async function listMembers(db: Executor, scopeId: string) {
  return db
    .selectFrom('membership')
    .innerJoin('app_user', 'app_user.id', 'membership.user_id')
    .select(['membership.user_id', 'membership.role', 'membership.version', 'app_user.email', 'app_user.name', 'app_user.status'])
    .where('membership.scope_id', '=', scopeId)
    .orderBy('app_user.name')
    .execute();
}

export async function findMembership(db: Executor, scopeId: string, userId: string) {
  return db.selectFrom('membership').selectAll().where('scope_id', '=', scopeId).where('user_id', '=', userId).executeTakeFirst();
}

export async function insertMembership(db: Executor, row: MembershipTable): Promise<void> {
  await db.insertInto('membership').values(row).execute();
}

export async function deleteMembership(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('membership').where('id', '=', id).execute();
}

export async function countManagers(db: Executor, scopeId: string): Promise<number> {
  const r = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope_id', '=', scopeId)
    .where('role', '=', 'manager')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertInvitation(db: Executor, row: InvitationTable): Promise<void> {
  await db.insertInto('invitation').values(row).execute();
}

export async function findInvitation(db: Executor, tokenHash: string) {
  return db
    .selectFrom('invitation')
    .innerJoin('app_user', 'app_user.id', 'invitation.user_id')
    .innerJoin('scope', 'scope.id', 'invitation.scope_id')
    .select([
      'invitation.id',
      'invitation.user_id',
      'invitation.expires_at',
      'invitation.accepted_at',
      'app_user.email',
      'app_user.name',
      'app_user.status',
      'app_user.version as user_version',
      'scope.name as scope_name',
    ])
    .where('invitation.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function markInvitationAccepted(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('invitation').set({ accepted_at: at }).where('id', '=', id).execute();
}
