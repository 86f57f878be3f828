import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { IconAlertTriangle, IconFingerprint } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import type { SessionResponse } from '../../app/types.ts';
import type { MfaMethod, MfaVerifyInput } from '../account/mfa-types.ts';
import { textLimits } from '../../app/form-limits.ts';
import { totpConfirmBody } from '../../../../server/src/auth/mfa/mfa.schemas.ts';

/** a one-time code or a recovery code, as the server takes either */
const codeLimit = textLimits(totpConfirmBody.shape).code;

type Options = Parameters<typeof startAuthentication>[0]['optionsJSON'];

/**
 * The sign-in's second step, after the password (or single sign-on) was accepted: a code from the authenticator app, a
 * passkey, or a recovery code. Its fields have stable labels ("Authentication code", "Recovery code") for browser tests.
 */
export function SecondFactorStep({
  methods,
  onSignedIn,
  onRestart,
  subtitle,
}: {
  methods: MfaMethod[];
  /** what the first step was, when not a password (single sign-on) */
  subtitle?: string | undefined;
  onSignedIn: (session: SessionResponse) => void;
  onRestart: () => void;
}) {
  const { t } = useTranslation('auth');
  const canPasskey = methods.includes('passkey') && browserSupportsWebAuthn();
  const [mode, setMode] = useState<'totp' | 'recovery' | 'passkey'>(
    methods.includes('totp') ? 'totp' : canPasskey ? 'passkey' : 'recovery',
  );
  const [error, setError] = useState<unknown>(null);
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (v) => (v.trim() ? null : t('mfa.codeRequired')) },
  });
  const verify = async (body: MfaVerifyInput) => {
    setError(null);
    try {
      onSignedIn(await api.post<SessionResponse, MfaVerifyInput>('/api/auth/mfa', body));
    } catch (e) {
      setError(e);
      form.setFieldValue('code', '');
    }
  };
  const submit = form.onSubmit((v) => (mode === 'passkey' ? withPasskey() : verify({ method: mode, code: v.code.trim() })));
  const withPasskey = async () => {
    setError(null);
    setPasskeyBusy(true);
    try {
      const optionsJSON = await api.post<Options>('/api/auth/mfa/passkey-options');
      const response = await startAuthentication({ optionsJSON });
      await verify({ method: 'passkey', response: response as unknown as Extract<MfaVerifyInput, { method: 'passkey' }>['response'] });
    } catch (e) {
      setError(e);
    } finally {
      setPasskeyBusy(false);
    }
  };
  const expired = error instanceof ApiError && error.code === 'unauthenticated' && !error.field;
  return (
    <form onSubmit={submit} noValidate data-testid="second-factor-step">
      <Stack>
        <div>
          <Title order={2}>{t('mfa.title')}</Title>
          <Text c="dimmed" size="sm" mt={4}>
            {subtitle ?? t('mfa.subtitle')}
          </Text>
        </div>
        {error !== null && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('mfa.failed')} data-testid="mfa-error">
            {expired ? t('mfa.expired') : errorMessage(error)}
          </Alert>
        )}
        {canPasskey && mode !== 'recovery' && (
          <Button
            variant={mode === 'passkey' ? 'filled' : 'light'}
            leftSection={<IconFingerprint size={18} />}
            loading={passkeyBusy}
            onClick={withPasskey}
            data-testid="mfa-passkey"
          >
            {t('mfa.usePasskey')}
          </Button>
        )}
        {mode !== 'passkey' && (
          <TextInput
            key={mode}
            label={mode === 'totp' ? t('mfa.code') : t('mfa.recoveryCode')}
            description={mode === 'totp' ? t('mfa.codeHint') : t('mfa.recoveryHint')}
            name={mode === 'totp' ? 'totpCode' : 'recoveryCode'}
            inputMode={mode === 'totp' ? 'numeric' : 'text'}
            autoComplete="one-time-code"
            autoFocus
            maxLength={codeLimit}
            data-testid="mfa-code"
            {...form.getInputProps('code')}
          />
        )}
        {mode !== 'passkey' && (
          <Button type="submit" loading={form.submitting} fullWidth data-testid="mfa-verify">
            {t('mfa.verify')}
          </Button>
        )}
        <Stack gap={4} align="center">
          {(['totp', 'passkey', 'recovery'] as const)
            .filter((m) => m !== mode && (m === 'passkey' ? canPasskey && !methods.includes('totp') : methods.includes(m)))
            .map((m) => (
              <Anchor
                key={m}
                component="button"
                type="button"
                size="sm"
                onClick={() => {
                  setMode(m);
                  form.reset();
                  setError(null);
                }}
                data-testid={`mfa-use-${m}`}
              >
                {t(m === 'totp' ? 'mfa.useTotp' : m === 'recovery' ? 'mfa.useRecovery' : 'mfa.usePasskeyInstead')}
              </Anchor>
            ))}
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onRestart} data-testid="mfa-restart">
            {t('mfa.restart')}
          </Anchor>
        </Stack>
      </Stack>
    </form>
  );
}
