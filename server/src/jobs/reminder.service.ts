import type { Tx } from '../db/database.ts';
import type { ReminderTable } from '../db/schema.ts';
import { fallbackLanguage, render, type Text } from '../i18n/i18n.ts';
import type { Mailer } from '../mail/mailer.ts';
import { isoNow } from '../shared/clock.ts';
import type { Deps } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import * as repo from './reminder.repository.ts';

export const MAX_ATTEMPTS = 5;

/** the stage of a reminder about a deadline: before it, or after it passed */
export type ReminderStage = 'warning' | 'overdue';
/** `<topic>:<stage>`, e.g. `gdpr_art33:warning`; cancelling by topic stops all stages */
export type ReminderKind = `${string}:${ReminderStage}`;

export interface NewReminder {
  scopeId: string;
  recordType: string;
  recordId: string;
  kind: ReminderKind;
  recipientId: string;
  sendAt: Date;
  /** catalog texts, worded for the recipient when scheduled: in their language setting, else English */
  subject: Text;
  body: Text;
}

/** Schedules reminders inside the caller's transaction (they exist if and only if the change that needs them does). */
export async function scheduleReminders(tx: Tx, deps: Deps, reminders: NewReminder[]): Promise<void> {
  const now = isoNow(deps.clock);
  // a mail has no request to take a language from: the recipient's setting decides
  const languages = await repo.recipientLanguages(tx, [...new Set(reminders.map((r) => r.recipientId))]);
  const languageOf = (userId: string) => languages.get(userId) ?? fallbackLanguage;
  await repo.insertReminders(
    tx,
    reminders.map(
      (r): ReminderTable => ({
        id: newId(),
        scope_id: r.scopeId,
        record_type: r.recordType,
        record_id: r.recordId,
        kind: r.kind,
        recipient_id: r.recipientId,
        send_at: r.sendAt.toISOString(),
        subject: render(languageOf(r.recipientId), r.subject),
        body: render(languageOf(r.recipientId), r.body),
        status: 'pending',
        attempts: 0,
        locked_until: null,
        sent_at: null,
        last_error: null,
        created_at: now,
      }),
    ),
  );
}

export const cancelReminders = (tx: Tx, recordType: string, recordId: string, topic = '') =>
  repo.cancelRemindersOf(tx, recordType, recordId, topic);

/**
 * Sends the reminders that are due. Each is claimed first (locked for two minutes), so that several app instances can
 * run this side by side without sending anything twice; a failed send is retried with a growing pause, up to five times.
 * Delivery is at least once: an instance that dies between sending and recording may leave one to be sent again.
 */
export async function runDueReminders(
  deps: Deps,
  mailer: Mailer,
  options: { limit?: number } = {},
): Promise<{ sent: number; failed: number }> {
  const now = deps.clock.now();
  const claimed = await repo.claimDueReminders(
    deps.db,
    deps.dialect,
    now.toISOString(),
    new Date(now.getTime() + 120_000).toISOString(),
    options.limit ?? 20,
  );
  const recipients = await repo.recipientEmails(deps.db, [...new Set(claimed.map((r) => r.recipient_id))]);
  let sent = 0;
  let failed = 0;
  for (const r of claimed) {
    const to = recipients.get(r.recipient_id);
    if (to?.status !== 'active') {
      await repo.finishReminder(deps.db, r.id, { status: 'cancelled', locked_until: null, last_error: 'recipient is not an active user' });
      continue;
    }
    try {
      await mailer.send({ to: to.email, subject: r.subject, text: r.body });
      await repo.finishReminder(deps.db, r.id, { status: 'sent', sent_at: isoNow(deps.clock), locked_until: null, last_error: null });
      sent += 1;
    } catch (err) {
      const attempts = Number(r.attempts);
      const gaveUp = attempts >= MAX_ATTEMPTS;
      await repo.finishReminder(deps.db, r.id, {
        status: gaveUp ? 'failed' : 'pending',
        // retry after 1, 2, 3… minutes
        locked_until: gaveUp ? null : new Date(deps.clock.now().getTime() + attempts * 60_000).toISOString(),
        last_error: String((err as Error)?.message ?? err).slice(0, 500),
      });
      failed += 1;
    }
  }
  return { sent, failed };
}

/** Runs the reminder job every `intervalMs` until stopped; one run at a time per instance. */
export function startReminderJob(
  deps: Deps,
  mailer: Mailer,
  log: { error(obj: unknown, msg: string): void },
  intervalMs = 30_000,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runDueReminders(deps, mailer)
      .catch((err) => log.error({ err }, 'reminder job failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
