import { randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { Changes } from '../../audit/audit-hash.ts';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Executor, Tx } from '../../db/database.ts';
import type { UserPasskeyTable } from '../../db/schema.ts';
import { isoNow } from '../../shared/clock.ts';
import type { Deps } from '../../shared/context.ts';
import { AppError, errorText, forbidden, notFound, versionConflict } from '../../shared/errors.ts';
import { newId, newSecret, sha256 } from '../../shared/ids.ts';
import { findMembershipsOfUser, findUserById } from '../../users/user.repository.ts';
import type { Actor } from '../actor.ts';
import { verifyPassword } from '../password.ts';
import type {
  MfaMethod,
  MfaProofBody,
  MfaStatusResponse,
  MfaVerifyBody,
  PasskeyResponse,
  RecoveryCodesResponse,
  TotpSetupResponse,
  WebauthnOptions,
} from './mfa.schemas.ts';
import { scopesAwaitingMfa } from './mfa-policy.ts';
import * as repo from './mfa.repository.ts';
import { openSecret, sealSecret } from './secret-box.ts';

/** The passkey library loads at the first passkey ceremony, not when the server starts (its X.509 stack is large). */
const webauthn = () => import('@simplewebauthn/server');
/** The TOTP library loads with the first authenticator-app enrolment or code, the QR code maker with the first enrolment. */
const totp = () => import('otplib');

/** How long a sign-in waits for its second factor, and how many wrong attempts it and its user get. */
export const CHALLENGE_MINUTES = 5;
export const MAX_FAILURES_PER_CHALLENGE = 5;
export const MAX_FAILURES_PER_USER = 10;
const FAILURE_WINDOW_MINUTES = 15;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Praxis';

type User = NonNullable<Awaited<ReturnType<typeof findUserById>>>;

// -- the relying party of passkeys: the address users reach Praxis at (PRAXIS_PUBLIC_URL)
function relyingParty(deps: Deps) {
  const url = new URL(deps.config.publicUrl);
  return { id: url.hostname, origin: url.origin, name: ISSUER };
}

const addMinutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000).toISOString();
const epochOf = (deps: Deps) => Math.floor(deps.clock.now().getTime() / 1000);

/** The user's enrolled second factors, in the order the sign-in page offers them. */
export async function methodsOf(db: Executor, userId: string): Promise<MfaMethod[]> {
  const [totp, passkeys, codes] = await Promise.all([
    repo.findTotp(db, userId),
    db.selectFrom('user_passkey').select('id').where('user_id', '=', userId).limit(1).execute(),
    repo.countUnusedRecoveryCodes(db, userId),
  ]);
  const methods: MfaMethod[] = [];
  if (totp?.confirmed_at) methods.push('totp');
  if (passkeys.length > 0) methods.push('passkey');
  if (methods.length > 0 && codes > 0) methods.push('recovery');
  return methods;
}

// -- recovery codes: 10 random codes of 10 characters (about 50 bits each), shown once, stored as SHA-256 with the
// user's id (a slow hash adds nothing against codes of that entropy, and each sign-in compares one)
const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
const normaliseCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');
const recoveryHash = (userId: string, code: string) => sha256(`${userId}:${normaliseCode(code)}`);

async function issueRecoveryCodesTx(tx: Tx, deps: Deps, actor: Actor | null, user: { id: string; email: string }) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const now = isoNow(deps.clock);
  await repo.replaceRecoveryCodes(
    tx,
    user.id,
    codes.map((c) => ({ id: newId(), user_id: user.id, code_hash: recoveryHash(user.id, c), used_at: null, created_at: now })),
  );
  await audit(tx, deps, actor, user, 'mfa-recovery-codes-issue', { recoveryCodes: { to: `${RECOVERY_CODE_COUNT} new` } });
  return codes;
}

function audit(tx: Tx, deps: Deps, actor: Actor | null, user: { id: string; email: string }, action: string, changes: Changes) {
  return appendAudit(tx, deps, actor, { scopeId: null, action, recordType: 'user', recordId: user.id, recordRef: user.email, changes });
}

/** After the last factor is gone, recovery codes have nothing to recover: they go too. */
async function dropCodesIfNoFactorTx(tx: Tx, userId: string) {
  const methods = await methodsOf(tx, userId);
  if (!methods.includes('totp') && !methods.includes('passkey')) await repo.replaceRecoveryCodes(tx, userId, []);
}

