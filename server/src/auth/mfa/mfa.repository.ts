import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { AuthChallengeTable, UserPasskeyTable, UserRecoveryCodeTable, UserTotpTable } from '../../db/schema.ts';

// -- TOTP
export async function findTotp(db: Executor, userId: string) {
  return db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function replaceTotp(db: Executor, row: UserTotpTable): Promise<void> {
  await db.deleteFrom('user_totp').where('user_id', '=', row.user_id).execute();
  await db.insertInto('user_totp').values(row).execute();
}

export async function confirmTotp(db: Executor, userId: string, at: string, timeStep: number): Promise<boolean> {
  const r = await db
    .updateTable('user_totp')
    .set({ confirmed_at: at, last_time_step: timeStep })
    .where('user_id', '=', userId)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Takes a time step once: false when this step (or a later one) was already used, so that a code is never replayed. */
export async function takeTimeStep(db: Executor, userId: string, timeStep: number): Promise<boolean> {
  const r = await db
    .updateTable('user_totp')
    .set({ last_time_step: timeStep })
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('last_time_step', 'is', null), eb('last_time_step', '<', timeStep)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteTotp(db: Executor, userId: string): Promise<number> {
  const r = await db.deleteFrom('user_totp').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// -- recovery codes
export async function replaceRecoveryCodes(db: Executor, userId: string, rows: UserRecoveryCodeTable[]): Promise<void> {
  await db.deleteFrom('user_recovery_code').where('user_id', '=', userId).execute();
  if (rows.length > 0) await db.insertInto('user_recovery_code').values(rows).execute();
}

export async function countUnusedRecoveryCodes(db: Executor, userId: string): Promise<number> {
  const r = await db
    .selectFrom('user_recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Uses a recovery code once: false when it is unknown or was used (also by a parallel request). */
export async function useRecoveryCode(db: Executor, userId: string, codeHash: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('user_recovery_code')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// -- passkeys
export async function listPasskeys(db: Executor, userId: string) {
  return db.selectFrom('user_passkey').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
}

export async function findPasskey(db: Executor, userId: string, id: string) {
  return db.selectFrom('user_passkey').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

export async function findPasskeyByCredential(db: Executor, credentialId: string) {
  return db.selectFrom('user_passkey').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
}

export async function insertPasskey(db: Executor, row: UserPasskeyTable): Promise<void> {
  await db.insertInto('user_passkey').values(row).execute();
}

export async function renamePasskey(db: Executor, id: string, version: number, name: string): Promise<boolean> {
  const r = await db
    .updateTable('user_passkey')
    .set({ name, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records a use: the new signature counter (must grow when the authenticator keeps one) and when. */
export async function usePasskey(db: Executor, id: string, counter: number, at: string): Promise<void> {
  await db.updateTable('user_passkey').set({ counter, last_used_at: at }).where('id', '=', id).execute();
}

export async function deletePasskey(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('user_passkey').where('id', '=', id).execute();
}

// -- challenges
export async function insertChallenge(db: Executor, row: AuthChallengeTable): Promise<void> {
  await db.insertInto('auth_challenge').values(row).execute();
}

export async function findChallenge(db: Executor, id: string) {
  return db.selectFrom('auth_challenge').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setWebauthnChallenge(db: Executor, id: string, challenge: string): Promise<void> {
  await db.updateTable('auth_challenge').set({ webauthn_challenge: challenge }).where('id', '=', id).execute();
}

export async function countFailure(db: Executor, id: string): Promise<void> {
  await db.updateTable('auth_challenge').set({ failed_attempts: sql<number>`failed_attempts + 1` }).where('id', '=', id).execute();
}

/** Failed second-factor attempts of one user since `since`, over all their sign-in challenges (every instance's). */
export async function recentFailures(db: Executor, userId: string, since: string): Promise<number> {
  const r = await db
    .selectFrom('auth_challenge')
    .select((eb) => eb.fn.sum<number>('failed_attempts').as('n'))
    .where('user_id', '=', userId)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Deletes a challenge; false when another request took it first. */
export async function takeChallenge(db: Executor, id: string): Promise<boolean> {
  const r = await db.deleteFrom('auth_challenge').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function deleteChallengesOf(db: Executor, userId: string, purpose: AuthChallengeTable['purpose']): Promise<void> {
  await db.deleteFrom('auth_challenge').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
}

export async function latestChallengeOf(db: Executor, userId: string, purpose: AuthChallengeTable['purpose']) {
  return db
    .selectFrom('auth_challenge')
    .selectAll()
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** Challenges past their end; kept for an hour beyond it so that their failures still count against the user. */
export async function deleteStaleChallenges(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('auth_challenge').where('expires_at', '<', before).execute();
}

export async function deleteAllFactors(db: Executor, userId: string): Promise<{ totp: number; passkeys: number }> {
  const totp = await deleteTotp(db, userId);
  const p = await db.deleteFrom('user_passkey').where('user_id', '=', userId).executeTakeFirst();
  await db.deleteFrom('user_recovery_code').where('user_id', '=', userId).execute();
  await db.deleteFrom('auth_challenge').where('user_id', '=', userId).execute();
  return { totp, passkeys: Number(p.numDeletedRows) };
}
