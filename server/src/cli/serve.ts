import { buildApp } from '../app.ts';
import { loadSigningKey } from '../audit/audit-key.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createDeps } from '../deps.ts';
import { startOutboxJob } from '../engine/outbox.ts';
import { startReminderJob } from '../jobs/reminder.service.ts';
import { startSweepJob } from '../jobs/sweeps.ts';

/** `praxis serve`: applies migrations, serves web and API, runs the recurring jobs until SIGINT/SIGTERM. */
export async function serve(): Promise<void> {
  const config = loadConfig();
  // a configured audit key that cannot be read stops the start, not the first write
  loadSigningKey(config);
  const database = openDatabase(config);
  const applied = await migrateToLatest(database.db, database.dialect);
  const deps = createDeps(config, database);
  const app = await buildApp(deps, { logger: true, webDistDir: config.webDistDir });
  if (applied.length) app.log.info({ applied }, 'migrations applied');
  // nodemailer loads only when mail is configured (a malformed PRAXIS_SMTP_URL still stops the start)
  const mailer = config.smtpUrl ? (await import('../mail/mailer.ts')).createSmtpMailer(config.smtpUrl, config.mailFrom) : null;
  const stopReminders = mailer ? startReminderJob(deps, mailer, app.log) : () => undefined;
  const stopSweeps = startSweepJob(deps, app.log);
  const stopOutbox = startOutboxJob(deps, app.log);
  if (!mailer) app.log.warn('PRAXIS_SMTP_URL is not set: reminders are not mailed (tasks in My work still are)');
  const close = async () => {
    stopReminders();
    stopSweeps();
    stopOutbox();
    mailer?.close();
    await app.close();
    await database.destroy();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  const where = database.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL';
  process.stdout.write(`Praxis is running at http://localhost:${config.port} (${where})\n`);
}
