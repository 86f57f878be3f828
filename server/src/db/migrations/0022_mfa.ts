import type { Kysely } from 'kysely';
import type { DialectName } from '../../config.ts';
import { columnTypes } from '../column.ts';

// Multi-factor sign-in: a TOTP authenticator per user (its secret encrypted at rest), single-use recovery codes
// (hashed), passkeys (WebAuthn credentials: public key and signature counter), short-lived sign-in and registration
// challenges, and a scope's setting that its managers must have a second factor.
// Frozen in time: never edit a released migration; add a new one.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const t = columnTypes(dialect);

  await db.schema
    .createTable('user_totp')
    .addColumn('user_id', t.id, (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    // AES-256-GCM of the base32 secret (v1:iv:tag:ciphertext); never sent to a client after enrolment
    .addColumn('secret_enc', t.text, (c) => c.notNull())
    // null while the enrolment waits for its first code
    .addColumn('confirmed_at', t.timestamp)
    // the last accepted 30-second step: a code is accepted once (replay protection)
    .addColumn('last_time_step', t.bigint)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('user_recovery_code')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    // SHA-256 of the normalised code
    .addColumn('code_hash', t.text, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_recovery_code_user_idx').on('user_recovery_code').columns(['user_id', 'code_hash']).execute();

  await db.schema
    .createTable('user_passkey')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    // the WebAuthn credential id (base64url) and its COSE public key (base64url)
    .addColumn('credential_id', t.text, (c) => c.notNull().unique())
    .addColumn('public_key', t.text, (c) => c.notNull())
    .addColumn('counter', t.bigint, (c) => c.notNull())
    // JSON array of transports (usb, internal, hybrid…)
    .addColumn('transports', t.json, (c) => c.notNull())
    // singleDevice | multiDevice
    .addColumn('device_type', t.text, (c) => c.notNull())
    .addColumn('backed_up', t.boolean, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_used_at', t.timestamp)
    .addColumn('version', t.integer, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_passkey_user_idx').on('user_passkey').column('user_id').execute();

  await db.schema
    .createTable('auth_challenge')
    // SHA-256 of the token the client holds (a cookie); the token itself is never stored
    .addColumn('id', t.id, (c) => c.primaryKey())
    // null for a passwordless passkey sign-in, whose user is known only from the credential
    .addColumn('user_id', t.id, (c) => c.references('app_user.id').onDelete('cascade'))
    // sign-in (password accepted, second factor pending) | passkey-sign-in | passkey-register
    .addColumn('purpose', t.text, (c) => c.notNull())
    // the WebAuthn challenge (base64url) when one was issued
    .addColumn('webauthn_challenge', t.text)
    .addColumn('failed_attempts', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_challenge_user_idx').on('auth_challenge').columns(['user_id', 'purpose']).execute();
  await db.schema.createIndex('auth_challenge_expires_idx').on('auth_challenge').column('expires_at').execute();

  await db.schema
    .alterTable('scope')
    .addColumn('require_mfa_managers', t.boolean, (c) => c.notNull().defaultTo(dialect === 'postgres' ? false : 0))
    .execute();
}