function requireSessionActor(actor: Actor) {
  // MFA is managed in a signed-in browser session only: a leaked API token must not be able to weaken it
  if (actor.via === 'token') throw forbidden(errorText('mfaNotWithToken'));
}

async function userOf(db: Executor, actor: Actor): Promise<User> {
  const user = await findUserById(db, actor.userId);
  if (!user) throw notFound('User');
  return user;
}

// -- status
const presentPasskey = (p: UserPasskeyTable): PasskeyResponse => ({
  id: p.id,
  name: p.name,
  synced: p.device_type === 'multiDevice',
  createdAt: p.created_at,
  lastUsedAt: p.last_used_at,
  version: p.version,
});

export async function mfaStatus(deps: Deps, actor: Actor): Promise<MfaStatusResponse> {
  const [totp, passkeys, codes, memberships] = await Promise.all([
    repo.findTotp(deps.db, actor.userId),
    repo.listPasskeys(deps.db, actor.userId),
    repo.countUnusedRecoveryCodes(deps.db, actor.userId),
    findMembershipsOfUser(deps.db, actor.userId),
  ]);
  const enrolled = !!totp?.confirmed_at || passkeys.length > 0;
  // the scopes whose setting asks this user for a second factor (as a manager), whether enrolled or not
  const names = new Map(memberships.map((m) => [m.scope_id, m.scope_name]));
  const waiting = enrolled ? new Set<string>() : await scopesAwaitingMfa(deps.db, actor, memberships);
  const requiredBy = [...waiting].map((scopeId) => ({ scopeId, scopeName: names.get(scopeId) ?? '' }));
  const missingNames = requiredBy.filter((r) => !r.scopeName).map((r) => r.scopeId);
  if (missingNames.length > 0) {
    const rows = await deps.db.selectFrom('scope').select(['id', 'name']).where('id', 'in', missingNames).execute();
    for (const r of requiredBy) r.scopeName ||= rows.find((x) => x.id === r.scopeId)?.name ?? '';
  }
  return {
    totp: { enabled: !!totp?.confirmed_at, enabledAt: totp?.confirmed_at ?? null },
    passkeys: passkeys.map(presentPasskey),
    recoveryCodesLeft: enrolled ? codes : 0,
    requiredBy: requiredBy.sort((a, b) => a.scopeName.localeCompare(b.scopeName)),
  };
}

// -- TOTP enrolment
export async function setupTotp(deps: Deps, actor: Actor): Promise<TotpSetupResponse> {
  requireSessionActor(actor);
  const existing = await repo.findTotp(deps.db, actor.userId);
  if (existing?.confirmed_at) throw new AppError('invalid_state', errorText('totpAlreadyOn'));
  const { generateSecret, generateURI } = await totp();
  const secret = generateSecret();
  await repo.replaceTotp(deps.db, {
    user_id: actor.userId,
    secret_enc: sealSecret(deps.config, secret),
    confirmed_at: null,
    last_time_step: null,
    created_at: isoNow(deps.clock),
  });
  const otpauthUri = generateURI({ issuer: ISSUER, label: actor.email, secret });
  const { default: QRCode } = await import('qrcode');
  return { secret, otpauthUri, qrDataUrl: await QRCode.toDataURL(otpauthUri, { margin: 1, width: 240 }) };
}

/** The base32 secret; when PRAXIS_MFA_KEY changed since enrolment it cannot be read: a clear refusal, not a 500. */
function secretOf(deps: Deps, sealed: string): string {
  try {
    return openSecret(deps.config, sealed);
  } catch {
    throw new AppError('unprocessable', errorText('totpUnreadable'));
  }
}

/** Checks a six-digit code against a secret (one 30-second step either side, for clocks that drift); its step or null. */
async function checkTotp(deps: Deps, secret: string, code: string): Promise<number | null> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const { verify: verifyTotp } = await totp();
  const r = await verifyTotp({ secret, token, epoch: epochOf(deps), epochTolerance: 30 });
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}

