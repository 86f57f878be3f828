import type { Executor } from '../db/database.ts';
import type { ApiTokenTable, SessionTable } from '../db/schema.ts';

export async function insertSession(db: Executor, row: SessionTable): Promise<void> {
  await db.insertInto('session').values(row).execute();
}

export async function findSession(db: Executor, id: string) {
  return db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .select([
      'session.id',
      'session.csrf_token',
      'session.last_seen_at',
      'session.expires_at',
      'app_user.id as user_id',
      'app_user.email',
      'app_user.name',
      'app_user.is_admin',
      'app_user.status',
      'app_user.language',
    ])
    .where('session.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

export async function insertApiToken(db: Executor, row: ApiTokenTable): Promise<void> {
  await db.insertInto('api_token').values(row).execute();
}

export async function findApiTokenByHash(db: Executor, hash: string) {
  return db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .select([
      'api_token.id',
      'api_token.revoked_at',
      'api_token.last_used_at',
      'app_user.id as user_id',
      'app_user.email',
      'app_user.name',
      'app_user.is_admin',
      'app_user.status',
      'app_user.language',
    ])
    .where('api_token.token_hash', '=', hash)
    .executeTakeFirst();
}

export async function listApiTokens(db: Executor, userId: string) {
  return db.selectFrom('api_token').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

export async function findApiToken(db: Executor, userId: string, id: string) {
  return db.selectFrom('api_token').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

export async function setApiTokenUsed(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}

export async function revokeApiToken(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).execute();
}
