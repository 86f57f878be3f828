import { Alert, Button, Divider, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconClockPause, IconFingerprint } from '@tabler/icons-react';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import { useSession, useSetSession, useSetupStatus } from '../../app/session.ts';
import type { LoginInput, PasskeySignInInput, SessionResponse } from '../../app/types.ts';
import { FullPageLoader } from '../../app/Loaders.tsx';
import type { MfaPending } from '../account/mfa-types.ts';
import { AuthLayout } from './AuthLayout.tsx';
import { SsoSignIn } from './SsoSignIn.tsx';
import { SecondFactorStep } from './SecondFactorStep.tsx';
import { textLimits } from '../../app/form-limits.ts';
import { loginBody, passwordSchema } from '../../../../server/src/auth/auth.schemas.ts';

/** the e-mail as the server takes it; a password as long as any the server would have let anyone set */
const limits = textLimits({ ...loginBody.shape, password: passwordSchema });

/** Only same-site paths are followed after login. */
const safeNext = (next: string | null) => (next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/');

export function LoginPage() {
  const { t } = useTranslation('auth');
  useDocumentTitle(t('common:app.documentTitle', { title: t('login.title') }));
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const setup = useSetupStatus();
  const session = useSession();
  const setSession = useSetSession();
  const [error, setError] = useState<unknown>(null);
  const qc = useQueryClient();
  // a sign-in waiting for its second factor (after the password here, or after single sign-on elsewhere)
  const pending = useQuery({
    queryKey: ['mfa-pending'],
    queryFn: () =>
      api.get<MfaPending>('/api/auth/mfa').catch((e) => (e instanceof ApiError && e.status === 401 ? null : Promise.reject(e))),
    enabled: session.data === null,
    retry: false,
  });
  const setPending = (p: MfaPending | null) => qc.setQueryData(['mfa-pending'], p);
  const signedIn = (s: SessionResponse) => {
    setPending(null);
    setSession(s);
    void navigate(safeNext(params.get('next')), { replace: true });
  };
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: { email: (v) => (v.trim() ? null : t('login.emailRequired')), password: (v) => (v ? null : t('login.passwordRequired')) },
  });
  if (setup.isPending || session.isPending) return <FullPageLoader />;
  if (setup.data?.needed) return <Navigate to="/setup" replace />;
  if (session.data) return <Navigate to={safeNext(params.get('next'))} replace />;
  if (pending.isLoading) return <FullPageLoader />;
  if (pending.data) {
    return (
      <AuthLayout testId="login-page">
        <SecondFactorStep
          methods={pending.data.methods}
          subtitle={params.get('mfa') ? t('sso:secondStep') : undefined}
          onSignedIn={signedIn}
          onRestart={() => {
            void api.delete('/api/auth/mfa').catch(() => undefined);
            setPending(null);
            form.reset();
          }}
        />
      </AuthLayout>
    );
  }

  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const body: LoginInput = { email: v.email.trim(), password: v.password };
      const r = await api.post<SessionResponse | MfaPending, LoginInput>('/api/auth/login', body);
      if ('mfaRequired' in r) setPending(r);
      else signedIn(r);
    } catch (e) {
      setError(e);
      form.setFieldValue('password', '');
    }
  });
  const withPasskey = async () => {
    setError(null);
    setPasskeyBusy(true);
    try {
      const optionsJSON = await api.post<Parameters<typeof startAuthentication>[0]['optionsJSON']>('/api/auth/passkey/options');
      const response = await startAuthentication({ optionsJSON });
      signedIn(
        await api.post<SessionResponse, PasskeySignInInput>('/api/auth/passkey', {
          // the browser's WebAuthn answer, which the server reads with @simplewebauthn (its schema only requires an object)
          response: response as unknown as PasskeySignInInput['response'],
        }),
      );
    } catch (e) {
      setError(e instanceof Error && e.name === 'NotAllowedError' ? new Error(t('login.passkeyFailed')) : e);
    } finally {
      setPasskeyBusy(false);
    }
  };
  const limited = error instanceof ApiError && error.status === 429;
  return (
    <AuthLayout testId="login-page">
      <form onSubmit={submit} noValidate>
        <Stack>
          <div>
            <Title order={2}>{t('login.title')}</Title>
            <Text c="dimmed" size="sm" mt={4}>
              {t('login.subtitle')}
            </Text>
          </div>
          {params.get('next') && !error && (
            <Text size="sm" c="dimmed" data-testid="login-next-hint">
              {t('login.continue')}
            </Text>
          )}
          {error !== null && (
            <Alert
              color={limited ? 'orange' : 'red'}
              variant="light"
              icon={limited ? <IconClockPause size={18} /> : <IconAlertTriangle size={18} />}
              title={limited ? t('login.tooMany') : t('login.failed')}
              data-testid="login-error"
            >
              {errorMessage(error)}
            </Alert>
          )}
          <SsoSignIn next={safeNext(params.get('next'))} />
          <TextInput
            label={t('form.email')}
            name="email"
            type="email"
            autoComplete="username"
            autoFocus
            maxLength={limits.email}
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('form.password')}
            name="password"
            autoComplete="current-password"
            maxLength={limits.password}
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={form.submitting} fullWidth mt="xs">
            {t('login.title')}
          </Button>
          {browserSupportsWebAuthn() && (
            <>
              <Divider label={t('login.or')} labelPosition="center" />
              <Button
                variant="default"
                leftSection={<IconFingerprint size={18} />}
                loading={passkeyBusy}
                onClick={withPasskey}
                fullWidth
                data-testid="login-passkey"
              >
                {t('login.withPasskey')}
              </Button>
            </>
          )}
          <Text size="xs" c="dimmed" ta="center">
            {t('login.forgot')}
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