export async function confirmTotp(deps: Deps, actor: Actor, code: string): Promise<RecoveryCodesResponse> {
  requireSessionActor(actor);
  const pending = await repo.findTotp(deps.db, actor.userId);
  if (!pending) throw new AppError('invalid_state', errorText('totpNotStarted'));
  if (pending.confirmed_at) throw new AppError('invalid_state', errorText('totpAlreadyOn'));
  const step = await checkTotp(deps, secretOf(deps, pending.secret_enc), code);
  if (step === null) throw new AppError('validation_failed', errorText('mfaCodeWrong'), { field: 'body.code' });
  return deps.db.transaction().execute(async (tx) => {
    const user = await userOf(tx, actor);
    const hadCodes = (await methodsOf(tx, user.id)).length > 0;
    if (!(await repo.confirmTotp(tx, user.id, isoNow(deps.clock), step))) throw new AppError('invalid_state', errorText('totpAlreadyOn'));
    await audit(tx, deps, actor, user, 'mfa-totp-enrol', { totp: { from: 'off', to: 'on' } });
    return { recoveryCodes: hadCodes ? null : await issueRecoveryCodesTx(tx, deps, actor, user) };
  });
}

/** The proof that weakening MFA needs: the password, or a current authenticator or recovery code. */
async function requireProof(deps: Deps, tx: Tx, user: User, proof: MfaProofBody): Promise<string> {
  if (proof.password !== undefined) {
    if (await verifyPassword(proof.password, user.password_hash)) return 'password';
    throw new AppError('validation_failed', errorText('currentPasswordWrong'), { field: 'body.password' });
  }
  const code = proof.code ?? '';
  const totp = await repo.findTotp(tx, user.id);
  if (totp?.confirmed_at) {
    const step = await checkTotp(deps, secretOf(deps, totp.secret_enc), code);
    if (step !== null && (await repo.takeTimeStep(tx, user.id, step))) return 'totp';
  }
  if (await repo.useRecoveryCode(tx, user.id, recoveryHash(user.id, code), isoNow(deps.clock))) return 'recovery';
  throw new AppError('validation_failed', errorText('mfaCodeWrong'), { field: 'body.code' });
}

export async function disableTotp(deps: Deps, actor: Actor, proof: MfaProofBody): Promise<void> {
  requireSessionActor(actor);
  await deps.db.transaction().execute(async (tx) => {
    const user = await userOf(tx, actor);
    const totp = await repo.findTotp(tx, user.id);
    if (!totp?.confirmed_at) throw new AppError('invalid_state', errorText('totpNotOn'));
    const by = await requireProof(deps, tx, user, proof);
    await repo.deleteTotp(tx, user.id);
    await dropCodesIfNoFactorTx(tx, user.id);
    await audit(tx, deps, actor, user, 'mfa-totp-disable', { totp: { from: 'on', to: 'off' }, provedBy: { to: by } });
  });
}

export async function regenerateRecoveryCodes(deps: Deps, actor: Actor, proof: MfaProofBody): Promise<RecoveryCodesResponse> {
  requireSessionActor(actor);
  return deps.db.transaction().execute(async (tx) => {
    const user = await userOf(tx, actor);
    const methods = await methodsOf(tx, user.id);
    if (!methods.includes('totp') && !methods.includes('passkey')) throw new AppError('invalid_state', errorText('mfaNotEnrolled'));
    await requireProof(deps, tx, user, proof);
    return { recoveryCodes: await issueRecoveryCodesTx(tx, deps, actor, user) };
  });
}

// -- passkeys
export async function passkeyRegistrationOptions(deps: Deps, actor: Actor): Promise<WebauthnOptions> {
  requireSessionActor(actor);
  const rp = relyingParty(deps);
  const existing = await repo.listPasskeys(deps.db, actor.userId);
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: actor.email,
    userDisplayName: actor.name,
    userID: new TextEncoder().encode(actor.userId),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: JSON.parse(p.transports) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await repo.deleteChallengesOf(tx, actor.userId, 'passkey-register');
    await repo.insertChallenge(tx, {
      id: sha256(newSecret()),
      user_id: actor.userId,
      purpose: 'passkey-register',
      webauthn_challenge: options.challenge,
      failed_attempts: 0,
      created_at: now.toISOString(),
      expires_at: addMinutes(now, CHALLENGE_MINUTES),
    });
  });
  return options as unknown as WebauthnOptions;
}

