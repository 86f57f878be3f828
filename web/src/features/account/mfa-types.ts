/** Types of the multi-factor API, from the server's zod schemas. */
import type { z } from 'zod';
import type * as mfa from '../../../../server/src/auth/mfa/mfa.schemas.ts';

export type MfaStatus = z.infer<typeof mfa.mfaStatusResponse>;
export type Passkey = z.infer<typeof mfa.passkeyResponse>;
export type TotpSetup = z.infer<typeof mfa.totpSetupResponse>;
export type RecoveryCodes = z.infer<typeof mfa.recoveryCodesResponse>;
export type MfaProof = z.input<typeof mfa.mfaProofBody>;
export type MfaPending = z.infer<typeof mfa.mfaPendingResponse>;
export type MfaMethod = MfaPending['methods'][number];
export type MfaVerifyInput = z.input<typeof mfa.mfaVerifyBody>;
export type AddedPasskey = z.infer<typeof mfa.addPasskeyResponse>;
