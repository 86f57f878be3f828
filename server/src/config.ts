import path from 'node:path';
import { parseFilesUrl } from './files/file-storage.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  dialect: DialectName;
  /** Serve cookies with the Secure flag (set when Praxis runs behind https). */
  secureCookies: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  webDistDir: string;
  /** SMTP server for reminders (smtp://user:password@host:587); no mail is sent without it */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** the address users reach Praxis at, for links in mails */
  publicUrl: string;
  /** where stored files live: unset → <data dir>/files; s3://bucket/prefix?endpoint=…&region=… (files/file-storage.ts) */
  filesUrl: string | undefined;
}

/** Reads the fixed environment contract: PORT, PRAXIS_DATA_DIR, DATABASE_URL. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  const filesUrl = env.PRAXIS_FILES_URL?.trim() || undefined;
  parseFilesUrl(filesUrl, '.'); // a malformed PRAXIS_FILES_URL stops the start, not the first upload
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.PRAXIS_DATA_DIR ?? './data'),
    databaseUrl,
    dialect: databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl) ? 'postgres' : 'sqlite',
    secureCookies: env.PRAXIS_SECURE_COOKIES === 'true',
    sessionIdleMinutes: Number(env.PRAXIS_SESSION_IDLE_MINUTES ?? 60),
    sessionAbsoluteHours: Number(env.PRAXIS_SESSION_ABSOLUTE_HOURS ?? 12),
    webDistDir: path.resolve(import.meta.dirname, '../../web/dist'),
    smtpUrl: env.PRAXIS_SMTP_URL?.trim() || undefined,
    mailFrom: env.PRAXIS_MAIL_FROM ?? 'Praxis <praxis@localhost>',
    publicUrl: (env.PRAXIS_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    filesUrl,
  };
}