export async function addPasskey(deps: Deps, actor: Actor, name: string, response: RegistrationResponseJSON) {
  requireSessionActor(actor);
  const rp = relyingParty(deps);
  const challenge = await repo.latestChallengeOf(deps.db, actor.userId, 'passkey-register');
  if (!challenge?.webauthn_challenge || new Date(challenge.expires_at) < deps.clock.now()) {
    throw new AppError('invalid_state', errorText('passkeyChallengeExpired'));
  }
  let info: Awaited<ReturnType<typeof verifyRegistrationResponse>>['registrationInfo'];
  try {
    const result = await (await webauthn()).verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.webauthn_challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    });
    info = result.registrationInfo;
  } catch {
    info = undefined;
  }
  if (!info) throw new AppError('validation_failed', errorText('passkeyNotVerified'), { field: 'body.response' });
  const credential = info.credential;
  const now = isoNow(deps.clock);
  const row: UserPasskeyTable = {
    id: newId(),
    user_id: actor.userId,
    credential_id: credential.id,
    public_key: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: JSON.stringify(credential.transports ?? response.response.transports ?? []),
    device_type: info.credentialDeviceType,
    backed_up: info.credentialBackedUp,
    name,
    created_at: now,
    last_used_at: null,
    version: 1,
  };
  return deps.db.transaction().execute(async (tx) => {
    if (!(await repo.takeChallenge(tx, challenge.id))) throw new AppError('invalid_state', errorText('passkeyChallengeExpired'));
    if (await repo.findPasskeyByCredential(tx, credential.id)) throw new AppError('duplicate', errorText('passkeyKnown'));
    const user = await userOf(tx, actor);
    const hadFactor = (await methodsOf(tx, user.id)).length > 0;
    await repo.insertPasskey(tx, row);
    await audit(tx, deps, actor, user, 'mfa-passkey-add', { passkey: { to: name } });
    return { passkey: presentPasskey(row), recoveryCodes: hadFactor ? null : await issueRecoveryCodesTx(tx, deps, actor, user) };
  });
}

export async function listPasskeys(deps: Deps, actor: Actor): Promise<PasskeyResponse[]> {
  requireSessionActor(actor);
  return (await repo.listPasskeys(deps.db, actor.userId)).map(presentPasskey);
}

export async function renamePasskey(deps: Deps, actor: Actor, id: string, input: { version: number; name: string }) {
  requireSessionActor(actor);
  return deps.db.transaction().execute(async (tx) => {
    const before = await repo.findPasskey(tx, actor.userId, id);
    if (!before) throw notFound('Passkey');
    if (before.version !== input.version || !(await repo.renamePasskey(tx, id, input.version, input.name))) {
      throw versionConflict(errorText('passkeyChanged'), presentPasskey(before));
    }
    const user = await userOf(tx, actor);
    await audit(tx, deps, actor, user, 'mfa-passkey-rename', { passkey: { from: before.name, to: input.name } });
    return presentPasskey({ ...before, name: input.name, version: input.version + 1 });
  });
}

export async function removePasskey(deps: Deps, actor: Actor, id: string): Promise<void> {
  requireSessionActor(actor);
  await deps.db.transaction().execute(async (tx) => {
    const row = await repo.findPasskey(tx, actor.userId, id);
    if (!row) throw notFound('Passkey');
    await repo.deletePasskey(tx, id);
    await dropCodesIfNoFactorTx(tx, actor.userId);
    const user = await userOf(tx, actor);
    await audit(tx, deps, actor, user, 'mfa-passkey-remove', { passkey: { from: row.name } });
  });
}

// -- sign-in: the second step
/**
 * After the password (or a single sign-on) proved who signs in: with second factors enrolled, a sign-in challenge
 * (5 minutes, kept as the SHA-256 of the token the browser holds in an httpOnly cookie) instead of a session.
 * Null when the user has no second factor: the caller issues the session at once.
 */
export async function startSecondFactor(deps: Deps, userId: string): Promise<{ token: string; methods: MfaMethod[] } | null> {
  const methods = await methodsOf(deps.db, userId);
  if (methods.length === 0) return null;
  const token = newSecret();
  const now = deps.clock.now();
  await repo.deleteStaleChallenges(deps.db, addMinutes(now, -60));
  await repo.insertChallenge(deps.db, {
    id: sha256(token),
    user_id: userId,
    purpose: 'sign-in',
    webauthn_challenge: null,
    failed_attempts: 0,
    created_at: now.toISOString(),
    expires_at: addMinutes(now, CHALLENGE_MINUTES),
  });
  return { token, methods };
}

