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
    .select(['membership.scope_id', 'membership.role', 'scope.name as scope_name'])
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
