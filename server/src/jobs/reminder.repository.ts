import { sql } from 'kysely';
import type { DialectName } from '../config.ts';
import type { Executor } from '../db/database.ts';
import type { ReminderTable } from '../db/schema.ts';

export async function insertReminders(db: Executor, rows: ReminderTable[]): Promise<void> {
  if (rows.length) await db.insertInto('reminder').values(rows).execute();
}

/**
 * Claims up to `limit` due reminders for this instance until `lockUntil`. On PostgreSQL, `for update skip locked` lets
 * several instances claim side by side without ever taking the same row; SQLite has one writer at a time anyway.
 */
export async function claimDueReminders(db: Executor, dialect: DialectName, now: string, lockUntil: string, limit: number) {
  const skipLocked = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const due = sql`select id from reminder
    where status = 'pending' and send_at <= ${now} and (locked_until is null or locked_until < ${now})
    order by send_at limit ${limit} ${skipLocked}`;
  const r = await sql<ReminderTable>`
    update reminder set locked_until = ${lockUntil}, attempts = attempts + 1
    where id in (${due})
    returning *`.execute(db);
  return r.rows;
}

export async function recipientEmails(db: Executor, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, { email: string; status: string }>();
  const rows = await db.selectFrom('app_user').select(['id', 'email', 'status']).where('id', 'in', userIds).execute();
  return new Map(rows.map((r) => [r.id, { email: r.email, status: r.status }]));
}

/** The language setting of each of these users who has one (a user without one is not in the map). */
export async function recipientLanguages(db: Executor, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('app_user').select(['id', 'language']).where('id', 'in', userIds).execute();
  return new Map(rows.flatMap((r) => (r.language ? [[r.id, r.language] as const] : [])));
}

export async function finishReminder(
  db: Executor,
  id: string,
  patch: Partial<Pick<ReminderTable, 'status' | 'sent_at' | 'last_error' | 'locked_until'>>,
): Promise<void> {
  await db.updateTable('reminder').set(patch).where('id', '=', id).execute();
}

export async function cancelRemindersOf(db: Executor, recordType: string, recordId: string, kindPrefix: string): Promise<void> {
  await db
    .updateTable('reminder')
    .set({ status: 'cancelled' })
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .where(sql<boolean>`kind like ${`${kindPrefix}%`}`)
    .where('status', '=', 'pending')
    .execute();
}

export async function findRemindersOf(db: Executor, recordType: string, recordId: string) {
  return db
    .selectFrom('reminder')
    .selectAll()
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .orderBy('send_at')
    .execute();
}