/** The pending sign-in of a challenge token: its user and methods, or 401 (expired, used, unknown). */
async function pendingSignIn(deps: Deps, token: string | undefined, purpose: 'sign-in' | 'passkey-sign-in') {
  const row = token ? await repo.findChallenge(deps.db, sha256(token)) : undefined;
  if (!row || row.purpose !== purpose || new Date(row.expires_at) <= deps.clock.now()) {
    throw new AppError('unauthenticated', errorText('mfaSignInExpired'));
  }
  return row;
}

export async function pendingMethods(deps: Deps, token: string | undefined): Promise<MfaMethod[]> {
  const row = await pendingSignIn(deps, token, 'sign-in');
  return methodsOf(deps.db, row.user_id!);
}

/** Refuses further attempts (429) once the challenge or the user has used up its wrong attempts. */
async function requireAttemptsLeft(deps: Deps, row: { failed_attempts: number; user_id: string | null }) {
  const since = addMinutes(deps.clock.now(), -FAILURE_WINDOW_MINUTES);
  const userFailures = row.user_id ? await repo.recentFailures(deps.db, row.user_id, since) : 0;
  if (row.failed_attempts >= MAX_FAILURES_PER_CHALLENGE || userFailures >= MAX_FAILURES_PER_USER) {
    throw new AppError('rate_limited', errorText('mfaTooManyAttempts'));
  }
}

export async function signInPasskeyOptions(deps: Deps, token: string | undefined): Promise<WebauthnOptions> {
  const row = await pendingSignIn(deps, token, 'sign-in');
  const rp = relyingParty(deps);
  const passkeys = await repo.listPasskeys(deps.db, row.user_id!);
  if (passkeys.length === 0) throw new AppError('invalid_state', errorText('passkeyNone'));
  const options = await (await webauthn()).generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: 'preferred',
    allowCredentials: passkeys.map((p) => ({ id: p.credential_id, transports: JSON.parse(p.transports) })),
  });
  await repo.setWebauthnChallenge(deps.db, row.id, options.challenge);
  return options as unknown as WebauthnOptions;
}

/** Verifies a passkey's assertion against a stored credential; the new counter, or null. */
async function checkPasskey(
  deps: Deps,
  passkey: UserPasskeyTable,
  expectedChallenge: string,
  response: AuthenticationResponseJSON,
  requireUserVerification: boolean,
): Promise<number | null> {
  const rp = relyingParty(deps);
  try {
    const r = await (await webauthn()).verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification,
      credential: {
        id: passkey.credential_id,
        publicKey: new Uint8Array(Buffer.from(passkey.public_key, 'base64url')),
        counter: Number(passkey.counter),
        transports: JSON.parse(passkey.transports),
      },
    });
    return r.verified ? r.authenticationInfo.newCounter : null;
  } catch {
    return null;
  }
}

export interface SignedIn {
  userId: string;
  method: MfaMethod;
}

/**
 * The second step: a code from the authenticator app, a recovery code (used once) or a passkey. Right: the challenge
 * is used up and the caller issues the session. Wrong: 401 naming the field, and the attempt counts against the
 * challenge (5) and the user (10 in 15 minutes, across instances and challenges); beyond that, 429.
 */
