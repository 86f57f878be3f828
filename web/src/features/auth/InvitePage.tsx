import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../app/api.ts';
import { useSetSession } from '../../app/session.ts';
import { Logo } from '../../app/Shell.tsx';
import type { Invitation, SessionResponse } from '../../app/types.ts';
import { ErrorAlert } from '../../app/ui.tsx';

/** An invited person sets a name and password and is logged in. */
export function InvitePage() {
  const { token } = useParams();
  const navigate = useNavigate();
  const setSession = useSetSession();
  const [error, setError] = useState<unknown>(null);
  const invitation = useQuery({ queryKey: ['invitation', token], queryFn: () => api.get<Invitation>(`/api/invitations/${token}`) });
  const form = useForm({
    initialValues: { name: '', password: '' },
    validate: { password: (v) => (v.length >= 12 ? null : 'Use at least 12 characters') },
  });
  const submit = form.onSubmit(async (v) => {
    try {
      const session = await api.post<SessionResponse>(`/api/invitations/${token}/accept`, {
        password: v.password,
        ...(v.name.trim() && { name: v.name.trim() }),
      });
      setSession(session);
      void navigate('/', { replace: true });
    } catch (e) {
      setError(e);
    }
  });
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={460} radius="lg">
        <Stack>
          <Logo />
          {invitation.error ? (
            <ErrorAlert error={invitation.error} />
          ) : (
            <form onSubmit={submit} noValidate>
              <Stack>
                <div>
                  <Title order={2}>Join {invitation.data?.scopeName ?? '…'}</Title>
                  <Text c="dimmed" size="sm">
                    You were invited as {invitation.data?.email}. Choose a password to activate your account.
                  </Text>
                </div>
                <ErrorAlert error={error} />
                <TextInput label="Your name" name="name" placeholder={invitation.data?.name} {...form.getInputProps('name')} />
                <PasswordInput
                  label="Password"
                  name="password"
                  description="At least 12 characters"
                  autoComplete="new-password"
                  {...form.getInputProps('password')}
                />
                <Button type="submit" loading={form.submitting}>
                  Activate account
                </Button>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
