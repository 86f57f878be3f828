import path from 'node:path';
import { ConfigError, configText } from './config-error.ts';
import { loadOidcConfig, type OidcConfig } from './auth/oidc.config.ts';
import { parseFilesUrl } from './files/file-storage.ts';

export type DialectName = 'sqlite' | 'postgres';
export type SqliteSynchronous = 'FULL' | 'NORMAL' | 'EXTRA';

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
  /** the address users reach Praxis at, for links in mails; its origin and host name are the passkeys' relying party */
  publicUrl: string;
  /** single sign-on with an OpenID provider (PRAXIS_OIDC_*, see auth/oidc.config.ts); null when not configured */
  oidc: OidcConfig | null;
  /** the key that encrypts TOTP secrets at rest (PRAXIS_MFA_KEY); unset: a random key kept in <data dir>/mfa.key */
  mfaKey: string | undefined;
  /** the Ed25519 key that signs audit entries and checkpoints, outside the database (audit/audit-key.ts) */
  auditKeyFile: string;
  /** false when PRAXIS_AUDIT_KEY_FILE names the key: then a missing file is an error, not a new key */
  auditKeyGenerate: boolean;
  /** where the daily checkpoint sweep writes each checkpoint as a file (PRAXIS_AUDIT_CHECKPOINT_DIR) */
  auditCheckpointDir: string;
  /** a checkpoint after every N entries (PRAXIS_AUDIT_CHECKPOINT_EVERY, default 1000) */
  auditCheckpointEvery: number;
  /** SQLite's synchronous setting in WAL mode (PRAXIS_SQLITE_SYNCHRONOUS): FULL (default) or NORMAL */
  sqliteSynchronous: SqliteSynchronous;
  /** where stored files live: unset → <data dir>/files; s3://bucket/prefix?endpoint=…&region=… (files/file-storage.ts) */
  filesUrl: string | undefined;
}

export { ConfigError } from './config-error.ts';

/** Reads the fixed environment contract: PORT, PRAXIS_DATA_DIR, DATABASE_URL. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(configText('port', { value: String(env.PORT) }));
  }
  const filesUrl = env.PRAXIS_FILES_URL?.trim() || undefined;
  parseFilesUrl(filesUrl, '.'); // a malformed PRAXIS_FILES_URL stops the start, not the first upload
  const dataDir = path.resolve(env.PRAXIS_DATA_DIR ?? './data');
  const synchronous = (env.PRAXIS_SQLITE_SYNCHRONOUS?.trim() || 'FULL').toUpperCase();
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL' && synchronous !== 'EXTRA') {
    throw new ConfigError(configText('sqliteSynchronous', { value: String(env.PRAXIS_SQLITE_SYNCHRONOUS) }));
  }
  const checkpointEvery = Number(env.PRAXIS_AUDIT_CHECKPOINT_EVERY ?? 1000);
  if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) {
    throw new ConfigError(configText('checkpointEvery', { value: String(env.PRAXIS_AUDIT_CHECKPOINT_EVERY) }));
  }
  const auditKeyFile = env.PRAXIS_AUDIT_KEY_FILE?.trim() || undefined;
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    databaseUrl,
    dialect: databaseUrl && /^postgres(ql)?:\/\//.test(databaseUrl) ? 'postgres' : 'sqlite',
    secureCookies: env.PRAXIS_SECURE_COOKIES === 'true',
    sessionIdleMinutes: Number(env.PRAXIS_SESSION_IDLE_MINUTES ?? 60),
    sessionAbsoluteHours: Number(env.PRAXIS_SESSION_ABSOLUTE_HOURS ?? 12),
    webDistDir: path.resolve(import.meta.dirname, '../../web/dist'),
    smtpUrl: env.PRAXIS_SMTP_URL?.trim() || undefined,
    mailFrom: env.PRAXIS_MAIL_FROM ?? 'Praxis <praxis@localhost>',
    publicUrl: (env.PRAXIS_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    oidc: loadOidcConfig(env, (env.PRAXIS_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '')),
    mfaKey: env.PRAXIS_MFA_KEY?.trim() || undefined,
    auditKeyFile: path.resolve(auditKeyFile ?? path.join(dataDir, 'audit-signing-key.pem')),
    auditKeyGenerate: !auditKeyFile,
    auditCheckpointDir: path.resolve(env.PRAXIS_AUDIT_CHECKPOINT_DIR?.trim() || path.join(dataDir, 'audit-checkpoints')),
    auditCheckpointEvery: checkpointEvery,
    sqliteSynchronous: synchronous,
    filesUrl,
  };
}