export async function verifySecondFactor(deps: Deps, token: string | undefined, body: MfaVerifyBody): Promise<SignedIn> {
  const row = await pendingSignIn(deps, token, 'sign-in');
  await requireAttemptsLeft(deps, row);
  const userId = row.user_id!;
  const user = await findUserById(deps.db, userId);
  if (user?.status !== 'active') throw new AppError('unauthenticated', errorText('mfaSignInExpired'));
  // the checks that cost time (HMAC, signatures) run before the transaction; taking a step, a code or the challenge
  // inside it is atomic, so that one code or one challenge is used once however many requests race
  let totpStep: number | null = null;
  let passkey: UserPasskeyTable | undefined;
  let counter: number | null = null;
  if (body.method === 'totp') {
    const totp = await repo.findTotp(deps.db, userId);
    totpStep = totp?.confirmed_at ? await checkTotp(deps, secretOf(deps, totp.secret_enc), body.code) : null;
  } else if (body.method === 'passkey') {
    const response = body.response as unknown as AuthenticationResponseJSON;
    passkey = await repo.findPasskeyByCredential(deps.db, response.id);
    if (passkey && passkey.user_id === userId && row.webauthn_challenge) {
      counter = await checkPasskey(deps, passkey, row.webauthn_challenge, response, false);
    }
  }
  const outcome = await deps.db.transaction().execute(async (tx) => {
    const now = isoNow(deps.clock);
    if (body.method === 'totp') {
      if (totpStep === null || !(await repo.takeTimeStep(tx, userId, totpStep))) return 'wrong' as const;
    } else if (body.method === 'recovery') {
      if (!(await repo.useRecoveryCode(tx, userId, recoveryHash(userId, body.code), now))) return 'wrong' as const;
      const left = await repo.countUnusedRecoveryCodes(tx, userId);
      await audit(tx, deps, null, user, 'mfa-recovery-code-use', { recoveryCodesLeft: { from: left + 1, to: left } });
    } else {
      if (!passkey || counter === null) return 'wrong' as const;
      await repo.usePasskey(tx, passkey.id, counter, now);
    }
    if (!(await repo.takeChallenge(tx, row.id))) throw new AppError('unauthenticated', errorText('mfaSignInExpired'));
    return 'right' as const;
  });
  if (outcome === 'wrong') {
    await repo.countFailure(deps.db, row.id);
    if (body.method === 'passkey') throw new AppError('unauthenticated', errorText('passkeyNotVerified'), { field: 'body.response' });
    throw new AppError('unauthenticated', errorText('mfaCodeWrong'), { field: 'body.code' });
  }
  return { userId, method: body.method };
}

/** Passwordless sign-in with a passkey (user verification required: the device's PIN or biometrics are the 2nd factor). */
export async function startPasskeySignIn(deps: Deps) {
  const rp = relyingParty(deps);
  const options = await (await webauthn()).generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required' });
  const token = newSecret();
  const now = deps.clock.now();
  await repo.deleteStaleChallenges(deps.db, addMinutes(now, -60));
  await repo.insertChallenge(deps.db, {
    id: sha256(token),
    user_id: null,
    purpose: 'passkey-sign-in',
    webauthn_challenge: options.challenge,
    failed_attempts: 0,
    created_at: now.toISOString(),
    expires_at: addMinutes(now, CHALLENGE_MINUTES),
  });
  return { token, options: options as unknown as WebauthnOptions };
}

export async function finishPasskeySignIn(deps: Deps, token: string | undefined, response: AuthenticationResponseJSON): Promise<SignedIn> {
  const row = await pendingSignIn(deps, token, 'passkey-sign-in');
  await requireAttemptsLeft(deps, row);
  const passkey = await repo.findPasskeyByCredential(deps.db, response.id);
  const counter = passkey ? await checkPasskey(deps, passkey, row.webauthn_challenge!, response, true) : null;
  const user = passkey ? await findUserById(deps.db, passkey.user_id) : undefined;
  if (!passkey || counter === null || !user || user.status !== 'active') {
    await repo.countFailure(deps.db, row.id);
    throw new AppError('unauthenticated', errorText('passkeyNotVerified'), { field: 'body.response' });
  }
  await deps.db.transaction().execute(async (tx) => {
    if (!(await repo.takeChallenge(tx, row.id))) throw new AppError('unauthenticated', errorText('mfaSignInExpired'));
    await repo.usePasskey(tx, passkey.id, counter, isoNow(deps.clock));
  });
  return { userId: user.id, method: 'passkey' };
}

export async function cancelSignIn(deps: Deps, token: string | undefined): Promise<void> {
  if (token) await repo.takeChallenge(deps.db, sha256(token));
}

// -- an administrator who lost access: `praxis user reset-mfa EMAIL`
export async function resetMfa(deps: Deps, actor: Actor | null, user: { id: string; email: string }) {
  return deps.db.transaction().execute(async (tx) => {
    const removed = await repo.deleteAllFactors(tx, user.id);
    await audit(tx, deps, actor, user, 'mfa-reset', {
      totp: { from: removed.totp > 0 ? 'on' : 'off', to: 'off' },
      passkeys: { from: removed.passkeys, to: 0 },
    });
    return removed;
  });
}
