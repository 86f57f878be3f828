import type { Executor } from '../db/database.ts';
import type { AppUserTable } from '../db/schema.ts';
import { containsInsensitive } from '../db/column.ts';

export async function findUserById(db: Executor, id: string) {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('app_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function insertUser(db: Executor, row: AppUserTable): Promise<void> {
  await db.insertInto('app_user').values(row).execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listUsers(db: Executor, q: string | undefined, limit: number, offset: number) {
  let base = db.selectFrom('app_user');
  if (q) base = base.where((eb) => eb.or([containsInsensitive(eb.ref('name'), q), containsInsensitive(eb.ref('email'), q)]));
  const [rows, count] = await Promise.all([
    base.selectAll().orderBy('name').orderBy('id').limit(limit).offset(offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function findMembershipsOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('membership')
    .innerJoin('scope', 'scope.id', 'membership.scope_id')
    .select(['membership.scope_id', 'membership.role', 'scope.name as scope_name', 'scope.require_mfa_managers'])
    .where('membership.user_id', '=', userId)
    .orderBy('scope.name')
    .execute();
}

/** The installation administrator who has been there longest (the CLI acts as them by default). */
export async function findFirstAdmin(db: Executor) {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where('is_admin', '=', true)
    .where('status', '=', 'active')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
}

/** A user's newest invitation (with its scope's name), accepted or not. */
export async function findLatestInvitationOfUser(db: Executor, userId: string) {
  return db
    .selectFrom('invitation')
    .innerJoin('scope', 'scope.id', 'invitation.scope_id')
    .select([
      'invitation.id',
      'invitation.scope_id',
      'invitation.role',
      'invitation.expires_at',
      'invitation.accepted_at',
      'scope.name as scope_name',
    ])
    .where('invitation.user_id', '=', userId)
    .orderBy('invitation.created_at', 'desc')
    .orderBy('invitation.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Ends every invitation link of a user that still works: they expire at `expiredAt`. */
export async function expireOpenInvitationsOfUser(db: Executor, userId: string, expiredAt: string): Promise<void> {
  await db
    .updateTable('invitation')
    .set({ expires_at: expiredAt })
    .where('user_id', '=', userId)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', expiredAt)
    .execute();
}

/** When the newest unaccepted invitation of each of these users expires (one statement for a page of users). */
export async function invitationExpiryOfUsers(db: Executor, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('invitation')
    .select(['user_id', (eb) => eb.fn.max('expires_at').as('expires_at')])
    .where('user_id', 'in', userIds)
    .where('accepted_at', 'is', null)
    .groupBy('user_id')
    .execute();
  return new Map(rows.map((r) => [r.user_id, String(r.expires_at)]));
}
