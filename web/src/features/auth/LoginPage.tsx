import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../app/api.ts';
import { useSetSession } from '../../app/session.ts';
import { Logo } from '../../app/Shell.tsx';
import type { SessionResponse } from '../../app/types.ts';
import { ErrorAlert } from '../../app/ui.tsx';

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const setSession = useSetSession();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: { email: (v) => (v.trim() ? null : 'Enter your email'), password: (v) => (v ? null : 'Enter your password') },
  });
  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      setSession(await api.post<SessionResponse>('/api/auth/login', v));
      const next = params.get('next');
      void navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (e) {
      setError(e);
    }
  });
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420} radius="lg">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Logo />
            <div>
              <Title order={2}>Log in</Title>
              <Text c="dimmed" size="sm">
                Your information security management system
              </Text>
            </div>
            <ErrorAlert error={error} />
            <TextInput label="Email" name="email" type="email" autoComplete="username" {...form.getInputProps('email')} />
            <PasswordInput label="Password" name="password" autoComplete="current-password" {...form.getInputProps('password')} />
            <Button type="submit" loading={form.submitting}>
              Log in
            </Button>
            <Text size="xs" c="dimmed">
              Forgot your password? Ask your Praxis administrator to reset it.
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
