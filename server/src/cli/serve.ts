import { buildApp } from '../app.ts';
import { loadSigningKey } from '../audit/audit-key.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createDeps } from '../deps.ts';
import { startOutboxJob } from '../engine/outbox.ts';
import { startReminderJob } from '../jobs/reminder.service.ts';
import { startSweepJob } from '../jobs/sweeps.ts';
import { cliLanguage, cliText } from './cli-language.ts';

/**
 * `praxis serve`: applies migrations, serves web and API, runs the recurring jobs until SIGINT/SIGTERM. The line that
 * says where it listens is in the shell's language (cli-language.ts); the log stays JSON in English, for log tools.
 */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<void> {
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
  const lang = await cliLanguage(null, env);
  const where = database.dialect === 'sqlite' ? cliText(lang, 'serve.sqlite', { dir: config.dataDir }) : 'PostgreSQL';
  process.stdout.write(`${cliText(lang, 'serve.running', { url: `http://localhost:${config.port}`, where })}\n`);
}
