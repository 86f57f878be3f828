import { z } from 'zod';
import { nameSchema } from '../auth.schemas.ts';
import { versionSchema } from '../../shared/schemas.ts';

/** The second factors a user can prove at sign-in. */
export const mfaMethods = ['totp', 'passkey', 'recovery'] as const;
export type MfaMethod = (typeof mfaMethods)[number];

/** A one-time code: six digits from an authenticator app, or a recovery code (spaces and dashes are ignored). */
const codeSchema = z
  .string({ error: 'code is required' })
  .trim()
  .min(6, { error: 'code must have at least 6 characters' })
  .max(32, { error: 'code must have at most 32 characters' });

/** A WebAuthn response as `@simplewebauthn/browser` sends it; its content is checked by `@simplewebauthn/server`. */
const webauthnResponse = z.looseObject({
  id: z.string().min(1).max(2000),
  rawId: z.string().min(1).max(2000),
  type: z.literal('public-key'),
  response: z.looseObject({}),
});

export const mfaPendingResponse = z.object({
  /** the password was right; a second factor is needed before a session is issued */
  mfaRequired: z.literal(true),
  methods: z.array(z.enum(mfaMethods)),
});
export type MfaPendingResponse = z.infer<typeof mfaPendingResponse>;

export const mfaVerifyBody = z.discriminatedUnion(
  'method',
  [
    z.strictObject({ method: z.literal('totp'), code: codeSchema }),
    z.strictObject({ method: z.literal('recovery'), code: codeSchema }),
    z.strictObject({ method: z.literal('passkey'), response: webauthnResponse }),
  ],
  { error: 'method must be totp, recovery or passkey' },
);
export type MfaVerifyBody = z.infer<typeof mfaVerifyBody>;

export const passkeySignInBody = z.strictObject({ response: webauthnResponse });

/** WebAuthn options as `@simplewebauthn/browser` takes them (PublicKeyCredential{Creation,Request}OptionsJSON). */
export const webauthnOptionsResponse = z.looseObject({ challenge: z.string() });
export type WebauthnOptions = z.infer<typeof webauthnOptionsResponse>;

export const passkeyResponse = z.object({
  id: z.string(),
  name: z.string(),
  /** synced between devices by its provider (multiDevice) or bound to one authenticator */
  synced: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  version: z.number(),
});
export type PasskeyResponse = z.infer<typeof passkeyResponse>;

export const mfaStatusResponse = z.object({
  totp: z.object({ enabled: z.boolean(), enabledAt: z.string().nullable() }),
  passkeys: z.array(passkeyResponse),
  /** unused recovery codes left (0 when no second factor is enrolled) */
  recoveryCodesLeft: z.number().int(),
  /** scopes that require a second factor of their managers and where you are held back until you enrol */
  requiredBy: z.array(z.object({ scopeId: z.string(), scopeName: z.string() })),
});
export type MfaStatusResponse = z.infer<typeof mfaStatusResponse>;

export const totpSetupResponse = z.object({
  /** base32, for typing into an app; shown during enrolment only */
  secret: z.string(),
  otpauthUri: z.string(),
  /** the otpauth URI as a QR code (PNG data URL) */
  qrDataUrl: z.string(),
});
export type TotpSetupResponse = z.infer<typeof totpSetupResponse>;

export const totpConfirmBody = z.strictObject({ code: codeSchema });

/** Recovery codes, shown once: new when the first second factor is enrolled or when regenerated; else null. */
export const recoveryCodesResponse = z.object({ recoveryCodes: z.array(z.string()).nullable() });
export type RecoveryCodesResponse = z.infer<typeof recoveryCodesResponse>;

/** Proof before weakening or resetting MFA: the account's password, or a current code (authenticator or recovery). */
export const mfaProofBody = z
  .strictObject({
    password: z.string().min(1).max(200).optional(),
    code: codeSchema.optional(),
  })
  .refine((b) => b.password !== undefined || b.code !== undefined, {
    error: 'validation:mfaProof',
    path: ['password'],
  });
export type MfaProofBody = z.infer<typeof mfaProofBody>;

export const addPasskeyBody = z.strictObject({ name: nameSchema, response: webauthnResponse });
export const addPasskeyResponse = z.object({ passkey: passkeyResponse, recoveryCodes: z.array(z.string()).nullable() });
export const renamePasskeyBody = z.strictObject({ version: versionSchema, name: nameSchema });
