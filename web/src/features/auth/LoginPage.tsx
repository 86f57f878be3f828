import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertTriangle, IconClockPause } from '@tabler/icons-react';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import { useSession, useSetSession, useSetupStatus } from '../../app/session.ts';
import type { LoginInput, SessionResponse } from '../../app/types.ts';
import { FullPageLoader } from '../../app/ui.tsx';
import { AuthLayout } from './AuthLayout.tsx';

/** Only same-site paths are followed after login. */
const safeNext = (next: string | null) => (next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/');

export function LoginPage() {
  useDocumentTitle('Log in · Praxis');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const setup = useSetupStatus();
  const session = useSession();
  const setSession = useSetSession();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: { email: (v) => (v.trim() ? null : 'Enter your email address'), password: (v) => (v ? null : 'Enter your password') },
  });
  if (setup.isPending || session.isPending) return <FullPageLoader />;
  if (setup.data?.needed) return <Navigate to="/setup" replace />;
  if (session.data) return <Navigate to={safeNext(params.get('next'))} replace />;

  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const body: LoginInput = { email: v.email.trim(), password: v.password };
      setSession(await api.post<SessionResponse>('/api/auth/login', body));
      void navigate(safeNext(params.get('next')), { replace: true });
    } catch (e) {
      setError(e);
      form.setFieldValue('password', '');
    }
  });
  const limited = error instanceof ApiError && error.status === 429;
  return (
    <AuthLayout testId="login-page">
      <form onSubmit={submit} noValidate>
        <Stack>
          <div>
            <Title order={2}>Log in</Title>
            <Text c="dimmed" size="sm" mt={4}>
              Your information security management system
            </Text>
          </div>
          {params.get('next') && !error && (
            <Text size="sm" c="dimmed" data-testid="login-next-hint">
              Log in to continue where you were.
            </Text>
          )}
          {error !== null && (
            <Alert
              color={limited ? 'orange' : 'red'}
              variant="light"
              icon={limited ? <IconClockPause size={18} /> : <IconAlertTriangle size={18} />}
              title={limited ? 'Too many attempts' : 'Could not log you in'}
              data-testid="login-error"
            >
              {errorMessage(error)}
            </Alert>
          )}
          <TextInput label="Email" name="email" type="email" autoComplete="username" autoFocus {...form.getInputProps('email')} />
          <PasswordInput label="Password" name="password" autoComplete="current-password" {...form.getInputProps('password')} />
          <Button type="submit" loading={form.submitting} fullWidth mt="xs">
            Log in
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            Forgot your password? An administrator of your Praxis installation can set a new one.
          </Text>
        </Stack>
      </form>
    </AuthLayout>
  );
}
